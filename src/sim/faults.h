// Simulated failures (`--fault-rate F`) and latency (`--latency-ms MS`).
//
// With probability F a request fails as Azure's front ends fail: 500 InternalServerError, 503
// ServiceUnavailable (with Retry-After on some), or a connection closed without a response.
// Which requests fail is a pure function of (seed, request number), so a run with the same seed
// and the same request order fails the same way. Every endpoint is subject to faults, the token
// endpoints included, at the same rate.
//
// Thread-safety: Next() may be called from any thread (an atomic counter numbers requests).
#ifndef ATG_SIM_FAULTS_H_
#define ATG_SIM_FAULTS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "common/status.h"
#include "net/http_message.h"
#include "sim/error_shapes.h"

namespace atg::sim {

enum class FaultKind { kNone, kInternalError, kServiceUnavailable, kDropConnection };

struct Fault {
  FaultKind kind = FaultKind::kNone;
  // For kServiceUnavailable: Retry-After seconds, 0 meaning the header is left out.
  int retry_after_seconds = 0;
};

// The fault for request number `n` under `seed` at `rate` (0..1).
Fault DecideFault(uint64_t seed, uint64_t n, double rate);

class FaultInjector {
 public:
  // `rate` must lie in [0, 1] (see ValidateFaultRate).
  FaultInjector(double rate, uint64_t seed) : rate_(rate), seed_(seed) {}

  double rate() const { return rate_; }

  // The fault for the next request (kNone for most).
  Fault Next();

  // The response for `fault` in the shape of `surface`; nullopt for kNone.
  static std::optional<net::HttpResponse> Respond(const Fault& fault, ApiSurface surface);

 private:
  double rate_;
  uint64_t seed_;
  std::atomic<uint64_t> counter_{0};
};

// OK when 0 <= rate <= 1; otherwise an InvalidArgument naming --fault-rate.
Status ValidateFaultRate(double rate);

}  // namespace atg::sim

#endif  // ATG_SIM_FAULTS_H_
