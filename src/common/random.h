// Unguessable random values (ids, keys, nonces) from OpenSSL's CSPRNG.
//
// Without a working CSPRNG no id can be unguessable, and handing out predictable ones would be
// a silent security failure; so a generator failure aborts the process, like running out of
// memory does. (OpenSSL seeds from the OS and fails only when the system has no entropy source.)
//
// Thread-safety: thread-safe.
#ifndef ATG_COMMON_RANDOM_H_
#define ATG_COMMON_RANDOM_H_

#include <cstddef>
#include <string>

namespace atg {

// `n` random bytes.
std::string RandomBytes(size_t n);

// 2 * `n` lower-case hex digits encoding `n` random bytes: "job_" + RandomHex(16).
std::string RandomHex(size_t n);

}  // namespace atg

#endif  // ATG_COMMON_RANDOM_H_
