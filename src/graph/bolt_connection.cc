#include "graph/bolt_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "common/strings.h"
#include "graph/bolt_chunking.h"

namespace atg::graph {

using packstream::MapEntry;
using packstream::Value;

namespace {

constexpr uint8_t kHello = 0x01, kGoodbye = 0x02, kReset = 0x0F, kRun = 0x10, kBegin = 0x11,
                  kCommit = 0x12, kRollback = 0x13, kDiscard = 0x2F, kPull = 0x3F, kLogon = 0x6A;

void SetSocketTimeout(int fd, std::chrono::milliseconds t) {
  timeval tv{static_cast<time_t>(t.count() / 1000),
             static_cast<suseconds_t>((t.count() % 1000) * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

Value AuthMap(const BoltConnectOptions& o, std::vector<MapEntry> entries = {}) {
  entries.push_back({"scheme", Value::String("basic")});
  entries.push_back({"principal", Value::String(o.user)});
  entries.push_back({"credentials", Value::String(o.password)});
  return Value::Map(std::move(entries));
}

std::string FailureText(const BoltMessage& m) {
  const Value& meta = m.metadata();
  std::string code, message;
  for (const char* key : {"neo4j_code", "code"}) {
    if (const Value* v = meta.Find(key); v && code.empty()) code = v->as_string();
  }
  if (const Value* v = meta.Find("message")) message = v->as_string();
  if (code.empty() && message.empty()) return "no details";
  return RedactSecrets(code + (message.empty() ? "" : ": " + message));
}

}  // namespace

const Value& BoltMessage::metadata() const {
  static const Value kNull;
  return fields.empty() ? kNull : fields[0];
}

Result<BoltAddress> ParseBoltUri(std::string_view uri, int default_port) {
  std::string_view u = Trim(uri);
  size_t sep = u.find("://");
  if (sep == std::string_view::npos) {
    return Status::InvalidArgument("the Neo4j URI \"" + std::string(u) +
                                   "\" has no scheme; use bolt://host:7687 or neo4j://host:7687");
  }
  BoltAddress a;
  a.scheme = ToLower(u.substr(0, sep));
  if (a.scheme.find('+') != std::string::npos) {
    return Status::InvalidArgument("the Neo4j URI scheme " + a.scheme +
                                   ":// asks for TLS, which ATG's Bolt client does not support; "
                                   "use bolt:// inside a private network");
  }
  if (a.scheme != "bolt" && a.scheme != "neo4j") {
    return Status::InvalidArgument("the Neo4j URI scheme " + a.scheme +
                                   ":// is not bolt:// or neo4j://");
  }
  std::string_view rest = u.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  a.port = default_port;
  std::string_view host = rest;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos)
      return Status::InvalidArgument("bad IPv6 host in Neo4j URI");
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest[0] == ':')
      rest = rest.substr(1);
    else
      rest = {};
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    rest = rest.substr(colon + 1);
  } else {
    rest = {};
  }
  if (!rest.empty()) {
    int port = 0;
    for (char c : rest) {
      if (c < '0' || c > '9' || port > 65535)
        return Status::InvalidArgument("bad port in Neo4j URI");
      port = port * 10 + (c - '0');
    }
    if (port <= 0 || port > 65535) return Status::InvalidArgument("bad port in Neo4j URI");
    a.port = port;
  }
  if (host.empty()) return Status::InvalidArgument("the Neo4j URI has no host");
  a.host = std::string(host);
  return a;
}

Result<std::unique_ptr<BoltConnection>> BoltConnection::Connect(const BoltConnectOptions& options) {
  RegisterSecret(options.password);
  const std::string where = options.host + ":" + std::to_string(options.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(options.host.c_str(), std::to_string(options.port).c_str(), &hints, &found);
  if (rc != 0) {
    return Status::Unavailable("cannot resolve Neo4j host " + options.host + ": " +
                               gai_strerror(rc) + ". Check NEO4J_URI.");
  }
  std::string last_error = "no address";
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (s < 0) continue;
    // Non-blocking connect, so the timeout holds.
    int flags = fcntl(s, F_GETFL, 0);
    fcntl(s, F_SETFL, flags | O_NONBLOCK);
    int c = connect(s, ai->ai_addr, ai->ai_addrlen);
    if (c != 0 && errno == EINPROGRESS) {
      pollfd p{s, POLLOUT, 0};
      int ready = poll(&p, 1, static_cast<int>(options.timeout.count()));
      if (ready == 0) {
        last_error = "timed out after " + std::to_string(options.timeout.count()) + " ms";
        close(s);
        continue;
      }
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
      c = err == 0 ? 0 : -1;
      errno = err;
    }
    if (c != 0) {
      last_error = std::strerror(errno);
      close(s);
      continue;
    }
    fcntl(s, F_SETFL, flags);
    fd = s;
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return Status::Unavailable("cannot connect to Neo4j at " + where + ": " + last_error +
                               ". Check NEO4J_URI and that Neo4j is running.");
  }
  SetSocketTimeout(fd, options.timeout);
  std::unique_ptr<BoltConnection> conn(new BoltConnection(fd, options));
  ATG_RETURN_IF_ERROR(conn->Handshake());
  ATG_RETURN_IF_ERROR(conn->Authenticate());
  if (options.query_timeout.count() > 0) {
    SetSocketTimeout(fd, options.query_timeout);
    conn->options_.timeout = options.query_timeout;
  }
  return conn;
}

BoltConnection::BoltConnection(int fd, BoltConnectOptions options)
    : fd_(fd), options_(std::move(options)) {}

BoltConnection::~BoltConnection() { Close(); }

std::string BoltConnection::Where() const {
  return "Neo4j at " + options_.host + ":" + std::to_string(options_.port);
}

Status BoltConnection::WriteAll(std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return Status::DeadlineExceeded("writing to " + Where() + " timed out");
      }
      return Status::Unavailable("writing to " + Where() + " failed: " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status BoltConnection::ReadSome() {
  char chunk[8192];
  while (true) {
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<size_t>(n));
      return Status::Ok();
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return Status::Unavailable(Where() + " closed the connection");
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return Status::DeadlineExceeded(Where() + " did not answer within " +
                                      std::to_string(options_.timeout.count()) + " ms");
    }
    return Status::Unavailable("reading from " + Where() + " failed: " + std::strerror(errno));
  }
}

Status BoltConnection::Handshake() {
  // Magic, then four proposals [0, range, minor, major]: 5.8 down to 5.0, 4.4, and nothing else.
  static const uint8_t kHandshake[20] = {0x60, 0x60, 0xB0, 0x17, 0, 8, 8, 5, 0, 0,
                                         4,    4,    0,    0,    0, 0, 0, 0, 0, 0};
  ATG_RETURN_IF_ERROR(
      WriteAll(std::string_view(reinterpret_cast<const char*>(kHandshake), sizeof kHandshake)));
  while (buffer_.size() < 4) {
    Status s = ReadSome();
    if (!s.ok()) return s.WithContext("Bolt handshake");
  }
  if (buffer_.compare(0, 4, std::string("HTTP", 4)) == 0) {
    return Status::FailedPrecondition(Where() +
                                      " answered with HTTP: NEO4J_URI points at the HTTP port "
                                      "(7474); use the Bolt port (7687)");
  }
  major_ = static_cast<uint8_t>(buffer_[3]);
  minor_ = static_cast<uint8_t>(buffer_[2]);
  buffer_.erase(0, 4);
  if (major_ == 0) {
    return Status::FailedPrecondition(Where() +
                                      " accepted none of the Bolt versions ATG speaks (5.0-5.8, "
                                      "4.4); use Neo4j 4.4 or 5");
  }
  if (major_ != 5 && !(major_ == 4 && minor_ == 4)) {
    return Status::FailedPrecondition(Where() + " agreed Bolt " + std::to_string(major_) + "." +
                                      std::to_string(minor_) + ", which ATG did not propose");
  }
  return Status::Ok();
}

Status BoltConnection::Authenticate() {
  const bool separate_logon = major_ > 5 || (major_ == 5 && minor_ >= 1);
  std::vector<MapEntry> hello = {{"user_agent", Value::String(options_.user_agent)}};
  if (major_ == 5 && minor_ >= 3) {  // bolt_agent is mandatory from 5.3
    hello.push_back({"bolt_agent", Value::Map({{"product", Value::String(options_.user_agent)}})});
  }
  Value extra = separate_logon ? Value::Map(std::move(hello)) : AuthMap(options_, std::move(hello));
  ATG_RETURN_IF_ERROR(Send(Value::Struct(kHello, {extra})));
  auto reply = Receive();
  if (!reply.ok()) return reply.status().WithContext("HELLO");
  if (reply->tag == kSuccess) {
    if (const Value* server = reply->metadata().Find("server")) server_agent_ = server->as_string();
  }
  if (reply->tag == kSuccess && separate_logon) {
    ATG_RETURN_IF_ERROR(Send(Value::Struct(kLogon, {AuthMap(options_)})));
    reply = Receive();
    if (!reply.ok()) return reply.status().WithContext("LOGON");
  }
  if (reply->tag == kFailure) {
    return Status::Unauthenticated(Where() + " refused the login of user " + options_.user + ": " +
                                   FailureText(*reply) + ". Check NEO4J_USER and NEO4J_PASSWORD.");
  }
  if (reply->tag != kSuccess) {
    return Status::FailedPrecondition(Where() + " answered the login with message 0x" +
                                      fmt::format("{:02X}", reply->tag));
  }
  return Status::Ok();
}

Status BoltConnection::Send(const Value& message) {
  if (fd_ < 0) return Status::FailedPrecondition("the Bolt connection is closed");
  auto bytes = packstream::Encode(message);
  if (!bytes.ok()) return bytes.status();
  return WriteAll(ChunkMessage(*bytes));
}

Result<BoltMessage> BoltConnection::Receive() {
  if (fd_ < 0) return Status::FailedPrecondition("the Bolt connection is closed");
  while (true) {
    if (std::optional<std::string> m = TakeMessage(&buffer_)) {
      auto v = packstream::Decode(*m);
      if (!v.ok())
        return Status::Unavailable(Where() + " sent a malformed message: " + v.status().message());
      if (v->type() != Value::Type::kStruct) {
        return Status::Unavailable(Where() + " sent a message that is not a structure");
      }
      BoltMessage out;
      out.tag = v->tag();
      out.fields = v->items();
      return out;
    }
    ATG_RETURN_IF_ERROR(ReadSome());
  }
}

Status BoltConnection::QueryFailure(const BoltMessage& m) const {
  std::string code;
  for (const char* key : {"neo4j_code", "code"}) {  // Bolt 5.7 renamed "code"
    if (const Value* c = m.metadata().Find(key); c && code.empty()) code = c->as_string();
  }
  return Status(code.find("ClientError") != std::string::npos ? StatusCode::kInvalidArgument
                                                              : StatusCode::kUnavailable,
                "Cypher query failed on " + Where() + ": " + FailureText(m));
}

Result<BoltQueryResult> BoltConnection::Run(const std::string& query, Value parameters) {
  BoltQueryResult result;
  Status s = RunEach(
      query, std::move(parameters),
      [&](std::vector<Value>&& record) {
        result.records.push_back(std::move(record));
        return Status::Ok();
      },
      -1);
  if (!s.ok()) return s;
  result.keys = std::move(last_keys_);
  return result;
}

Status BoltConnection::RunEach(const std::string& query, Value parameters,
                               const RecordSink& on_record, int64_t fetch_size) {
  last_keys_.clear();
  if (fetch_size == 0) fetch_size = -1;
  ATG_RETURN_IF_ERROR(
      Send(Value::Struct(kRun, {Value::String(query), parameters, Value::Map({})})));
  ATG_RETURN_IF_ERROR(Send(Value::Struct(kPull, {Value::Map({{"n", Value::Int(fetch_size)}})})));
  Status failure;
  auto run = Receive();
  if (!run.ok()) return run.status();
  if (run->tag == kSuccess) {
    if (const Value* fields = run->metadata().Find("fields")) {
      for (const Value& f : fields->items()) last_keys_.push_back(f.as_string());
    }
  } else if (run->tag == kFailure) {
    failure = QueryFailure(*run);
  }
  // The PULL's answers: records then SUCCESS (has_more: pull again), or IGNORED after a failure.
  Status stopped;
  while (true) {
    auto m = Receive();
    if (!m.ok()) return m.status();
    if (m->tag == kRecord) {
      if (!stopped.ok() || !failure.ok()) continue;
      if (!m->fields.empty()) {
        std::vector<Value> record = m->fields[0].items();
        stopped = on_record(std::move(record));
      }
      continue;
    }
    if (m->tag == kFailure && failure.ok()) failure = QueryFailure(*m);
    if (m->tag == kSuccess && failure.ok()) {
      const Value* more = m->metadata().Find("has_more");
      if (more != nullptr && more->as_bool()) {
        uint8_t next = stopped.ok() ? kPull : kDiscard;
        ATG_RETURN_IF_ERROR(Send(Value::Struct(
            next, {Value::Map({{"n", Value::Int(stopped.ok() ? fetch_size : -1)}})})));
        continue;
      }
    }
    break;
  }
  if (!failure.ok()) {
    in_transaction_ = false;  // RESET rolls it back
    ATG_RETURN_IF_ERROR(Send(Value::Struct(kReset, {})));
    auto reset = Receive();
    if (!reset.ok()) return reset.status();
    return failure;
  }
  return stopped;
}

Status BoltConnection::Simple(const Value& message, std::string_view what) {
  ATG_RETURN_IF_ERROR(Send(message));
  auto reply = Receive();
  if (!reply.ok()) return reply.status();
  if (reply->tag == kSuccess) return Status::Ok();
  in_transaction_ = false;
  Status failure = reply->tag == kFailure
                       ? QueryFailure(*reply).WithContext(std::string(what))
                       : Status::Unavailable(std::string(what) + " was ignored by " + Where() +
                                             " (an earlier failure is pending)");
  ATG_RETURN_IF_ERROR(Send(Value::Struct(kReset, {})));
  auto reset = Receive();
  if (!reset.ok()) return reset.status();
  return failure;
}

Status BoltConnection::Begin() {
  ATG_RETURN_IF_ERROR(Simple(Value::Struct(kBegin, {Value::Map({})}), "BEGIN"));
  in_transaction_ = true;
  return Status::Ok();
}

Status BoltConnection::Commit() {
  if (!in_transaction_) {
    return Status::Aborted("the transaction on " + Where() +
                           " was rolled back by an earlier failure; nothing was committed");
  }
  Status s = Simple(Value::Struct(kCommit, {}), "COMMIT");
  in_transaction_ = false;
  return s;
}

Status BoltConnection::Rollback() {
  if (!in_transaction_) return Status::Ok();
  Status s = Simple(Value::Struct(kRollback, {}), "ROLLBACK");
  in_transaction_ = false;
  return s;
}

void BoltConnection::Close() {
  if (fd_ < 0) return;
  auto bytes = packstream::Encode(Value::Struct(kGoodbye, {}));
  if (bytes.ok()) {
    std::string wire = ChunkMessage(*bytes);
    (void)!send(fd_, wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  }
  close(fd_);
  fd_ = -1;
}

}  // namespace atg::graph
