// Where the ATG service is and how to talk to it (DESIGN.md §3.2, client side): ATG_SERVICE_URL,
// ATG_API_KEY, ATG_REQUEST_TIMEOUT (seconds, 300), ATG_JOB_POLL_INTERVAL (seconds, 5),
// ATG_FALLBACK_TO_LOCAL (false) and ATG_REMOTE_MODE (false: only `--remote` sends work to the
// service; true: every command that can run remotely does).
//
// Thread-safety: a value.
#ifndef ATG_CLIENT_REMOTE_SETTINGS_H_
#define ATG_CLIENT_REMOTE_SETTINGS_H_

#include <chrono>
#include <string>

#include "common/config.h"
#include "common/status.h"

namespace atg::client {

struct RemoteSettings {
  std::string service_url;  // "http[s]://host[:port]" without a trailing '/'
  std::string api_key;      // registered with the log redactor by Load
  std::chrono::milliseconds request_timeout{300'000};
  std::chrono::milliseconds poll_interval{5'000};
  bool fallback_to_local = false;
  bool remote_mode = false;

  // Reads and validates the variables. Errors (kInvalidArgument) name the variable and say how
  // to fix it; the key's value never appears in them.
  static Result<RemoteSettings> Load(const Settings& settings);
};

// Whether a command runs on the service: `--remote` or ATG_REMOTE_MODE=true.
bool WantsRemote(const Settings& settings, bool remote_flag);

}  // namespace atg::client

#endif  // ATG_CLIENT_REMOTE_SETTINGS_H_
