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
// A connection that has sent nothing for this long may be closed to make room near the cap.
constexpr auto kFreshGrace = std::chrono::seconds(1);

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

// What the server keeps about one open connection so that Stop and the shedding near the
// connection cap can reach it. Lives in the connection's coroutine frame; only touched on the
// connection's own I/O thread (the atomic idle count excepted).
struct Connection {
  enum class Wait { kBusy, kFresh, kKeepAlive };

  Connection(asio::io_context& ioc, std::atomic<int64_t>* keepalive_idle)
      : delay_timer(ioc), wake_timer(ioc), keepalive_idle_(keepalive_idle) {}
  ~Connection() { SetWait(Wait::kBusy); }

  // Closes the socket and wakes every wait, so the connection's coroutine unwinds promptly.
  void Close() {
    if (closed) return;
    closed = true;
    if (close_socket) close_socket();
    delay_timer.cancel();
    wake_timer.cancel();
  }

  // kFresh: waiting for its first request; kKeepAlive: waiting for the next one. Either way
  // closing it loses nothing. Keep-alive connections are counted: closing one of them to make
  // room is always harmless, while a fresh one may be a client whose request is on its way.
  void SetWait(Wait w) {
    if (w != wait) idle_since = std::chrono::steady_clock::now();
    const bool was = wait == Wait::kKeepAlive;
    const bool is = w == Wait::kKeepAlive;
    wait = w;
    if (was != is) keepalive_idle_->fetch_add(is ? 1 : -1, std::memory_order_relaxed);
  }
  bool idle() const { return wait != Wait::kBusy; }

  Wait wait = Wait::kBusy;
  std::chrono::steady_clock::time_point idle_since = std::chrono::steady_clock::now();
  // Admitted near the cap: only privileged requests are served until one was.
  bool probation = false;
  bool closed = false;
  asio::steady_timer delay_timer;  // HttpResponse::delay
  asio::steady_timer wake_timer;   // a BodySource delivered a piece, a deferred response is ready
  std::function<void()> close_socket;

 private:
  std::atomic<int64_t>* keepalive_idle_;
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

// Hands a deferred response (HttpResponse::defer), completed on any thread, to the connection's
// coroutine.
struct DeferredSlot {
  std::mutex mu;
  bool closed = false;  // written on the connection's thread only, under mu
  std::optional<HttpResponse> response;
  asio::any_io_executor executor;
  asio::steady_timer* wake = nullptr;
};

// What the per-address limit counts by: the IPv4 address, or the /64 network of an IPv6 one
// (a single host commonly holds a whole /64).
std::string AddressKey(const asio::ip::address& a) {
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  auto b = a.to_v6().to_bytes();
  return std::string(reinterpret_cast<const char*>(b.data()), 8) + "/64";
}

// The value of every `Transfer-Encoding` field of `head`, as one comma-separated list.
template <class Fields>
std::string TransferCodings(const http::header<true, Fields>& head, bool* present) {
  std::string all;
  *present = false;
  for (const auto& field : head) {
    if (field.name() != http::field::transfer_encoding) continue;
    *present = true;
    if (!all.empty()) all += ',';
    all.append(field.value().data(), field.value().size());
  }
  return all;
}

// Why a request head must not be served (RFC 9112 message framing), as (status, message), or
// status 0 when it is fine. Only a request whose body ends where every parser agrees it ends is
// served, so nothing can hide a second request in the first one's body (request smuggling).
template <class Fields>
std::pair<int, std::string> FramingProblem(const http::header<true, Fields>& head) {
  if (head.version() >= 11) {
    size_t hosts = head.count(http::field::host);
    if (hosts != 1) {
      return {400, hosts == 0 ? "an HTTP/1.1 request needs a Host header"
                              : "the request has more than one Host header"};
    }
  }
  bool has_te = false;
  const std::string codings = TransferCodings(head, &has_te);
  if (!has_te) return {0, ""};
  if (head.version() < 11) {
    return {400, "Transfer-Encoding is not allowed in an HTTP/1.0 request"};
  }
  if (head.count(http::field::content_length) > 0) {
    return {400, "the request has both Transfer-Encoding and Content-Length; send one"};
  }
  std::vector<std::string> list;
  for (const std::string& part : Split(codings, ',')) {
    std::string_view c = Trim(part);
    c = Trim(c.substr(0, c.find(';')));
    if (!c.empty()) list.push_back(ToLower(c));
  }
  if (list.empty() || list.back() != "chunked") {
    return {400, "the final Transfer-Encoding of a request must be chunked (RFC 9112 section 6.3)"};
  }
  for (size_t i = 0; i + 1 < list.size(); ++i) {
    if (list[i] == "chunked") return {400, "Transfer-Encoding applies chunked more than once"};
  }
  if (list.size() > 1) {
    return {501,
            "only the chunked transfer coding is supported; send the body without " + list.front()};
  }
  return {0, ""};
}

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
  // `reject` (why, for the client): answer 503 and close; null: the connection counts towards
  // the open ones and towards `address_key`'s.
  asio::awaitable<void> RunConnection(tcp::socket socket, Shard* shard, const char* reject,
                                      bool probation, std::string address_key, std::string remote);
  template <class Stream>
  asio::awaitable<void> Serve(Stream& stream, Connection& conn, const std::string& remote,
                              const char* reject);
  // Waits (without holding the thread) for a deferred response; false when the connection was
  // closed meanwhile.
  asio::awaitable<bool> AwaitDeferred(Connection& conn, HttpResponse& response);
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
          if (!idle_only || c->idle()) c->Close();
        }
      });
    }
  }

  // Closes one idle connection to make room: the keep-alive connection idle the longest of the
  // first shard (from `index`, asking each shard in turn) that has one; failing that, a
  // connection that has not sent a byte for kFreshGrace (a client whose request is on its way
  // is never the one closed); failing that, none.
  void ShedOne(size_t index, size_t hops, bool fresh_pass = false) {
    Shard* shard = shards[index % shards.size()].get();
    asio::post(*shard->ioc, [this, shard, index, hops, fresh_pass] {
      const auto now = std::chrono::steady_clock::now();
      const auto wanted = fresh_pass ? Connection::Wait::kFresh : Connection::Wait::kKeepAlive;
      Connection* victim = nullptr;
      for (Connection* c : shard->connections) {
        if (c->wait != wanted || c->closed) continue;
        if (fresh_pass && now - c->idle_since < kFreshGrace) continue;
        if (victim == nullptr || c->idle_since < victim->idle_since) victim = c;
      }
      if (victim != nullptr) {
        shed_connections.fetch_add(1, std::memory_order_relaxed);
        victim->Close();
      } else if (hops > 1) {
        ShedOne(index + 1, hops - 1, fresh_pass);
      } else if (!fresh_pass) {
        ShedOne(index + 1, shards.size(), true);
      }
    });
  }

  // Counts a connection of `key` in; false when the address is at its limit.
  bool AddAddress(const std::string& key) {
    if (options.max_connections_per_address == 0) return true;
    std::lock_guard<std::mutex> lock(address_mu);
    uint32_t& n = per_address[key];
    if (n >= options.max_connections_per_address) return false;
    ++n;
    return true;
  }
  void RemoveAddress(const std::string& key) {
    if (options.max_connections_per_address == 0) return;
    std::lock_guard<std::mutex> lock(address_mu);
    auto it = per_address.find(key);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }

  // Claims `bytes` of the in-flight body budget; false when it would be exceeded.
  bool ClaimBodyBytes(uint64_t bytes) {
    if (options.max_inflight_body_bytes == 0 || bytes == 0) return true;
    uint64_t now = inflight_body_bytes.load();
    do {
      if (now + bytes > options.max_inflight_body_bytes) return false;
    } while (!inflight_body_bytes.compare_exchange_weak(now, now + bytes));
    return true;
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
  std::atomic<uint64_t> shed_connections{0};
  std::atomic<uint64_t> total_requests{0};
  std::atomic<uint64_t> refused_requests{0};
  std::atomic<uint64_t> inflight_body_bytes{0};
  std::atomic<int64_t> keepalive_idle{0};
  // Connections kept for privileged requests (0 without a head filter); set by Start.
  uint64_t reserved = 0;
  std::atomic<int64_t> live_sessions{0};

  std::mutex address_mu;
  std::unordered_map<std::string, uint32_t> per_address;  // guarded by address_mu

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
    std::string remote, address_key;
    {
      error_code ep_ec;
      auto endpoint = socket.remote_endpoint(ep_ec);
      if (!ep_ec) {
        asio::ip::address a = endpoint.address();
        // A dual-stack listener ("::") sees IPv4 clients as ::ffff:a.b.c.d; report a.b.c.d.
        if (a.is_v6() && a.to_v6().is_v4_mapped()) {
          a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
        }
        remote = a.to_string();
        address_key = AddressKey(a);
      }
    }
    const uint64_t open = open_connections.load();
    bool reject = false;
    bool probation = false;
    bool shed = false;
    if (open >= options.max_connections - reserved) {
      // Near or at the cap: make room by closing an idle connection, and serve the newcomer
      // only privileged requests. At the cap only a keep-alive connection is sure to be there
      // to close; without one the newcomer is refused (and a stale fresh one closed for the
      // next).
      probation = static_cast<bool>(options.head_filter);
      shed = true;
      if (open >= options.max_connections && keepalive_idle.load(std::memory_order_relaxed) <= 0) {
        reject = true;
      }
    }
    bool address_full = false;
    if (!reject && !AddAddress(address_key)) {
      reject = address_full = true;
      shed = false;
    }
    if (reject) {
      rejected_connections.fetch_add(1, std::memory_order_relaxed);
      if (rejecting_now.load() >= kMaxRejecting) continue;  // the socket closes here
      rejecting_now.fetch_add(1);
    } else {
      open_connections.fetch_add(1);
    }
    if (shed) ShedOne(next - 1, shards.size());
    live_sessions.fetch_add(1);
    asio::co_spawn(
        *shard->ioc,
        RunConnection(std::move(socket), shard,
                      !reject        ? nullptr
                      : address_full ? "this client address holds too many open connections to "
                                       "the server; close some or retry later"
                                     : "the server has too many open connections; retry later",
                      probation, std::move(address_key), std::move(remote)),
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
                                                      const char* reject, bool probation,
                                                      std::string address_key, std::string remote) {
  Connection conn(*shard->ioc, &keepalive_idle);
  conn.probation = probation;
  shard->connections.insert(&conn);
  struct Exit {
    ~Exit() {
      shard->connections.erase(conn);
      if (reject) {
        impl->rejecting_now.fetch_sub(1);
      } else {
        impl->open_connections.fetch_sub(1);
        impl->RemoveAddress(*address_key);
      }
      impl->live_sessions.fetch_sub(1);
    }
    Impl* impl;
    Shard* shard;
    Connection* conn;
    bool reject;
    const std::string* address_key;
  } exit{this, shard, &conn, reject != nullptr, &address_key};

  if (tls) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
    conn.close_socket = [&stream] { beast::get_lowest_layer(stream).close(); };
    // A handshake not begun yet loses nothing when shed.
    if (reject == nullptr) conn.SetWait(Connection::Wait::kFresh);
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

asio::awaitable<bool> HttpServer::Impl::AwaitDeferred(Connection& conn, HttpResponse& response) {
  auto slot = std::make_shared<DeferredSlot>();
  slot->executor = conn.wake_timer.get_executor();
  slot->wake = &conn.wake_timer;
  struct Release {
    ~Release() {
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->closed = true;
    }
    DeferredSlot* slot;
  } release{slot.get()};
  auto defer = std::move(response.defer);
  try {
    defer([slot](HttpResponse r) {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->closed || slot->response) return;
      slot->response = std::move(r);
      asio::post(slot->executor, [slot] {
        if (!slot->closed) slot->wake->cancel();
      });
    });
  } catch (const std::exception& e) {
    LogError("http server: a deferred response failed: {}", e.what());
    response =
        MakeError(500, "InternalError", "the server failed while preparing the response", nullptr);
    co_return true;
  }
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      if (slot->response) {
        response = std::move(*slot->response);
        slot->response.reset();
        break;
      }
    }
    if (conn.closed) co_return false;
    conn.wake_timer.expires_at(std::chrono::steady_clock::time_point::max());
    co_await conn.wake_timer.async_wait(kTuple);
  }
  if (response.defer) {
    LogError("http server: a deferred response completed with another deferred response");
    response = MakeError(500, "InternalError", "the server produced an invalid response", nullptr);
  }
  co_return true;
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
                                              const std::string& remote, const char* reject) {
  auto& lowest = beast::get_lowest_layer(stream);
  if (reject != nullptr) {
    HttpResponse r = MakeError(503, "ServiceUnavailable", reject, nullptr);
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
  // Answers from the head alone (the body is never read), then closes the connection.
  auto refuse = [&](HttpResponse r, unsigned version) -> asio::awaitable<void> {
    refused_requests.fetch_add(1, std::memory_order_relaxed);
    if (r.body_source) r.body_source->Cancel();
    r.body_source.reset();
    r.defer = nullptr;
    if (co_await Write(stream, conn, r, version, false, false))
      co_await EndConnection(stream, /*drain=*/true);
  };

  for (;;) {
    conn.SetWait(first ? Connection::Wait::kFresh : Connection::Wait::kKeepAlive);
    if (stopping.load() || conn.closed) co_return;
    if (buffer.size() == 0) {
      // The first connection read is bounded by the header timeout (slow-loris); later ones,
      // between keep-alive requests, by the idle timeout.
      lowest.expires_after(first ? options.header_read_timeout : options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadSize), kTuple);
      if (ec) co_return;  // closed, timed out, shed, or reset: nothing to answer
      buffer.commit(n);
    }
    first = false;
    conn.SetWait(Connection::Wait::kBusy);

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

    const auto& head = parser->get();
    const unsigned version = head.version();
    const bool head_only = head.method() == http::verb::head;
    bool keep_alive = head.keep_alive();

    HttpRequest request;
    request.method.assign(head.method_string().data(), head.method_string().size());
    request.target.assign(head.target().data(), head.target().size());
    request.headers.reserve(std::distance(head.begin(), head.end()));
    for (const auto& field : head) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote_address = remote;
    request.ParseTarget();

    if (auto [status, why] = FramingProblem(head); status != 0) {
      total_requests.fetch_add(1, std::memory_order_relaxed);
      co_await fail(status, status == 501 ? "NotImplemented" : "BadRequest", why, &request);
      co_return;
    }

    // Decide from the head alone: nothing of the body has been read yet.
    HeadVerdict verdict;
    if (options.head_filter) {
      try {
        verdict = options.head_filter(request);
      } catch (const std::exception& e) {
        LogError("http server: the head filter failed: {}", e.what());
        verdict.reject =
            MakeError(500, "InternalError", "the server failed to check the request", &request);
      }
    }
    if (verdict.reject) {
      total_requests.fetch_add(1, std::memory_order_relaxed);
      co_await refuse(std::move(*verdict.reject), version);
      co_return;
    }
    if (conn.probation) {
      if (!verdict.privileged) {
        total_requests.fetch_add(1, std::memory_order_relaxed);
        HttpResponse r = MakeError(503, "ServiceUnavailable",
                                   "the server is near its connection limit and serves only "
                                   "health probes and authenticated requests now; retry later",
                                   &request);
        r.SetHeader("Retry-After", "1");
        co_await refuse(std::move(r), version);
        co_return;
      }
      conn.probation = false;
    }

    // The body's share of the in-flight budget, held until the request is handled.
    uint64_t claimed = 0;
    struct BodyClaim {
      ~BodyClaim() {
        if (*bytes > 0) budget->fetch_sub(*bytes);
      }
      std::atomic<uint64_t>* budget;
      uint64_t* bytes;
    } body_claim{&inflight_body_bytes, &claimed};

    if (!parser->is_done()) {
      const uint64_t need = parser->content_length().value_or(options.max_body_bytes);
      if (!ClaimBodyBytes(need)) {
        total_requests.fetch_add(1, std::memory_order_relaxed);
        HttpResponse r = MakeError(503, "ServiceUnavailable",
                                   "the server is receiving too many request bodies at once; "
                                   "retry later",
                                   &request);
        r.SetHeader("Retry-After", "1");
        co_await refuse(std::move(r), version);
        co_return;
      }
      if (options.max_inflight_body_bytes > 0) claimed = need;
      auto expect = head[http::field::expect];
      if (!expect.empty() && EqualsIgnoreCase(expect, "100-continue")) {
        http::response<http::empty_body> go_on{http::status::continue_, version};
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
                      &request);
        co_return;
      }
      if (ec && IsHttpParseError(ec) && ec != http::error::partial_message &&
          ec != http::error::end_of_stream) {
        co_await fail(400, "BadRequest", "the request body is malformed: " + ec.message(),
                      &request);
        co_return;
      }
      if (ec) co_return;
    }
    total_requests.fetch_add(1, std::memory_order_relaxed);
    request.body = std::move(parser->get().body());
    parser.reset();

    HttpResponse response = CallHandler(request);
    request = HttpRequest();  // the body's memory goes back before the response is written
    if (claimed > 0) {
      inflight_body_bytes.fetch_sub(claimed);
      claimed = 0;
    }
    if (response.defer) {
      if (!co_await AwaitDeferred(conn, response)) co_return;
    }
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

// The TLS 1.2 suites offered: ECDHE key exchange with an AEAD cipher, ECDSA or RSA keys.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

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
                   ssl::context::single_dh_use | ssl::context::no_compression);
  SSL_CTX* native = ctx->native_handle();
  // Mozilla's "intermediate" server configuration (v5.7) without its DHE suites: TLS 1.3, and
  // TLS 1.2 with forward secrecy (ECDHE) and authenticated encryption (GCM, ChaCha20-Poly1305)
  // only. A client that can do TLS 1.3 gets it (OpenSSL picks the highest common version).
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1 ||
      SSL_CTX_set1_groups_list(native, "X25519:prime256v1:secp384r1") != 1) {
    return Status::Internal("this OpenSSL cannot be set to the TLS 1.2/1.3 AEAD cipher suites");
  }
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
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
  if (o.reserved_connections && *o.reserved_connections >= o.max_connections) {
    return Status::InvalidArgument(
        "reserved_connections (" + std::to_string(*o.reserved_connections) +
        ") must be below max_connections (" + std::to_string(o.max_connections) + ")");
  }
  if (o.head_filter) s.reserved = o.reserved_connections.value_or(o.max_connections / 8);
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
  st.shed_connections = impl_->shed_connections.load();
  st.refused_requests = impl_->refused_requests.load();
  st.inflight_body_bytes = impl_->inflight_body_bytes.load();
  st.total_requests = impl_->total_requests.load();
  return st;
}

}  // namespace atg::net
