#include "azure/http_transport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "azure/test_http_server.h"

namespace atg::azure {
namespace {

using std::chrono::milliseconds;

HttpClientRequest Get(std::string url) {
  HttpClientRequest r;
  r.url = std::move(url);
  return r;
}

CurlTransportOptions Direct() {
  CurlTransportOptions o;
  o.http_proxy = "";
  o.https_proxy = "";
  o.no_proxy = "";
  o.connect_timeout = milliseconds(2000);
  o.request_timeout = milliseconds(5000);
  return o;
}

TEST(CurlTransportTest, RoundTripsAndReusesOneConnection) {
  LoopbackServer server([](const std::string&, const std::string& body) {
    return LoopbackServer::Ok(R"({"echo":")" + body + R"("})", "X-Ms-Request-Id: abc\r\n");
  });
  CurlTransport transport(Direct());
  HttpClientRequest get;
  get.url = server.base() + "/subscriptions?api-version=2021-01-01";
  get.headers.Set("Authorization", "Bearer abcdefgh");
  auto first = transport.Send(get);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, R"({"echo":""})");
  EXPECT_EQ(first->headers.Get("x-ms-request-id"), "abc");
  HttpClientRequest post;
  post.method = "POST";
  post.url = server.base() + "/providers/Microsoft.ResourceGraph/resources";
  post.headers.Set("Content-Type", "application/json");
  post.body = "query";
  auto second = transport.Send(post);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, R"({"echo":"query"})");

  EXPECT_EQ(server.accepted(), 1);  // the kept-alive connection carried both requests
  auto lines = server.request_lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "GET /subscriptions?api-version=2021-01-01 HTTP/1.1");
  EXPECT_EQ(lines[1], "POST /providers/Microsoft.ResourceGraph/resources HTTP/1.1");
  std::string head = server.heads()[0];
  EXPECT_NE(head.find("Authorization: Bearer abcdefgh"), std::string::npos);
  EXPECT_NE(head.find("User-Agent: atg/"), std::string::npos);
  EXPECT_EQ(server.bodies()[1], "query");
}

TEST(CurlTransportTest, ReusesConnectionsAcrossThreads) {
  LoopbackServer server(
      [](const std::string&, const std::string&) { return LoopbackServer::Ok("{}"); });
  CurlTransport transport(Direct());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        HttpClientRequest r;
        r.url = server.base() + "/x";
        auto resp = transport.Send(r);
        if (resp.ok() && resp->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 100);
  // At most one connection per concurrent sender, not one per request.
  EXPECT_LE(server.accepted(), 4);
}

TEST(CurlTransportTest, ErrorStatusesAreResponsesNotErrors) {
  LoopbackServer server([](const std::string&, const std::string&) {
    std::string body = R"({"error":{"code":"NotFound"}})";
    return "HTTP/1.1 404 Not Found\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
  });
  CurlTransport transport(Direct());
  HttpClientRequest r;
  r.url = server.base() + "/missing";
  auto resp = transport.Send(r);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
  EXPECT_NE(resp->body.find("NotFound"), std::string::npos);
}

TEST(CurlTransportTest, ConnectionRefusedIsUnavailable) {
  int port;
  {
    LoopbackServer closed([](const std::string&, const std::string&) { return ""; });
    port = closed.port();
  }
  CurlTransport transport(Direct());
  HttpClientRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/x?sig=topsecretvalue";
  auto resp = transport.Send(r);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kUnavailable);
  const std::string& m = resp.status().message();
  EXPECT_NE(m.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << m;
  EXPECT_NE(m.find("curl error"), std::string::npos) << m;
  EXPECT_EQ(m.find("topsecretvalue"), std::string::npos) << m;
}

TEST(CurlTransportTest, SilentServerTimesOut) {
  LoopbackServer server([](const std::string&, const std::string&) { return ""; });
  CurlTransport transport(Direct());
  HttpClientRequest r;
  r.url = server.base() + "/slow";
  r.timeout = milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  auto resp = transport.Send(r);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(CurlTransportTest, ProxyIsUsedUnlessNoProxyMatches) {
  LoopbackServer target(
      [](const std::string&, const std::string&) { return LoopbackServer::Ok("direct"); });
  LoopbackServer proxy(
      [](const std::string&, const std::string&) { return LoopbackServer::Ok("via-proxy"); });
  const std::string url = target.base() + "/subscriptions";

  CurlTransportOptions o = Direct();
  o.http_proxy = proxy.base();
  CurlTransport proxied(o);
  auto a = proxied.Send(Get(url));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->body, "via-proxy");
  ASSERT_EQ(proxy.request_lines().size(), 1u);
  // A forward proxy gets the absolute URL.
  EXPECT_EQ(proxy.request_lines()[0], "GET " + url + " HTTP/1.1");
  EXPECT_EQ(proxied.ProxyFor(url), proxy.base());

  o.no_proxy = "localhost,127.0.0.1";
  CurlTransport bypass(o);
  auto b = bypass.Send(Get(url));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->body, "direct");
  EXPECT_EQ(proxy.request_lines().size(), 1u);
  EXPECT_EQ(bypass.ProxyFor(url), "");
}

TEST(CurlTransportTest, ProxySettingsComeFromTheEnvironment) {
  LoopbackServer target(
      [](const std::string&, const std::string&) { return LoopbackServer::Ok("direct"); });
  LoopbackServer proxy(
      [](const std::string&, const std::string&) { return LoopbackServer::Ok("via-proxy"); });
  ::setenv("HTTP_PROXY", proxy.base().c_str(), 1);
  ::unsetenv("http_proxy");
  ::unsetenv("NO_PROXY");
  ::unsetenv("no_proxy");
  CurlTransport from_env{CurlTransportOptions{}};
  auto a = from_env.Send(Get(target.base() + "/x"));
  ::setenv("NO_PROXY", "127.0.0.1", 1);
  CurlTransport excluded{CurlTransportOptions{}};
  auto b = excluded.Send(Get(target.base() + "/x"));
  ::unsetenv("HTTP_PROXY");
  ::unsetenv("NO_PROXY");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->body, "via-proxy");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->body, "direct");
}

TEST(CurlTransportTest, ProxyForHonoursSchemesAndDomainSuffixes) {
  CurlTransportOptions o;
  o.https_proxy = "http://proxy.corp:3128";
  o.http_proxy = "";
  o.no_proxy = ".internal.corp, vault.azure.net";
  CurlTransport t(o);
  EXPECT_EQ(t.ProxyFor("https://management.azure.com/x"), "http://proxy.corp:3128");
  EXPECT_EQ(t.ProxyFor("http://management.azure.com/x"), "");
  EXPECT_EQ(t.ProxyFor("https://a.internal.corp/x"), "");
  EXPECT_EQ(t.ProxyFor("https://kv.vault.azure.net/secrets"), "");
  EXPECT_EQ(t.ProxyFor("https://notvault.azure.net/"), "http://proxy.corp:3128");
}

TEST(HttpHeadersTest, CaseInsensitive) {
  HttpHeaders h{{"Retry-After", "5"}};
  EXPECT_EQ(h.Get("retry-after"), "5");
  h.Set("RETRY-AFTER", "6");
  EXPECT_EQ(h.fields().size(), 1u);
  EXPECT_EQ(h.Get("Retry-After"), "6");
  h.Add("Set-Cookie", "a");
  h.Add("set-cookie", "b");
  EXPECT_EQ(h.Get("SET-COOKIE"), "a");
  h.Remove("set-cookie");
  EXPECT_FALSE(h.Has("Set-Cookie"));
}

TEST(RedactUrlTest, MasksSecretParameters) {
  EXPECT_EQ(RedactUrl("https://a.blob.core.windows.net/c?sv=1&sig=abc%2F&se=2"),
            "https://a.blob.core.windows.net/c?sv=1&sig=[REDACTED]&se=2");
  EXPECT_EQ(RedactUrl("https://h/p?client_secret=x&api-version=1"),
            "https://h/p?client_secret=[REDACTED]&api-version=1");
  EXPECT_EQ(RedactUrl("https://h/p?%24skiptoken=opaque"), "https://h/p?%24skiptoken=[REDACTED]");
  EXPECT_EQ(RedactUrl("https://h/p?api-version=2021-04-01"), "https://h/p?api-version=2021-04-01");
  EXPECT_EQ(RedactUrl("https://h/p"), "https://h/p");
}

}  // namespace
}  // namespace atg::azure
