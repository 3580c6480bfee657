#include "sim/jwt.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "common/strings.h"

namespace atg::sim {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

Result<json::object> ParsePart(std::string_view part, std::string_view what) {
  auto raw = Base64UrlDecode(part);
  if (!raw) return Status::InvalidArgument(std::string(what) + " is not base64url");
  auto parsed = ParseJson(*raw);
  if (!parsed.ok() || !parsed->is_object())
    return Status::InvalidArgument(std::string(what) + " is not a JSON object");
  return std::move(parsed->as_object());
}

}  // namespace

std::string Base64UrlEncode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(data[k]); };
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == data.size()) {
    uint32_t v = byte(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == data.size()) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = DecodeChar(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string SignJwt(const json::object& payload, std::string_view key, std::string_view kid) {
  json::object header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", kid}};
  std::string signing_input =
      Base64UrlEncode(json::serialize(header)) + "." + Base64UrlEncode(json::serialize(payload));
  std::string sig = Base64UrlEncode(HmacSha256(key, signing_input));
  return signing_input + "." + sig;
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
  std::string expected = Base64UrlEncode(HmacSha256(key, token.substr(0, b)));
  if (!ConstantTimeEquals(token.substr(b + 1), expected))
    return Status::Unauthenticated("the JWT signature does not verify");
  return ParsePart(token.substr(a + 1, b - a - 1), "the JWT payload");
}

}  // namespace atg::sim
