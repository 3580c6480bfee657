// The one HTTP/1.1 server core of ATG, shared by `atg simulate` and `atg serve`: a listener, a
// pool of I/O threads, per-connection keep-alive, limits and timeouts, optional TLS, and graceful
// shutdown. It serves the plain values of net/http_message.h; no Boost type appears here.
//
// Typical use:
//   HttpServer server(options, router);
//   if (Status s = server.Start(); !s.ok()) ...;   // bound and serving; server.port() is known
//   ...
//   server.Stop(std::chrono::seconds(10));         // finish in-flight requests, then close
#ifndef ATG_NET_HTTP_SERVER_H_
#define ATG_NET_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "net/http_message.h"

namespace atg::net {

struct ServerOptions {
  // Address to listen on: an IP literal or a resolvable host name.
  std::string host = "127.0.0.1";
  // 0 picks a free ephemeral port (read it back with HttpServer::port()).
  uint16_t port = 0;
  // Threads running connections; each connection stays on one thread for its whole life.
  int io_threads = 2;

  // A request line plus headers larger than this gets 431 and the connection is closed.
  size_t max_header_bytes = 16 * 1024;
  // A body larger than this gets 413 and the connection is closed.
  uint64_t max_body_bytes = 10 * 1024 * 1024;
  // Time allowed to receive a complete request head once the connection is open (or, on a
  // keep-alive connection, once its first byte arrived). Slow clients are disconnected.
  std::chrono::milliseconds header_read_timeout{10'000};
  // Time allowed to receive the body once the head is complete.
  std::chrono::milliseconds body_read_timeout{60'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{75'000};
  // Time allowed for writing one response (or one streamed piece) to a slow reader.
  std::chrono::milliseconds write_timeout{60'000};
  // Connections beyond this many open ones get 503 and are closed.
  size_t max_connections = 4096;

  // When both are set the server speaks HTTPS only (PEM files: certificate chain, private key).
  std::string tls_cert_file;
  std::string tls_key_file;

  // The `Server` header on every response; empty sends none.
  std::string server_name = "atg";
  // Appended to the "port is already in use" error so it names the owner's own setting.
  std::string port_advice = "choose another with --port or ATG_SERVER_PORT";
  // Builds core-generated error responses (400/413/431/500/503); empty: DefaultErrorResponse.
  ErrorResponder error_responder;
};

// Counters for metrics; each value is read atomically, the set is not a consistent snapshot.
struct ServerStats {
  uint64_t open_connections = 0;      // currently open, rejected ones excluded
  uint64_t total_connections = 0;     // accepted since Start, rejected ones included
  uint64_t rejected_connections = 0;  // closed with 503 because of max_connections
  uint64_t total_requests = 0;        // complete requests read (handled or answered by the core)
};

// An HTTP/1.1 server. HTTP/1.0 is answered and closed unless the client asks for keep-alive.
// Responses carry Content-Length (or chunked encoding for a BodySource of unknown size), `Date`
// and `Server`. A handler's exception becomes a 500 from the error responder; it never ends the
// process. HttpResponse::delay is waited on a timer, so a delayed response blocks no thread.
//
// Thread-safety: Start, StopAccepting, Stop and the destructor are called from one owner thread,
// never from a handler (Stop joins the I/O threads). port() and Stats() may be called from any
// thread. The handler is called concurrently from all I/O threads.
class HttpServer {
 public:
  HttpServer(ServerOptions options, HttpHandler handler);
  // Stops with no grace: open connections are closed at once.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS files if any, binds, listens and starts the I/O threads. Errors: the port is
  // in use, the host does not resolve, the TLS files are missing or invalid, bad options. Call
  // once.
  Status Start();

  // The bound port (the real one when options.port was 0); 0 before Start.
  uint16_t port() const;
  // "http" or "https".
  const char* scheme() const;

  // Closes the listening socket; open connections keep being served. Idempotent.
  void StopAccepting();

  // Stops accepting, closes idle keep-alive connections, lets requests in flight finish (their
  // responses say `Connection: close`) for up to `grace`, then closes whatever is left and joins
  // the I/O threads. Idempotent; the server cannot be started again.
  void Stop(std::chrono::milliseconds grace);

  ServerStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atg::net

#endif  // ATG_NET_HTTP_SERVER_H_
