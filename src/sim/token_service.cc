#include "sim/token_service.h"

#include <openssl/rand.h>

#include <chrono>
#include <ctime>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "sim/jwt.h"

namespace atg::sim {

namespace {

constexpr int64_t kLifetimeSeconds = 3600;
constexpr std::string_view kKeyId = "atg-simulator";

const std::string& ProcessSigningKey() {
  static const std::string key = [] {
    std::string k(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(k.data()), static_cast<int>(k.size())) != 1) {
      // Without entropy the key is still unique per process, which is all tests need.
      k = "atg-simulator-" +
          std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    return k;
  }();
  return key;
}

std::string NormalizeAudience(std::string_view aud) {
  std::string out = ToLower(aud);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  for (const auto& kv : Split(body, '&', /*skip_empty=*/true)) {
    size_t eq = kv.find('=');
    std::string key = UrlDecode(std::string_view(kv).substr(0, eq));
    std::string value =
        eq == std::string::npos ? "" : UrlDecode(std::string_view(kv).substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

std::string FormatUtc(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%m/%d/%Y %H:%M:%S", &tm);
  return buf;
}

net::HttpResponse ImdsError(int status, std::string_view error, std::string_view description) {
  return net::HttpResponse::Json(
      status, json::object{{"error", error}, {"error_description", description}});
}

std::string Get(const std::map<std::string, std::string>& form, const std::string& key) {
  auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

}  // namespace

TokenService::TokenService(TokenServiceOptions options) : options_(std::move(options)) {
  if (options_.signing_key.empty()) options_.signing_key = ProcessSigningKey();
  RegisterSecret(options_.client_secret);
  RegisterSecret(options_.identity_header);
  RegisterSecret(options_.federated_token);
}

int64_t TokenService::Now() const {
  if (options_.now) return options_.now();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool TokenService::Claims(std::string_view path) {
  if (StartsWithIgnoreCase(path, "/metadata/identity/")) return true;
  if (EqualsIgnoreCase(path, "/msi/token")) return true;
  // "/{tenant}/oauth2/..."
  if (path.size() < 2 || path[0] != '/') return false;
  size_t slash = path.find('/', 1);
  if (slash == std::string_view::npos) return false;
  return StartsWithIgnoreCase(path.substr(slash), "/oauth2/");
}

std::optional<std::string> TokenService::AudienceForResource(std::string_view scope_or_resource) {
  std::string_view s = Trim(scope_or_resource);
  constexpr std::string_view kDefault = "/.default";
  if (s.size() > kDefault.size() &&
      EqualsIgnoreCase(s.substr(s.size() - kDefault.size()), kDefault)) {
    s.remove_suffix(kDefault.size());
  }
  std::string n = NormalizeAudience(s);
  if (n == "https://management.azure.com" || n == "https://management.core.windows.net")
    return std::string(kArmAudience);
  if (n == "https://graph.microsoft.com" || n == "00000003-0000-0000-c000-000000000000")
    return std::string(kGraphAudience);
  if (n == "https://vault.azure.net" || n == "cfa8b339-82a2-471a-a3c9-0fc0be7a4093")
    return std::string(kKeyVaultAudience);
  if (n == "https://storage.azure.com") return std::string(kStorageAudience);
  return std::nullopt;
}

Result<std::string> TokenService::Issue(std::string_view audience, std::string_view oid,
                                        std::string_view appid) const {
  int64_t now = Now();
  json::object payload{{"aud", audience},
                       {"iss", "https://sts.windows.net/" + options_.tenant_id + "/"},
                       {"iat", now},
                       {"nbf", now},
                       {"exp", now + kLifetimeSeconds},
                       {"appid", appid},
                       {"appidacr", "1"},
                       {"idp", "https://sts.windows.net/" + options_.tenant_id + "/"},
                       {"oid", oid},
                       {"sub", oid},
                       {"tid", options_.tenant_id},
                       {"uti", NewUuid()},
                       {"ver", "1.0"}};
  return SignJwt(payload, options_.signing_key, kKeyId);
}

net::HttpResponse TokenService::Handle(const net::HttpRequest& request) const {
  const std::string& path = request.path;
  if (StartsWithIgnoreCase(path, "/metadata/identity/")) {
    if (!EqualsIgnoreCase(path, "/metadata/identity/oauth2/token"))
      return ImdsError(404, "invalid_request", "The requested path was not found.");
    return HandleImds(request);
  }
  if (EqualsIgnoreCase(path, "/msi/token")) return HandleAppService(request);
  size_t slash = path.find('/', 1);
  std::string tenant = path.substr(1, slash - 1);
  std::string_view rest = std::string_view(path).substr(slash);
  bool v2 = EqualsIgnoreCase(rest, "/oauth2/v2.0/token");
  if (!v2 && !EqualsIgnoreCase(rest, "/oauth2/token")) {
    return AadError(404, "invalid_request", 90027,
                    "The endpoint '" + std::string(rest) +
                        "' is not served by this authority. Use /oauth2/v2.0/token.");
  }
  if (request.method != "POST") {
    return AadError(
        405, "invalid_request", 900561,
        "The endpoint only accepts POST requests. Received a " + request.method + " request.");
  }
  return HandleTokenEndpoint(request, tenant, v2);
}

net::HttpResponse TokenService::HandleTokenEndpoint(const net::HttpRequest& request,
                                                    std::string_view tenant, bool v2) const {
  if (!EqualsIgnoreCase(tenant, options_.tenant_id)) {
    return AadError(400, "invalid_request", 90002,
                    "Tenant '" + std::string(tenant) +
                        "' not found. Check to make sure you have the correct tenant ID and are "
                        "signing into the correct cloud. Check with your subscription "
                        "administrator, this may happen if there are no active subscriptions for "
                        "the tenant.");
  }
  auto form = ParseForm(request.body);
  auto missing = [](std::string_view name) {
    return AadError(
        400, "invalid_request", 900144,
        "The request body must contain the following parameter: '" + std::string(name) + "'.");
  };
  std::string grant = Get(form, "grant_type");
  if (grant.empty()) return missing("grant_type");
  if (grant != "client_credentials") {
    return AadError(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grant +
                        "'. This simulator supports client_credentials.");
  }
  std::string client_id = Get(form, "client_id");
  if (client_id.empty()) return missing("client_id");
  if (!EqualsIgnoreCase(client_id, options_.client_id)) {
    return AadError(400, "unauthorized_client", 700016,
                    "Application with identifier '" + client_id +
                        "' was not found in the directory '" + options_.tenant_id +
                        "'. This can happen if the application has not been installed by the "
                        "administrator of the tenant or consented to by any user in the tenant. "
                        "You may have sent your authentication request to the wrong tenant.");
  }
  std::string scope = v2 ? Get(form, "scope") : Get(form, "resource");
  if (scope.empty()) return missing(v2 ? "scope" : "resource");
  std::optional<std::string> audience;
  if (v2) {
    // Client credentials take exactly one "<resource>/.default" scope.
    auto scopes = Split(scope, ' ', /*skip_empty=*/true);
    std::string_view first = scopes.empty() ? std::string_view() : std::string_view(scopes[0]);
    if (scopes.size() != 1 || first.size() < 9 ||
        !EqualsIgnoreCase(first.substr(first.size() - 9), "/.default")) {
      return AadError(400, "invalid_scope", 1002012,
                      "The provided value for scope " + scope +
                          " is not valid. Client credential flows must have a scope value with "
                          "/.default suffixed to the resource identifier (application ID URI).");
    }
  }
  audience = AudienceForResource(scope);
  if (!audience) {
    return AadError(400, "invalid_resource", 500011,
                    "The resource principal named " + scope +
                        " was not found in the tenant named " + options_.tenant_id +
                        ". This can happen if the application has not been installed by the "
                        "administrator of the tenant or consented to by any user in the tenant. "
                        "You might have sent your authentication request to the wrong tenant.");
  }

  std::string secret = Get(form, "client_secret");
  std::string assertion = Get(form, "client_assertion");
  if (!secret.empty()) {
    if (options_.client_secret.empty() || !ConstantTimeEquals(secret, options_.client_secret)) {
      return AadError(401, "invalid_client", 7000215,
                      "Invalid client secret provided. Ensure the secret being sent in the "
                      "request is the client secret value, not the client secret ID, for a "
                      "secret added to app '" +
                          options_.client_id + "'.");
    }
  } else if (!assertion.empty()) {
    if (Get(form, "client_assertion_type") !=
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") {
      return AadError(400, "invalid_request", 50027,
                      "Invalid client_assertion_type. Expected "
                      "'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");
    }
    if (!DecodeJwtPayloadUnverified(assertion).ok()) {
      return AadError(400, "invalid_request", 50027,
                      "JWT token is invalid or is malformed (client_assertion).");
    }
    if (options_.federated_token.empty() ||
        !ConstantTimeEquals(assertion, options_.federated_token)) {
      return AadError(401, "invalid_client", 700213,
                      "No matching federated identity record found for presented assertion. "
                      "Check the federated identity credentials configured on application '" +
                          options_.client_id + "'.");
    }
  } else {
    return AadError(401, "invalid_client", 7000218,
                    "The request body must contain the following parameter: 'client_assertion' "
                    "or 'client_secret'.");
  }

  auto issued = Issue(*audience, options_.app_object_id, options_.client_id);
  if (!issued.ok()) return AadError(500, "server_error", 0, issued.status().message());
  std::string token = std::move(issued.value());
  json::object body{{"token_type", "Bearer"}, {"expires_in", kLifetimeSeconds - 1}};
  body["ext_expires_in"] = kLifetimeSeconds - 1;
  if (!v2) {
    int64_t now = Now();
    body["expires_in"] = std::to_string(kLifetimeSeconds - 1);
    body["ext_expires_in"] = std::to_string(kLifetimeSeconds - 1);
    body["expires_on"] = std::to_string(now + kLifetimeSeconds - 1);
    body["not_before"] = std::to_string(now);
    body["resource"] = scope;
  }
  body["access_token"] = token;
  auto response = net::HttpResponse::Json(200, body);
  response.SetHeader("Cache-Control", "no-store, no-cache");
  response.SetHeader("Pragma", "no-cache");
  return response;
}

net::HttpResponse TokenService::HandleImds(const net::HttpRequest& request) const {
  auto metadata = request.Header("Metadata");
  if (!metadata || !EqualsIgnoreCase(*metadata, "true")) {
    return ImdsError(400, "invalid_request", "Required metadata header not specified");
  }
  if (request.method != "GET") {
    return ImdsError(405, "invalid_request", "The request method is not supported.");
  }
  if (!request.Query("api-version")) {
    return ImdsError(400, "invalid_request", "Required query variable 'api-version' is missing");
  }
  auto resource = request.Query("resource");
  if (!resource || resource->empty()) {
    return ImdsError(400, "invalid_request", "Required audience parameter not specified");
  }
  auto audience = AudienceForResource(*resource);
  if (!audience) {
    return ImdsError(400, "invalid_resource",
                     "AADSTS500011: The resource principal named " + std::string(*resource) +
                         " was not found in the tenant named " + options_.tenant_id + ".");
  }
  auto mismatch = [](std::optional<std::string_view> given, const std::string& ours) {
    return given && !given->empty() && !EqualsIgnoreCase(*given, ours);
  };
  if (mismatch(request.Query("client_id"), options_.managed_identity_client_id) ||
      mismatch(request.Query("object_id"), options_.managed_identity_object_id) ||
      mismatch(request.Query("msi_res_id"), options_.managed_identity_resource_id) ||
      mismatch(request.Query("mi_res_id"), options_.managed_identity_resource_id)) {
    return ImdsError(400, "invalid_request", "Identity not found");
  }
  auto issued =
      Issue(*audience, options_.managed_identity_object_id, options_.managed_identity_client_id);
  if (!issued.ok()) return ImdsError(500, "server_error", issued.status().message());
  int64_t now = Now();
  json::object body{{"access_token", std::move(issued.value())},
                    {"client_id", options_.managed_identity_client_id},
                    {"expires_in", std::to_string(kLifetimeSeconds - 1)},
                    {"expires_on", std::to_string(now + kLifetimeSeconds - 1)},
                    {"ext_expires_in", std::to_string(kLifetimeSeconds - 1)},
                    {"not_before", std::to_string(now)},
                    {"resource", *resource},
                    {"token_type", "Bearer"}};
  return net::HttpResponse::Json(200, body);
}

net::HttpResponse TokenService::HandleAppService(const net::HttpRequest& request) const {
  auto header = request.Header("X-IDENTITY-HEADER");
  if (options_.identity_header.empty() || !header ||
      !ConstantTimeEquals(*header, options_.identity_header)) {
    return net::HttpResponse::Json(
        401, json::object{{"statusCode", 401},
                          {"message",
                           "X-IDENTITY-HEADER is missing or does not match the "
                           "IDENTITY_HEADER of this environment."}});
  }
  auto api_version = request.Query("api-version");
  if (!api_version || *api_version != "2019-08-01") {
    return net::HttpResponse::Json(
        400, json::object{{"statusCode", 400}, {"message", "api-version must be 2019-08-01."}});
  }
  auto resource = request.Query("resource");
  if (!resource || resource->empty()) {
    return net::HttpResponse::Json(
        400, json::object{{"statusCode", 400},
                          {"message", "The 'resource' query parameter is required."}});
  }
  auto audience = AudienceForResource(*resource);
  if (!audience) {
    return net::HttpResponse::Json(
        400, json::object{{"statusCode", 400},
                          {"message", "AADSTS500011: The resource principal named " +
                                          std::string(*resource) + " was not found."}});
  }
  auto mismatch = [](std::optional<std::string_view> given, const std::string& ours) {
    return given && !given->empty() && !EqualsIgnoreCase(*given, ours);
  };
  if (mismatch(request.Query("client_id"), options_.managed_identity_client_id) ||
      mismatch(request.Query("principal_id"), options_.managed_identity_object_id) ||
      mismatch(request.Query("object_id"), options_.managed_identity_object_id) ||
      mismatch(request.Query("mi_res_id"), options_.managed_identity_resource_id)) {
    return net::HttpResponse::Json(
        400, json::object{{"statusCode", 400},
                          {"message", "No managed identity matches the requested identity."}});
  }
  auto issued =
      Issue(*audience, options_.managed_identity_object_id, options_.managed_identity_client_id);
  if (!issued.ok()) {
    return net::HttpResponse::Json(
        500, json::object{{"statusCode", 500}, {"message", issued.status().message()}});
  }
  int64_t now = Now();
  json::object body{{"access_token", std::move(issued.value())},
                    {"expires_on", std::to_string(now + kLifetimeSeconds - 1)},
                    {"resource", *resource},
                    {"token_type", "Bearer"},
                    {"client_id", options_.managed_identity_client_id}};
  return net::HttpResponse::Json(200, body);
}

TokenCheck TokenService::Validate(std::optional<std::string_view> authorization,
                                  std::string_view audience) const {
  TokenCheck check;
  if (!authorization || !StartsWithIgnoreCase(*authorization, "Bearer ")) {
    check.error = TokenError::kMissing;
    return check;
  }
  std::string_view token = Trim(authorization->substr(7));
  if (token.empty()) {
    check.error = TokenError::kMissing;
    return check;
  }
  auto payload = VerifyJwt(token, options_.signing_key);
  if (!payload.ok()) {
    check.error = TokenError::kInvalid;
    return check;
  }
  const json::object& p = payload.value();
  TokenClaims& c = check.claims;
  c.aud = std::string(FindString(&p, "aud").value_or(""));
  c.iss = std::string(FindString(&p, "iss").value_or(""));
  c.tid = std::string(FindString(&p, "tid").value_or(""));
  c.oid = std::string(FindString(&p, "oid").value_or(""));
  c.appid = std::string(FindString(&p, "appid").value_or(""));
  c.iat = FindInt(&p, "iat").value_or(0);
  c.nbf = FindInt(&p, "nbf").value_or(0);
  c.exp = FindInt(&p, "exp").value_or(0);
  if (c.oid.empty() || c.exp == 0) {
    check.error = TokenError::kInvalid;
    return check;
  }
  if (!EqualsIgnoreCase(c.tid, options_.tenant_id)) {
    check.error = TokenError::kWrongTenant;
    return check;
  }
  auto want = AudienceForResource(audience);
  auto have = AudienceForResource(c.aud);
  bool audience_ok =
      want && have ? *want == *have : NormalizeAudience(c.aud) == NormalizeAudience(audience);
  if (!audience_ok) {
    check.error = TokenError::kWrongAudience;
    return check;
  }
  int64_t now = Now();
  // Entra ID tolerates five minutes of clock skew on nbf; so does the simulator.
  if (now >= c.exp || c.nbf > now + 300) {
    check.error = TokenError::kExpired;
    return check;
  }
  return check;
}

net::HttpResponse TokenService::Unauthorized(const TokenCheck& check, ApiSurface surface,
                                             std::string_view audience,
                                             std::string_view authority) const {
  const TokenClaims& c = check.claims;
  std::string authority_url = std::string(authority) + "/" + options_.tenant_id;
  if (surface == ApiSurface::kGraph) {
    std::string message;
    switch (check.error) {
      case TokenError::kMissing:
        message = "Access token is empty.";
        break;
      case TokenError::kExpired:
        message = "Lifetime validation failed, the token is expired.";
        break;
      case TokenError::kWrongAudience:
        message = "Access token validation failure. Invalid audience.";
        break;
      case TokenError::kWrongTenant:
        message = "Access token validation failure. Invalid issuer.";
        break;
      default:
        message = "Access token validation failure.";
    }
    auto r = GraphError(401, "InvalidAuthenticationToken", message);
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"" + authority_url +
                                        "\", client_id=\"00000003-0000-0000-c000-000000000000\"");
    return r;
  }
  if (surface == ApiSurface::kKeyVault) {
    std::string message;
    switch (check.error) {
      case TokenError::kMissing:
        message = "AKV10000: Request is missing a Bearer or PoP token.";
        break;
      case TokenError::kExpired:
        message = "AKV10022: The token is expired.";
        break;
      case TokenError::kWrongAudience:
        message = "AKV10022: Invalid audience. Expected " + std::string(audience) +
                  ", found: " + c.aud + ".";
        break;
      case TokenError::kWrongTenant:
        message = "AKV10032: Invalid issuer. Expected one of https://sts.windows.net/" +
                  options_.tenant_id + "/, found " + c.iss + ".";
        break;
      default:
        message = "AKV10000: The token is invalid.";
    }
    auto r = KeyVaultError(401, "Unauthorized", message);
    r.SetHeader("WWW-Authenticate", "Bearer authorization=\"" + authority_url + "\", resource=\"" +
                                        std::string(kKeyVaultAudience) + "\"");
    return r;
  }
  // ARM and Resource Graph.
  std::string code = "InvalidAuthenticationToken";
  std::string message = "The access token is invalid.";
  std::string header_error = "invalid_token";
  std::string header_description = "The access token is invalid.";
  switch (check.error) {
    case TokenError::kMissing:
      code = "AuthenticationFailed";
      message = "Authentication failed. The 'Authorization' header is missing.";
      header_description = "The authentication failed because of missing 'Authorization' header.";
      header_error = "";
      break;
    case TokenError::kExpired:
      code = "ExpiredAuthenticationToken";
      message = "The access token expiry UTC time '" + FormatUtc(c.exp) +
                "' is earlier than current UTC time '" + FormatUtc(Now()) + "'.";
      header_description = "The access token expiry UTC time is earlier than current UTC time.";
      break;
    case TokenError::kWrongAudience:
      code = "InvalidAuthenticationTokenAudience";
      message = "The access token has been obtained for wrong audience or resource '" + c.aud +
                "'. It should exactly match with one of the allowed audiences "
                "'https://management.core.windows.net/','https://management.core.windows.net',"
                "'https://management.azure.com/','https://management.azure.com'.";
      header_description = "The access token has been obtained for wrong audience or resource.";
      break;
    case TokenError::kWrongTenant:
      code = "InvalidAuthenticationTokenTenant";
      message = "The access token is from the wrong issuer '" + c.iss +
                "'. It must match the tenant 'https://sts.windows.net/" + options_.tenant_id +
                "/' associated with this subscription. Please use the authority (URL) '" +
                authority_url + "' to get the token.";
      header_description = "The access token is from the wrong issuer.";
      break;
    default:
      break;
  }
  auto r = ArmError(401, code, message);
  std::string www = "Bearer authorization_uri=\"" + authority_url + "\"";
  if (!header_error.empty()) www += ", error=\"" + header_error + "\"";
  www += ", error_description=\"" + header_description + "\"";
  r.SetHeader("WWW-Authenticate", www);
  return r;
}

}  // namespace atg::sim
