// The HTTP API of `atg serve` (DESIGN.md §3.3, reference in docs/api.md): job submission
// (POST /api/v1/scan, /api/v1/generate-iac), job inspection (list, status, result, artifact
// download, Server-Sent Events) and cancellation, plus /health, /metrics, /openapi.json and
// /docs. Every response carries X-Request-ID; every error is {"error":{"code","message",
// "request_id"}}. Authenticated routes check the bearer key (ApiKeyRing), the per-key rate
// limit, and write one audit line each. A client's X-Request-ID is kept only when it is short
// (at most 64 characters of [A-Za-z0-9._:-]) and contains neither a configured API key nor the
// presented bearer token; otherwise the request gets a generated id ("req_" + 12 hex digits),
// so a secret sent by mistake is never echoed or logged. Failed authentications are logged,
// rate-limited, with the client's address (server/auth_failure_log.h). A key sees only the jobs it
// created (another key's job is 404, never 403).
//
// The routes are those of the table in server/endpoints.h (which also builds the OpenAPI
// document), so the served API and the published one cannot drift. The parts other modules
// provide (metrics, health checks, artifact storage) are plugged in through ApiDeps.
//
// Thread-safety: Handler() may be called concurrently from every I/O thread; Api must outlive
// the HttpServer that calls it. Shutdown() ends the open event streams (call before stopping
// the server).
#ifndef ATG_SERVER_API_H_
#define ATG_SERVER_API_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "jobs/artifact_store.h"
#include "jobs/job_store.h"
#include "net/http_message.h"
#include "server/api_keys.h"
#include "server/audit_log.h"
#include "server/auth_failure_log.h"
#include "server/rate_limiter.h"

namespace atg::server {

struct ApiOptions {
  // The only tenant jobs may work on (ATG_TARGET_TENANT_ID): any other gets 403 (risk R9).
  std::string target_tenant_id;
  // ATG_MAX_QUEUE_DEPTH: pending jobs beyond this get 429 QueueFull with Retry-After.
  // 0: unlimited.
  int64_t max_queue_depth = 100;
  // ATG_MAX_QUEUE_DEPTH_PER_KEY: one key's pending jobs beyond this get 429 QueueFull, so that
  // a flood from one key never fills the queue for the others. 0: no per-key limit; -1: the
  // key's fair share, max_queue_depth divided by the number of keys now valid (at least 1).
  int64_t max_queue_depth_per_key = -1;
  // ATG_MAX_REQUEST_BODY_BYTES: larger bodies get 413.
  uint64_t max_body_bytes = 1 << 20;
  // ENABLE_METRICS=false turns GET /metrics into 404.
  bool enable_metrics = true;
  // Comment lines sent on idle event streams so proxies keep them open.
  std::chrono::milliseconds sse_heartbeat{15'000};
  // How often open event streams look for new events.
  std::chrono::milliseconds sse_poll{250};
  std::string version = "dev";
};

struct ApiDeps {
  std::shared_ptr<jobs::JobStore> store;        // required
  std::shared_ptr<ApiKeyRing> keys;             // required
  std::shared_ptr<RequestRateLimiter> limiter;  // null: no rate limit
  std::shared_ptr<AuditLog> audit;              // null: no audit trail

  // Where job artifacts are stored (GET .../artifacts). Null: no job has a downloadable one.
  std::shared_ptr<jobs::ArtifactStore> artifacts;
  // The Prometheus text of GET /metrics. Null: /metrics answers 404.
  std::function<std::string()> metrics_text;
  // Called once per request with the route template ("/api/v1/jobs/{id}"), method, status and
  // duration, for the request metrics.
  std::function<void(std::string_view route, std::string_view method, int status, double seconds)>
      observe_request;
  // Builds GET /health: calls `done` once, from any thread, with (HTTP status, body); the
  // request waits without holding an I/O thread. Null: a built-in check of the job store.
  std::function<void(std::function<void(int, json::object)> done)> health;
  // Called when a job store operation failed while serving a request (the health report is
  // then checked again before it is trusted).
  std::function<void()> on_store_error;
  // Called once per failed authentication ("missing_key" or "invalid_key"), for the metrics.
  std::function<void(std::string_view reason)> on_auth_failure;
  // Where failed authentications are logged (rate-limited). Null: a default AuthFailureLog.
  std::shared_ptr<AuthFailureLog> auth_failures;
  // Called after a job was queued (wakes idle workers).
  std::function<void()> on_job_created;
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> Create(ApiOptions options, ApiDeps deps);
  ~Api();

  // The handler to give net::HttpServer.
  net::HttpHandler Handler();
  // The error responder for net::ServerOptions::error_responder (the same envelope).
  net::ErrorResponder ErrorResponder();
  // The head filter for net::ServerOptions::head_filter: a request for an authenticated route
  // whose key is missing or wrong gets 401 (and the connection is closed) before its body is
  // read; a request with a body for no route gets its 404/405 the same way. Privileged (may
  // use the connections reserved near the cap): GET /health, and requests with a valid key.
  net::HeadFilter HeadFilter();

  // Ends every open event stream (each gets its connection closed after what was sent).
  void Shutdown();

  struct Impl;

 private:
  explicit Api(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Builds an error response in the API's envelope.
net::HttpResponse ApiError(int status, std::string_view code, std::string_view message,
                           std::string_view request_id);

}  // namespace atg::server

#endif  // ATG_SERVER_API_H_
