#include "azure/token_cache.h"

#include "common/log.h"

namespace atg::azure {

TokenCache::TokenCache(Clock* clock, Duration refresh_margin)
    : clock_(clock), refresh_margin_(refresh_margin) {}

Result<AccessToken> TokenCache::Get(const std::string& scope, const Fetch& fetch) {
  std::lock_guard lock(mu_);
  WallTime now = clock_->WallNow();
  auto it = tokens_.find(scope);
  if (it != tokens_.end() && now + refresh_margin_ < it->second.expires_on) return it->second;
  auto fresh = fetch(scope);
  if (!fresh.ok()) {
    if (it != tokens_.end() && now < it->second.expires_on) {
      LogWarning("refreshing the token for {} failed; using the cached token until it expires: {}",
                 scope, RedactSecrets(fresh.status().message()));
      return it->second;
    }
    return fresh.status();
  }
  RegisterSecret(fresh->token);
  tokens_[scope] = *fresh;
  return fresh;
}

void TokenCache::Clear() {
  std::lock_guard lock(mu_);
  tokens_.clear();
}

}  // namespace atg::azure
