// Maps (method, path pattern) to handlers. A Router is itself an HttpHandler, so it is what the
// owner hands to HttpServer.
//
// Patterns are '/'-separated segments matched against the request's decoded path (empty
// segments are ignored, so "/a//b/" matches "/a/b"):
//   "jobs"      a literal segment
//   "{id}"      captures exactly one segment into HttpRequest::path_params ("id" -> value)
//   "{rest...}" last segment only: captures the remaining zero or more segments, joined by '/'
// When several patterns match, the most specific wins: segment by segment, a literal beats a
// capture, which beats a catch-all. A path no pattern matches gets 404; a path that matches only
// under other methods gets 405 with an `Allow` header. HEAD falls back to the GET handler (the
// server core sends only the head of the response).
#ifndef ATG_NET_ROUTER_H_
#define ATG_NET_ROUTER_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "net/http_message.h"

namespace atg::net {

// Thread-safety: Add is not thread-safe; once the routes are added, operator() may be called
// concurrently (it only reads the table). Copies share nothing.
class Router {
 public:
  // `errors` builds the 404 and 405 responses. `case_insensitive_literals` makes literal segments
  // match in any case, as Azure Resource Manager does ("resourceGroups" == "resourcegroups").
  explicit Router(ErrorResponder errors = DefaultErrorResponse,
                  bool case_insensitive_literals = false);

  // Registers `handler` for `method` (upper case, e.g. "GET"; "*" for any method) and `pattern`.
  // Errors: the pattern does not start with '/', has a malformed or duplicate capture, a
  // catch-all that is not last, or the same method and pattern were registered before.
  Status Add(std::string method, std::string_view pattern, HttpHandler handler);

  // Dispatches `request` (fills request.path_params) and returns the handler's response, or the
  // 404/405 error response.
  HttpResponse operator()(HttpRequest& request) const;

  // The route `request` would be dispatched to, as (method it was registered with, pattern),
  // without calling its handler; nullopt when the answer would be 404 or 405. For deciding on
  // a request from its head (authentication before the body is read).
  std::optional<std::pair<std::string, std::string>> Find(const HttpRequest& request) const;

 private:
  struct Route;
  // The best route for the request's method and path (HEAD falls back to GET); null when none.
  // `allowed` (optional) receives the methods routed for the path.
  const Route* Best(const HttpRequest& request, std::set<std::string>* allowed) const;

  enum class Kind { kLiteral, kCapture, kRest };
  struct Segment {
    Kind kind;
    std::string text;  // the literal, or the capture's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    HttpHandler handler;
  };

  // True when `route` matches `parts`; fills `captures`.
  bool Match(const Route& route, const std::vector<std::string_view>& parts,
             std::vector<std::pair<std::string, std::string>>* captures) const;
  // True when `a` is more specific than `b`.
  static bool MoreSpecific(const Route& a, const Route& b);

  ErrorResponder errors_;
  bool case_insensitive_;
  std::vector<Route> routes_;
};

}  // namespace atg::net

#endif  // ATG_NET_ROUTER_H_
