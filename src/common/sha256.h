// SHA-256 digests (OpenSSL), one-shot or incremental, as raw bytes, lower-case hex or base64.
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

std::string Sha256(std::string_view data);         // 32 raw bytes
std::string HexEncode(std::string_view bytes);     // lower-case
std::string Base64Encode(std::string_view bytes);  // standard alphabet, padded
// nullopt when `text` is not padded standard base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace atg

#endif  // ATG_COMMON_SHA256_H_
