#include "sim/faults.h"

#include <cmath>
#include <string>

namespace atg::sim {

namespace {

uint64_t Mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Fault DecideFault(uint64_t seed, uint64_t n, double rate) {
  Fault f;
  if (rate <= 0) return f;
  uint64_t h = Mix(seed ^ Mix(n));
  // The top 53 bits as a uniform double in [0, 1).
  double u = static_cast<double>(h >> 11) * 0x1.0p-53;
  if (u >= rate) return f;
  uint64_t pick = Mix(h);
  switch (pick % 3) {
    case 0:
      f.kind = FaultKind::kInternalError;
      break;
    case 1:
      f.kind = FaultKind::kServiceUnavailable;
      // Half of the 503s say when to come back, as Azure's gateways do only sometimes.
      f.retry_after_seconds = (pick >> 8) % 2 == 0 ? 1 + static_cast<int>((pick >> 16) % 3) : 0;
      break;
    default:
      f.kind = FaultKind::kDropConnection;
  }
  return f;
}

Fault FaultInjector::Next() {
  if (rate_ <= 0) return {};
  return DecideFault(seed_, counter_.fetch_add(1, std::memory_order_relaxed), rate_);
}

std::optional<net::HttpResponse> FaultInjector::Respond(const Fault& fault, ApiSurface surface) {
  switch (fault.kind) {
    case FaultKind::kNone:
      return std::nullopt;
    case FaultKind::kDropConnection: {
      net::HttpResponse r;
      r.status = 500;
      r.drop_connection = true;
      return r;
    }
    case FaultKind::kInternalError: {
      std::string code = surface == ApiSurface::kGraph ? "generalException" : "InternalServerError";
      std::string message =
          "Encountered internal server error. Diagnostic information: timestamp '" +
          UtcTimestamp() + "', tracking id '" + NewUuid() + "'.";
      return SurfaceError(surface, 500, code, message);
    }
    case FaultKind::kServiceUnavailable: {
      std::string code =
          surface == ApiSurface::kGraph ? "serviceNotAvailable" : "ServiceUnavailable";
      auto r = SurfaceError(surface, 503, code,
                            "The service is temporarily unavailable. Please retry the request.");
      if (fault.retry_after_seconds > 0)
        r.SetHeader("Retry-After", std::to_string(fault.retry_after_seconds));
      return r;
    }
  }
  return std::nullopt;
}

Status ValidateFaultRate(double rate) {
  if (!(rate >= 0 && rate <= 1)) {  // also rejects NaN
    return Status::InvalidArgument("--fault-rate must be a number between 0 and 1, not " +
                                   std::to_string(rate));
  }
  return Status::Ok();
}

}  // namespace atg::sim
