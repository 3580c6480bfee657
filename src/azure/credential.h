// TokenCredential: where bearer tokens for Azure come from. Implementations: a client secret
// (client_secret_credential.h), workload identity (workload_identity_credential.h), managed
// identity (managed_identity_credential.h), the Azure CLI (azure_cli_credential.h), and the
// chain that picks the first of them that works (credential_chain.h).
//
// Thread-safety: implementations must allow concurrent GetToken calls; they cache tokens so a
// call for a cached, still-fresh scope is cheap.
#ifndef ATG_AZURE_CREDENTIAL_H_
#define ATG_AZURE_CREDENTIAL_H_

#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace atg::azure {

struct AccessToken {
  std::string token;    // a secret: never log it, never put it in an error
  WallTime expires_on;  // wall-clock expiry
};

class TokenCredential {
 public:
  virtual ~TokenCredential() = default;
  // A token for `scope` (e.g. "https://management.azure.com/.default"), valid for a while yet.
  // Errors are kUnauthenticated (bad credentials), kInvalidArgument (incomplete configuration)
  // or transport errors; their messages never contain secrets.
  virtual Result<AccessToken> GetToken(const std::string& scope) = 0;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_CREDENTIAL_H_
