#include "azure/http_client.h"

#include <algorithm>

#include "azure/azure_error.h"
#include "common/graph_cost.h"
#include "common/log.h"

namespace atg::azure {

AzureHttpClient::AzureHttpClient(std::shared_ptr<HttpTransport> transport,
                                 std::shared_ptr<TokenCredential> credential,
                                 AzureEndpoints endpoints, AzureClientOptions options, Clock* clock)
    : transport_(std::move(transport)),
      credential_(std::move(credential)),
      endpoints_(std::move(endpoints)),
      options_(std::move(options)),
      clock_(clock),
      retry_(options_.retry),
      limiter_(clock, options_.rate_limits) {
  options_.max_concurrency = std::max(1, options_.max_concurrency);
}

bool AzureHttpClient::AcquireSlot(std::stop_token stop) {
  std::unique_lock lock(slots_mu_);
  bool ok = slots_cv_.wait(lock, stop, [&] { return in_flight_ < options_.max_concurrency; });
  if (!ok) return false;
  ++in_flight_;
  return true;
}

void AzureHttpClient::ReleaseSlot() {
  {
    std::lock_guard lock(slots_mu_);
    --in_flight_;
  }
  slots_cv_.notify_one();
}

RateScope AzureHttpClient::ScopeOf(ApiKind kind, const AzureRequest& request) const {
  RateScope scope;
  scope.kind = kind;
  switch (kind) {
    case ApiKind::kArm: {
      scope.key = SubscriptionOf(request.url);
      if (scope.key.empty()) scope.key = "tenant";
      scope.write = request.method != "GET" && request.method != "HEAD";
      break;
    }
    case ApiKind::kResourceGraph:
      scope.key = options_.principal_id;
      break;
    case ApiKind::kGraph:
      scope.key = options_.tenant_id;
      break;
    default:
      break;
  }
  return scope;
}

Result<AzureResponse> AzureHttpClient::Send(const AzureRequest& request, std::stop_token stop) {
  const ApiKind kind = request.kind.value_or(endpoints_.Classify(request.url));
  const RateScope scope = ScopeOf(kind, request);
  const double cost = kind == ApiKind::kGraph ? GraphRequestCost(request.method, request.url) : 1.0;
  const std::string what = request.method + " " + RedactUrl(request.url);
  auto cancelled = [&](std::string_view when) {
    return Status::Cancelled(what + " was cancelled " + std::string(when) + ".");
  };

  HttpClientRequest wire;
  wire.method = request.method;
  wire.url = request.url;
  wire.headers = request.headers;
  wire.body = request.body;
  wire.timeout = request.timeout;
  if (!wire.headers.Has("Accept")) wire.headers.Set("Accept", "application/json");

  const std::string token_scope = request.authenticate ? endpoints_.ScopeFor(kind) : "";
  Duration throttle_wait{0};

  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) return cancelled("before it was sent");

    auto waited = limiter_.Acquire(scope, cost, stop);
    if (!waited.ok()) return cancelled("while waiting for the rate limit");
    throttle_wait += *waited;
    metrics_.AddThrottleWait(*waited);

    if (!token_scope.empty()) {
      if (credential_ == nullptr) {
        return Status::FailedPrecondition(what +
                                          " needs a bearer token but the client has no "
                                          "credential. Configure Azure credentials.");
      }
      auto token = credential_->GetToken(token_scope);
      if (!token.ok()) {
        return token.status().WithContext("getting a token for " + what);
      }
      wire.headers.Set("Authorization", "Bearer " + token->token);
    }

    if (!AcquireSlot(stop)) return cancelled("while waiting for a free connection slot");
    Result<HttpClientResponse> result = transport_->Send(wire);
    ReleaseSlot();

    const HttpClientResponse* response = result.ok() ? &*result : nullptr;
    metrics_.RecordAttempt(kind, response ? response->status : 0, wire.body.size(),
                           response ? response->body.size() : 0);
    if (response != nullptr) {
      limiter_.Observe(scope, response->headers, cost);
      if (response->status < 400) {
        AzureResponse out;
        out.status = response->status;
        out.headers = std::move(result->headers);
        out.body = std::move(result->body);
        out.attempts = attempt;
        out.throttle_wait = throttle_wait;
        return out;
      }
    }

    const bool throttled = response != nullptr && response->status == 429;
    std::optional<Duration> server_wait;
    if (response != nullptr) server_wait = ParseRetryAfter(response->headers, clock_->WallNow());
    if (throttled) {
      metrics_.RecordThrottled();
      limiter_.OnThrottled(scope, server_wait);
    }

    if (!retry_.ShouldRetry(attempt, response, result.status())) {
      if (response == nullptr) {
        if (attempt > 1) {
          return Status(result.status().code(), result.status().message() + " (after " +
                                                    std::to_string(attempt) + " attempts)");
        }
        return result.status();
      }
      return StatusFromHttpError(request.method, request.url, response->status, response->body,
                                 attempt);
    }

    Duration delay = retry_.Delay(attempt, response, clock_->WallNow());
    metrics_.RecordRetry();
    if (CurrentLogLevel() <= LogLevel::kDebug) {
      LogDebug("{} attempt {} got {}; retrying in {:.3f}s", what, attempt,
               response ? std::to_string(response->status) : result.status().message(),
               ToSeconds(delay));
    }
    if (throttled) {
      throttle_wait += delay;
      metrics_.AddThrottleWait(delay);
    }
    if (!clock_->SleepFor(delay, stop)) return cancelled("while waiting to retry");
  }
}

Result<json::value> AzureHttpClient::GetJson(const std::string& url, std::stop_token stop) {
  AzureRequest request;
  request.url = url;
  auto response = Send(request, stop);
  if (!response.ok()) return response.status();
  auto parsed = ParseJson(response->body);
  if (!parsed.ok()) {
    return Status::Internal("GET " + RedactUrl(url) +
                            " returned a body that is not JSON: " + parsed.status().message());
  }
  return parsed;
}

Result<json::value> AzureHttpClient::PostJson(const std::string& url, const json::value& body,
                                              std::stop_token stop) {
  AzureRequest request;
  request.method = "POST";
  request.url = url;
  request.body = json::serialize(body);
  request.headers.Set("Content-Type", "application/json");
  auto response = Send(request, stop);
  if (!response.ok()) return response.status();
  auto parsed = ParseJson(response->body);
  if (!parsed.ok()) {
    return Status::Internal("POST " + RedactUrl(url) +
                            " returned a body that is not JSON: " + parsed.status().message());
  }
  return parsed;
}

}  // namespace atg::azure
