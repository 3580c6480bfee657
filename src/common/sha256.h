// SHA-256 digests and HMAC-SHA256 (OpenSSL), one-shot or incremental, as raw bytes, and the hex
// encoding they are usually shown in (base64 is common/base64.h).
//
// Errors: nothing here throws. OpenSSL can refuse a digest (no memory, a provider configuration
// without SHA-256); that comes back as kInternal from Finish, Sha256 or HmacSha256, naming
// OpenSSL's reason, and the caller decides (a digest is never made up).
//
// Thread-safety: Sha256Hasher is a value used by one thread at a time; the functions are
// reentrant.
#ifndef ATG_COMMON_SHA256_H_
#define ATG_COMMON_SHA256_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atg {

class Sha256Hasher {
 public:
  // Never fails here: an OpenSSL failure is kept and reported by Finish.
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;

  // Adds `data`; after a failure (here or at construction) it does nothing.
  void Update(std::string_view data);
  // The 32-byte digest of everything passed to Update, or the first failure (kInternal). Call
  // once.
  Result<std::string> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The 32 raw bytes of the SHA-256 of `data`; kInternal when OpenSSL fails.
Result<std::string> Sha256(std::string_view data);
// The raw 32-byte HMAC-SHA256 of `data` under `key` (any key length); kInternal when OpenSSL
// fails.
Result<std::string> HmacSha256(std::string_view key, std::string_view data);

std::string HexEncode(std::string_view bytes);  // lower-case
// The bytes of an even number of hex digits (either case); nullopt for anything else.
std::optional<std::string> HexDecode(std::string_view hex);

}  // namespace atg

#endif  // ATG_COMMON_SHA256_H_
