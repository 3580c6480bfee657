#include "azure/client_secret_credential.h"

#include "common/json.h"
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
  AzureClientOptions client_options;
  client_options.retry = options.retry;
  client_options.max_concurrency = 4;
  auto client = std::make_unique<AzureHttpClient>(std::move(transport), nullptr, endpoints,
                                                  client_options, clock);
  return std::unique_ptr<ClientSecretCredential>(
      new ClientSecretCredential(std::move(options), std::move(client), clock));
}

ClientSecretCredential::ClientSecretCredential(ClientSecretCredentialOptions options,
                                               std::unique_ptr<AzureHttpClient> client,
                                               Clock* clock)
    : options_(std::move(options)), client_(std::move(client)), clock_(clock) {}

Result<AccessToken> ClientSecretCredential::GetToken(const std::string& scope) {
  std::lock_guard lock(mu_);
  WallTime now = clock_->WallNow();
  auto it = cache_.find(scope);
  if (it != cache_.end() && now + options_.refresh_margin < it->second.expires_on) {
    return it->second;
  }
  auto fresh = Fetch(scope);
  if (!fresh.ok()) {
    if (it != cache_.end() && now < it->second.expires_on) {
      LogWarning("refreshing the token for {} failed; using the cached token until it expires: {}",
                 scope, fresh.status().message());
      return it->second;
    }
    return fresh.status();
  }
  cache_[scope] = *fresh;
  return fresh;
}

Result<AccessToken> ClientSecretCredential::Fetch(const std::string& scope) {
  AzureRequest request;
  request.method = "POST";
  request.url = options_.authority + "/" + UrlEncode(options_.tenant_id) + "/oauth2/v2.0/token";
  request.kind = ApiKind::kIdentity;
  request.authenticate = false;
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=client_credentials&client_id=" + UrlEncode(options_.client_id) +
                 "&client_secret=" + UrlEncode(options_.client_secret) +
                 "&scope=" + UrlEncode(scope);
  const std::string what = "getting a token for scope " + scope + " as client " +
                           options_.client_id + " in tenant " + options_.tenant_id;

  const WallTime requested_at = clock_->WallNow();
  auto response = client_->Send(request);
  if (!response.ok()) {
    Status s = response.status();
    // Entra ID answers bad credentials with 400/401 invalid_client: say so plainly.
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kUnauthenticated) {
      return Status::Unauthenticated(RedactSecrets(what + ": " + s.message()));
    }
    return Status(s.code(), RedactSecrets(what + ": " + s.message()));
  }
  auto parsed = ParseJson(response->body);
  const json::object* obj = parsed.ok() ? parsed->if_object() : nullptr;
  auto token = FindString(obj, "access_token");
  if (!token || token->empty()) {
    return Status::Unavailable(what +
                               ": the token endpoint's answer has no access_token. Check "
                               "AZURE_AUTHORITY_HOST.");
  }
  RegisterSecret(*token);
  int64_t expires_in = 3600;
  if (auto n = FindInt(obj, "expires_in")) {
    expires_in = *n;
  } else if (auto s = FindString(obj, "expires_in")) {
    expires_in = std::atoll(std::string(*s).c_str());
  }
  if (auto on = FindInt(obj, "expires_on"); on && !FindInt(obj, "expires_in")) {
    return AccessToken{std::string(*token), WallTime(std::chrono::seconds(*on))};
  }
  return AccessToken{std::string(*token), requested_at + std::chrono::seconds(expires_in)};
}

}  // namespace atg::azure
