// ClientSecretCredential: OAuth 2.0 client credentials against Entra ID (or the simulator):
//   POST {authority}/{tenant}/oauth2/v2.0/token
//   grant_type=client_credentials&client_id=..&client_secret=..&scope=..
//
// Tokens are cached per scope by a TokenCache (token_cache.h): refreshed once they are within
// `refresh_margin` (default five minutes) of expiry; if a refresh fails while the cached token is
// still valid, the cached token is returned (and the failure logged).
//
// The client secret is registered with RegisterSecret at construction, and so is every token
// received; neither ever appears in an error message.
//
// Thread-safety: GetToken may be called concurrently. Token requests are made one at a time:
// callers that need a fresh token wait for the request in progress rather than each sending
// their own.
#ifndef ATG_AZURE_CLIENT_SECRET_CREDENTIAL_H_
#define ATG_AZURE_CLIENT_SECRET_CREDENTIAL_H_

#include <memory>
#include <string>

#include "azure/credential.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "azure/token_cache.h"
#include "common/clock.h"

namespace atg::azure {

struct ClientSecretCredentialOptions {
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;
  std::string authority = "https://login.microsoftonline.com";  // AZURE_AUTHORITY_HOST
  Duration refresh_margin = std::chrono::minutes(5);
  RetryOptions retry;
};

class ClientSecretCredential : public TokenCredential {
 public:
  // Fails with kInvalidArgument naming the missing variable (AZURE_TENANT_ID, AZURE_CLIENT_ID,
  // AZURE_CLIENT_SECRET) or a bad authority (AZURE_AUTHORITY_HOST).
  static Result<std::unique_ptr<ClientSecretCredential>> Create(
      ClientSecretCredentialOptions options, std::shared_ptr<HttpTransport> transport,
      Clock* clock = Clock::Real());

  Result<AccessToken> GetToken(const std::string& scope) override;

  // Token requests sent so far (tests).
  const HttpMetrics& metrics() { return client_->metrics(); }

 private:
  ClientSecretCredential(ClientSecretCredentialOptions options,
                         std::unique_ptr<AzureHttpClient> client, Clock* clock);
  Result<AccessToken> Fetch(const std::string& scope);

  ClientSecretCredentialOptions options_;
  std::unique_ptr<AzureHttpClient> client_;
  Clock* clock_;
  TokenCache cache_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_CLIENT_SECRET_CREDENTIAL_H_
