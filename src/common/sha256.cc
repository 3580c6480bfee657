#include "common/sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace atg {

namespace {

// OpenSSL's reason for the last failure on this thread, for the message.
std::string OpenSslError(std::string_view what) {
  std::string reason;
  unsigned long e = ERR_get_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    reason = std::string(": ") + buf;
  }
  ERR_clear_error();
  return "OpenSSL could not " + std::string(what) + reason;
}

}  // namespace

struct Sha256Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
  Status error;  // the first failure; Update and Finish do nothing after it
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  if (impl_->ctx == nullptr || EVP_DigestInit_ex(impl_->ctx, EVP_sha256(), nullptr) != 1) {
    impl_->error = Status::Internal(OpenSslError("initialise SHA-256"));
  }
}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(std::string_view data) {
  if (!impl_->error.ok()) return;
  if (EVP_DigestUpdate(impl_->ctx, data.data(), data.size()) != 1) {
    impl_->error = Status::Internal(OpenSslError("hash with SHA-256"));
  }
}

Result<std::string> Sha256Hasher::Finish() {
  if (!impl_->error.ok()) return impl_->error;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, out, &n) != 1) {
    impl_->error = Status::Internal(OpenSslError("finish a SHA-256 digest"));
    return impl_->error;
  }
  return std::string(reinterpret_cast<const char*>(out), n);
}

Result<std::string> Sha256(std::string_view data) {
  Sha256Hasher h;
  h.Update(data);
  return h.Finish();
}

Result<std::string> HmacSha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // A valid pointer even for an empty key: OpenSSL treats a null key as "no key given".
  static const char kNoKey = 0;
  if (HMAC(EVP_sha256(), key.empty() ? &kNoKey : key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &len) == nullptr) {
    return Status::Internal(OpenSslError("compute HMAC-SHA256"));
  }
  return std::string(reinterpret_cast<const char*>(mac), len);
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

}  // namespace atg
