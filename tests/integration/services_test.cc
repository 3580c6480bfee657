// Proves that every real service from tests/services/all.sh answers: Redis (PING, with and
// without a password), Neo4j (Bolt handshake, authentication, a query) and Azurite (Shared
// Key-signed container create and list).
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "azure/storage_shared_key.h"
#include "graph/bolt_chunking.h"
#include "graph/packstream.h"
#include "service_env.h"

namespace atg {
namespace {

using graph::packstream::MapEntry;
using graph::packstream::Value;

std::string RandomSuffix() {
  std::random_device rd;
  std::string s;
  for (int i = 0; i < 12; ++i) s.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rd() % 36]);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Redis

struct RedisContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct RedisReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisContext = std::unique_ptr<redisContext, RedisContextDeleter>;
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

RedisContext ConnectRedis(const std::string& url) {
  std::string host;
  int port = 0;
  if (!testing::ParseServiceUrl(url, &host, &port)) {
    ADD_FAILURE() << "cannot parse Redis URL " << url;
    return nullptr;
  }
  timeval timeout{5, 0};
  RedisContext c(redisConnectWithTimeout(host.c_str(), port, timeout));
  if (!c || c->err) {
    ADD_FAILURE() << "cannot connect to Redis at " << host << ":" << port << ": "
                  << (c ? c->errstr : "out of memory");
    return nullptr;
  }
  redisSetTimeout(c.get(), timeout);
  return c;
}

RedisReply Command(redisContext* c, const char* format, const char* arg = nullptr) {
  void* reply = arg ? redisCommand(c, format, arg) : redisCommand(c, format);
  return RedisReply(static_cast<redisReply*>(reply));
}

TEST(ServicesTest, RedisAnswersPing) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_URL");
  RedisContext c = ConnectRedis(url);
  ASSERT_TRUE(c);
  RedisReply reply = Command(c.get(), "PING");
  ASSERT_TRUE(reply) << c->errstr;
  ASSERT_EQ(reply->type, REDIS_REPLY_STATUS);
  EXPECT_EQ(std::string(reply->str, reply->len), "PONG");
}

TEST(ServicesTest, PasswordProtectedRedisNeedsAuth) {
  ATG_REQUIRE_SERVICE_ENV(url, "ATG_TEST_REDIS_AUTH_URL");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_REDIS_PASSWORD");
  RedisContext c = ConnectRedis(url);
  ASSERT_TRUE(c);
  RedisReply denied = Command(c.get(), "PING");
  ASSERT_TRUE(denied);
  ASSERT_EQ(denied->type, REDIS_REPLY_ERROR);
  EXPECT_NE(std::string(denied->str).find("NOAUTH"), std::string::npos) << denied->str;

  RedisReply wrong = Command(c.get(), "AUTH %s", "wrong-password");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->type, REDIS_REPLY_ERROR);

  RedisReply auth = Command(c.get(), "AUTH %s", password.c_str());
  ASSERT_TRUE(auth);
  ASSERT_EQ(auth->type, REDIS_REPLY_STATUS) << "AUTH with ATG_TEST_REDIS_PASSWORD was refused";
  RedisReply pong = Command(c.get(), "PING");
  ASSERT_TRUE(pong);
  ASSERT_EQ(pong->type, REDIS_REPLY_STATUS);
  EXPECT_EQ(std::string(pong->str, pong->len), "PONG");
}

// ---------------------------------------------------------------------------------------------
// Neo4j over Bolt

constexpr uint8_t kHello = 0x01, kGoodbye = 0x02, kRun = 0x10, kPull = 0x3F, kLogon = 0x6A;
constexpr uint8_t kSuccess = 0x70, kRecord = 0x71, kFailure = 0x7F;

// A blocking Bolt connection with 10-second socket timeouts; just enough protocol to prove the
// server answers.
class BoltConnection {
 public:
  ~BoltConnection() {
    if (fd_ >= 0) close(fd_);
  }

  // Connects and negotiates a version; returns the error text, or "" on success.
  std::string Open(const std::string& host, int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return "socket() failed";
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return "bad IPv4 host " + host;
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return "cannot connect to " + host + ":" + std::to_string(port);
    }
    // Magic preamble, then four proposals [0, range, minor, major]: 5.8 down to 5.0, then 4.4.
    const uint8_t handshake[20] = {0x60, 0x60, 0xB0, 0x17, 0, 8, 8, 5, 0, 0,
                                   4,    4,    0,    0,    0, 0, 0, 0, 0, 0};
    if (!WriteAll(std::string(reinterpret_cast<const char*>(handshake), sizeof handshake))) {
      return "cannot send the Bolt handshake";
    }
    std::string agreed;
    if (!ReadExactly(4, &agreed)) return "no answer to the Bolt handshake";
    major_ = static_cast<uint8_t>(agreed[3]);
    minor_ = static_cast<uint8_t>(agreed[2]);
    if (major_ == 0) return "the server accepted none of the proposed Bolt versions";
    return "";
  }

  int major() const { return major_; }
  int minor() const { return minor_; }
  // Since Bolt 5.1 credentials travel in LOGON rather than HELLO.
  bool separate_logon() const { return major_ > 5 || (major_ == 5 && minor_ >= 1); }

  bool Send(const Value& message) {
    Result<std::string> bytes = graph::packstream::Encode(message);
    return bytes.ok() && WriteAll(graph::ChunkMessage(bytes.value()));
  }

  // The next message from the server, or nullopt on timeout, close or malformed data.
  std::optional<Value> Receive() {
    while (true) {
      if (std::optional<std::string> m = graph::TakeMessage(&buffer_)) {
        Result<Value> v = graph::packstream::Decode(*m);
        if (!v.ok()) {
          ADD_FAILURE() << v.status().ToString();
          return std::nullopt;
        }
        return std::move(v).value();
      }
      char chunk[4096];
      ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  bool WriteAll(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool ReadExactly(size_t n, std::string* out) {
    out->clear();
    while (out->size() < n) {
      char c[4];
      ssize_t got = recv(fd_, c, n - out->size(), 0);
      if (got <= 0) return false;
      out->append(c, static_cast<size_t>(got));
    }
    return true;
  }

  int fd_ = -1;
  int major_ = 0, minor_ = 0;
  std::string buffer_;
};

Value AuthEntries(const std::string& user, const std::string& password,
                  std::vector<MapEntry> entries = {}) {
  entries.push_back({"scheme", Value::String("basic")});
  entries.push_back({"principal", Value::String(user)});
  entries.push_back({"credentials", Value::String(password)});
  return Value::Map(std::move(entries));
}

struct BoltLogin {
  std::string server;  // from HELLO's SUCCESS
  Value final_reply;   // the reply to the message that carried the credentials
};

// Connects, says HELLO and authenticates; failures of the transport fail the test.
std::optional<BoltLogin> Login(BoltConnection* bolt, const std::string& uri,
                               const std::string& user, const std::string& password) {
  std::string host;
  int port = 0;
  if (!testing::ParseServiceUrl(uri, &host, &port)) {
    ADD_FAILURE() << "cannot parse Neo4j URI " << uri;
    return std::nullopt;
  }
  std::string error = bolt->Open(host, port);
  if (!error.empty()) {
    ADD_FAILURE() << "Bolt connection to " << uri << " failed: " << error;
    return std::nullopt;
  }
  std::vector<MapEntry> hello = {{"user_agent", Value::String("atg-services-test/1.0")}};
  // Bolt 5.3 made bolt_agent mandatory.
  if (bolt->major() == 5 && bolt->minor() >= 3) {
    hello.push_back(
        {"bolt_agent", Value::Map({{"product", Value::String("atg-services-test/1.0")}})});
  }
  Value hello_extra = bolt->separate_logon() ? Value::Map(std::move(hello))
                                             : AuthEntries(user, password, std::move(hello));
  if (!bolt->Send(Value::Struct(kHello, {hello_extra}))) {
    ADD_FAILURE() << "cannot send HELLO";
    return std::nullopt;
  }
  std::optional<Value> hello_reply = bolt->Receive();
  if (!hello_reply) {
    ADD_FAILURE() << "no reply to HELLO";
    return std::nullopt;
  }
  BoltLogin login;
  if (hello_reply->tag() == kSuccess && hello_reply->items().size() == 1) {
    if (const Value* server = hello_reply->items()[0].Find("server"))
      login.server = server->as_string();
  }
  if (!bolt->separate_logon() || hello_reply->tag() != kSuccess) {
    login.final_reply = *hello_reply;
    return login;
  }
  if (!bolt->Send(Value::Struct(kLogon, {AuthEntries(user, password)}))) {
    ADD_FAILURE() << "cannot send LOGON";
    return std::nullopt;
  }
  std::optional<Value> logon_reply = bolt->Receive();
  if (!logon_reply) {
    ADD_FAILURE() << "no reply to LOGON";
    return std::nullopt;
  }
  login.final_reply = *logon_reply;
  return login;
}

TEST(ServicesTest, Neo4jBoltHandshakeAuthenticatesAndRunsAQuery) {
  ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
  BoltConnection bolt;
  std::optional<BoltLogin> login = Login(&bolt, uri, user, password);
  ASSERT_TRUE(login);
  RecordProperty("bolt_version", std::to_string(bolt.major()) + "." + std::to_string(bolt.minor()));
  RecordProperty("server", login->server);
  EXPECT_EQ(bolt.major(), 5) << "agreed Bolt " << bolt.major() << "." << bolt.minor();
  EXPECT_EQ(login->server.rfind("Neo4j/5", 0), 0u) << "server: " << login->server;
  ASSERT_EQ(login->final_reply.tag(), kSuccess)
      << "authentication with ATG_TEST_NEO4J_PASSWORD failed: " << login->final_reply.DebugString();

  ASSERT_TRUE(
      bolt.Send(Value::Struct(kRun, {Value::String("RETURN $x + 1 AS y"),
                                     Value::Map({{"x", Value::Int(41)}}), Value::Map({})})));
  ASSERT_TRUE(bolt.Send(Value::Struct(kPull, {Value::Map({{"n", Value::Int(-1)}})})));
  std::optional<Value> run = bolt.Receive();
  ASSERT_TRUE(run);
  ASSERT_EQ(run->tag(), kSuccess) << run->DebugString();
  std::optional<Value> record = bolt.Receive();
  ASSERT_TRUE(record);
  ASSERT_EQ(record->tag(), kRecord) << record->DebugString();
  ASSERT_EQ(record->items().size(), 1u);
  ASSERT_EQ(record->items()[0].items().size(), 1u);
  EXPECT_EQ(record->items()[0].items()[0].as_int(), 42);
  std::optional<Value> done = bolt.Receive();
  ASSERT_TRUE(done);
  EXPECT_EQ(done->tag(), kSuccess) << done->DebugString();
  bolt.Send(Value::Struct(kGoodbye, {}));
}

TEST(ServicesTest, Neo4jRejectsAWrongPassword) {
  ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
  BoltConnection bolt;
  std::optional<BoltLogin> login = Login(&bolt, uri, user, password + "-wrong");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->final_reply.tag(), kFailure) << "a wrong password was accepted";
  ASSERT_EQ(login->final_reply.items().size(), 1u);
  // Bolt 5.7 renamed the metadata key "code" to "neo4j_code" (GQL-style errors).
  const Value& metadata = login->final_reply.items()[0];
  const Value* code = metadata.Find(bolt.minor() >= 7 ? "neo4j_code" : "code");
  ASSERT_NE(code, nullptr) << "Bolt " << bolt.major() << "." << bolt.minor() << " FAILURE "
                           << metadata.DebugString();
  EXPECT_EQ(code->as_string(), "Neo.ClientError.Security.Unauthorized");
}

// ---------------------------------------------------------------------------------------------
// Azurite (Blob)

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct BlobResponse {
  long status = 0;
  std::string body;
  std::string error;  // transport failure
};

// Sends a bodiless, Shared Key-signed request to `endpoint` (".../<account>") + `suffix`.
BlobResponse SignedBlobRequest(const std::string& endpoint, const std::string& account,
                               const std::string& key, const std::string& method,
                               const std::string& suffix,
                               std::vector<std::pair<std::string, std::string>> query) {
  BlobResponse response;
  std::string host, path;
  int port = 0;
  if (!testing::ParseServiceUrl(endpoint, &host, &port, &path)) {
    response.error = "cannot parse endpoint " + endpoint;
    return response;
  }
  azure::SharedKeyRequest req;
  req.method = method;
  req.path = path + suffix;
  req.query = std::move(query);
  req.headers = {{"x-ms-date", azure::StorageDate(std::chrono::system_clock::now())},
                 {"x-ms-version", "2021-08-06"}};
  if (method == "PUT") req.headers.push_back({"Content-Length", "0"});
  Result<std::string> auth = azure::SharedKeyAuthorization(account, key, req);
  if (!auth.ok()) {
    response.error = auth.status().ToString();
    return response;
  }
  req.headers.push_back({"Authorization", auth.value()});

  std::string url = "http://" + host + ":" + std::to_string(port) + req.path;
  for (size_t i = 0; i < req.query.size(); ++i) {
    url += (i ? "&" : "?") + req.query[i].first + "=" + req.query[i].second;
  }
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : req.headers)
    headers = curl_slist_append(headers, (k + ": " + v).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  CURLcode rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    response.error = std::string("request to ") + url + " failed: " + curl_easy_strerror(rc);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

TEST(ServicesTest, AzuriteCreatesAndListsContainersWithSharedKey) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(account, "ATG_TEST_AZURITE_ACCOUNT");
  ATG_REQUIRE_SERVICE_ENV(key, "ATG_TEST_AZURITE_KEY");
  std::string name = "atg-probe-" + RandomSuffix();

  BlobResponse created =
      SignedBlobRequest(endpoint, account, key, "PUT", "/" + name, {{"restype", "container"}});
  ASSERT_TRUE(created.error.empty()) << created.error;
  ASSERT_EQ(created.status, 201) << created.body;

  BlobResponse listed = SignedBlobRequest(endpoint, account, key, "GET", "/",
                                          {{"comp", "list"}, {"prefix", "atg-probe-"}});
  ASSERT_TRUE(listed.error.empty()) << listed.error;
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("<Name>" + name + "</Name>"), std::string::npos) << listed.body;

  BlobResponse deleted =
      SignedBlobRequest(endpoint, account, key, "DELETE", "/" + name, {{"restype", "container"}});
  ASSERT_TRUE(deleted.error.empty()) << deleted.error;
  EXPECT_EQ(deleted.status, 202) << deleted.body;
}

TEST(ServicesTest, AzuriteRejectsAWrongKey) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(account, "ATG_TEST_AZURITE_ACCOUNT");
  // A well-formed key that is not the account's.
  std::string wrong_key(88, 'A');
  wrong_key.replace(86, 2, "==");
  BlobResponse listed =
      SignedBlobRequest(endpoint, account, wrong_key, "GET", "/", {{"comp", "list"}});
  ASSERT_TRUE(listed.error.empty()) << listed.error;
  EXPECT_EQ(listed.status, 403) << listed.body;
}

}  // namespace
}  // namespace atg
