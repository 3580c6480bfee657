// The HTTP server core under attack: request framing (smuggling), decisions on the request head
// before the body is read, the in-flight body budget, connection limits per address, shedding
// of idle connections near the cap with headroom for privileged requests, deferred responses,
// and the TLS policy as `openssl s_client` sees it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/strings.h"
#include "common/temp_dir.h"
#include "net/http_server.h"

namespace atg::net {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// A blocking loopback client socket, optionally bound to another loopback source address
// (127.0.0.2 ...), so one test plays several client machines.
class Sock {
 public:
  explicit Sock(uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source != nullptr) {
      sockaddr_in src{};
      src.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &src.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Sock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Sock(const Sock&) = delete;
  Sock& operator=(const Sock&) = delete;

  bool connected() const { return connected_; }
  bool Send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads one response with a Content-Length body (or up to the close); "" on timeout.
  std::string ReadResponse(milliseconds timeout = milliseconds(3000)) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      size_t head_end = buf_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t cl = ToLower(buf_.substr(0, head_end)).find("content-length:");
        size_t len = cl == std::string::npos ? 0 : std::stoul(buf_.substr(cl + 15));
        if (buf_.size() >= head_end + 4 + len) {
          std::string out = buf_.substr(0, head_end + 4 + len);
          buf_.erase(0, out.size());
          return out;
        }
      }
      if (!Fill(deadline)) return "";
    }
  }
  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool ClosedWithin(milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
      if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
      char tmp[4096];
      ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  bool Fill(Clock::time_point deadline) {
    int left =
        static_cast<int>(std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) return false;
    char tmp[16384];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

int StatusOf(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.", 0) != 0) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

bool HasHeader(const std::string& response, std::string_view line) {
  return ToLower(response).find(ToLower(std::string(line))) != std::string::npos;
}

ServerOptions FastOptions() {
  ServerOptions o;
  o.io_threads = 2;
  o.header_read_timeout = milliseconds(2000);
  o.body_read_timeout = milliseconds(2000);
  o.idle_timeout = milliseconds(5000);
  return o;
}

// Counts the requests that reach the handler; answers 200 "ok:<path>".
struct Counting {
  std::atomic<int> calls{0};
  HttpHandler Handler() {
    return [this](HttpRequest& req) {
      calls.fetch_add(1);
      return HttpResponse::Text(200, "ok:" + req.path + ":" + req.body);
    };
  }
};

template <class Pred>
bool WaitFor(Pred pred, milliseconds timeout = milliseconds(2000)) {
  const auto deadline = Clock::now() + timeout;
  while (!pred()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(2));
  }
  return true;
}

// ---- framing -----------------------------------------------------------------------------

TEST(HttpFramingTest, TransferEncodingNotEndingInChunkedIs400AndClose) {
  Counting counting;
  HttpServer server(FastOptions(), counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  // Each request carries a second request in what a chunked-unaware reader takes as its body;
  // neither may reach the handler.
  const std::string smuggled = "POST /smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  for (const std::string te :
       {"xchunked", "gzip", "identity", "chunked, identity", "chunked;x=1 ,x"}) {
    Sock s(server.port());
    ASSERT_TRUE(s.connected());
    ASSERT_TRUE(s.Send("POST /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n\r\n" +
                       smuggled));
    std::string r = s.ReadResponse();
    EXPECT_EQ(StatusOf(r), 400) << te << ": " << r;
    EXPECT_TRUE(HasHeader(r, "connection: close")) << r;
    EXPECT_TRUE(s.ClosedWithin(milliseconds(2000))) << te;
  }
  EXPECT_EQ(counting.calls.load(), 0);
  server.Stop(milliseconds(500));
}

TEST(HttpFramingTest, AmbiguousFramingAndHostAreRefused) {
  Counting counting;
  HttpServer server(FastOptions(), counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  struct Case {
    std::string request;
    int status;
  };
  const std::vector<Case> cases = {
      // Both framings at once: a proxy may pick the other one.
      {"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\n",
       400},
      // chunked twice, split over two fields.
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
       "chunked\r\n\r\n0\r\n\r\n",
       400},
      // Chunked framing does not exist in HTTP/1.0.
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
      // No Host, two Hosts.
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      // A coding the server cannot undo.
      {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
  };
  for (const Case& c : cases) {
    Sock s(server.port());
    ASSERT_TRUE(s.Send(c.request));
    std::string r = s.ReadResponse();
    EXPECT_EQ(StatusOf(r), c.status) << c.request << "\n-> " << r;
    EXPECT_TRUE(s.ClosedWithin(milliseconds(2000))) << c.request;
  }
  EXPECT_EQ(counting.calls.load(), 0);

  // What is well framed still works: chunked, and HTTP/1.0 without Host.
  Sock ok(server.port());
  ASSERT_TRUE(
      ok.Send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n"
              "3\r\nabc\r\n0\r\n\r\n"));
  std::string r = ok.ReadResponse();
  EXPECT_EQ(StatusOf(r), 200) << r;
  EXPECT_NE(r.find("ok:/c:abc"), std::string::npos) << r;
  Sock old(server.port());
  ASSERT_TRUE(old.Send("GET /old HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(StatusOf(old.ReadResponse()), 200);
  server.Stop(milliseconds(500));
}

// ---- the head filter and the body budget --------------------------------------------------

TEST(HttpServerHeadTest, ARequestRefusedOnItsHeadIsAnsweredBeforeItsBody) {
  Counting counting;
  ServerOptions o = FastOptions();
  o.max_body_bytes = 4 << 20;
  o.head_filter = [](const HttpRequest& head) {
    HeadVerdict v;
    if (!head.Header("X-Key")) v.reject = HttpResponse::Text(401, "no key");
    v.privileged = true;
    return v;
  };
  HttpServer server(o, counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  // Many uploads announce 1 MiB each and send none of it: each is answered at once.
  std::vector<std::unique_ptr<Sock>> socks;
  for (int i = 0; i < 50; ++i) {
    socks.push_back(std::make_unique<Sock>(server.port()));
    ASSERT_TRUE(
        socks.back()->Send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n"));
  }
  const auto start = Clock::now();
  for (auto& s : socks) {
    std::string r = s->ReadResponse(milliseconds(1500));
    EXPECT_EQ(StatusOf(r), 401) << r;
    EXPECT_TRUE(HasHeader(r, "connection: close")) << r;
  }
  EXPECT_LT(Clock::now() - start, milliseconds(1500));
  EXPECT_EQ(server.Stats().inflight_body_bytes, 0u);
  EXPECT_GE(server.Stats().refused_requests, 50u);
  EXPECT_EQ(counting.calls.load(), 0);

  // With the key, the body is read and handled.
  Sock ok(server.port());
  ASSERT_TRUE(
      ok.Send("POST /upload HTTP/1.1\r\nHost: x\r\nX-Key: 1\r\nContent-Length: 3\r\n\r\nabc"));
  EXPECT_EQ(StatusOf(ok.ReadResponse()), 200);
  server.Stop(milliseconds(500));
}

TEST(HttpServerHeadTest, BodiesBeyondTheInFlightBudgetGet503WithRetryAfter) {
  Counting counting;
  ServerOptions o = FastOptions();
  o.max_body_bytes = 1 << 20;
  o.max_inflight_body_bytes = 100 * 1024;
  HttpServer server(o, counting.Handler());
  ASSERT_TRUE(server.Start().ok());

  // One upload of 80 KiB is under way (head and part of the body sent)...
  Sock slow(server.port());
  ASSERT_TRUE(slow.Send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 81920\r\n\r\n" +
                        std::string(1000, 'a')));
  ASSERT_TRUE(WaitFor([&] { return server.Stats().inflight_body_bytes == 81920; }));
  // ... so one of 40 KiB does not fit, and is refused before its body.
  Sock second(server.port());
  ASSERT_TRUE(second.Send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 40960\r\n\r\n"));
  std::string r = second.ReadResponse();
  EXPECT_EQ(StatusOf(r), 503) << r;
  EXPECT_TRUE(HasHeader(r, "retry-after: 1")) << r;
  EXPECT_TRUE(second.ClosedWithin(milliseconds(2000)));
  // A chunked body claims the whole max_body_bytes: refused too.
  Sock chunked(server.port());
  ASSERT_TRUE(chunked.Send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
  EXPECT_EQ(StatusOf(chunked.ReadResponse()), 503);
  // A small one fits.
  Sock small(server.port());
  ASSERT_TRUE(small.Send("POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"));
  EXPECT_EQ(StatusOf(small.ReadResponse()), 200);

  // The first upload completes; its claim is returned.
  ASSERT_TRUE(slow.Send(std::string(81920 - 1000, 'a')));
  EXPECT_EQ(StatusOf(slow.ReadResponse()), 200);
  EXPECT_TRUE(WaitFor([&] { return server.Stats().inflight_body_bytes == 0; }));
  Sock again(server.port());
  ASSERT_TRUE(again.Send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 40960\r\n\r\n" +
                         std::string(40960, 'b')));
  EXPECT_EQ(StatusOf(again.ReadResponse()), 200);
  server.Stop(milliseconds(500));
}

// ---- connection limits ----------------------------------------------------------------------

TEST(HttpServerLimitsTest, OneAddressCannotHoldMoreThanItsShare) {
  Counting counting;
  ServerOptions o = FastOptions();
  o.max_connections_per_address = 3;
  HttpServer server(o, counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  std::vector<std::unique_ptr<Sock>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Sock>(server.port(), "127.0.0.1"));
    ASSERT_TRUE(held.back()->connected());
  }
  ASSERT_TRUE(WaitFor([&] { return server.Stats().open_connections == 3; }));
  Sock fourth(server.port(), "127.0.0.1");
  ASSERT_TRUE(fourth.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = fourth.ReadResponse();
  EXPECT_EQ(StatusOf(r), 503) << r;
  EXPECT_TRUE(HasHeader(r, "retry-after: 1")) << r;
  EXPECT_NE(r.find("this client address holds too many open connections"), std::string::npos) << r;
  // Another machine is not affected.
  Sock other(server.port(), "127.0.0.2");
  ASSERT_TRUE(other.Send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(other.ReadResponse()), 200);
  // A connection given back makes room again.
  held.pop_back();
  ASSERT_TRUE(WaitFor([&] { return server.Stats().open_connections == 3; }));
  Sock again(server.port(), "127.0.0.1");
  ASSERT_TRUE(again.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(again.ReadResponse()), 200);
  server.Stop(milliseconds(500));
}

// The attack of the issue, scaled down: idle keep-alive connections from many addresses fill
// the server; probes and authenticated clients still get in, others are turned away.
TEST(HttpServerLimitsTest, IdleKeepAliveIsShedNearTheCapWithHeadroomForPrivilegedRequests) {
  Counting counting;
  ServerOptions o = FastOptions();
  o.max_connections = 16;
  o.reserved_connections = 4;
  o.max_connections_per_address = 0;
  o.idle_timeout = milliseconds(60'000);
  o.head_filter = [](const HttpRequest& head) {
    HeadVerdict v;
    v.privileged = head.path == "/health" || head.Header("X-Key").has_value();
    return v;
  };
  HttpServer server(o, counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  // The attacker: one request on each connection, then silence, from ever new addresses.
  std::vector<std::unique_ptr<Sock>> idle;
  int next_address = 10;
  auto flood = [&](int n) {
    for (int i = 0; i < n; ++i) {
      const std::string source = "127.0.0." + std::to_string(next_address++);
      auto s = std::make_unique<Sock>(server.port(), source.c_str());
      if (!s->connected() || !s->Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")) continue;
      if (StatusOf(s->ReadResponse(milliseconds(1000))) == 200) idle.push_back(std::move(s));
    }
  };
  flood(24);
  EXPECT_EQ(idle.size(), 24u);  // every one got in, by closing an older idle one
  EXPECT_LE(server.Stats().open_connections, 17u);
  EXPECT_GT(server.Stats().shed_connections, 0u);

  // An anonymous request for anything else is turned away while the server is near its cap.
  {
    Sock anon(server.port(), "127.0.0.202");
    ASSERT_TRUE(anon.Send("GET /jobs HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string r = anon.ReadResponse();
    EXPECT_EQ(StatusOf(r), 503) << r;
    EXPECT_TRUE(HasHeader(r, "retry-after: 1")) << r;
    EXPECT_TRUE(anon.ClosedWithin(milliseconds(2000)));
  }
  // A probe and an authenticated client get in, from fresh connections, every time, while the
  // attacker keeps coming.
  for (int i = 0; i < 5; ++i) {
    flood(4);
    Sock probe(server.port(), "127.0.0.200");
    ASSERT_TRUE(probe.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(StatusOf(probe.ReadResponse()), 200) << "probe " << i;
    Sock authed(server.port(), "127.0.0.201");
    ASSERT_TRUE(authed.Send("GET /jobs HTTP/1.1\r\nHost: x\r\nX-Key: k\r\n\r\n"));
    EXPECT_EQ(StatusOf(authed.ReadResponse()), 200) << "authenticated " << i;
  }
  EXPECT_LE(server.Stats().open_connections, 17u);
  server.Stop(milliseconds(500));
}

TEST(HttpServerLimitsTest, AtTheCapWithNothingIdleNewConnectionsGet503) {
  Counting counting;
  ServerOptions o = FastOptions();
  o.max_connections = 4;
  o.max_connections_per_address = 0;
  HttpServer server(o, counting.Handler());
  ASSERT_TRUE(server.Start().ok());
  // Four connections in the middle of a request head: busy, not idle.
  std::vector<std::unique_ptr<Sock>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<Sock>(server.port()));
    ASSERT_TRUE(busy.back()->Send("GET /slow HTTP/1.1\r\nHost"));
  }
  ASSERT_TRUE(WaitFor([&] { return server.Stats().open_connections == 4; }));
  std::this_thread::sleep_for(milliseconds(100));  // their bytes are read: busy
  Sock extra(server.port());
  ASSERT_TRUE(extra.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string r = extra.ReadResponse();
  EXPECT_EQ(StatusOf(r), 503) << r;
  EXPECT_EQ(server.Stats().shed_connections, 0u);
  EXPECT_EQ(server.Stats().rejected_connections, 1u);
  // The busy ones finish their requests undisturbed.
  for (auto& s : busy) {
    ASSERT_TRUE(s->Send(": x\r\n\r\n"));
    EXPECT_EQ(StatusOf(s->ReadResponse()), 200);
  }
  server.Stop(milliseconds(500));
}

// ---- deferred responses ---------------------------------------------------------------------

TEST(HttpServerDeferTest, ADeferredResponseHoldsNoThread) {
  ServerOptions o = FastOptions();
  o.io_threads = 1;
  std::vector<std::thread> completers;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;  // the deferred answers wait for the test, not for a timer
  int completed = 0;
  HttpServer server(o, [&](HttpRequest& req) {
    if (req.path != "/slow") return HttpResponse::Text(200, "fast");
    HttpResponse r;
    r.defer = [&](std::function<void(HttpResponse)> complete) {
      std::lock_guard<std::mutex> lock(mu);
      completers.emplace_back([complete, &mu, &cv, &release, &completed] {
        {
          std::unique_lock<std::mutex> lk(mu);
          cv.wait(lk, [&] { return release; });
        }
        HttpResponse done = HttpResponse::Text(202, "slow");
        done.SetHeader("X-Late", "1");
        complete(std::move(done));
        complete(HttpResponse::Text(500, "twice"));  // ignored
        std::lock_guard<std::mutex> lk(mu);
        ++completed;
        cv.notify_all();
      });
    };
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Sock slow(server.port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  // The one I/O thread still serves others while the deferred answer is outstanding: the fast
  // request is answered before the slow one is released at all.
  Sock fast(server.port());
  ASSERT_TRUE(fast.Send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(fast.ReadResponse()), 200);
  {
    std::lock_guard<std::mutex> lk(mu);
    release = true;
    cv.notify_all();
  }
  std::string r = slow.ReadResponse();
  EXPECT_EQ(StatusOf(r), 202) << r;
  EXPECT_TRUE(HasHeader(r, "x-late: 1"));
  // The connection stays usable.
  ASSERT_TRUE(slow.Send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(StatusOf(slow.ReadResponse()), 200);
  // A client that leaves before the answer costs nothing: its answer completes after it left.
  {
    Sock gone(server.port());
    ASSERT_TRUE(gone.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(WaitFor([&] { return server.Stats().total_requests >= 4; }));
    std::lock_guard<std::mutex> lk(mu);
    release = false;
  }
  {
    std::unique_lock<std::mutex> lk(mu);
    release = true;
    cv.notify_all();
    ASSERT_TRUE(cv.wait_for(lk, std::chrono::seconds(30), [&] { return completed == 2; }));
  }
  server.Stop(milliseconds(500));
  std::lock_guard<std::mutex> lock(mu);
  for (auto& t : completers) t.join();
}

// ---- TLS policy -------------------------------------------------------------------------------

class TlsPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
      GTEST_FAIL() << "openssl is missing; install it with `apt-get install openssl`";
    }
    ASSERT_TRUE(dir_.ok()) << dir_.status().ToString();
    // An RSA certificate: the suites without forward secrecy (AES128-SHA ...) need one.
    std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
        " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        dir_.File("key.pem") + "' -out '" + dir_.File("cert.pem") + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
    ServerOptions o = FastOptions();
    o.tls_cert_file = dir_.File("cert.pem");
    o.tls_key_file = dir_.File("key.pem");
    server_ =
        std::make_unique<HttpServer>(o, [](HttpRequest&) { return HttpResponse::Text(200, "ok"); });
    Status s = server_->Start();
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void TearDown() override {
    if (server_) server_->Stop(milliseconds(500));
  }

  // Runs `openssl s_client` with `flags`; returns its output (stdout and stderr).
  std::string SClient(const std::string& flags) {
    std::string cmd = "echo Q | timeout 10 openssl s_client -connect 127.0.0.1:" +
                      std::to_string(server_->port()) + " -servername localhost " + flags + " 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
    return out;
  }
  // The negotiated cipher ("" when the handshake failed).
  static std::string Cipher(const std::string& out) {
    for (const char* marker : {"Cipher is ", "Cipher    : "}) {
      size_t at = out.find(marker);
      if (at == std::string::npos) continue;
      at += std::strlen(marker);
      std::string c = out.substr(at, out.find('\n', at) - at);
      if (c != "(NONE)" && c != "0000") return std::string(Trim(c));
    }
    return "";
  }

  TempDir dir_{"atg-tls-"};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TlsPolicyTest, TlsOneThreeIsPreferred) {
  std::string out = SClient("");
  EXPECT_NE(out.find("TLSv1.3"), std::string::npos) << out;
  EXPECT_NE(Cipher(out), "") << out;
}

TEST_F(TlsPolicyTest, TlsOneTwoOffersOnlyEcdheWithAead) {
  for (const char* good : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                           "ECDHE-RSA-CHACHA20-POLY1305"}) {
    std::string out = SClient(std::string("-tls1_2 -cipher ") + good);
    EXPECT_EQ(Cipher(out), good) << out;
  }
  // No forward secrecy, CBC, DHE, or anything weaker.
  for (const char* bad : {"AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA",
                          "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES128-GCM-SHA256", "DES-CBC3-SHA"}) {
    std::string out = SClient(std::string("-tls1_2 -cipher ") + bad);
    EXPECT_EQ(Cipher(out), "") << bad << ":\n" << out;
  }
  // Nothing older than TLS 1.2.
  EXPECT_EQ(Cipher(SClient("-tls1_1 -cipher DEFAULT@SECLEVEL=0")), "");
}

}  // namespace
}  // namespace atg::net
