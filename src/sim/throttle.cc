#include "sim/throttle.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "common/graph_cost.h"
#include "common/json.h"
#include "common/strings.h"

namespace atg::sim {

namespace {

constexpr size_t kShards = 16;

std::string ToUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

struct Bucket {
  double tokens = 0;
  std::chrono::steady_clock::time_point last;
};

struct Window {
  std::chrono::steady_clock::time_point start;
  int used = 0;
};

std::chrono::seconds CeilSeconds(std::chrono::duration<double> d) {
  auto s = static_cast<int64_t>(std::ceil(d.count()));
  return std::chrono::seconds(s < 1 ? 1 : s);
}

uint64_t Mix(uint64_t x) {  // splitmix64: a cheap, well-spread hash of a counter
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

struct Throttle::Shard {
  std::mutex mu;
  std::unordered_map<std::string, Bucket> buckets;
  std::unordered_map<std::string, Window> windows;
};

Result<ThrottleMode> ParseThrottleMode(std::string_view text) {
  if (EqualsIgnoreCase(text, "realistic")) return ThrottleMode::kRealistic;
  if (EqualsIgnoreCase(text, "off")) return ThrottleMode::kOff;
  return Status::InvalidArgument("--throttle must be 'realistic' or 'off', not '" +
                                 std::string(text) + "'");
}

std::string FormatHms(std::chrono::seconds s) {
  int64_t t = s.count() < 0 ? 0 : s.count();
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", static_cast<long long>(t / 3600),
                static_cast<long long>(t / 60 % 60), static_cast<long long>(t % 60));
  return buf;
}

Throttle::Throttle(ThrottleMode mode, ThrottleLimits limits, Clock* clock)
    : mode_(mode), limits_(limits), clock_(clock), shards_(std::make_unique<Shard[]>(kShards)) {}

Throttle::~Throttle() = default;

std::chrono::steady_clock::time_point Throttle::Now() const { return clock_->Now(); }

Throttle::Shard& Throttle::ShardFor(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

double Throttle::TakeFromBucket(const std::string& key, double capacity, double refill_per_second,
                                double cost, std::chrono::duration<double>* wait) {
  auto now = Now();
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto [it, inserted] = shard.buckets.try_emplace(key);
  Bucket& b = it->second;
  if (inserted) {
    b.tokens = capacity;
    b.last = now;
  } else if (now > b.last) {
    double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(capacity, b.tokens + elapsed * refill_per_second);
    b.last = now;
  }
  if (b.tokens >= cost) {
    b.tokens -= cost;
    *wait = std::chrono::duration<double>(0);
    return b.tokens;
  }
  *wait = std::chrono::duration<double>((cost - b.tokens) / refill_per_second);
  return b.tokens - cost;
}

ThrottleDecision Throttle::Arm(std::string_view method, std::string_view subscription,
                               std::string_view principal) {
  ThrottleDecision d;
  std::string_view kind = "reads";
  double capacity = limits_.arm_read_capacity;
  double refill = limits_.arm_read_refill_per_second;
  if (method == "DELETE") {
    kind = "deletes";
    capacity = limits_.arm_delete_capacity;
    refill = limits_.arm_delete_refill_per_second;
  } else if (method != "GET" && method != "HEAD") {
    kind = "writes";
    capacity = limits_.arm_write_capacity;
    refill = limits_.arm_write_refill_per_second;
  }
  std::string header = "x-ms-ratelimit-remaining-" +
                       std::string(subscription.empty() ? "tenant-" : "subscription-") +
                       std::string(kind);
  if (mode_ == ThrottleMode::kOff) {
    d.headers.emplace_back(std::move(header), std::to_string(static_cast<int>(capacity) - 1));
    return d;
  }
  std::string key =
      "arm|" + std::string(kind) + "|" + ToLower(subscription) + "|" + std::string(principal);
  std::chrono::duration<double> wait;
  double left = TakeFromBucket(key, capacity, refill, 1, &wait);
  if (left < 0) {
    d.allowed = false;
    d.retry_after = CeilSeconds(wait);
    left = 0;
  }
  d.headers.emplace_back(std::move(header), std::to_string(static_cast<int>(left)));
  return d;
}

ThrottleDecision Throttle::ResourceGraph(std::string_view principal) {
  ThrottleDecision d;
  int quota = limits_.resource_graph_quota;
  if (mode_ == ThrottleMode::kOff) {
    d.headers.emplace_back("x-ms-user-quota-remaining", std::to_string(quota - 1));
    d.headers.emplace_back("x-ms-user-quota-resets-after",
                           FormatHms(limits_.resource_graph_window));
    return d;
  }
  std::string key = "arg|" + std::string(principal);
  auto now = Now();
  int remaining = 0;
  std::chrono::duration<double> resets;
  {
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto [it, inserted] = shard.windows.try_emplace(key);
    Window& w = it->second;
    if (inserted || now >= w.start + limits_.resource_graph_window) {
      w.start = now;
      w.used = 0;
    }
    resets = w.start + limits_.resource_graph_window - now;
    if (w.used < quota) {
      ++w.used;
      remaining = quota - w.used;
    } else {
      d.allowed = false;
    }
  }
  std::chrono::seconds resets_s = CeilSeconds(resets);
  if (!d.allowed) d.retry_after = resets_s;
  d.headers.emplace_back("x-ms-user-quota-remaining", std::to_string(remaining));
  d.headers.emplace_back("x-ms-user-quota-resets-after", FormatHms(resets_s));
  return d;
}

ThrottleDecision Throttle::Graph(std::string_view tenant, std::string_view app, int cost) {
  ThrottleDecision d;
  d.headers.emplace_back("x-ms-resource-unit", std::to_string(cost));
  if (mode_ == ThrottleMode::kOff) return d;
  std::string key = "graph|" + ToLower(tenant) + "|" + ToLower(app);
  std::chrono::duration<double> wait;
  double left = TakeFromBucket(key, limits_.graph_resource_units, limits_.graph_refill_per_second,
                               cost, &wait);
  double used = (limits_.graph_resource_units - std::max(left, 0.0)) / limits_.graph_resource_units;
  if (used > 0.8) {
    char pct[16];
    std::snprintf(pct, sizeof(pct), "%.1f", std::min(used, 1.8));
    d.headers.emplace_back("x-ms-throttle-limit-percentage", pct);
  }
  if (left < 0) {
    d.allowed = false;
    d.retry_after = CeilSeconds(wait);
    uint64_t n = graph_throttled_.fetch_add(1, std::memory_order_relaxed);
    int one_in = limits_.graph_no_retry_after_one_in;
    d.send_retry_after = one_in <= 0 || Mix(n) % static_cast<uint64_t>(one_in) != 0;
    d.headers.emplace_back("x-ms-throttle-scope", "Tenant_Application/ReadWrite/" +
                                                      std::string(app) + "/" + std::string(tenant));
    d.headers.emplace_back("x-ms-throttle-information", "ResourceUnitLimitExceeded");
  }
  return d;
}

net::HttpResponse Throttle::TooManyRequests(ApiSurface surface, const ThrottleDecision& decision,
                                            std::string_view subscription,
                                            std::string_view principal) {
  std::string secs = std::to_string(decision.retry_after.count());
  net::HttpResponse r;
  switch (surface) {
    case ApiSurface::kGraph:
      r = GraphError(429, "TooManyRequests",
                     "Too many requests. The application has exceeded its resource unit "
                     "quota for this tenant; retry later.");
      break;
    case ApiSurface::kResourceGraph: {
      json::object err{
          {"code", "RateLimiting"},
          {"message", "Please provide below info when asking for support: timestamp = " +
                          UtcTimestamp() + ", correlationId = " + NewUuid() +
                          ". Rate limit exceeded. Please wait and retry after " +
                          FormatHms(decision.retry_after) + "."},
          {"details",
           json::array{json::object{
               {"code", "RateLimiting"},
               {"message",
                "Client application has been throttled and should not attempt to repeat the "
                "request until an amount of time has elapsed. Please see "
                "https://aka.ms/resourcegraph-throttling for help."}}}}};
      r = net::HttpResponse::Json(429, json::object{{"error", std::move(err)}});
      break;
    }
    default:
      if (subscription.empty()) {
        r = ArmError(429, "TooManyRequests",
                     "The request is being throttled as the limit has been reached for operation "
                     "type - Read_ObservationWindow_00:00:10. Please try again after '" +
                         secs + "' seconds.");
      } else {
        r = ArmError(429, "SubscriptionRequestsThrottled",
                     "Number of requests for subscription '" + std::string(subscription) +
                         "' and operation principal '" + std::string(principal) +
                         "' exceeded the backend storage limit. Please try again after '" + secs +
                         "' seconds.");
      }
  }
  for (const auto& [k, v] : decision.headers) r.SetHeader(k, v);
  if (decision.send_retry_after) r.SetHeader("Retry-After", secs);
  return r;
}

int GraphRequestCost(const net::HttpRequest& request) {
  auto segments = Split(request.path, '/', /*skip_empty=*/true);
  // A JSON batch costs what its requests cost, each evaluated on its own, as Graph does.
  if (request.method == "POST" && segments.size() == 2 && segments[1] == "$batch") {
    auto doc = ParseJson(request.body);
    const json::array* inner =
        doc.ok() && doc->is_object() ? FindArray(&doc->as_object(), "requests") : nullptr;
    if (!inner || inner->empty()) return 1;
    int total = 0;
    for (const auto& item : *inner) {
      const json::object* o = item.if_object();
      net::HttpRequest sub;
      sub.method = ToUpper(FindString(o, "method").value_or("GET"));
      std::string url(FindString(o, "url").value_or(""));
      sub.target = "/" + segments[0] + (url.starts_with("/") ? "" : "/") + url;
      sub.ParseTarget();
      total += GraphRequestCost(sub);
    }
    return total;
  }
  return ::atg::GraphRequestCost(request.method, request.target);
}

}  // namespace atg::sim
