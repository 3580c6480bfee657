#include "net/http_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "net/body_sources.h"
#include "net/router.h"

namespace atg::net {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

long ElapsedMs(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<milliseconds>(Clock::now() - since).count());
}

// A libcurl client; one instance keeps its connection alive between requests.
struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class Client {
 public:
  Client() : h_(curl_easy_init()) {}
  ~Client() { curl_easy_cleanup(h_); }

  Reply Do(const std::string& method, const std::string& url, const std::string& body = "",
           std::vector<std::string> headers = {}, long timeout_ms = 5000,
           const std::string& ca_file = "") {
    Reply r;
    curl_easy_reset(h_);
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_NOPROXY, "*");
    if (method == "HEAD") {
      curl_easy_setopt(h_, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(h_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
      curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    if (!ca_file.empty()) curl_easy_setopt(h_, CURLOPT_CAINFO, ca_file.c_str());
    struct curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, &Client::OnBody);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h_, CURLOPT_HEADERFUNCTION, &Client::OnHeader);
    curl_easy_setopt(h_, CURLOPT_HEADERDATA, &r);
    r.code = curl_easy_perform(h_);
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(list);
    return r;
  }

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* user) {
    static_cast<Reply*>(user)->body.append(data, size * n);
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* user) {
    std::string_view line(data, size * n);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      static_cast<Reply*>(user)->headers[ToLower(Trim(line.substr(0, colon)))] =
          std::string(Trim(line.substr(colon + 1)));
    }
    return size * n;
  }
  CURL* h_;
};

// A blocking loopback socket for what curl will not send (malformed or slow requests).
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~RawSocket() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  bool Send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads until the peer closes (true) or the 3 s receive timeout passes (false).
  bool ReadUntilClose(std::string* out) {
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      out->append(buf, static_cast<size_t>(n));
    }
  }
  // Reads until `out` holds `text` (true), or the peer closes or 3 s pass without a byte.
  bool ReadUntil(std::string_view text, std::string* out) {
    char buf[4096];
    while (out->find(text) == std::string::npos) {
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      out->append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  // Reads until `out` holds a complete response with a Content-Length body.
  bool ReadResponse(std::string* out) {
    char buf[4096];
    for (;;) {
      size_t head_end = out->find("\r\n\r\n");
      if (head_end != std::string::npos) {
        size_t cl = ToLower(*out).find("content-length:");
        if (cl != std::string::npos) {
          size_t len = std::stoul(out->substr(cl + 15));
          if (out->size() >= head_end + 4 + len) return true;
        }
      }
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return false;
      out->append(buf, static_cast<size_t>(n));
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string Url(const HttpServer& s, const std::string& path) {
  return std::string(s.scheme()) + "://127.0.0.1:" + std::to_string(s.port()) + path;
}

// Waits until `done` holds, checking every millisecond; false once `deadline` has passed (a
// bound no healthy run comes near: it only keeps a broken server from hanging the test).
template <typename Pred>
bool WaitUntil(Pred done, milliseconds deadline = milliseconds(10000)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return true;
}

ServerOptions FastOptions() {
  ServerOptions o;
  o.io_threads = 2;
  o.header_read_timeout = milliseconds(2000);
  o.body_read_timeout = milliseconds(2000);
  o.idle_timeout = milliseconds(2000);
  return o;
}

// Echoes what the server parsed, so tests see the request as the handler saw it.
HttpResponse Echo(HttpRequest& req) {
  json::object o;
  o["method"] = req.method;
  o["path"] = req.path;
  o["body"] = req.body;
  o["remote"] = req.remote_address;
  o["q"] = std::string(req.Query("q").value_or(""));
  o["x_test"] = std::string(req.Header("x-test").value_or(""));
  return HttpResponse::Json(200, o);
}

json::object ParseObject(const std::string& text) {
  auto v = ParseJson(text);
  EXPECT_TRUE(v.ok()) << text;
  if (!v.ok() || !v->is_object()) return {};
  return v->as_object();
}

std::string ErrorCode(const std::string& body) {
  auto o = ParseObject(body);
  auto* e = FindObject(&o, "error");
  return e ? std::string(FindString(e, "code").value_or("")) : "";
}

TEST(HttpServerTest, GetAndPostRoundTrip) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.port(), 0);
  Client c;
  Reply get = c.Do("GET", Url(server, "/a%20b/c?q=x%26y"), "", {"X-Test: hello"});
  ASSERT_EQ(get.code, CURLE_OK);
  EXPECT_EQ(get.status, 200);
  auto o = ParseObject(get.body);
  EXPECT_EQ(FindString(&o, "method").value_or(""), "GET");
  EXPECT_EQ(FindString(&o, "path").value_or(""), "/a b/c");
  EXPECT_EQ(FindString(&o, "q").value_or(""), "x&y");
  EXPECT_EQ(FindString(&o, "x_test").value_or(""), "hello");
  EXPECT_EQ(FindString(&o, "remote").value_or(""), "127.0.0.1");
  EXPECT_EQ(get.Header("server"), "atg");
  EXPECT_EQ(get.Header("date").size(), 29u) << get.Header("date");
  EXPECT_EQ(get.Header("content-length"), std::to_string(get.body.size()));

  Reply post =
      c.Do("POST", Url(server, "/items"), R"({"n":1})", {"Content-Type: application/json"});
  ASSERT_EQ(post.code, CURLE_OK);
  o = ParseObject(post.body);
  EXPECT_EQ(FindString(&o, "method").value_or(""), "POST");
  EXPECT_EQ(FindString(&o, "body").value_or(""), R"({"n":1})");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, KeepAliveReusesOneConnection) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  Client c;
  EXPECT_EQ(c.Do("GET", Url(server, "/1")).status, 200);
  EXPECT_EQ(c.Do("POST", Url(server, "/2"), "x").status, 200);
  EXPECT_EQ(c.Do("GET", Url(server, "/3")).status, 200);
  ServerStats st = server.Stats();
  EXPECT_EQ(st.total_connections, 1u);
  EXPECT_EQ(st.total_requests, 3u);
  EXPECT_EQ(st.open_connections, 1u);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, Http10IsAnsweredAndClosed) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("GET /old HTTP/1.0\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out)) << "the server kept an HTTP/1.0 connection open";
  EXPECT_EQ(out.rfind("HTTP/1.0 200", 0), 0u) << out;
  EXPECT_NE(out.find("\"/old\""), std::string::npos);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(
      s.Send("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n"
             "Connection: close\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out));
  size_t first = out.find("/first");
  size_t second = out.find("/second");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  EXPECT_LT(first, second);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, OversizedBodyGets413AndClose) {
  ServerOptions o = FastOptions();
  o.max_body_bytes = 1024;
  HttpServer server(o, Echo);
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply r = c.Do("POST", Url(server, "/upload"), std::string(4096, 'x'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ErrorCode(r.body), "PayloadTooLarge") << r.body;
  EXPECT_EQ(r.Header("connection"), "close");

  // A body that declares no length up front (chunked) is cut off while it is read.
  RawSocket s(server.port());
  std::string chunked = "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "200\r\n" + std::string(512, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  ASSERT_TRUE(s.Send(chunked));
  std::string out;
  EXPECT_TRUE(s.ReadUntilClose(&out));
  EXPECT_EQ(out.rfind("HTTP/1.1 413", 0), 0u) << out;

  // Exactly at the limit is fine.
  Client ok;
  EXPECT_EQ(ok.Do("POST", Url(server, "/upload"), std::string(1024, 'x')).status, 200);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, MalformedRequestGets400AndClose) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("THIS IS NOT HTTP\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out));
  EXPECT_EQ(out.rfind("HTTP/1.1 400", 0), 0u) << out;
  EXPECT_NE(out.find("\"BadRequest\""), std::string::npos) << out;
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, OversizedHeadGets431) {
  ServerOptions o = FastOptions();
  o.max_header_bytes = 1024;
  HttpServer server(o, Echo);
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply r = c.Do("GET", Url(server, "/"), "", {"X-Big: " + std::string(2000, 'a')});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(ErrorCode(r.body), "RequestHeaderFieldsTooLarge");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, SlowClientIsDisconnectedByHeaderTimeout) {
  ServerOptions o = FastOptions();
  o.header_read_timeout = milliseconds(200);
  HttpServer server(o, Echo);
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  auto start = Clock::now();
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHost: x\r\n"));  // never finishes the head
  std::string out;
  EXPECT_TRUE(s.ReadUntilClose(&out)) << "the slow client was not disconnected";
  long ms = ElapsedMs(start);
  EXPECT_GE(ms, 150);
  EXPECT_LT(ms, 1500);
  EXPECT_EQ(out, "");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, SlowBodyIsDisconnectedByBodyTimeout) {
  ServerOptions o = FastOptions();
  o.body_read_timeout = milliseconds(200);
  bool called = false;
  HttpServer server(o, [&](HttpRequest&) {
    called = true;
    return HttpResponse::Text(200, "");
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  auto start = Clock::now();
  ASSERT_TRUE(s.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab"));
  std::string out;
  EXPECT_TRUE(s.ReadUntilClose(&out));
  EXPECT_GE(ElapsedMs(start), 150);
  EXPECT_LT(ElapsedMs(start), 1500);
  server.Stop(milliseconds(500));
  EXPECT_FALSE(called);
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions o = FastOptions();
  o.idle_timeout = milliseconds(200);
  HttpServer server(o, Echo);
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadResponse(&out));
  auto start = Clock::now();
  out.clear();
  EXPECT_TRUE(s.ReadUntilClose(&out));
  EXPECT_GE(ElapsedMs(start), 150);
  EXPECT_LT(ElapsedMs(start), 1500);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, DelayDoesNotBlockOtherRequests) {
  ServerOptions o = FastOptions();
  o.io_threads = 1;  // one thread: a sleeping handler would stall the fast request
  HttpServer server(o, [](HttpRequest& req) {
    HttpResponse r = HttpResponse::Text(200, req.path);
    if (req.path == "/slow") r.delay = milliseconds(2000);
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Reply slow;
  long slow_ms = 0;
  std::atomic<bool> slow_done{false};
  auto start = Clock::now();
  std::thread t([&] {
    Client c;
    slow = c.Do("GET", Url(server, "/slow"));
    slow_ms = ElapsedMs(start);
    slow_done = true;
  });
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().total_requests >= 1; }));
  Client c;
  Reply fast = c.Do("GET", Url(server, "/fast"));
  // Ordered, not timed: the fast answer came while the slow one was still waiting.
  const bool fast_first = !slow_done;
  t.join();
  EXPECT_EQ(fast.body, "/fast");
  EXPECT_TRUE(fast_first) << "the delayed response held up the only I/O thread";
  EXPECT_EQ(slow.body, "/slow");
  EXPECT_GE(slow_ms, 2000);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, DropConnectionClosesWithoutAnswer) {
  HttpServer server(FastOptions(), [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "never sent");
    r.drop_connection = true;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply r = c.Do("GET", Url(server, "/"));
  EXPECT_EQ(r.code, CURLE_GOT_NOTHING);
  EXPECT_EQ(r.body, "");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, CloseConnectionClosesAfterTheResponse) {
  HttpServer server(FastOptions(), [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "bye");
    r.close_connection = true;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out));
  EXPECT_NE(out.find("Connection: close"), std::string::npos) << out;
  EXPECT_NE(out.find("\r\n\r\nbye"), std::string::npos) << out;
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, HandlerExceptionBecomes500) {
  HttpServer server(FastOptions(), [](HttpRequest& req) -> HttpResponse {
    if (req.path == "/int") throw 42;
    throw std::runtime_error("boom");
  });
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply r = c.Do("GET", Url(server, "/x"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(ErrorCode(r.body), "InternalError") << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json; charset=utf-8");
  // The connection survives and the server keeps serving.
  EXPECT_EQ(c.Do("GET", Url(server, "/int")).status, 500);
  EXPECT_EQ(server.Stats().total_connections, 1u);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, ErrorResponderShapesCoreErrors) {
  ServerOptions o = FastOptions();
  o.max_body_bytes = 10;
  o.error_responder = [](int status, std::string_view code, std::string_view message,
                         const HttpRequest*) {
    json::object e{{"code", code}, {"message", message}, {"request_id", "r-1"}};
    HttpResponse r = HttpResponse::Json(status, json::object{{"error", e}});
    r.SetHeader("X-Request-ID", "r-1");
    return r;
  };
  HttpServer server(o, [](HttpRequest&) -> HttpResponse { throw std::runtime_error("x"); });
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply big = c.Do("POST", Url(server, "/"), std::string(100, 'x'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Header("x-request-id"), "r-1");
  EXPECT_NE(big.body.find("\"request_id\":\"r-1\""), std::string::npos) << big.body;
  Client c2;
  Reply boom = c2.Do("GET", Url(server, "/"));
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(boom.Header("x-request-id"), "r-1");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  ServerOptions o = FastOptions();
  o.max_connections = 1;
  HttpServer server(o, [](HttpRequest& req) {
    HttpResponse r = Echo(req);
    if (req.path == "/hold") r.delay = milliseconds(1000);
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  // In the middle of a request (read, its answer not yet sent): busy, so it cannot be closed to
  // make room.
  auto holder = std::make_unique<RawSocket>(server.port());
  ASSERT_TRUE(holder->connected());
  ASSERT_TRUE(holder->Send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().total_requests >= 1; }));
  Client c;
  Reply r = c.Do("GET", Url(server, "/"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(ErrorCode(r.body), "ServiceUnavailable");
  EXPECT_EQ(server.Stats().rejected_connections, 1u);

  holder.reset();
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().open_connections == 0; }));
  Client c2;
  EXPECT_EQ(c2.Do("GET", Url(server, "/")).status, 200);
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, StopLetsAnInFlightDelayedRequestFinish) {
  HttpServer server(FastOptions(), [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "done");
    r.delay = milliseconds(300);
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  const std::string url = Url(server, "/");
  Client idle;  // an idle keep-alive connection must not hold Stop up
  ASSERT_EQ(idle.Do("GET", url).status, 200);

  Reply r;
  std::thread t([&] {
    Client c;
    r = c.Do("GET", url);
  });
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().total_requests >= 2; }));
  // A grace far beyond the request's 300 ms: Stop must return when the request is done, not
  // when the grace runs out.
  auto start = Clock::now();
  server.Stop(milliseconds(60000));
  long ms = ElapsedMs(start);
  t.join();
  EXPECT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.body, "done");
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_LT(ms, 30000) << "Stop waited for the grace, not for the in-flight request";
  // The listener is gone.
  Client after;
  EXPECT_NE(after.Do("GET", url, "", {}, 500).code, CURLE_OK);
}

TEST(HttpServerTest, StopClosesRequestsThatOutliveTheGrace) {
  HttpServer server(FastOptions(), [](HttpRequest&) {
    HttpResponse r = HttpResponse::Text(200, "late");
    r.delay = std::chrono::hours(1);  // no run waits this out
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Reply r;
  std::thread t([&] {
    Client c;
    r = c.Do("GET", Url(server, "/"));
  });
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().total_requests >= 1; }));
  auto start = Clock::now();
  server.Stop(milliseconds(100));
  EXPECT_LT(ElapsedMs(start), 30000) << "Stop waited for the request, not for the grace";
  t.join();
  EXPECT_NE(r.code, CURLE_OK);
}

TEST(HttpServerTest, PortInUseIsAClearError) {
  HttpServer first(FastOptions(), Echo);
  ASSERT_TRUE(first.Start().ok());
  ServerOptions o = FastOptions();
  o.port = first.port();
  HttpServer second(o, Echo);
  Status s = second.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "port " + std::to_string(first.port()) +
                             " on 127.0.0.1 is already in use; choose another with --port or "
                             "ATG_SERVER_PORT");
  first.Stop(milliseconds(100));
}

TEST(HttpServerTest, DualStackListenerReportsIpv4Clients) {
  ServerOptions o = FastOptions();
  o.host = "::";
  HttpServer server(o, Echo);
  Status st = server.Start();
  if (!st.ok()) GTEST_SKIP() << "no IPv6 on this machine: " << st.ToString();
  Client c;
  Reply r = c.Do("GET", Url(server, "/"));
  auto obj = ParseObject(r.body);
  EXPECT_EQ(FindString(&obj, "remote").value_or(""), "127.0.0.1");
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, HeadSendsHeadersOnly) {
  HttpServer server(FastOptions(), [](HttpRequest&) { return HttpResponse::Text(200, "12345"); });
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out));
  EXPECT_NE(out.find("Content-Length: 5\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n") << out;
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, ExpectContinueIsHonoured) {
  HttpServer server(FastOptions(), Echo);
  ASSERT_TRUE(server.Start().ok());
  Client c;
  auto start = Clock::now();
  // curl waits a full second for "100 Continue" before sending the body anyway.
  Reply r = c.Do("POST", Url(server, "/"), "payload", {"Expect: 100-continue"});
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(ElapsedMs(start), 800);
  EXPECT_NE(r.body.find("payload"), std::string::npos);
  server.Stop(milliseconds(500));
}

void WriteFile(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary) << data;
}

TEST(HttpServerTest, FileRangeBodyIsStreamed) {
  TempDir dir;
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>('a' + i % 26);
  const std::string path = dir.File("big.bin");
  WriteFile(path, data);
  HttpServer server(FastOptions(), [&](HttpRequest& req) {
    auto body = req.path == "/all" ? OpenFileBody(path) : OpenFileBody(path, 1000, 150000);
    if (!body.ok()) return HttpResponse::Text(500, body.status().message());
    HttpResponse r;
    r.status = req.path == "/all" ? 200 : 206;
    r.SetHeader("Content-Type", "application/octet-stream");
    r.body_source = *body;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply part = c.Do("GET", Url(server, "/part"));
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.Header("content-length"), "150000");
  EXPECT_TRUE(part.body == data.substr(1000, 150000));
  Reply all = c.Do("GET", Url(server, "/all"));
  EXPECT_TRUE(all.body == data);
  Reply head = c.Do("HEAD", Url(server, "/all"));
  EXPECT_EQ(head.Header("content-length"), std::to_string(data.size()));
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(c.Do("GET", Url(server, "/part")).status, 206);  // still usable after HEAD
  EXPECT_EQ(server.Stats().total_connections, 1u);
  server.Stop(milliseconds(500));

  EXPECT_EQ(OpenFileBody(dir.File("missing")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(OpenFileBody(path, data.size() + 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenFileBody(path, 10, data.size()).status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServerTest, PushedBodyIsSentChunked) {
  std::vector<std::thread> producers;
  std::mutex mu;
  HttpServer server(FastOptions(), [&](HttpRequest&) {
    auto source = std::make_shared<PushBodySource>();
    std::lock_guard<std::mutex> lock(mu);
    producers.emplace_back([source] {
      for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(milliseconds(20));
        source->Push("data: " + std::to_string(i) + "\n\n");
      }
      source->Finish();
    });
    HttpResponse r;
    r.SetHeader("Content-Type", "text/event-stream");
    r.body_source = source;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  Client c;
  Reply r = c.Do("GET", Url(server, "/events"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  // The connection stays usable after a chunked body.
  EXPECT_EQ(c.Do("GET", Url(server, "/events")).body, r.body);
  EXPECT_EQ(server.Stats().total_connections, 1u);
  server.Stop(milliseconds(500));
  for (auto& t : producers) t.join();
}

TEST(HttpServerTest, PushedBodyToHttp10EndsWithTheConnection) {
  HttpServer server(FastOptions(), [](HttpRequest&) {
    auto source = std::make_shared<PushBodySource>();
    source->Push("one,");
    source->Push("two");
    source->Finish();
    HttpResponse r;
    r.body_source = source;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  RawSocket s(server.port());
  ASSERT_TRUE(s.Send("GET / HTTP/1.0\r\n\r\n"));
  std::string out;
  ASSERT_TRUE(s.ReadUntilClose(&out));
  EXPECT_EQ(out.find("chunked"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 11), "\r\n\r\none,two") << out;
  server.Stop(milliseconds(500));
}

TEST(HttpServerTest, StopCancelsAnEndlessStream) {
  auto source = std::make_shared<PushBodySource>();
  HttpServer server(FastOptions(), [&](HttpRequest&) {
    source->Push("data: hello\n\n");
    HttpResponse r;
    r.body_source = source;
    return r;
  });
  ASSERT_TRUE(server.Start().ok());
  // The first event has reached the client before Stop (read, not waited for).
  RawSocket client(server.port());
  ASSERT_TRUE(client.Send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string got;
  ASSERT_TRUE(client.ReadUntil("data: hello\n\n", &got)) << got;
  auto start = Clock::now();
  server.Stop(milliseconds(100));
  EXPECT_LT(ElapsedMs(start), 30000) << "Stop waited for the endless stream";
  std::string rest;
  EXPECT_TRUE(client.ReadUntilClose(&rest)) << "the stream was not closed";
  EXPECT_EQ(rest.find("data:"), std::string::npos) << rest;
  EXPECT_TRUE(source->cancelled());
  EXPECT_FALSE(source->Push("more"));
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = dir_.File("cert.pem");
    key_ = dir_.File("key.pem");
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        " -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1"
        " -keyout '" +
        key_ + "' -out '" + cert_ + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
  }
  TempDir dir_;
  std::string cert_;
  std::string key_;
};

TEST_F(TlsTest, HttpsRoundTrip) {
  ServerOptions o = FastOptions();
  o.max_body_bytes = 1024;
  o.tls_cert_file = cert_;
  o.tls_key_file = key_;
  HttpServer server(o, Echo);
  Status st = server.Start();
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_STREQ(server.scheme(), "https");
  Client c;
  Reply r = c.Do("POST", Url(server, "/secure"), "over tls", {}, 5000, cert_);
  ASSERT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  auto obj = ParseObject(r.body);
  EXPECT_EQ(FindString(&obj, "body").value_or(""), "over tls");
  EXPECT_EQ(c.Do("GET", Url(server, "/again"), "", {}, 5000, cert_).status, 200);
  EXPECT_EQ(server.Stats().total_connections, 1u);
  // The connection ends cleanly after `Connection: close` and after an error.
  Reply closing = c.Do("GET", Url(server, "/bye"), "", {"Connection: close"}, 5000, cert_);
  EXPECT_EQ(closing.code, CURLE_OK);
  EXPECT_EQ(closing.Header("connection"), "close");
  auto start = Clock::now();
  Reply big = c.Do("POST", Url(server, "/big"), std::string(2048, 'x'), {}, 5000, cert_);
  EXPECT_EQ(big.status, 413);
  EXPECT_LT(ElapsedMs(start), 1000);
  // Plain HTTP to the TLS port does not get an answer.
  Client plain;
  EXPECT_NE(plain.Do("GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/", "", {}, 1000)
                .status,
            200);
  server.Stop(milliseconds(500));
}

TEST_F(TlsTest, BadTlsFilesAreClearErrors) {
  auto start_with = [](std::string cert, std::string key) {
    ServerOptions o = FastOptions();
    o.tls_cert_file = std::move(cert);
    o.tls_key_file = std::move(key);
    HttpServer server(o, Echo);
    return server.Start();
  };
  Status missing = start_with(dir_.File("nope.pem"), key_);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("nope.pem does not exist"), std::string::npos)
      << missing.message();

  const std::string garbage = dir_.File("garbage.pem");
  WriteFile(garbage, "not a certificate\n");
  Status bad_cert = start_with(garbage, key_);
  EXPECT_EQ(bad_cert.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_cert.message().find("certificate chain"), std::string::npos) << bad_cert.message();

  Status bad_key = start_with(cert_, garbage);
  EXPECT_EQ(bad_key.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_key.message().find("private key"), std::string::npos) << bad_key.message();

  Status half = start_with(cert_, "");
  EXPECT_EQ(half.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(half.message().find("ATG_TLS_KEY_FILE"), std::string::npos) << half.message();
}

TEST(HttpServerTest, RouterServesThroughTheServer) {
  Router router;
  ASSERT_TRUE(router
                  .Add("GET", "/jobs/{id}",
                       [](HttpRequest& req) {
                         return HttpResponse::Text(200, std::string(*req.PathParam("id")));
                       })
                  .ok());
  HttpServer server(FastOptions(), router);
  ASSERT_TRUE(server.Start().ok());
  Client c;
  EXPECT_EQ(c.Do("GET", Url(server, "/jobs/j-42")).body, "j-42");
  Reply missing = c.Do("GET", Url(server, "/nothing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing.body), "NotFound");
  Reply wrong = c.Do("DELETE", Url(server, "/jobs/j-42"));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("allow"), "GET, HEAD");
  server.Stop(milliseconds(500));
}

}  // namespace
}  // namespace atg::net
