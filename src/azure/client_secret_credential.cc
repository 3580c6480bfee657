#include "azure/client_secret_credential.h"

#include "azure/token_response.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

Result<std::unique_ptr<ClientSecretCredential>> ClientSecretCredential::Create(
    ClientSecretCredentialOptions options, std::shared_ptr<HttpTransport> transport, Clock* clock) {
  RegisterSecret(options.client_secret);
  auto missing = [](std::string_view variable, std::string_view what) {
    return Status::InvalidArgument(std::string(variable) +
                                   " is not set: the client secret "
                                   "credential needs the " +
                                   std::string(what) +
                                   ". Set it in the environment or the .env file.");
  };
  if (Trim(options.tenant_id).empty()) return missing("AZURE_TENANT_ID", "tenant id");
  if (Trim(options.client_id).empty()) return missing("AZURE_CLIENT_ID", "application id");
  if (options.client_secret.empty()) return missing("AZURE_CLIENT_SECRET", "client secret");
  auto authority = NormalizeEndpoint("AZURE_AUTHORITY_HOST", options.authority);
  if (!authority.ok()) return authority.status();
  options.authority = *authority;

  AzureEndpoints endpoints;
  endpoints.authority = options.authority;
  auto client = NewTokenClient(std::move(transport), endpoints, options.retry, clock);
  return std::unique_ptr<ClientSecretCredential>(
      new ClientSecretCredential(std::move(options), std::move(client), clock));
}

ClientSecretCredential::ClientSecretCredential(ClientSecretCredentialOptions options,
                                               std::unique_ptr<AzureHttpClient> client,
                                               Clock* clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      clock_(clock),
      cache_(clock, options_.refresh_margin) {}

Result<AccessToken> ClientSecretCredential::GetToken(const std::string& scope) {
  return cache_.Get(scope, [this](const std::string& s) { return Fetch(s); });
}

Result<AccessToken> ClientSecretCredential::Fetch(const std::string& scope) {
  const std::string what = "getting a token for scope " + scope + " as client " +
                           options_.client_id + " in tenant " + options_.tenant_id;
  return RequestClientCredentialsToken(
      *client_, clock_, options_.authority, options_.tenant_id, options_.client_id,
      "client_secret=" + UrlEncode(options_.client_secret), scope, what);
}

}  // namespace atg::azure
