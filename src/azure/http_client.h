// AzureHttpClient: the one way ATG sends requests to Azure. It adds, around an HttpTransport:
//   * a bearer token from a TokenCredential, for the audience of the service addressed;
//   * the client-side rate limits of RateLimiter (ARM per subscription, Resource Graph per
//     principal, Microsoft Graph resource units per tenant), fed back by the quota headers;
//   * a limit on requests in flight (a counting semaphore held only while a request is on the
//     wire, never during waits);
//   * retries with exponential back-off and full jitter for 408/429/5xx and network errors,
//     honouring Retry-After / x-ms-retry-after-ms (RetryPolicy);
//   * counters (HttpMetrics);
//   * cancellation: a std::stop_token checked before every attempt and during every wait.
//
// A response with a status below 400 is returned as is (3xx included: Azure's asynchronous
// operations answer 202 + Location). Anything else becomes a Status (see azure_error.h):
// kUnauthenticated for 401, kPermissionDenied for 403, kNotFound for 404, kResourceExhausted
// for a 429 that outlasted the retries, and so on; messages name the URL with secrets masked.
//
// Thread-safety: Send and the helpers may be called from any number of threads at once; one
// client is meant to be shared by every scanner thread. The transport and credential are shared
// (kept alive by the client); the clock must outlive it.
#ifndef ATG_AZURE_HTTP_CLIENT_H_
#define ATG_AZURE_HTTP_CLIENT_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "azure/api_kind.h"
#include "azure/credential.h"
#include "azure/endpoints.h"
#include "azure/http_metrics.h"
#include "azure/http_transport.h"
#include "azure/rate_limiter.h"
#include "azure/retry_policy.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::azure {

struct AzureClientOptions {
  int max_concurrency = 16;  // requests in flight at once, over all services
  RetryOptions retry;
  RateLimitOptions rate_limits;
  // Keys of the per-principal and per-tenant buckets (Resource Graph, Microsoft Graph). Usually
  // the client id and the tenant id; any stable string works.
  std::string principal_id = "default";
  std::string tenant_id = "default";
};

struct AzureRequest {
  std::string method = "GET";
  std::string url;  // absolute
  HttpHeaders headers;
  std::string body;
  // The service addressed; classified from the URL by AzureEndpoints::Classify when unset.
  std::optional<ApiKind> kind;
  // Whether to add "Authorization: Bearer"; identity requests never get one.
  bool authenticate = true;
  std::chrono::milliseconds timeout{0};  // zero: the transport's default
};

struct AzureResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
  int attempts = 0;
  Duration throttle_wait{0};  // waited on rate limits and 429s for this request
};

class AzureHttpClient {
 public:
  // `credential` may be null when no request needs a token (identity requests, tests).
  AzureHttpClient(std::shared_ptr<HttpTransport> transport,
                  std::shared_ptr<TokenCredential> credential, AzureEndpoints endpoints,
                  AzureClientOptions options = {}, Clock* clock = Clock::Real());
  AzureHttpClient(const AzureHttpClient&) = delete;
  AzureHttpClient& operator=(const AzureHttpClient&) = delete;

  Result<AzureResponse> Send(const AzureRequest& request, std::stop_token stop = {});

  // GET `url` and parse the body as JSON (an invalid body is kInternal naming the URL).
  Result<json::value> GetJson(const std::string& url, std::stop_token stop = {});
  // POST `body` as application/json and parse the JSON reply.
  Result<json::value> PostJson(const std::string& url, const json::value& body,
                               std::stop_token stop = {});

  HttpMetrics& metrics() { return metrics_; }
  RateLimiter& rate_limiter() { return limiter_; }
  RetryPolicy& retry_policy() { return retry_; }
  const AzureEndpoints& endpoints() const { return endpoints_; }
  Clock* clock() const { return clock_; }

 private:
  bool AcquireSlot(std::stop_token stop);
  void ReleaseSlot();
  RateScope ScopeOf(ApiKind kind, const AzureRequest& request) const;

  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<TokenCredential> credential_;
  AzureEndpoints endpoints_;
  AzureClientOptions options_;
  Clock* clock_;
  RetryPolicy retry_;
  RateLimiter limiter_;
  HttpMetrics metrics_;

  std::mutex slots_mu_;
  std::condition_variable_any slots_cv_;
  int in_flight_ = 0;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_HTTP_CLIENT_H_
