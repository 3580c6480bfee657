#include "server/api.h"

#include <chrono>

#include "common/log.h"
#include "common/random.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "server/api_internal.h"
#include "server/endpoints.h"
#include "server/openapi.h"

namespace atg::server {
namespace {

constexpr char kRequestIdHeader[] = "X-Request-ID";

// An incoming request id is kept only when it is short and made of safe characters, so that it
// can be logged and echoed without escaping (the secret checks come on top, in RequestIdFor).
constexpr size_t kMaxRequestIdLength = 64;
bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string NewRequestId() { return "req_" + RandomHex(12); }

std::optional<std::string_view> BearerToken(const net::HttpRequest& req) {
  auto h = req.Header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = Trim(*h);
  if (v.size() < 7 || !StartsWithIgnoreCase(v, "bearer ")) return std::nullopt;
  return Trim(v.substr(7));
}

// A job time (milliseconds since the epoch) as the API writes it; "" for unset.
std::string Rfc3339(int64_t ms) {
  if (ms <= 0) return "";
  return FormatRfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)), 3);
}

}  // namespace

net::HttpResponse ApiError(int status, std::string_view code, std::string_view message,
                           std::string_view request_id) {
  // Messages may quote request text (a path, a parameter name): keep the JSON valid UTF-8.
  json::object err{{"code", code}, {"message", ValidUtf8(message)}, {"request_id", request_id}};
  net::HttpResponse r = net::HttpResponse::Json(status, json::object{{"error", std::move(err)}});
  r.SetHeader(kRequestIdHeader, std::string(request_id));
  return r;
}

std::string RequestIdOf(const net::HttpRequest& req) {
  auto id = req.Header(kRequestIdHeader);
  return id ? std::string(*id) : std::string();
}

json::object JobLinks(const std::string& id) {
  std::string self = "/api/v1/jobs/" + id;
  return json::object{{"self", self},
                      {"result", self + "/result"},
                      {"events", self + "/events"},
                      {"artifacts", self + "/artifacts"},
                      {"cancel", self}};
}

json::object ApiJobJson(const jobs::Job& job) {
  json::object o;
  o["job_id"] = job.id;
  o["type"] = job.type;
  o["status"] = jobs::JobStateName(job.state);
  o["tenant_id"] = job.tenant_id;
  o["created_at"] = Rfc3339(job.created_at_ms);
  if (job.started_at_ms > 0) o["started_at"] = Rfc3339(job.started_at_ms);
  if (job.finished_at_ms > 0) o["finished_at"] = Rfc3339(job.finished_at_ms);
  o["progress"] = job.progress;
  o["attempts"] = job.attempts;
  o["cancel_requested"] = job.cancel_requested;
  o["request"] = job.request;
  // Absent rather than null, as the published schema types them as strings.
  if (!job.error.empty()) o["error"] = job.error;
  if (!job.error_type.empty()) o["error_type"] = job.error_type;
  o["has_artifact"] = !job.artifact.empty();
  o["links"] = JobLinks(job.id);
  return o;
}

Api::Impl::Impl(ApiOptions o, ApiDeps d)
    : options(std::move(o)),
      deps(std::move(d)),
      router([](int status, std::string_view code, std::string_view message,
                const net::HttpRequest* req) {
        return ApiError(status, code, message, req ? RequestIdOf(*req) : "");
      }) {
  events = std::make_unique<EventStreamer>(deps.store, options.sse_poll, options.sse_heartbeat);
}

std::string Api::Impl::RequestIdFor(const net::HttpRequest& req) const {
  auto incoming = req.Header(kRequestIdHeader);
  if (!incoming || !IsSaneRequestId(*incoming)) return NewRequestId();
  // A key sent as a request id (by mistake or to get it into the logs) is never echoed.
  if (auto token = BearerToken(req);
      token && token->size() >= 8 && incoming->find(*token) != std::string_view::npos) {
    return NewRequestId();
  }
  if (deps.keys->Current()->ContainsKey(*incoming)) return NewRequestId();
  return std::string(*incoming);
}

std::string Api::Impl::AssignRequestId(net::HttpRequest& req) const {
  std::string id = RequestIdFor(req);
  bool replaced = false;
  for (auto& [name, value] : req.headers) {
    if (EqualsIgnoreCase(name, kRequestIdHeader)) {
      if (!replaced) value = id;
      replaced = true;
    }
  }
  if (!replaced) req.headers.emplace_back(kRequestIdHeader, id);
  return id;
}

std::variant<std::string, net::HttpResponse> Api::Impl::Authenticate(const net::HttpRequest& req,
                                                                     const std::string& request_id,
                                                                     std::string_view route) const {
  auto presented = BearerToken(req);
  if (presented) {
    if (auto key_id = deps.keys->Authenticate(*presented)) return *key_id;
  }
  const char* reason = presented ? "invalid_key" : "missing_key";
  deps.auth_failures->Record(req.remote_address, reason, route, request_id);
  if (deps.on_auth_failure) deps.on_auth_failure(reason);
  net::HttpResponse resp;
  if (!presented) {
    resp =
        ApiError(401, "Unauthenticated",
                 "this endpoint needs an API key: send `Authorization: Bearer <key>`", request_id);
    resp.SetHeader("WWW-Authenticate", "Bearer");
  } else {
    resp = ApiError(401, "Unauthenticated",
                    "the API key is not valid (it may have been rotated); ask the operator for "
                    "a current key",
                    request_id);
    resp.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
  }
  // Nothing more is read from a client that cannot authenticate.
  resp.close_connection = true;
  return resp;
}

void Api::Impl::AddAuthed(const std::string& operation_id, CallHandler handler) {
  const EndpointSpec* spec = FindEndpoint(operation_id);
  if (spec == nullptr) {
    handlers[operation_id] = nullptr;  // RegisterEndpoints reports it
    return;
  }
  const std::string method = spec->method;
  const std::string pattern = spec->path;
  handlers[operation_id] = [this, method, pattern, handler](net::HttpRequest& req) {
    auto start = std::chrono::steady_clock::now();
    Call call{req, "", RequestIdOf(req), ""};
    net::HttpResponse resp;
    std::optional<RateDecision> rate;
    auto auth = Authenticate(req, call.request_id, pattern);
    if (auto* refused = std::get_if<net::HttpResponse>(&auth)) {
      resp = std::move(*refused);
    } else {
      call.key_id = std::get<std::string>(auth);
      if (deps.limiter && deps.limiter->enabled()) rate = deps.limiter->Take(call.key_id);
      if (rate && !rate->allowed) {
        resp = call.Error(429, "RateLimited",
                          "too many requests for this API key; retry after " +
                              std::to_string(rate->retry_after_seconds) + " s");
        resp.SetHeader("Retry-After", std::to_string(rate->retry_after_seconds));
      } else {
        resp = handler(call);
      }
    }
    if (rate) {
      resp.SetHeader("RateLimit-Limit", std::to_string(rate->limit));
      resp.SetHeader("RateLimit-Remaining", std::to_string(rate->remaining));
      resp.SetHeader("RateLimit-Reset", std::to_string(rate->reset_seconds));
    }
    if (resp.status == 503) StoreFailed();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (deps.audit && !call.key_id.empty()) {
      deps.audit->Write(AuditRecord{call.key_id, method, pattern, resp.status, call.job_id,
                                    call.request_id, req.remote_address, seconds * 1000.0});
    }
    if (deps.observe_request) deps.observe_request(pattern, method, resp.status, seconds);
    return resp;
  };
}

void Api::Impl::AddPublic(
    const std::string& operation_id,
    std::function<net::HttpResponse(net::HttpRequest&, const std::string& rid)> h) {
  const EndpointSpec* spec = FindEndpoint(operation_id);
  if (spec == nullptr) {
    handlers[operation_id] = nullptr;
    return;
  }
  const std::string method = spec->method;
  const std::string pattern = spec->path;
  handlers[operation_id] = [this, method, pattern, h](net::HttpRequest& req) {
    auto start = std::chrono::steady_clock::now();
    net::HttpResponse resp = h(req, RequestIdOf(req));
    auto observe = [this, method, pattern, start](int status) {
      if (!deps.observe_request) return;
      deps.observe_request(
          pattern, method, status,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    if (resp.defer) {
      // Observed when the real response is known.
      resp.defer = [inner = std::move(resp.defer),
                    observe](std::function<void(net::HttpResponse)> complete) {
        inner([complete = std::move(complete), observe](net::HttpResponse r) {
          observe(r.status);
          complete(std::move(r));
        });
      };
      return resp;
    }
    observe(resp.status);
    return resp;
  };
}

Result<std::unique_ptr<Api>> Api::Create(ApiOptions options, ApiDeps deps) {
  if (!deps.store) return Status::InvalidArgument("the API needs a job store");
  if (!deps.keys) return Status::InvalidArgument("the API needs API keys");
  if (!deps.auth_failures) deps.auth_failures = std::make_shared<AuthFailureLog>();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(deps));
  Impl& api = *impl;
  for (const EndpointSpec& e : Endpoints()) {
    if (!e.auth) api.public_routes.emplace(e.method, e.path);
  }

  api.AddPublic("getHealth", [&api](net::HttpRequest&, const std::string&) {
    if (api.deps.health) {
      // The checks may take a moment: the request waits for them without holding a thread.
      net::HttpResponse r;
      r.defer = [&api](std::function<void(net::HttpResponse)> complete) {
        api.deps.health([complete = std::move(complete)](int status, json::object body) {
          complete(net::HttpResponse::Json(status, body));
        });
      };
      return r;
    }
    json::object body;
    Status ping = api.deps.store->Ping();
    auto depth = api.deps.store->QueueDepth();
    const bool ok = ping.ok() && depth.ok();
    body["status"] = ok ? "healthy" : "unhealthy";
    body["version"] = api.options.version;
    body["uptime_seconds"] = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now() - api.started)
                                 .count();
    body["queue_status"] = ping.ok() ? "ok" : ping.message();
    const bool redis = api.deps.store->backend() == "redis";
    body["redis_status"] =
        !redis ? "not_configured" : (ping.ok() ? "connected" : "disconnected: " + ping.message());
    body["graph_status"] = "ok";
    body["neo4j_status"] = "not_checked";
    body["queue_backend"] = api.deps.store->backend();
    body["job_queue_depth"] = depth.ok() ? *depth : int64_t{-1};
    return net::HttpResponse::Json(ok ? 200 : 503, body);
  });

  api.AddAuthed("getMetrics", [&api](Call& call) {
    if (!api.options.enable_metrics || !api.deps.metrics_text) {
      return call.Error(404, "NotFound", "metrics are disabled (ENABLE_METRICS=false)");
    }
    return net::HttpResponse::Text(200, api.deps.metrics_text(),
                                   "text/plain; version=0.0.4; charset=utf-8");
  });

  api.AddPublic("getOpenApi", [](net::HttpRequest&, const std::string&) {
    return net::HttpResponse::Text(200, OpenApiJson(), "application/json");
  });
  api.AddPublic("getDocs", [](net::HttpRequest&, const std::string&) {
    net::HttpResponse r = net::HttpResponse::Text(200, ApiDocsHtml(), "text/html; charset=utf-8");
    // The page is static HTML: nothing may load or run.
    r.SetHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return r;
  });

  AddSubmitRoutes(api);
  AddJobRoutes(api);
  ATG_RETURN_IF_ERROR(RegisterEndpoints(api.router, api.handlers));
  return std::unique_ptr<Api>(new Api(std::move(impl)));
}

Api::Api(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Api::~Api() { Shutdown(); }

net::HttpHandler Api::Handler() {
  Impl* impl = impl_.get();
  return [impl](net::HttpRequest& req) {
    std::string rid = impl->AssignRequestId(req);
    net::HttpResponse resp = impl->router(req);
    if (resp.defer) {
      resp.defer = [inner = std::move(resp.defer),
                    rid](std::function<void(net::HttpResponse)> complete) {
        inner([complete = std::move(complete), rid](net::HttpResponse r) {
          r.SetHeader(kRequestIdHeader, rid);
          complete(std::move(r));
        });
      };
      return resp;
    }
    resp.SetHeader(kRequestIdHeader, rid);
    return resp;
  };
}

net::ErrorResponder Api::ErrorResponder() {
  Impl* impl = impl_.get();
  return [impl](int status, std::string_view code, std::string_view message,
                const net::HttpRequest* req) {
    std::string rid = req != nullptr ? impl->RequestIdFor(*req) : NewRequestId();
    return ApiError(status, code, message, rid);
  };
}

net::HeadFilter Api::HeadFilter() {
  Impl* impl = impl_.get();
  return [impl](const net::HttpRequest& head) {
    net::HeadVerdict verdict;
    auto route = impl->router.Find(head);
    if (!route) {
      // 404 or 405 whatever the body says: answer before reading it.
      const bool has_body = head.Header("Transfer-Encoding").has_value() ||
                            Trim(head.Header("Content-Length").value_or("0")) != "0";
      if (has_body) {
        net::HttpRequest copy = head;
        std::string rid = impl->AssignRequestId(copy);
        net::HttpResponse r = impl->router(copy);
        r.SetHeader(kRequestIdHeader, rid);
        verdict.reject = std::move(r);
      }
      return verdict;
    }
    if (impl->public_routes.count(*route)) {
      verdict.privileged = route->second == "/health";
      return verdict;
    }
    std::string rid = impl->RequestIdFor(head);
    auto auth = impl->Authenticate(head, rid, route->second);
    if (auto* refused = std::get_if<net::HttpResponse>(&auth)) {
      if (impl->deps.observe_request) {
        impl->deps.observe_request(route->second, route->first, refused->status, 0);
      }
      verdict.reject = std::move(*refused);
      return verdict;
    }
    verdict.privileged = true;
    return verdict;
  };
}

void Api::Shutdown() {
  if (impl_ && impl_->events) impl_->events->Shutdown();
}

}  // namespace atg::server
