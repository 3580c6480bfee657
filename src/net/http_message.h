// The request and response values exchanged between the HTTP server core (net/http_server.h)
// and the handlers of `atg serve` and `atg simulate`. Plain values: no Boost.Beast types leak
// out of the server core, so handlers compile fast and are unit-tested without sockets.
//
// Thread-safety: values; a handler owns the request it is given and the response it returns.
#ifndef ATG_NET_HTTP_MESSAGE_H_
#define ATG_NET_HTTP_MESSAGE_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json.h"

namespace atg::net {

struct HttpRequest {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as received: "/path?query"
  std::string path;    // percent-decoded path, without the query string
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;
  std::string remote_address;  // "127.0.0.1"

  // Header value by case-insensitive name; the first one when repeated.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Query parameter by case-insensitive name (ARM treats `$top`/`$TOP` alike).
  std::optional<std::string_view> Query(std::string_view name) const;

  // Splits `target` into `path` and `query`. Used by the server core and by tests.
  void ParseTarget();
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The server core waits this long (without blocking a thread) before it writes the
  // response. The simulator uses it for --latency-ms.
  std::chrono::milliseconds delay{0};
  // Close the connection without writing anything (simulated network fault).
  bool drop_connection = false;
  // Close the connection after writing the response.
  bool close_connection = false;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;

  static HttpResponse Json(int status, const json::value& body);
  static HttpResponse Text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
};

// A handler runs on a server I/O thread; it must not block for long (use `delay` to wait).
using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

}  // namespace atg::net

#endif  // ATG_NET_HTTP_MESSAGE_H_
