#include "azure/jwt_claims.h"

#include "common/base64.h"
#include "common/strings.h"

namespace atg::azure {

Result<json::object> DecodeJwtClaims(std::string_view token) {
  auto parts = Split(token, '.');
  if (parts.size() != 3) {
    return Status::InvalidArgument("the token is not a JWT (it does not have three parts)");
  }
  auto payload = Base64UrlDecode(parts[1]);
  if (!payload) return Status::InvalidArgument("the token's payload is not base64url");
  auto parsed = ParseJson(*payload);
  if (!parsed.ok() || !parsed->is_object()) {
    return Status::InvalidArgument("the token's payload is not a JSON object");
  }
  return parsed->as_object();
}

}  // namespace atg::azure
