#include "azure/workload_identity_credential.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "azure/token_response.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

Result<std::string> ReadFederatedToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::FailedPrecondition(
        "cannot read the federated token file " + path +
        " (AZURE_FEDERATED_TOKEN_FILE): " + std::strerror(errno) +
        ". Check that the workload identity token volume is mounted and readable.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string token(Trim(text.str()));
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
  auto missing = [](std::string_view variable, std::string_view what) {
    return Status::InvalidArgument(
        std::string(variable) + " is not set: the workload identity credential needs the " +
        std::string(what) + ". Set it in the environment or the .env file.");
  };
  if (Trim(options.tenant_id).empty()) return missing("AZURE_TENANT_ID", "tenant id");
  if (Trim(options.client_id).empty()) return missing("AZURE_CLIENT_ID", "application id");
  if (Trim(options.token_file).empty()) {
    return missing("AZURE_FEDERATED_TOKEN_FILE", "path of the federated token file");
  }
  auto authority = NormalizeEndpoint("AZURE_AUTHORITY_HOST", options.authority);
  if (!authority.ok()) return authority.status();
  options.authority = *authority;

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
  const std::string what = "getting a token for scope " + scope +
                           " with the federated token of client " + options_.client_id +
                           " in tenant " + options_.tenant_id;
  return RequestClientCredentialsToken(
      *client_, clock_, options_.authority, options_.tenant_id, options_.client_id,
      "client_assertion_type=" +
          UrlEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
          "&client_assertion=" + UrlEncode(*assertion),
      scope, what);
}

}  // namespace atg::azure
