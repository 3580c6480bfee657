// SHA-256 digests and HMAC-SHA256 (OpenSSL), one-shot or incremental, as raw bytes, and the hex
// encoding they are usually shown in (base64 is common/base64.h).
//
// Thread-safety: Sha256Hasher is a value used by one thread at a time; the functions are
// reentrant.
#ifndef ATG_COMMON_SHA256_H_
#define ATG_COMMON_SHA256_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace atg {

class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;

  void Update(std::string_view data);
  // The 32-byte digest of everything passed to Update. Call once.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256(std::string_view data);  // 32 raw bytes
// The raw 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);

std::string HexEncode(std::string_view bytes);  // lower-case
// The bytes of an even number of hex digits (either case); nullopt for anything else.
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace atg

#endif  // ATG_COMMON_SHA256_H_
