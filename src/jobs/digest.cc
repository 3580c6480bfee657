#include "jobs/digest.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/sha256.h"

namespace atg::jobs {

// The hashing and the encodings are common/sha256.h's; this adapts them to the byte-array
// form the archive and artifact code works with.
struct Sha256::Impl {
  Sha256Hasher hasher;
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}

Sha256::~Sha256() = default;

void Sha256::Update(const void* data, size_t size) {
  if (size) impl_->hasher.Update(std::string_view(static_cast<const char*>(data), size));
}

Result<std::array<uint8_t, 32>> Sha256::Final() {
  auto digest = impl_->hasher.Finish();
  if (!digest.ok()) return digest.status();
  std::array<uint8_t, 32> out{};
  std::memcpy(out.data(), digest->data(), std::min(digest->size(), out.size()));
  return out;
}

Result<std::string> Sha256::HexFinal() {
  auto d = Final();
  if (!d.ok()) return d.status();
  return ToHex(d->data(), d->size());
}

std::string ToHex(const uint8_t* bytes, size_t size) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), size));
}

Result<std::array<uint8_t, 32>> FromHex32(std::string_view hex) {
  if (hex.size() != 64) return Status::InvalidArgument("a SHA-256 digest has 64 hex digits");
  auto bytes = HexDecode(hex);
  if (!bytes) return Status::InvalidArgument("a SHA-256 digest is hex digits only");
  std::array<uint8_t, 32> out{};
  std::memcpy(out.data(), bytes->data(), out.size());
  return out;
}

Result<std::string> Sha256FileHex(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  Sha256 h;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) h.Update(buf, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) return Status::IoError("reading " + path + " failed");
  return h.HexFinal();
}

}  // namespace atg::jobs
