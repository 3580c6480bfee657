#include "client/remote_settings.h"

#include "common/log.h"
#include "common/strings.h"

namespace atg::client {

Result<RemoteSettings> RemoteSettings::Load(const Settings& settings) {
  RemoteSettings r;
  std::string url(Trim(settings.GetString("ATG_SERVICE_URL", "")));
  if (url.empty())
    return Status::InvalidArgument(
        "ATG_SERVICE_URL is not set: set it to the service's address, e.g. "
        "https://atg.example.com:8000");
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return Status::InvalidArgument("ATG_SERVICE_URL must start with http:// or https:// (got \"" +
                                   url + "\")");
  while (!url.empty() && url.back() == '/') url.pop_back();
  r.service_url = url;
  r.api_key = std::string(Trim(settings.GetString("ATG_API_KEY", "")));
  if (r.api_key.empty())
    return Status::InvalidArgument(
        "ATG_API_KEY is not set: ask the service's operator for an API key and set it in the "
        "environment or the .env file");
  RegisterSecret(r.api_key);
  auto timeout = settings.GetInt("ATG_REQUEST_TIMEOUT", 300, 1, 86'400);
  if (!timeout.ok()) return timeout.status();
  r.request_timeout = std::chrono::seconds(*timeout);
  auto poll = settings.GetDouble("ATG_JOB_POLL_INTERVAL", 5, 0.05, 3'600);
  if (!poll.ok()) return poll.status();
  r.poll_interval = std::chrono::milliseconds(static_cast<int64_t>(*poll * 1000));
  auto fallback = settings.GetBool("ATG_FALLBACK_TO_LOCAL", false);
  if (!fallback.ok()) return fallback.status();
  r.fallback_to_local = *fallback;
  auto mode = settings.GetBool("ATG_REMOTE_MODE", false);
  if (!mode.ok()) return mode.status();
  r.remote_mode = *mode;
  return r;
}

bool WantsRemote(const Settings& settings, bool remote_flag) {
  if (remote_flag) return true;
  auto mode = settings.GetBool("ATG_REMOTE_MODE", false);
  return mode.ok() && *mode;
}

}  // namespace atg::client
