// The generator's random source: SplitMix64, chosen because its output is fully specified (so
// a seed gives the same tenant with any compiler and standard library) and it is fast enough
// to draw millions of values per second. Also derives GUIDs and timestamps from it.
//
// Thread-safety: a Rng is a value; use one per thread.
#ifndef ATG_SIM_GENERATOR_RNG_H_
#define ATG_SIM_GENERATOR_RNG_H_

#include <cstdint>
#include <string>

namespace atg::sim {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n must be > 0. Lemire's multiply-shift (bias < 2^-64 * n, irrelevant).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // True with probability `percent` / 100.
  bool Percent(int percent) { return Below(100) < static_cast<uint64_t>(percent); }

  // A random (version 4 layout) GUID in lower case.
  std::string Guid();
  // A timestamp between 2021-01-01 and 2024-12-31 in ARM's form, e.g.
  // "2023-04-05T12:34:56.1234567Z".
  std::string Timestamp();

 private:
  uint64_t state_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_GENERATOR_RNG_H_
