// Failed authentication as the operator sees it. Every failure is counted; each is logged as a
// warning ("authentication failed") with the client's address, the reason, the route and the
// request id — never the presented key, not even in part. A flood of bad keys must not flood
// the log, so lines are rate-limited (a token bucket: `burst` lines at once, `per_minute` a
// minute); the failures a limit kept out of the log are reported as `suppressed` in the next
// line written.
//
// Thread-safety: Record and the counters may be called from any thread at once (one mutex,
// held for a few arithmetic operations; the log line is written outside it).
#ifndef ATG_SERVER_AUTH_FAILURE_LOG_H_
#define ATG_SERVER_AUTH_FAILURE_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>

namespace atg::server {

struct AuthFailureLogOptions {
  int burst = 20;
  int per_minute = 60;
  // Receives each written line's fields instead of the service log (tests). Empty: the log.
  std::function<void(std::string_view client_ip, std::string_view reason, std::string_view route,
                     std::string_view request_id, uint64_t suppressed)>
      sink;
};

class AuthFailureLog {
 public:
  using Clock = std::chrono::steady_clock;
  explicit AuthFailureLog(AuthFailureLogOptions options = {});

  // One failed authentication. `reason`: "missing_key" or "invalid_key".
  void Record(std::string_view client_ip, std::string_view reason, std::string_view route,
              std::string_view request_id, Clock::time_point now = Clock::now());

  uint64_t total() const;
  uint64_t suppressed_total() const;

 private:
  const AuthFailureLogOptions options_;
  mutable std::mutex mu_;
  double tokens_;                    // guarded by mu_
  Clock::time_point last_;           // guarded by mu_
  uint64_t total_ = 0;               // guarded by mu_
  uint64_t pending_suppressed_ = 0;  // guarded by mu_: not yet reported in a line
  uint64_t suppressed_total_ = 0;    // guarded by mu_
};

}  // namespace atg::server

#endif  // ATG_SERVER_AUTH_FAILURE_LOG_H_
