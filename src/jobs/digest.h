// Streaming SHA-256 for archives and artifacts (OpenSSL EVP underneath).
//
// Thread-safety: a Sha256 is used by one thread at a time; the free functions are reentrant.
#ifndef ATG_JOBS_DIGEST_H_
#define ATG_JOBS_DIGEST_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atg::jobs {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t size);
  void Update(std::string_view data) { Update(data.data(), data.size()); }
  // The digest of everything added; the object must not be used afterwards. kInternal when
  // OpenSSL failed (common/sha256.h).
  Result<std::array<uint8_t, 32>> Final();
  Result<std::string> HexFinal();  // 64 lower-case hex digits

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower-case hex of `bytes`.
std::string ToHex(const uint8_t* bytes, size_t size);
// "a1b2..." (64 hex) -> the 32 bytes; kInvalidArgument when not 64 hex digits.
Result<std::array<uint8_t, 32>> FromHex32(std::string_view hex);

// SHA-256 of a file's content, read in blocks; kIoError naming the file when it cannot be read.
Result<std::string> Sha256FileHex(const std::string& path);

}  // namespace atg::jobs

#endif  // ATG_JOBS_DIGEST_H_
