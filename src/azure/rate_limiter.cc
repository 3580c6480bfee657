#include "azure/rate_limiter.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/strings.h"

namespace atg::azure {

namespace {

std::optional<double> ParseNumber(std::string_view s) {
  s = Trim(s);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Duration Seconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::optional<Duration> ParseTimeSpan(std::string_view text) {
  std::vector<std::string> parts = Split(Trim(text), ':');
  if (parts.size() != 3) return std::nullopt;
  double days = 0;
  std::string hours = parts[0];
  if (size_t dot = hours.find('.'); dot != std::string::npos) {
    auto d = ParseNumber(std::string_view(hours).substr(0, dot));
    if (!d) return std::nullopt;
    days = *d;
    hours = hours.substr(dot + 1);
  }
  auto h = ParseNumber(hours);
  auto m = ParseNumber(parts[1]);
  auto s = ParseNumber(parts[2]);
  if (!h || !m || !s || *h < 0 || *m < 0 || *s < 0 || days < 0) return std::nullopt;
  return Seconds(days * 86400 + *h * 3600 + *m * 60 + *s);
}

void RateLimiter::Bucket::Refill(TimePoint now) {
  if (now < resume_at) {
    last = now;
    return;
  }
  if (resume_at > last) {
    if (full_on_resume) tokens = std::min(config.capacity, tokens + config.capacity);
    full_on_resume = false;
    last = resume_at;
  }
  double elapsed = std::chrono::duration<double>(now - last).count();
  tokens = std::min(config.capacity, tokens + elapsed * config.refill_per_second);
  last = now;
}

Duration RateLimiter::Bucket::WaitTime(TimePoint now) const {
  // Tokens remain in the server's window: go now. The pause only holds back callers that
  // found the bucket empty (otherwise every query would wait out each reported window).
  if (tokens >= 0) return Duration::zero();
  Duration pause = resume_at > now ? resume_at - now : Duration::zero();
  double deficit = -tokens;
  if (pause > Duration::zero() && full_on_resume) deficit -= config.capacity;
  if (deficit <= 0) return pause;
  return pause + Seconds(deficit / config.refill_per_second);
}

RateLimiter::RateLimiter(Clock* clock, RateLimitOptions options)
    : clock_(clock), options_(options) {}

RateLimiter::Bucket* RateLimiter::BucketFor(const RateScope& scope, TimePoint now) {
  if (!options_.enabled) return nullptr;
  const BucketConfig* config = nullptr;
  switch (scope.kind) {
    case ApiKind::kArm:
      config = scope.write ? &options_.arm_writes : &options_.arm_reads;
      break;
    case ApiKind::kResourceGraph:
      config = &options_.resource_graph;
      break;
    case ApiKind::kGraph:
      config = &options_.graph;
      break;
    default:
      return nullptr;
  }
  std::string key =
      std::string(ApiKindName(scope.kind)) + (scope.write ? "|w|" : "|r|") + ToLower(scope.key);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    Bucket b;
    b.config = *config;
    b.tokens = config->capacity;
    b.last = now;
    b.resume_at = now;
    it = buckets_.emplace(std::move(key), b).first;
  }
  it->second.Refill(now);
  return &it->second;
}

Result<Duration> RateLimiter::Acquire(const RateScope& scope, double cost, std::stop_token stop) {
  Duration wait{0};
  {
    std::lock_guard lock(mu_);
    Bucket* b = BucketFor(scope, clock_->Now());
    if (b == nullptr) return Duration::zero();
    cost = std::clamp(cost, 0.0, b->config.capacity);
    b->tokens -= cost;
    wait = b->WaitTime(clock_->Now());
  }
  if (wait > Duration::zero() && !clock_->SleepFor(wait, stop)) {
    std::lock_guard lock(mu_);
    if (Bucket* b = BucketFor(scope, clock_->Now())) {
      b->tokens = std::min(b->config.capacity, b->tokens + cost);
    }
    return Status::Cancelled("stopped while waiting for the " +
                             std::string(ApiKindName(scope.kind)) + " rate limit of scope " +
                             scope.key);
  }
  return wait;
}

void RateLimiter::Observe(const RateScope& scope, const HttpHeaders& headers, double charged) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_->Now();
  Bucket* b = BucketFor(scope, now);
  if (b == nullptr) return;
  auto lower_to = [&](double remaining) { b->tokens = std::min(b->tokens, remaining); };

  switch (scope.kind) {
    case ApiKind::kArm: {
      const char* kReads[] = {"x-ms-ratelimit-remaining-subscription-reads",
                              "x-ms-ratelimit-remaining-subscription-global-reads",
                              "x-ms-ratelimit-remaining-tenant-reads"};
      const char* kWrites[] = {"x-ms-ratelimit-remaining-subscription-writes",
                               "x-ms-ratelimit-remaining-subscription-global-writes",
                               "x-ms-ratelimit-remaining-tenant-writes"};
      for (const char* name : scope.write ? kWrites : kReads) {
        if (auto v = headers.Get(name)) {
          if (auto n = ParseNumber(*v)) lower_to(*n);
        }
      }
      break;
    }
    case ApiKind::kResourceGraph: {
      std::optional<double> remaining;
      if (auto v = headers.Get("x-ms-user-quota-remaining")) remaining = ParseNumber(*v);
      if (remaining) lower_to(*remaining);
      if (auto v = headers.Get("x-ms-user-quota-resets-after")) {
        if (auto reset = ParseTimeSpan(*v); reset && remaining) {
          // The server runs a fixed window: what remains is all there is until it resets.
          b->resume_at = std::max(b->resume_at, now + *reset);
          b->full_on_resume = true;
        }
      }
      break;
    }
    case ApiKind::kGraph: {
      if (auto v = headers.Get("x-ms-resource-unit")) {
        if (auto used = ParseNumber(*v); used && *used > charged) b->tokens -= *used - charged;
      }
      if (auto v = headers.Get("x-ms-throttle-limit-percentage")) {
        // Sent once the app has used more than 80% of its quota: keep only what is left.
        if (auto pct = ParseNumber(*v)) lower_to(b->config.capacity * (1.0 - *pct));
      }
      break;
    }
    default:
      break;
  }
}

void RateLimiter::OnThrottled(const RateScope& scope, std::optional<Duration> retry_after) {
  std::lock_guard lock(mu_);
  TimePoint now = clock_->Now();
  Bucket* b = BucketFor(scope, now);
  if (b == nullptr) return;
  b->tokens = std::min(b->tokens, 0.0);
  if (retry_after && now + *retry_after > b->resume_at) {
    b->resume_at = now + *retry_after;
    b->full_on_resume = false;
  }
}

double RateLimiter::Available(const RateScope& scope) {
  std::lock_guard lock(mu_);
  Bucket* b = BucketFor(scope, clock_->Now());
  return b == nullptr ? 0 : b->tokens;
}

}  // namespace atg::azure
