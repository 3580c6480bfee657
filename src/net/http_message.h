// The request and response values exchanged between the HTTP server core (net/http_server.h)
// and the handlers of `atg serve` and `atg simulate`. Plain values: no Boost.Beast types leak
// out of the server core, so handlers compile fast and are unit-tested without sockets.
//
// Thread-safety: values; a handler owns the request it is given and the response it returns.
#ifndef ATG_NET_HTTP_MESSAGE_H_
#define ATG_NET_HTTP_MESSAGE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
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
  // Captures of the matched route pattern ("{id}" -> value), filled by net::Router.
  std::vector<std::pair<std::string, std::string>> path_params;

  // Header value by case-insensitive name; the first one when repeated.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Query parameter by case-insensitive name (ARM treats `$top`/`$TOP` alike).
  std::optional<std::string_view> Query(std::string_view name) const;
  // Route capture by exact name; nullopt when the pattern has no such segment.
  std::optional<std::string_view> PathParam(std::string_view name) const;

  // Splits `target` into `path` and `query`. Used by the server core and by tests.
  void ParseTarget();
};

// One piece of a streamed response body (see BodySource).
struct BodyChunk {
  std::string data;     // may be empty
  bool last = false;    // no more data follows
  bool failed = false;  // the producer failed: the server closes the connection (the client
                        // sees a truncated body, the only honest signal once headers are sent)
};

// A response body produced in pieces: Server-Sent Events, large files, byte ranges. The server
// core pulls pieces one at a time and writes each before asking for the next, so memory stays
// bounded by one piece.
//
// Thread-safety: the server calls Read and Cancel from one connection's I/O thread, never
// concurrently. `deliver` may be called from any thread.
class BodySource {
 public:
  virtual ~BodySource() = default;

  // The exact body length when known in advance: sent as Content-Length and enforced (a source
  // that ends early gets its connection closed). nullopt: chunked transfer encoding (HTTP/1.1)
  // or close-delimited (HTTP/1.0).
  virtual std::optional<uint64_t> Size() const = 0;

  // Asks for the next piece. The source calls `deliver` exactly once for each Read, either before
  // Read returns or later from any thread (e.g. when the next event is published). Read must not
  // block the calling thread. The next Read comes only after `deliver` ran.
  virtual void Read(std::function<void(BodyChunk)> deliver) = 0;

  // The connection ended before the last piece (client gone, server stopping). A pending
  // `deliver` may still be called; its piece is discarded. Called at most once; must not block.
  virtual void Cancel() {}
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
  // When set, the body is streamed from this source and `body` is ignored. Content-Length or
  // Transfer-Encoding is set by the server core from source->Size().
  std::shared_ptr<BodySource> body_source;
  // When set, this response is a placeholder: the server core calls `defer` once, on the
  // connection's I/O thread, with a `complete` callback, and writes the response later given to
  // `complete` instead. The owner calls `complete` exactly once, from any thread (e.g. when a
  // slow check finished); the connection waits for it without holding a thread. Every other
  // field of the placeholder is ignored. `complete` is safe to call after the client left.
  std::function<void(std::function<void(HttpResponse)> complete)> defer;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;

  static HttpResponse Json(int status, const json::value& body);
  static HttpResponse Text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
};

// A handler runs on a server I/O thread; it must not block for long (use `delay` or `defer` to
// wait).
using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

// What the owner decides about a request from its head alone (method, target, headers, client
// address), before the server core reads a single byte of its body.
struct HeadVerdict {
  // The request may use the connections reserved near the cap (ServerOptions::
  // reserved_connections): liveness probes and authenticated clients.
  bool privileged = false;
  // When set, this is the answer: the core writes it with `Connection: close` and closes the
  // connection without reading the body (an unauthenticated upload costs no memory).
  std::optional<HttpResponse> reject;
};

// Called on an I/O thread for every request once its head is read (`head.body` is empty).
// Thread-safety: called concurrently from every I/O thread; must be thread-safe and not block.
using HeadFilter = std::function<HeadVerdict(const HttpRequest& head)>;

// Builds the response for an error that the server core or the router generates itself (400
// malformed request, 404 no route, 405 wrong method, 413 body too large, 431 headers too large,
// 500 handler failure, 501 unsupported transfer coding, 503 too many connections or request
// bodies in flight). Each product has its own error envelope, so the
// owner supplies this. `code` is a short PascalCase word ("NotFound"), `message` a sentence for
// the client; `request` is null when the request could not be parsed.
// Thread-safety: called concurrently from every I/O thread; must be thread-safe and not block.
using ErrorResponder = std::function<HttpResponse(
    int status, std::string_view code, std::string_view message, const HttpRequest* request)>;

// Azure's envelope: {"error":{"code":"...","message":"..."}} with a JSON content type. The
// message is made valid UTF-8 (it may quote a request path).
HttpResponse DefaultErrorResponse(int status, std::string_view code, std::string_view message,
                                  const HttpRequest* request);

}  // namespace atg::net

#endif  // ATG_NET_HTTP_MESSAGE_H_
