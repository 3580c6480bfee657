// AzureCliCredential: the token of the user signed in to the Azure CLI, for developer machines.
//   az account get-access-token --output json --resource <aud> [--tenant <AZURE_TENANT_ID>]
//
// The program is found on PATH when the credential is created; the CLI's stdout holds a token
// and is never logged or put in an error (its stderr is, redacted and shortened). The expiry is
// read from `expires_on` (epoch seconds, az 2.54 and later) or `expiresOn` (local time).
// Tokens are cached per scope by TokenCache.
//
// Thread-safety: GetToken may be called concurrently (one `az` runs at a time).
#ifndef ATG_AZURE_AZURE_CLI_CREDENTIAL_H_
#define ATG_AZURE_AZURE_CLI_CREDENTIAL_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "azure/credential.h"
#include "azure/token_cache.h"
#include "common/clock.h"

namespace atg::azure {

struct AzureCliCredentialOptions {
  std::string program = "az";  // a name looked up on `path`, or a path
  std::string path;            // the PATH to search
  std::string tenant_id;       // passed as --tenant when set
  std::chrono::milliseconds timeout{20'000};
  Duration refresh_margin = std::chrono::minutes(5);
};

class AzureCliCredential : public TokenCredential {
 public:
  // Never fails: when the program is not found, program_path() is empty and GetToken answers
  // kFailedPrecondition.
  explicit AzureCliCredential(AzureCliCredentialOptions options, Clock* clock = Clock::Real());

  // Errors: kFailedPrecondition when az is not installed or nobody is signed in ("run az
  // login"); kDeadlineExceeded when az runs past the timeout; kUnauthenticated when Entra ID
  // refused (AADSTS errors); kUnavailable for anything else. Messages name the command (never
  // the token).
  Result<AccessToken> GetToken(const std::string& scope) override;

  // The resolved path of az; empty when it is not on PATH.
  const std::string& program_path() const { return program_path_; }

 private:
  Result<AccessToken> Fetch(const std::string& scope);

  AzureCliCredentialOptions options_;
  std::string program_path_;
  Clock* clock_;
  TokenCache cache_;
};

// Reads the JSON `az account get-access-token` prints. `what` starts error messages; the text
// itself never appears in them.
Result<AccessToken> ParseAzureCliToken(std::string_view text, std::string_view what);

}  // namespace atg::azure

#endif  // ATG_AZURE_AZURE_CLI_CREDENTIAL_H_
