#include "net/http_server.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "common/log.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace atg::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Bytes asked of the socket per read; a typical request head fits in one read.
constexpr size_t kReadSize = 8192;
// Bound on a polite close: draining unread request bytes after an error (so the kernel does not
// answer them with a reset that could destroy the error response in flight), or waiting for the
// client's TLS close_notify.
constexpr auto kLingerTime = std::chrono::milliseconds(500);
constexpr size_t kLingerBytes = 1 << 20;
// Beyond this many connections being answered 503 at once, new ones are closed without a word.
constexpr uint64_t kMaxRejecting = 64;

// RFC 9110 IMF-fixdate, formatted once per second per thread (no locale involved).
std::string_view HttpDate() {
  thread_local time_t cached = -1;
  thread_local std::string text;
  time_t now = std::time(nullptr);
  if (now != cached) {
    text = FormatHttpDate(std::chrono::system_clock::from_time_t(now));
    cached = now;
  }
  return text;
}

bool IsHttpParseError(const error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_method).category();
}

bool HasNoBody(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

bool IsSafeHeader(std::string_view name, std::string_view value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  if (name.empty()) return false;
  for (char c : name) {
    if (bad(c) || c == ':' || c == ' ') return false;
  }
  for (char c : value) {
    if (bad(c)) return false;
  }
  return true;
}

// What the server keeps about one open connection so that Stop can reach it. Lives in the
// connection's coroutine frame; only touched on the connection's own I/O thread.
struct Connection {
  explicit Connection(asio::io_context& ioc) : delay_timer(ioc), wake_timer(ioc) {}

  // Closes the socket and wakes every wait, so the connection's coroutine unwinds promptly.
  void Close() {
    if (closed) return;
    closed = true;
    if (close_socket) close_socket();
    delay_timer.cancel();
    wake_timer.cancel();
  }

  bool idle = true;  // waiting for a request to begin (closing it loses nothing)
  bool closed = false;
  asio::steady_timer delay_timer;  // HttpResponse::delay
  asio::steady_timer wake_timer;   // a BodySource delivered a piece
  std::function<void()> close_socket;
};

// One I/O thread with its own io_context: a connection never migrates, so its state needs no
// locks and no strand.
struct Shard {
  Shard() : ioc(std::make_unique<asio::io_context>(1)), guard(asio::make_work_guard(*ioc)) {}

  std::unique_ptr<asio::io_context> ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::unordered_set<Connection*> connections;
  std::thread thread;
};

// Hands a BodySource's piece, delivered on any thread, to the connection's coroutine.
struct Mailbox {
  std::mutex mu;
  bool closed = false;  // written on the connection's thread only, under mu
  std::optional<BodyChunk> chunk;
  asio::any_io_executor executor;
  asio::steady_timer* wake = nullptr;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, HttpHandler h) : options(std::move(o)), handler(std::move(h)) {
    if (!options.error_responder) options.error_responder = DefaultErrorResponse;
  }

  ~Impl() {
    // Coroutine frames still parked in an io_context refer to the acceptor, the TLS context and
    // the shards' connection sets, so the io_contexts go first.
    acceptor.reset();
    for (auto& shard : shards) {
      shard->guard.reset();
      shard->ioc.reset();
    }
  }

  HttpResponse MakeError(int status, std::string_view code, std::string_view message,
                         const HttpRequest* request) {
    try {
      return options.error_responder(status, code, message, request);
    } catch (const std::exception& e) {
      LogError("http server: the error responder failed: {}", e.what());
    } catch (...) {
      LogError("http server: the error responder failed");
    }
    return DefaultErrorResponse(status, code, message, request);
  }

  HttpResponse CallHandler(HttpRequest& request) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "http server: handler failed",
          {{"method", request.method}, {"path", request.path}, {"error", e.what()}});
    } catch (...) {
      Log(LogLevel::kError, "http server: handler failed",
          {{"method", request.method}, {"path", request.path}, {"error", "unknown exception"}});
    }
    return MakeError(500, "InternalError",
                     "the server failed while handling " + request.method + " " + request.path +
                         "; the server log has the details",
                     &request);
  }

  template <class Fields>
  void ApplyHeaders(http::header<false, Fields>& head, const HttpResponse& r) {
    for (const auto& [name, value] : r.headers) {
      if (EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "transfer-encoding") ||
          EqualsIgnoreCase(name, "connection")) {
        continue;  // framing belongs to the server core
      }
      if (!IsSafeHeader(name, value)) {
        LogWarning("http server: dropped response header '{}' with forbidden characters", name);
        continue;
      }
      head.insert(name, value);
    }
    if (head.find(http::field::date) == head.end()) head.set(http::field::date, HttpDate());
    if (!options.server_name.empty() && head.find(http::field::server) == head.end()) {
      head.set(http::field::server, options.server_name);
    }
  }

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> RunConnection(tcp::socket socket, Shard* shard, bool reject);
  template <class Stream>
  asio::awaitable<void> Serve(Stream& stream, Connection& conn, const std::string& remote,
                              bool reject);
  template <class Stream>
  asio::awaitable<bool> Write(Stream& stream, Connection& conn, HttpResponse& r, unsigned version,
                              bool keep_alive, bool head_only);
  template <class Stream>
  asio::awaitable<bool> WriteStreamed(Stream& stream, Connection& conn, HttpResponse& r,
                                      unsigned version, bool keep_alive, bool head_only);
  // Ends the connection politely: TLS close_notify, or a TCP half-close after which unread
  // request bytes are drained (`drain`) for a moment.
  template <class Stream>
  asio::awaitable<void> EndConnection(Stream& stream, bool drain);

  void CloseConnections(bool idle_only) {
    for (auto& shard : shards) {
      asio::post(*shard->ioc, [s = shard.get(), idle_only] {
        // Close() only cancels operations; their completions run later, so the set does not
        // change while we iterate.
        for (Connection* c : s->connections) {
          if (!idle_only || c->idle) c->Close();
        }
      });
    }
  }

  bool WaitForSessions(std::chrono::steady_clock::time_point deadline) {
    while (live_sessions.load() > 0) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  ServerOptions options;
  HttpHandler handler;
  std::unique_ptr<ssl::context> tls;
  std::vector<std::unique_ptr<Shard>> shards;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<uint16_t> port{0};

  std::atomic<uint64_t> open_connections{0};
  std::atomic<uint64_t> total_connections{0};
  std::atomic<uint64_t> rejected_connections{0};
  std::atomic<uint64_t> rejecting_now{0};
  std::atomic<uint64_t> total_requests{0};
  std::atomic<int64_t> live_sessions{0};

  std::mutex lifecycle_mu;
  bool started = false;
  bool stopped = false;
  bool accepting_stopped = false;
};

asio::awaitable<void> HttpServer::Impl::AcceptLoop() {
  size_t next = 0;
  asio::steady_timer backoff(acceptor->get_executor());
  for (;;) {
    Shard* shard = shards[next++ % shards.size()].get();
    auto [ec, socket] = co_await acceptor->async_accept(*shard->ioc, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open() || stopping) co_return;
      // Out of file descriptors or a transient network error: pause instead of spinning.
      LogWarning("http server: accept failed: {}; retrying", ec.message());
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    total_connections.fetch_add(1, std::memory_order_relaxed);
    bool reject = open_connections.load() >= options.max_connections;
    if (reject) {
      rejected_connections.fetch_add(1, std::memory_order_relaxed);
      if (rejecting_now.load() >= kMaxRejecting) continue;  // the socket closes here
      rejecting_now.fetch_add(1);
    } else {
      open_connections.fetch_add(1);
    }
    live_sessions.fetch_add(1);
    asio::co_spawn(*shard->ioc, RunConnection(std::move(socket), shard, reject),
                   [](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       LogError("http server: connection failed: {}", ex.what());
                     } catch (...) {
                       LogError("http server: connection failed");
                     }
                   });
  }
}

asio::awaitable<void> HttpServer::Impl::RunConnection(tcp::socket socket, Shard* shard,
                                                      bool reject) {
  Connection conn(*shard->ioc);
  shard->connections.insert(&conn);
  struct Exit {
    ~Exit() {
      shard->connections.erase(conn);
      if (reject) {
        impl->rejecting_now.fetch_sub(1);
      } else {
        impl->open_connections.fetch_sub(1);
      }
      impl->live_sessions.fetch_sub(1);
    }
    Impl* impl;
    Shard* shard;
    Connection* conn;
    bool reject;
  } exit{this, shard, &conn, reject};

  std::string remote;
  {
    error_code ec;
    auto endpoint = socket.remote_endpoint(ec);
    if (!ec) {
      asio::ip::address a = endpoint.address();
      // A dual-stack listener ("::") sees IPv4 clients as ::ffff:a.b.c.d; report a.b.c.d.
      if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
      }
      remote = a.to_string();
    }
  }
  if (tls) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
    conn.close_socket = [&stream] { beast::get_lowest_layer(stream).close(); };
    beast::get_lowest_layer(stream).expires_after(options.header_read_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (ec || conn.closed) co_return;
    co_await Serve(stream, conn, remote, reject);
  } else {
    beast::tcp_stream stream(std::move(socket));
    conn.close_socket = [&stream] { stream.close(); };
    co_await Serve(stream, conn, remote, reject);
  }
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::EndConnection(Stream& stream, bool drain) {
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(kLingerTime);
  if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
    // Sends close_notify so the client can tell the end of the stream from a truncation, and
    // waits (briefly) for the client's; the TLS layer discards what the client still sends.
    co_await stream.async_shutdown(kTuple);
  } else {
    error_code ec;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || !drain) co_return;
    // Drain what the client is still sending, so that closing does not reset the connection
    // before the client has read the error response.
    char sink[4096];
    size_t drained = 0;
    while (drained < kLingerBytes) {
      auto [rec, n] = co_await lowest.async_read_some(asio::buffer(sink), kTuple);
      if (rec) break;
      drained += n;
    }
  }
}

template <class Stream>
asio::awaitable<void> HttpServer::Impl::Serve(Stream& stream, Connection& conn,
                                              const std::string& remote, bool reject) {
  auto& lowest = beast::get_lowest_layer(stream);
  if (reject) {
    HttpResponse r = MakeError(503, "ServiceUnavailable",
                               "the server has too many open connections; retry later", nullptr);
    r.SetHeader("Retry-After", "1");
    if (co_await Write(stream, conn, r, 11, false, false))
      co_await EndConnection(stream, /*drain=*/true);
    co_return;
  }

  beast::flat_buffer buffer;
  std::optional<http::request_parser<http::string_body>> parser;
  bool first = true;
  const uint32_t header_limit = static_cast<uint32_t>(
      std::min<size_t>(options.max_header_bytes, std::numeric_limits<uint32_t>::max()));

  // Answers an error the core detected itself, then closes the connection.
  auto fail = [&](int status, std::string_view code, std::string message,
                  const HttpRequest* request) -> asio::awaitable<void> {
    HttpResponse r = MakeError(status, code, message, request);
    if (co_await Write(stream, conn, r, 11, false, false))
      co_await EndConnection(stream, /*drain=*/true);
  };

  for (;;) {
    conn.idle = true;
    if (stopping.load() || conn.closed) co_return;
    if (buffer.size() == 0) {
      // The first connection read is bounded by the header timeout (slow-loris); later ones,
      // between keep-alive requests, by the idle timeout.
      lowest.expires_after(first ? options.header_read_timeout : options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadSize), kTuple);
      if (ec) co_return;  // closed, timed out, or reset: nothing to answer
      buffer.commit(n);
    }
    first = false;
    conn.idle = false;

    parser.emplace();
    parser->header_limit(header_limit);
    parser->body_limit(options.max_body_bytes);
    lowest.expires_after(options.header_read_timeout);
    {
      auto [ec, n] = co_await http::async_read_header(stream, buffer, *parser, kTuple);
      if (ec == http::error::header_limit) {
        co_await fail(431, "RequestHeaderFieldsTooLarge",
                      "the request line and headers exceed " +
                          std::to_string(options.max_header_bytes) + " bytes",
                      nullptr);
        co_return;
      }
      if (ec == http::error::body_limit) {
        co_await fail(413, "PayloadTooLarge",
                      "the request body exceeds the limit of " +
                          std::to_string(options.max_body_bytes) + " bytes",
                      nullptr);
        co_return;
      }
      if (ec && IsHttpParseError(ec) && ec != http::error::partial_message &&
          ec != http::error::end_of_stream) {
        co_await fail(400, "BadRequest", "the request is not valid HTTP/1.1: " + ec.message(),
                      nullptr);
        co_return;
      }
      if (ec) co_return;  // timed out (slow client), reset, or closed mid-head
    }

    if (!parser->is_done()) {
      auto expect = parser->get()[http::field::expect];
      if (!expect.empty() && EqualsIgnoreCase(expect, "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, parser->get().version()};
        lowest.expires_after(options.write_timeout);
        auto [ec, n] = co_await http::async_write(stream, go_on, kTuple);
        if (ec) co_return;
      }
      lowest.expires_after(options.body_read_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, *parser, kTuple);
      if (ec == http::error::body_limit) {
        co_await fail(413, "PayloadTooLarge",
                      "the request body exceeds the limit of " +
                          std::to_string(options.max_body_bytes) + " bytes",
                      nullptr);
        co_return;
      }
      if (ec && IsHttpParseError(ec) && ec != http::error::partial_message &&
          ec != http::error::end_of_stream) {
        co_await fail(400, "BadRequest", "the request body is malformed: " + ec.message(), nullptr);
        co_return;
      }
      if (ec) co_return;
    }
    total_requests.fetch_add(1, std::memory_order_relaxed);

    http::request<http::string_body> msg = parser->release();
    const unsigned version = msg.version();
    const bool head_only = msg.method() == http::verb::head;
    bool keep_alive = msg.keep_alive();

    HttpRequest request;
    request.method.assign(msg.method_string().data(), msg.method_string().size());
    request.target.assign(msg.target().data(), msg.target().size());
    request.headers.reserve(std::distance(msg.begin(), msg.end()));
    for (const auto& field : msg) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(msg.body());
    request.remote_address = remote;
    request.ParseTarget();

    HttpResponse response = CallHandler(request);
    if (response.delay.count() > 0) {
      conn.delay_timer.expires_after(response.delay);
      co_await conn.delay_timer.async_wait(kTuple);
      if (conn.closed) co_return;
    }
    if (response.drop_connection) {
      if (response.body_source) response.body_source->Cancel();
      co_return;  // the socket closes with the frame, nothing written
    }
    keep_alive = keep_alive && !response.close_connection && !stopping.load();
    bool written = co_await Write(stream, conn, response, version, keep_alive, head_only);
    if (!written || conn.closed) co_return;
    if (!keep_alive) {
      co_await EndConnection(stream, /*drain=*/false);
      co_return;
    }
  }
}

template <class Stream>
asio::awaitable<bool> HttpServer::Impl::Write(Stream& stream, Connection& conn, HttpResponse& r,
                                              unsigned version, bool keep_alive, bool head_only) {
  if (r.status < 100 || r.status > 999) {
    LogError("http server: handler returned the invalid status {}", r.status);
    r = MakeError(500, "InternalError", "the server produced an invalid response", nullptr);
  }
  if (r.body_source) {
    co_return co_await WriteStreamed(stream, conn, r, version, keep_alive, head_only);
  }
  auto& lowest = beast::get_lowest_layer(stream);
  http::response<http::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  ApplyHeaders(res, r);
  res.keep_alive(keep_alive);
  if (HasNoBody(r.status)) {
    r.body.clear();
  } else {
    res.content_length(r.body.size());
  }
  lowest.expires_after(options.write_timeout);
  if (head_only) {
    http::response_serializer<http::string_body> sr(res);
    auto [ec, n] = co_await http::async_write_header(stream, sr, kTuple);
    co_return !ec;
  }
  res.body() = std::move(r.body);
  auto [ec, n] = co_await http::async_write(stream, res, kTuple);
  co_return !ec;
}

template <class Stream>
asio::awaitable<bool> HttpServer::Impl::WriteStreamed(Stream& stream, Connection& conn,
                                                      HttpResponse& r, unsigned version,
                                                      bool keep_alive, bool head_only) {
  std::shared_ptr<BodySource> source = r.body_source;
  auto mailbox = std::make_shared<Mailbox>();
  mailbox->executor = conn.wake_timer.get_executor();
  mailbox->wake = &conn.wake_timer;
  bool finished = false;
  struct Release {
    ~Release() {
      {
        std::lock_guard<std::mutex> lock(mailbox->mu);
        mailbox->closed = true;
      }
      if (!*finished) source->Cancel();
    }
    Mailbox* mailbox;
    BodySource* source;
    bool* finished;
  } release{mailbox.get(), source.get(), &finished};

  auto& lowest = beast::get_lowest_layer(stream);
  const std::optional<uint64_t> size = source->Size();
  http::response<http::buffer_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(r.status));
  ApplyHeaders(res, r);
  if (size) {
    res.content_length(*size);
  } else if (version >= 11) {
    res.chunked(true);
  } else {
    keep_alive = false;  // HTTP/1.0 has no chunks: the end of the body is the end of the stream
  }
  res.keep_alive(keep_alive);
  res.body().data = nullptr;
  res.body().more = true;
  http::response_serializer<http::buffer_body> sr(res);
  lowest.expires_after(options.write_timeout);
  {
    auto [ec, n] = co_await http::async_write_header(stream, sr, kTuple);
    if (ec) co_return false;
  }
  if (head_only) co_return true;  // Release cancels the source

  uint64_t sent = 0;
  for (;;) {
    // Ask for a piece; it may arrive now or later from another thread.
    source->Read([mb = mailbox](BodyChunk chunk) {
      std::lock_guard<std::mutex> lock(mb->mu);
      if (mb->closed) return;
      mb->chunk = std::move(chunk);
      asio::post(mb->executor, [mb] {
        if (!mb->closed) mb->wake->cancel();
      });
    });
    BodyChunk chunk;
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mailbox->mu);
        if (mailbox->chunk) {
          chunk = std::move(*mailbox->chunk);
          mailbox->chunk.reset();
          break;
        }
      }
      if (conn.closed) co_return false;
      conn.wake_timer.expires_at(std::chrono::steady_clock::time_point::max());
      co_await conn.wake_timer.async_wait(kTuple);
    }
    if (chunk.failed) {
      finished = true;  // the source knows; no Cancel
      co_return false;
    }
    if (chunk.last) finished = true;
    sent += chunk.data.size();
    if (size && sent > *size) {
      LogError("http server: body source produced more than its declared {} bytes", *size);
      co_return false;
    }
    if (!chunk.data.empty()) {
      res.body().data = chunk.data.data();
      res.body().size = chunk.data.size();
      res.body().more = true;
      lowest.expires_after(options.write_timeout);
      auto [ec, n] = co_await http::async_write(stream, sr, kTuple);
      if (ec && ec != http::error::need_buffer) co_return false;
    }
    if (chunk.last) {
      if (size && sent != *size) {
        LogError("http server: body source ended after {} of its declared {} bytes", sent, *size);
        co_return false;
      }
      res.body().data = nullptr;
      res.body().size = 0;
      res.body().more = false;
      lowest.expires_after(options.write_timeout);
      auto [ec, n] = co_await http::async_write(stream, sr, kTuple);
      if (ec && ec != http::error::need_buffer) co_return false;
      co_return keep_alive;
    }
  }
}

HttpServer::HttpServer(ServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(std::chrono::milliseconds(0)); }

namespace {

Status LoadTls(const ServerOptions& o, std::unique_ptr<ssl::context>* out) {
  if (o.tls_cert_file.empty() && o.tls_key_file.empty()) return Status::Ok();
  if (o.tls_cert_file.empty() || o.tls_key_file.empty()) {
    return Status::InvalidArgument(
        std::string("HTTPS needs both a certificate and a private key, but only the ") +
        (o.tls_cert_file.empty() ? "key" : "certificate") +
        " file is set; set both ATG_TLS_CERT_FILE and ATG_TLS_KEY_FILE, or neither for HTTP");
  }
  std::error_code fs_ec;
  for (const auto* file : {&o.tls_cert_file, &o.tls_key_file}) {
    if (!std::filesystem::is_regular_file(*file, fs_ec)) {
      return Status::InvalidArgument(
          "the TLS " + std::string(file == &o.tls_cert_file ? "certificate" : "private key") +
          " file " + *file +
          " does not exist or is not a file; give the path of a PEM "
          "file (ATG_TLS_CERT_FILE / ATG_TLS_KEY_FILE)");
    }
  }
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  error_code ec;
  ctx->use_certificate_chain_file(o.tls_cert_file, ec);
  if (ec) {
    return Status::InvalidArgument("cannot load the TLS certificate chain from " + o.tls_cert_file +
                                   ": " + ec.message() +
                                   "; give a PEM file that starts with "
                                   "'-----BEGIN CERTIFICATE-----'");
  }
  ctx->use_private_key_file(o.tls_key_file, ssl::context::pem, ec);
  if (ec) {
    // The message never quotes the key file's content, only its path.
    return Status::InvalidArgument("cannot load the TLS private key from " + o.tls_key_file + ": " +
                                   ec.message() + "; give an unencrypted PEM private key file");
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    return Status::InvalidArgument("the TLS private key " + o.tls_key_file +
                                   " does not match the certificate " + o.tls_cert_file +
                                   "; give the key the certificate was issued for");
  }
  *out = std::move(ctx);
  return Status::Ok();
}

}  // namespace

Status HttpServer::Start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.lifecycle_mu);
  if (s.started) return Status::FailedPrecondition("the HTTP server was already started");
  const ServerOptions& o = s.options;
  if (o.io_threads < 1 || o.io_threads > 256) {
    return Status::InvalidArgument("io_threads must be between 1 and 256, got " +
                                   std::to_string(o.io_threads));
  }
  if (o.max_connections < 1) {
    return Status::InvalidArgument("max_connections must be at least 1");
  }
  if (!s.handler) return Status::InvalidArgument("the HTTP server needs a handler");
  ATG_RETURN_IF_ERROR(LoadTls(o, &s.tls));

  std::vector<std::unique_ptr<Shard>> shards;
  for (int i = 0; i < o.io_threads; ++i) shards.push_back(std::make_unique<Shard>());

  error_code ec;
  asio::ip::address address = asio::ip::make_address(o.host, ec);
  if (ec) {
    tcp::resolver resolver(*shards[0]->ioc);
    auto results = resolver.resolve(o.host, "", ec);
    if (ec || results.empty()) {
      return Status::InvalidArgument("cannot resolve the listen host '" + o.host +
                                     "': " + (ec ? ec.message() : "no address") +
                                     "; give an IP address such as 127.0.0.1 or 0.0.0.0");
    }
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, o.port);
  auto acceptor = std::make_unique<tcp::acceptor>(*shards[0]->ioc);
  const std::string where = "port " + std::to_string(o.port) + " on " + o.host;
  acceptor->open(endpoint.protocol(), ec);
  if (ec)
    return Status::IoError("cannot open a socket to listen on " + where + ": " + ec.message());
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  acceptor->bind(endpoint, ec);
  if (ec == asio::error::address_in_use) {
    return Status::Unavailable(where + " is already in use; " + o.port_advice);
  }
  if (ec == asio::error::access_denied) {
    return Status::PermissionDenied("cannot listen on " + where +
                                    ": permission denied (ports below 1024 need privileges); " +
                                    o.port_advice);
  }
  if (ec == boost::system::errc::address_not_available) {
    return Status::InvalidArgument("cannot listen on " + where + ": " + o.host +
                                   " is not an address of this machine; use 127.0.0.1 or 0.0.0.0");
  }
  if (ec) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::IoError("cannot listen on " + where + ": " + ec.message());
  s.port = acceptor->local_endpoint().port();

  s.shards = std::move(shards);
  s.acceptor = std::move(acceptor);
  asio::co_spawn(*s.shards[0]->ioc, s.AcceptLoop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      LogError("http server: the accept loop failed: {}", ex.what());
    }
  });
  for (auto& shard : s.shards) {
    shard->thread = std::thread([ioc = shard->ioc.get()] {
      for (;;) {
        try {
          ioc->run();
          return;
        } catch (const std::exception& e) {
          LogError("http server: an I/O thread caught: {}", e.what());
        }
      }
    });
  }
  s.started = true;
  return Status::Ok();
}

uint16_t HttpServer::port() const { return impl_->port.load(); }

const char* HttpServer::scheme() const { return impl_->tls ? "https" : "http"; }

void HttpServer::StopAccepting() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.lifecycle_mu);
  if (!s.started || s.accepting_stopped) return;
  s.accepting_stopped = true;
  // The acceptor belongs to shard 0's thread; wait so the port is free when this returns.
  std::promise<void> done;
  asio::post(*s.shards[0]->ioc, [&s, &done] {
    error_code ec;
    s.acceptor->close(ec);
    done.set_value();
  });
  done.get_future().wait();
}

void HttpServer::Stop(std::chrono::milliseconds grace) {
  Impl& s = *impl_;
  if (!s.started) return;
  StopAccepting();
  std::lock_guard<std::mutex> lock(s.lifecycle_mu);
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  const auto start = std::chrono::steady_clock::now();
  s.CloseConnections(/*idle_only=*/true);
  if (!s.WaitForSessions(start + grace)) {
    LogWarning("http server: closing {} connection(s) still busy after the {} ms grace period",
               s.live_sessions.load(), grace.count());
    s.CloseConnections(/*idle_only=*/false);
    // Closed connections unwind at once unless a BodySource ignores Cancel; do not hang on it.
    s.WaitForSessions(std::chrono::steady_clock::now() + std::chrono::seconds(1));
  }
  for (auto& shard : s.shards) shard->guard.reset();
  if (s.live_sessions.load() > 0) {
    for (auto& shard : s.shards) shard->ioc->stop();
  }
  for (auto& shard : s.shards) {
    if (shard->thread.joinable()) shard->thread.join();
  }
}

ServerStats HttpServer::Stats() const {
  ServerStats st;
  st.open_connections = impl_->open_connections.load();
  st.total_connections = impl_->total_connections.load();
  st.rejected_connections = impl_->rejected_connections.load();
  st.total_requests = impl_->total_requests.load();
  return st;
}

}  // namespace atg::net
