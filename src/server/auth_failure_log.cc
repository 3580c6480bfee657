#include "server/auth_failure_log.h"

#include <algorithm>
#include <string>

#include "common/log.h"

namespace atg::server {

AuthFailureLog::AuthFailureLog(AuthFailureLogOptions options)
    : options_(std::move(options)), tokens_(std::max(1, options_.burst)), last_(Clock::now()) {}

void AuthFailureLog::Record(std::string_view client_ip, std::string_view reason,
                            std::string_view route, std::string_view request_id,
                            Clock::time_point now) {
  uint64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++total_;
    const double refill =
        std::chrono::duration<double>(now - last_).count() * options_.per_minute / 60.0;
    if (now > last_) last_ = now;
    tokens_ = std::min<double>(std::max(1, options_.burst), tokens_ + std::max(0.0, refill));
    if (tokens_ < 1) {
      ++pending_suppressed_;
      ++suppressed_total_;
      return;
    }
    tokens_ -= 1;
    suppressed = pending_suppressed_;
    pending_suppressed_ = 0;
  }
  if (options_.sink) {
    options_.sink(client_ip, reason, route, request_id, suppressed);
    return;
  }
  Log(LogLevel::kWarning, "authentication failed",
      {{"client_ip", std::string(client_ip)},
       {"reason", std::string(reason)},
       {"route", std::string(route)},
       {"request_id", std::string(request_id)},
       {"suppressed", std::to_string(suppressed)}});
}

uint64_t AuthFailureLog::total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return total_;
}

uint64_t AuthFailureLog::suppressed_total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return suppressed_total_;
}

}  // namespace atg::server
