#include "azure/workload_identity_credential.h"

#include "azure/token_request.h"
#include "azure/token_response.h"
#include "common/file.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

Result<std::string> ReadFederatedToken(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) {
    return Status::FailedPrecondition(
        text.status().message() +
        " (AZURE_FEDERATED_TOKEN_FILE). Check that the workload identity token volume is mounted "
        "and readable.");
  }
  std::string token(Trim(*text));
  if (token.empty()) {
    return Status::FailedPrecondition("the federated token file " + path +
                                      " (AZURE_FEDERATED_TOKEN_FILE) is empty. Check that the "
                                      "platform has written the service account token.");
  }
  RegisterSecret(token);
  return token;
}

Result<std::unique_ptr<WorkloadIdentityCredential>> WorkloadIdentityCredential::Create(
    WorkloadIdentityCredentialOptions options, std::shared_ptr<HttpTransport> transport,
    Clock* clock) {
  ATG_RETURN_IF_ERROR(CheckClientCredentialsSettings(
      "workload identity credential", options.tenant_id, options.client_id, &options.authority));
  if (Trim(options.token_file).empty()) {
    return Status::InvalidArgument(
        "AZURE_FEDERATED_TOKEN_FILE is not set: the workload identity credential needs the path "
        "of the federated token file. Set it in the environment or the .env file.");
  }

  AzureEndpoints endpoints;
  endpoints.authority = options.authority;
  auto client = NewTokenClient(std::move(transport), endpoints, options.retry, clock);
  return std::unique_ptr<WorkloadIdentityCredential>(
      new WorkloadIdentityCredential(std::move(options), std::move(client), clock));
}

WorkloadIdentityCredential::WorkloadIdentityCredential(WorkloadIdentityCredentialOptions options,
                                                       std::unique_ptr<AzureHttpClient> client,
                                                       Clock* clock)
    : options_(std::move(options)),
      client_(std::move(client)),
      clock_(clock),
      cache_(clock, options_.refresh_margin) {}

Result<AccessToken> WorkloadIdentityCredential::GetToken(const std::string& scope) {
  return cache_.Get(scope, [this](const std::string& s) { return Fetch(s); });
}

Result<AccessToken> WorkloadIdentityCredential::Fetch(const std::string& scope) {
  // Read on every request: the platform rotates the file.
  auto assertion = ReadFederatedToken(options_.token_file);
  if (!assertion.ok()) return assertion.status();
  ClientCredentialsRequest request;
  request.authority = options_.authority;
  request.tenant_id = options_.tenant_id;
  request.client_id = options_.client_id;
  request.scope = scope;
  request.client_assertion = std::move(*assertion);
  return RequestClientCredentialsToken(*client_, clock_, request);
}

}  // namespace atg::azure
