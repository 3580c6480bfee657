#include "azure/client_secret_credential.h"

#include "azure/token_request.h"
#include "azure/token_response.h"
#include "common/log.h"

namespace atg::azure {

Result<std::unique_ptr<ClientSecretCredential>> ClientSecretCredential::Create(
    ClientSecretCredentialOptions options, std::shared_ptr<HttpTransport> transport, Clock* clock) {
  RegisterSecret(options.client_secret);
  ATG_RETURN_IF_ERROR(CheckClientCredentialsSettings("client secret credential", options.tenant_id,
                                                     options.client_id, &options.authority));
  if (options.client_secret.empty()) {
    return Status::InvalidArgument(
        "AZURE_CLIENT_SECRET is not set: the client secret credential needs the client secret. "
        "Set it in the environment or the .env file.");
  }

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
  ClientCredentialsRequest request;
  request.authority = options_.authority;
  request.tenant_id = options_.tenant_id;
  request.client_id = options_.client_id;
  request.scope = scope;
  request.client_secret = options_.client_secret;
  return RequestClientCredentialsToken(*client_, clock_, request);
}

}  // namespace atg::azure
