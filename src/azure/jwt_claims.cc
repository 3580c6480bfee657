#include "azure/jwt_claims.h"

#include "common/strings.h"

namespace atg::azure {

std::optional<std::string> DecodeBase64Url(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

Result<json::object> DecodeJwtClaims(std::string_view token) {
  auto parts = Split(token, '.');
  if (parts.size() != 3) {
    return Status::InvalidArgument("the token is not a JWT (it does not have three parts)");
  }
  auto payload = DecodeBase64Url(parts[1]);
  if (!payload) return Status::InvalidArgument("the token's payload is not base64url");
  auto parsed = ParseJson(*payload);
  if (!parsed.ok() || !parsed->is_object()) {
    return Status::InvalidArgument("the token's payload is not a JSON object");
  }
  return parsed->as_object();
}

}  // namespace atg::azure
