// Internals shared by the files of the API (api.cc, api_submit.cc, api_jobs.cc).
#ifndef ATG_SERVER_API_INTERNAL_H_
#define ATG_SERVER_API_INTERNAL_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <variant>

#include "net/router.h"
#include "server/api.h"
#include "server/event_streamer.h"

namespace atg::server {

// One authenticated call.
struct Call {
  net::HttpRequest& req;
  std::string key_id;
  std::string request_id;
  std::string job_id;  // set by handlers that name or create a job (audit)

  net::HttpResponse Error(int status, std::string_view code, std::string_view message) const {
    return ApiError(status, code, message, request_id);
  }
};

using CallHandler = std::function<net::HttpResponse(Call&)>;

struct Api::Impl {
  ApiOptions options;
  ApiDeps deps;
  net::Router router;
  std::unique_ptr<EventStreamer> events;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  explicit Impl(ApiOptions o, ApiDeps d);

  // The handlers by operation id of server/endpoints.h; Api::Create registers them all with
  // RegisterEndpoints, which checks that the route table and the handlers agree.
  std::map<std::string, net::HttpHandler> handlers;

  // (method, pattern) of the endpoints that need no key.
  std::set<std::pair<std::string, std::string>> public_routes;

  // The request id for `req`: its X-Request-ID when that is safe to echo and log, else a new
  // one (see api.h).
  std::string RequestIdFor(const net::HttpRequest& req) const;
  // Sets the request's id (RequestIdFor) in its X-Request-ID header and returns it.
  std::string AssignRequestId(net::HttpRequest& req) const;
  // The id of the key the request presents; otherwise the 401 answer (logged and counted as
  // a failed authentication on `route`).
  std::variant<std::string, net::HttpResponse> Authenticate(const net::HttpRequest& req,
                                                            const std::string& request_id,
                                                            std::string_view route) const;
  // The job store failed while serving a request.
  void StoreFailed() const {
    if (deps.on_store_error) deps.on_store_error();
  }

  // Sets the handler of an authenticated endpoint.
  void AddAuthed(const std::string& operation_id, CallHandler handler);
  // Sets the handler of a public endpoint (no key).
  void AddPublic(const std::string& operation_id,
                 std::function<net::HttpResponse(net::HttpRequest&, const std::string& rid)> h);
};

// Route groups.
void AddSubmitRoutes(Api::Impl& api);
void AddJobRoutes(Api::Impl& api);

// The request id the outer handler stored on the request.
std::string RequestIdOf(const net::HttpRequest& req);

// The job as the API shows it (GET /api/v1/jobs/{id}); not jobs::JobToJson, the stored form.
json::object ApiJobJson(const jobs::Job& job);
json::object JobLinks(const std::string& id);

}  // namespace atg::server

#endif  // ATG_SERVER_API_INTERNAL_H_
