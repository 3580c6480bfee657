#include "graph/bolt_connection.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "graph/bolt_chunking.h"

namespace atg::graph {
namespace {

using packstream::Value;

constexpr char kPassword[] = "bolt-test-password-value";

// A minimal Bolt server on 127.0.0.1: agrees `major.minor`, checks the basic credentials in
// HELLO (4.4, 5.0) or LOGON (5.1+), answers `RETURN 42` queries, fails any other query.
class FakeBoltServer {
 public:
  enum class Mode { kBolt, kHttp, kSilent };
  FakeBoltServer(int major, int minor, bool http = false)
      : FakeBoltServer(major, minor, http ? Mode::kHttp : Mode::kBolt) {}
  FakeBoltServer(int major, int minor, Mode mode) : major_(major), minor_(minor) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 4);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, mode] { Serve(mode); });
  }
  ~FakeBoltServer() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::string seen_user_agent() const { return user_agent_; }

 private:
  void Serve(Mode mode) {
    int c = accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    std::string in;
    char buf[4096];
    auto read_more = [&] {
      ssize_t n = recv(c, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<size_t>(n));
      return true;
    };
    while (in.size() < 20) {
      if (!read_more()) return (void)close(c);
    }
    in.erase(0, 20);
    if (mode == Mode::kSilent) {  // never answers; waits for the client to give up
      while (read_more()) {
      }
      return (void)close(c);
    }
    if (mode == Mode::kHttp) {
      std::string r = "HTTP/1.1 400 Bad Request\r\n\r\n";
      send(c, r.data(), r.size(), MSG_NOSIGNAL);
      return (void)close(c);
    }
    char version[4] = {0, 0, static_cast<char>(minor_), static_cast<char>(major_)};
    send(c, version, 4, MSG_NOSIGNAL);
    auto reply = [&](uint8_t tag, std::vector<Value> fields) {
      std::string wire = ChunkMessage(*packstream::Encode(Value::Struct(tag, std::move(fields))));
      send(c, wire.data(), wire.size(), MSG_NOSIGNAL);
    };
    auto check_auth = [&](const Value& map) {
      const Value* pw = map.Find("credentials");
      const Value* user = map.Find("principal");
      if (pw && user && pw->as_string() == kPassword && user->as_string() == "neo4j") {
        reply(0x70, {Value::Map({{"server", Value::String("Neo4j/5.99.0")}})});
      } else {
        reply(0x7F, {Value::Map({{"code", Value::String("Neo.ClientError.Security.Unauthorized")},
                                 {"message", Value::String("The client is unauthorized.")}})});
      }
    };
    const bool logon = major_ == 5 && minor_ >= 1;
    while (true) {
      std::optional<std::string> m = TakeMessage(&in);
      if (!m) {
        if (!read_more()) break;
        continue;
      }
      auto v = packstream::Decode(*m);
      if (!v.ok()) break;
      switch (v->tag()) {
        case 0x01:  // HELLO
          if (const Value* ua = v->items()[0].Find("user_agent")) user_agent_ = ua->as_string();
          if (logon) {
            reply(0x70, {Value::Map({{"server", Value::String("Neo4j/5.99.0")}})});
          } else {
            check_auth(v->items()[0]);
          }
          break;
        case 0x6A:  // LOGON
          check_auth(v->items()[0]);
          break;
        case 0x10:  // RUN
          if (v->items()[0].as_string() == "RETURN 42 AS y") {
            reply(0x70, {Value::Map({{"fields", Value::List({Value::String("y")})}})});
            failed_ = false;
          } else {
            reply(0x7F,
                  {Value::Map({{"code", Value::String("Neo.ClientError.Statement.SyntaxError")},
                               {"message", Value::String("Invalid input")}})});
            failed_ = true;
          }
          break;
        case 0x3F:  // PULL
          if (failed_) {
            reply(0x7E, {});
          } else {
            reply(0x71, {Value::List({Value::Int(42)})});
            reply(0x70, {Value::Map({})});
          }
          break;
        case 0x0F:  // RESET
          reply(0x70, {Value::Map({})});
          break;
        case 0x02:  // GOODBYE
          close(c);
          return;
      }
    }
    close(c);
  }

  int major_, minor_;
  int fd_ = -1;
  int port_ = 0;
  bool failed_ = false;
  std::string user_agent_;
  std::thread thread_;
};

BoltConnectOptions Options(int port, std::string password = kPassword) {
  BoltConnectOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.password = std::move(password);
  o.timeout = std::chrono::milliseconds(2000);
  return o;
}

TEST(BoltConnectionTest, LogsOnWithBolt5AndRunsAQuery) {
  FakeBoltServer server(5, 4);
  auto conn = BoltConnection::Connect(Options(server.port()));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ((*conn)->major(), 5);
  EXPECT_EQ((*conn)->minor(), 4);
  EXPECT_EQ((*conn)->server_agent(), "Neo4j/5.99.0");
  auto r = (*conn)->Run("RETURN 42 AS y");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->keys, std::vector<std::string>{"y"});
  ASSERT_EQ(r->records.size(), 1u);
  EXPECT_EQ(r->records[0][0].as_int(), 42);
  // A failing query is reported and the connection stays usable.
  auto bad = (*conn)->Run("RETURN nonsense(");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("SyntaxError"), std::string::npos);
  EXPECT_TRUE((*conn)->Run("RETURN 42 AS y").ok());
  (*conn)->Close();
  EXPECT_EQ(server.seen_user_agent().rfind("atg/", 0), 0u);
}

TEST(BoltConnectionTest, Bolt44SendsCredentialsInHello) {
  FakeBoltServer server(4, 4);
  auto conn = BoltConnection::Connect(Options(server.port()));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ((*conn)->major(), 4);
}

TEST(BoltConnectionTest, WrongPasswordIsUnauthenticatedWithoutThePassword) {
  for (int minor : {0, 4}) {
    FakeBoltServer server(5, minor);
    auto conn = BoltConnection::Connect(Options(server.port(), "wrong-password-value-1"));
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.status().code(), StatusCode::kUnauthenticated);
    EXPECT_NE(conn.status().message().find("Neo.ClientError.Security.Unauthorized"),
              std::string::npos);
    EXPECT_EQ(conn.status().message().find("wrong-password-value-1"), std::string::npos);
  }
}

TEST(BoltConnectionTest, NoServerOrNotBolt) {
  int port = 0;
  {
    FakeBoltServer gone(5, 4);  // learn a free port, then let it go
    port = gone.port();
    auto c = BoltConnection::Connect(Options(port));  // serves the one connection
  }
  auto refused = BoltConnection::Connect(Options(port));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("127.0.0.1:" + std::to_string(port)),
            std::string::npos);

  FakeBoltServer http(5, 4, /*http=*/true);
  auto not_bolt = BoltConnection::Connect(Options(http.port()));
  ASSERT_FALSE(not_bolt.ok());
  EXPECT_EQ(not_bolt.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(not_bolt.status().message().find("7474"), std::string::npos);

  FakeBoltServer none(0, 0);
  auto no_version = BoltConnection::Connect(Options(none.port()));
  ASSERT_FALSE(no_version.ok());
  EXPECT_EQ(no_version.status().code(), StatusCode::kFailedPrecondition);
}

TEST(BoltConnectionTest, SilentServerTimesOut) {
  FakeBoltServer silent(5, 4, FakeBoltServer::Mode::kSilent);
  BoltConnectOptions o = Options(silent.port());
  o.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  auto conn = BoltConnection::Connect(o);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kDeadlineExceeded) << conn.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(ParseBoltUriTest, Forms) {
  auto a = ParseBoltUri("bolt://db.example:7688");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "db.example");
  EXPECT_EQ(a->port, 7688);
  auto b = ParseBoltUri("neo4j://neo4j/", 7999);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "neo4j");
  EXPECT_EQ(b->port, 7999);
  auto c = ParseBoltUri("bolt://[::1]:7687");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_FALSE(ParseBoltUri("neo4j+s://x:7687").ok());
  EXPECT_FALSE(ParseBoltUri("http://x:7474").ok());
  EXPECT_FALSE(ParseBoltUri("localhost:7687").ok());
  EXPECT_FALSE(ParseBoltUri("bolt://x:99999").ok());
}

}  // namespace
}  // namespace atg::graph
