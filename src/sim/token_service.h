// The simulator's Entra ID: issues access tokens the way Entra ID, IMDS and the App Service
// managed-identity endpoint do, and validates them the way ARM, Microsoft Graph and Key Vault do,
// with each service's real error shapes.
//
// Tokens are JWTs (HS256 under a key that never leaves the process) with the claims aud, iss
// ("https://sts.windows.net/{tenant}/"), tid, oid, appid, iat, nbf and exp (one hour). The `oid`
// names the calling principal: the configured app's service principal or the managed identity.
//
// Endpoints served by Handle():
//   POST /{tenant}/oauth2/v2.0/token   client credentials (client_secret or a federated
//                                      client_assertion), `scope` = "<resource>/.default"
//   POST /{tenant}/oauth2/token        the v1 form of the same, with `resource`
//   GET  /metadata/identity/oauth2/token   IMDS (header `Metadata: true`)
//   GET  /msi/token                    App Service / ACI (header `X-IDENTITY-HEADER`)
//
// Thread-safety: immutable after construction; every method may be called from any thread.
#ifndef ATG_SIM_TOKEN_SERVICE_H_
#define ATG_SIM_TOKEN_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_message.h"
#include "sim/error_shapes.h"

namespace atg::sim {

// Canonical audiences (what a token's `aud` holds for each resource).
inline constexpr std::string_view kArmAudience = "https://management.azure.com/";
inline constexpr std::string_view kGraphAudience = "https://graph.microsoft.com";
inline constexpr std::string_view kKeyVaultAudience = "https://vault.azure.net";
inline constexpr std::string_view kStorageAudience = "https://storage.azure.com/";

struct TokenServiceOptions {
  std::string tenant_id;
  // The one app registration that may use client credentials, and its service principal.
  std::string client_id;
  std::string client_secret;  // compared in constant time; never logged
  std::string app_object_id;
  // The managed identity served by IMDS and /msi/token.
  std::string managed_identity_client_id;
  std::string managed_identity_object_id;
  std::string managed_identity_resource_id;  // msi_res_id / mi_res_id
  std::string identity_header;               // X-IDENTITY-HEADER; empty disables /msi/token
  // The federated token (a JWT) that a workload presents as client_assertion; empty rejects
  // every federated assertion.
  std::string federated_token;
  // The HMAC key; empty means the process-wide random key (shared by every TokenService of the
  // process, so tokens stay valid across simulators of one test).
  std::string signing_key;
  // Seconds since the Unix epoch; null means the system clock. Tests inject a fake.
  std::function<int64_t()> now;
};

struct TokenClaims {
  std::string aud;
  std::string iss;
  std::string tid;
  std::string oid;
  std::string appid;
  int64_t iat = 0;
  int64_t nbf = 0;
  int64_t exp = 0;
};

enum class TokenError {
  kNone,
  kMissing,        // no Authorization header, or not a bearer token
  kInvalid,        // garbled, or the signature does not verify
  kExpired,        // exp (or nbf) outside the current time
  kWrongAudience,  // issued for another resource
  kWrongTenant,    // issued by another tenant
};

struct TokenCheck {
  TokenError error = TokenError::kNone;
  TokenClaims claims;  // filled when error is kNone (and, best effort, for kExpired etc.)
  bool ok() const { return error == TokenError::kNone; }
};

class TokenService {
 public:
  explicit TokenService(TokenServiceOptions options);

  // True when `path` is one of the identity endpoints above.
  static bool Claims(std::string_view path);

  // Serves an identity endpoint (Claims(request.path) must hold).
  net::HttpResponse Handle(const net::HttpRequest& request) const;

  // Issues a token directly (tests, benchmarks). `audience` is used as given. Errors as SignJwt.
  Result<std::string> Issue(std::string_view audience, std::string_view oid,
                            std::string_view appid) const;

  // Checks an `Authorization` header value for a request to a service whose audience is
  // `audience` (trailing slashes and case are ignored; ARM accepts its legacy audience too).
  TokenCheck Validate(std::optional<std::string_view> authorization,
                      std::string_view audience) const;

  // The 401 a service of kind `surface` sends for a failed check. `authority` is the base URL of
  // the token endpoint (ARM and Key Vault name it in WWW-Authenticate).
  net::HttpResponse Unauthorized(const TokenCheck& check, ApiSurface surface,
                                 std::string_view audience, std::string_view authority) const;

  // The canonical audience for a scope ("https://graph.microsoft.com/.default") or resource URI
  // ("https://management.core.windows.net/"); nullopt when the resource is not one the simulator
  // knows.
  static std::optional<std::string> AudienceForResource(std::string_view scope_or_resource);

  const TokenServiceOptions& options() const { return options_; }
  int64_t Now() const;

 private:
  net::HttpResponse HandleTokenEndpoint(const net::HttpRequest& request, std::string_view tenant,
                                        bool v2) const;
  net::HttpResponse HandleImds(const net::HttpRequest& request) const;
  net::HttpResponse HandleAppService(const net::HttpRequest& request) const;

  TokenServiceOptions options_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_TOKEN_SERVICE_H_
