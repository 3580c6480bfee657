// WorkloadIdentityCredential: Entra ID workload identity federation (AKS workload identity,
// GitHub Actions OIDC, any issuer trusted by the app's federated credentials). The token in
// AZURE_FEDERATED_TOKEN_FILE is sent as a client assertion:
//   POST {authority}/{tenant}/oauth2/v2.0/token
//   grant_type=client_credentials&client_id=..&client_assertion_type=
//   urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=<file>&scope=..
//
// The file is read again for every token request, because the platform rotates it (AKS
// projects a new token about every hour). Each assertion read is registered with
// RegisterSecret; tokens are cached per scope by TokenCache.
//
// Thread-safety: GetToken may be called concurrently.
#ifndef ATG_AZURE_WORKLOAD_IDENTITY_CREDENTIAL_H_
#define ATG_AZURE_WORKLOAD_IDENTITY_CREDENTIAL_H_

#include <memory>
#include <string>

#include "azure/credential.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "azure/token_cache.h"
#include "common/clock.h"

namespace atg::azure {

struct WorkloadIdentityCredentialOptions {
  std::string tenant_id;                                        // AZURE_TENANT_ID
  std::string client_id;                                        // AZURE_CLIENT_ID
  std::string token_file;                                       // AZURE_FEDERATED_TOKEN_FILE
  std::string authority = "https://login.microsoftonline.com";  // AZURE_AUTHORITY_HOST
  Duration refresh_margin = std::chrono::minutes(5);
  RetryOptions retry;
};

class WorkloadIdentityCredential : public TokenCredential {
 public:
  // Fails with kInvalidArgument naming the missing variable (AZURE_TENANT_ID, AZURE_CLIENT_ID,
  // AZURE_FEDERATED_TOKEN_FILE) or a bad AZURE_AUTHORITY_HOST. The file is not read yet.
  static Result<std::unique_ptr<WorkloadIdentityCredential>> Create(
      WorkloadIdentityCredentialOptions options, std::shared_ptr<HttpTransport> transport,
      Clock* clock = Clock::Real());

  // Errors: kFailedPrecondition when the token file cannot be read or is empty (naming the
  // file), kUnauthenticated when Entra ID refuses the assertion, transport errors otherwise.
  Result<AccessToken> GetToken(const std::string& scope) override;

 private:
  WorkloadIdentityCredential(WorkloadIdentityCredentialOptions options,
                             std::unique_ptr<AzureHttpClient> client, Clock* clock);
  Result<AccessToken> Fetch(const std::string& scope);

  WorkloadIdentityCredentialOptions options_;
  std::unique_ptr<AzureHttpClient> client_;
  Clock* clock_;
  TokenCache cache_;
};

// Reads a federated token file (trailing whitespace removed). kFailedPrecondition names the
// file and says what to check; the file's content never appears in an error.
Result<std::string> ReadFederatedToken(const std::string& path);

}  // namespace atg::azure

#endif  // ATG_AZURE_WORKLOAD_IDENTITY_CREDENTIAL_H_
