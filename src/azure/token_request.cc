#include "azure/token_request.h"

#include "azure/endpoints.h"
#include "azure/token_response.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

constexpr std::string_view kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// Replaces every occurrence of `secret` in `text`, raw and URL-encoded (the form carries the
// latter, and a proxy may echo the form back).
void Scrub(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (const std::string& s : {std::string(secret), UrlEncode(secret)}) {
    for (size_t at = text.find(s); at != std::string::npos; at = text.find(s, at)) {
      text.replace(at, s.size(), "[REDACTED]");
    }
  }
}

}  // namespace

std::string ScopeForAudience(std::string_view audience_or_scope) {
  std::string s(Trim(audience_or_scope));
  constexpr std::string_view kDefault = "/.default";
  if (s.size() >= kDefault.size() &&
      EqualsIgnoreCase(std::string_view(s).substr(s.size() - kDefault.size()), kDefault)) {
    return s;
  }
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s + std::string(kDefault);
}

std::string TokenEndpointUrl(std::string_view authority, std::string_view tenant_id) {
  return std::string(authority) + "/" + UrlEncode(tenant_id) + "/oauth2/v2.0/token";
}

std::string ClientCredentialsForm(const ClientCredentialsRequest& request) {
  std::string form = "grant_type=client_credentials&client_id=" + UrlEncode(request.client_id);
  if (!request.client_assertion.empty()) {
    form += "&client_assertion_type=" + UrlEncode(kJwtBearer) +
            "&client_assertion=" + UrlEncode(request.client_assertion);
  } else {
    form += "&client_secret=" + UrlEncode(request.client_secret);
  }
  return form + "&scope=" + UrlEncode(ScopeForAudience(request.scope));
}

Result<AccessToken> RequestClientCredentialsToken(AzureHttpClient& client, Clock* clock,
                                                  const ClientCredentialsRequest& request) {
  const std::string scope = ScopeForAudience(request.scope);
  const std::string what = "getting a token for scope " + scope + " as client " +
                           request.client_id + " in tenant " + request.tenant_id;
  auto fail = [&](StatusCode code, std::string message) {
    message = RedactSecrets(message);
    Scrub(message, request.client_secret);
    Scrub(message, request.client_assertion);
    return Status(code, std::move(message));
  };
  if (request.client_secret.empty() == request.client_assertion.empty()) {
    return fail(StatusCode::kInvalidArgument,
                what +
                    ": the request needs exactly one of a client secret and a client "
                    "assertion (a bug in the credential)");
  }
  AzureRequest http;
  http.method = "POST";
  http.url = TokenEndpointUrl(request.authority, request.tenant_id);
  http.kind = ApiKind::kIdentity;
  http.authenticate = false;
  http.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  http.body = ClientCredentialsForm(request);
  const WallTime requested_at = clock->WallNow();
  auto response = client.Send(http);
  if (!response.ok()) {
    const Status& s = response.status();
    // Entra ID answers refused credentials with 400/401 invalid_client: say so plainly.
    bool refused =
        s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kUnauthenticated;
    return fail(refused ? StatusCode::kUnauthenticated : s.code(), what + ": " + s.message());
  }
  auto token = ParseTokenResponse(response->body, requested_at, what);
  if (!token.ok()) return fail(token.status().code(), token.status().message());
  return token;
}

Status CheckClientCredentialsSettings(std::string_view credential, std::string_view tenant_id,
                                      std::string_view client_id, std::string* authority) {
  auto missing = [&](std::string_view variable, std::string_view what) {
    return Status::InvalidArgument(std::string(variable) + " is not set: the " +
                                   std::string(credential) + " needs the " + std::string(what) +
                                   ". Set it in the environment or the .env file.");
  };
  if (Trim(tenant_id).empty()) return missing("AZURE_TENANT_ID", "tenant id");
  if (Trim(client_id).empty()) return missing("AZURE_CLIENT_ID", "application id");
  auto normalized = NormalizeEndpoint("AZURE_AUTHORITY_HOST", *authority);
  if (!normalized.ok()) return normalized.status();
  *authority = std::move(*normalized);
  return Status::Ok();
}

}  // namespace atg::azure
