// ManagedIdentityCredential: tokens for the Azure resource ATG runs on.
//
// Two sources, in this order:
//   * App Service, Functions, Container Apps, Container Instances: IDENTITY_ENDPOINT and
//     IDENTITY_HEADER are set by the platform;
//       GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=<aud>[&client_id=..]
//       X-IDENTITY-HEADER: {IDENTITY_HEADER}
//   * otherwise the Instance Metadata Service of VMs, scale sets and AKS nodes (ATG_IMDS_ENDPOINT,
//     default http://169.254.169.254);
//       GET
//       {imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=<aud>[&client_id=..]
//       Metadata: true
//     Before its first token request the credential probes IMDS once with a short timeout (one
//     second by default, as the Azure SDKs do), so that a laptop without IMDS is passed over
//     quickly instead of waiting for a connect timeout.
//
// `client_id` selects a user-assigned identity; empty means the system-assigned one. Tokens are
// cached per scope by TokenCache; IDENTITY_HEADER and every token are registered secrets.
//
// Thread-safety: GetToken may be called concurrently (requests are serialised by the cache).
#ifndef ATG_AZURE_MANAGED_IDENTITY_CREDENTIAL_H_
#define ATG_AZURE_MANAGED_IDENTITY_CREDENTIAL_H_

#include <memory>
#include <optional>
#include <string>

#include "azure/credential.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "azure/token_cache.h"
#include "common/clock.h"

namespace atg::azure {

struct ManagedIdentityCredentialOptions {
  std::string identity_endpoint;                         // IDENTITY_ENDPOINT
  std::string identity_header;                           // IDENTITY_HEADER (a secret)
  std::string imds_endpoint = "http://169.254.169.254";  // ATG_IMDS_ENDPOINT
  std::string client_id;  // user-assigned identity; empty: system-assigned
  std::chrono::milliseconds probe_timeout{1000};
  Duration refresh_margin = std::chrono::minutes(5);
  RetryOptions retry;
};

class ManagedIdentityCredential : public TokenCredential {
 public:
  // Fails with kInvalidArgument for a malformed IDENTITY_ENDPOINT or ATG_IMDS_ENDPOINT.
  static Result<std::unique_ptr<ManagedIdentityCredential>> Create(
      ManagedIdentityCredentialOptions options, std::shared_ptr<HttpTransport> transport,
      Clock* clock = Clock::Real());

  // Errors: kFailedPrecondition when no managed identity is available here (IMDS did not
  // answer the probe, or answered that no identity is assigned); kUnauthenticated when the App
  // Service endpoint refuses IDENTITY_HEADER; transport or Azure errors otherwise.
  Result<AccessToken> GetToken(const std::string& scope) override;

  // Whether the App Service form is in use (IDENTITY_ENDPOINT and IDENTITY_HEADER both set).
  bool uses_app_service() const { return app_service_; }
  // Where tokens come from, for `atg doctor` and debug logs (no secrets).
  std::string Source() const;

 private:
  ManagedIdentityCredential(ManagedIdentityCredentialOptions options,
                            std::shared_ptr<HttpTransport> transport,
                            std::unique_ptr<AzureHttpClient> client, Clock* clock);
  Result<AccessToken> Fetch(const std::string& scope);
  Result<AccessToken> FetchAppService(const std::string& scope);
  Result<AccessToken> FetchImds(const std::string& scope);
  Status ProbeImds();

  ManagedIdentityCredentialOptions options_;
  bool app_service_;
  std::shared_ptr<HttpTransport> transport_;
  std::unique_ptr<AzureHttpClient> client_;
  Clock* clock_;
  TokenCache cache_;
  std::optional<Status> probe_;  // the IMDS probe's outcome; guarded by the cache's lock
};

}  // namespace atg::azure

#endif  // ATG_AZURE_MANAGED_IDENTITY_CREDENTIAL_H_
