// TokenCache: the per-scope token cache every credential shares, so that caching, refresh and
// the fall-back to a still-valid token behave the same whatever the token's source.
//
// Get(scope, fetch) returns the cached token while it has more than `refresh_margin` left;
// otherwise it calls `fetch` and caches the answer. When a refresh fails while the cached token
// is still valid, the cached token is returned (and the failure logged) so that a brief identity
// outage does not stop a scan. Every token cached is registered with RegisterSecret.
//
// Thread-safety: Get may be called concurrently. One fetch runs at a time: callers that need a
// fresh token wait for the fetch in progress rather than each sending their own request.
#ifndef ATG_AZURE_TOKEN_CACHE_H_
#define ATG_AZURE_TOKEN_CACHE_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "azure/credential.h"
#include "common/clock.h"
#include "common/status.h"

namespace atg::azure {

class TokenCache {
 public:
  using Fetch = std::function<Result<AccessToken>(const std::string& scope)>;

  // `clock` must outlive the cache.
  explicit TokenCache(Clock* clock, Duration refresh_margin = std::chrono::minutes(5));

  Result<AccessToken> Get(const std::string& scope, const Fetch& fetch);

  // Forgets every cached token.
  void Clear();

  Duration refresh_margin() const { return refresh_margin_; }

 private:
  Clock* clock_;
  Duration refresh_margin_;
  std::mutex mu_;  // held across a fetch
  std::map<std::string, AccessToken> tokens_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_TOKEN_CACHE_H_
