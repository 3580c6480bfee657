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
#include <optional>
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
  // Request bodies being received at once, all connections together, may claim at most this
  // many bytes (the declared Content-Length, or max_body_bytes for a chunked body). A request
  // whose body would exceed it gets 503 + Retry-After before any of its body is read, and the
  // connection is closed. 0: no budget.
  uint64_t max_inflight_body_bytes = 64 * 1024 * 1024;
  // Time allowed to receive a complete request head once the connection is open (or, on a
  // keep-alive connection, once its first byte arrived). Slow clients are disconnected.
  std::chrono::milliseconds header_read_timeout{10'000};
  // Time allowed to receive the body once the head is complete.
  std::chrono::milliseconds body_read_timeout{60'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{30'000};
  // Time allowed for writing one response (or one streamed piece) to a slow reader.
  std::chrono::milliseconds write_timeout{60'000};

  // Connection limits. Open connections stay within max_connections (a connection admitted by
  // closing an idle one may overlap it for a moment). Once max_connections -
  // reserved_connections are open ("near the cap"), every new connection first makes room by
  // closing an idle one — the keep-alive connection waiting longest for its next request, or
  // else one that has not sent a byte for a second; closing either loses no request — and is
  // admitted on probation: its requests are served only when the HeadFilter calls them
  // privileged (liveness probes, authenticated clients); others get 503 + Retry-After and the
  // connection is closed. At the cap a connection gets in only when a keep-alive connection can
  // be closed for it; otherwise it gets 503 (or, beyond 64 such answers at once, is closed
  // without one).
  size_t max_connections = 4096;
  // See max_connections; must be below it. nullopt: max_connections / 8. Without a
  // head_filter no request is privileged, so nothing is reserved: near the cap is at the cap.
  std::optional<size_t> reserved_connections;
  // Connections one client address may hold open at once (IPv6 clients: per /64 network);
  // beyond it 503 + Retry-After and close. 0: no limit.
  size_t max_connections_per_address = 256;

  // Classifies each request from its head, before its body is read (authentication, probes).
  // Empty: every request is ordinary (not privileged) and none is refused early.
  HeadFilter head_filter;

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
  uint64_t rejected_connections = 0;  // refused with 503 (or closed) at the cap or the per-address
                                      // limit
  uint64_t shed_connections = 0;      // idle connections closed to make room near the cap
  uint64_t total_requests = 0;        // complete requests read (handled or answered by the core)
  uint64_t refused_requests = 0;      // answered from the head alone (HeadFilter, body budget,
                                      // probation) without reading a body
  uint64_t inflight_body_bytes = 0;   // claimed by bodies being received now
};

// An HTTP/1.1 server. HTTP/1.0 is answered and closed unless the client asks for keep-alive.
// Request framing follows RFC 9112 strictly, so that no proxy in front of it can disagree about
// where a request ends: a Transfer-Encoding whose final coding is not `chunked`, one that is
// combined with Content-Length or sent with HTTP/1.0, or an HTTP/1.1 request without exactly
// one Host header gets 400 and the connection is closed (other codings before `chunked` get
// 501). HTTPS offers TLS 1.3 and TLS 1.2 with ECDHE key exchange and AEAD ciphers only
// (Mozilla's "intermediate" configuration without its DHE suites).
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
