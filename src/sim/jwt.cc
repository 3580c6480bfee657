#include "sim/jwt.h"

#include "common/base64.h"
#include "common/sha256.h"
#include "common/strings.h"

namespace atg::sim {

namespace {

Result<json::object> ParsePart(std::string_view part, std::string_view what) {
  auto raw = Base64UrlDecode(part);
  if (!raw) return Status::InvalidArgument(std::string(what) + " is not base64url");
  auto parsed = ParseJson(*raw);
  if (!parsed.ok() || !parsed->is_object())
    return Status::InvalidArgument(std::string(what) + " is not a JSON object");
  return std::move(parsed->as_object());
}

}  // namespace

Result<std::string> SignJwt(const json::object& payload, std::string_view key,
                            std::string_view kid) {
  json::object header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}};
  std::string signing_input =
      Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(payload));
  auto mac = HmacSha256(key, signing_input);
  if (!mac.ok()) return mac.status().WithContext("signing a token");
  return signing_input + "." + Base64UrlEncode(*mac);
}

Result<json::object> DecodeJwtPayloadUnverified(std::string_view token) {
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
    return Status::InvalidArgument("the token is not a JWT (three dot-separated parts)");
  return ParsePart(token.substr(a + 1, b - a - 1), "the JWT payload");
}

Result<json::object> VerifyJwt(std::string_view token, std::string_view key) {
  size_t a = token.find('.');
  size_t b = a == std::string_view::npos ? a : token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos)
    return Status::InvalidArgument("the token is not a JWT (three dot-separated parts)");
  auto header = ParsePart(token.substr(0, a), "the JWT header");
  if (!header.ok()) return header.status();
  auto alg = FindString(&header.value(), "alg");
  if (!alg || *alg != "HS256")
    return Status::Unauthenticated("the JWT is not signed with the algorithm this service uses");
  auto sig = Base64UrlDecode(token.substr(b + 1));
  if (!sig) return Status::InvalidArgument("the JWT signature is not base64url");
  // Compare the encoded form: the last base64url character carries unused bits, and a decoder
  // that ignores them would accept a signature whose text differs from the one issued.
  auto mac = HmacSha256(key, token.substr(0, b));
  if (!mac.ok()) return mac.status().WithContext("checking a token's signature");
  std::string expected = Base64UrlEncode(*mac);
  if (!ConstantTimeEquals(token.substr(b + 1), expected))
    return Status::Unauthenticated("the JWT signature does not verify");
  return ParsePart(token.substr(a + 1, b - a - 1), "the JWT payload");
}

}  // namespace atg::sim
