#include "common/random.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

#include "common/sha256.h"

namespace atg {

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::fputs("fatal: OpenSSL's random generator failed; no unguessable id can be made\n", stderr);
    std::abort();
  }
  return out;
}

std::string RandomHex(size_t n) { return HexEncode(RandomBytes(n)); }

}  // namespace atg
