#include "cli/doctor_checks.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "common/data_dir.h"
#include "common/log.h"
#include "common/strings.h"
#include "graph/bolt_connection.h"

namespace atg::cli {

namespace fs = std::filesystem;

namespace {

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string Ms(double ms) { return fmt::format("{:.2f} ms", ms); }

struct RedisFree {
  void operator()(redisContext* c) const { redisFree(c); }
};
struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

}  // namespace

std::string_view CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kOk:
      return "ok";
    case CheckState::kFailed:
      return "failed";
    case CheckState::kNotConfigured:
      return "not_configured";
    case CheckState::kInvalid:
      return "invalid";
  }
  return "unknown";
}

std::string MaskUrlPassword(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t start = scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority =
      url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  std::string_view userinfo = authority.substr(0, at);
  size_t colon = userinfo.find(':');
  std::string masked = colon == std::string_view::npos
                           ? "****"  // a lone user info may be a password (redis://secret@host)
                           : std::string(userinfo.substr(0, colon)) + ":****";
  return std::string(url.substr(0, start)) + masked + std::string(authority.substr(at)) +
         (end == std::string_view::npos ? "" : std::string(url.substr(end)));
}

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  std::string_view u = Trim(url);
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("REDIS_URL \"" + MaskUrlPassword(u) + "\" " + std::string(why) +
                                   "; use redis://[:password@]host[:port][/db]");
  };
  RedisUrl r;
  size_t scheme = u.find("://");
  if (scheme == std::string_view::npos) return bad("has no scheme");
  std::string s = ToLower(u.substr(0, scheme));
  if (s == "rediss") {
    r.tls = true;
  } else if (s != "redis") {
    return bad("is not a redis:// or rediss:// URL");
  }
  std::string_view rest = u.substr(scheme + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view info = authority.substr(0, at);
    size_t colon = info.find(':');
    if (colon == std::string_view::npos) {
      r.password = UrlDecode(info);
    } else {
      r.user = UrlDecode(info.substr(0, colon));
      r.password = UrlDecode(info.substr(colon + 1));
    }
    authority = authority.substr(at + 1);
  }
  RegisterSecret(r.password);
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("has a malformed IPv6 host");
    r.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else {
    size_t colon = authority.rfind(':');
    r.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (r.host.empty()) return bad("has no host");
  if (!port.empty()) {
    char* end = nullptr;
    std::string p(port);
    long n = std::strtol(p.c_str(), &end, 10);
    if (*end != '\0' || n <= 0 || n > 65535) return bad("has a bad port");
    r.port = static_cast<int>(n);
  }
  path = path.substr(0, path.find('?'));
  if (!path.empty()) {
    char* end = nullptr;
    std::string p(path);
    long n = std::strtol(p.c_str(), &end, 10);
    if (*end != '\0' || n < 0 || n > 1000) return bad("has a bad database number");
    r.db = static_cast<int>(n);
  }
  return r;
}

CheckResult CheckDataDir(const Settings& settings) {
  CheckResult out;
  auto dir = DataDir(settings);
  std::string source =
      settings.Get("ATG_DATA_DIR") ? settings.SourceOf("ATG_DATA_DIR") : std::string("default");
  out.details["source"] = source;
  if (!dir.ok()) {
    out.state = CheckState::kFailed;
    out.summary = dir.status().message();
    out.details["error"] = out.summary;
    return out;
  }
  out.details["path"] = *dir;
  std::error_code ec;
  fs::path path(*dir);
  bool exists = fs::exists(path, ec);
  out.details["exists"] = exists;
  if (exists) {
    if (!fs::is_directory(path, ec)) {
      out.state = CheckState::kFailed;
      out.summary = *dir + " (" + source + ") exists but is not a directory; set ATG_DATA_DIR";
      out.details["writable"] = false;
      return out;
    }
    // Really write: access() says nothing about read-only mounts or full disks.
    std::string probe = (path / (".atg-doctor-" + std::to_string(::getpid()))).string();
    int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    bool writable = fd >= 0 && ::write(fd, "x", 1) == 1;
    if (fd >= 0) ::close(fd);
    ::unlink(probe.c_str());
    out.details["writable"] = writable;
    out.state = writable ? CheckState::kOk : CheckState::kFailed;
    out.summary = *dir + " (" + source + "): exists, " +
                  (writable ? "writable" : "NOT writable: fix its permissions or set ATG_DATA_DIR");
    return out;
  }
  fs::path parent = path.parent_path();
  while (!parent.empty() && !fs::exists(parent, ec)) parent = parent.parent_path();
  bool creatable = !parent.empty() && ::access(parent.c_str(), W_OK) == 0;
  out.details["writable"] = creatable;
  out.state = creatable ? CheckState::kOk : CheckState::kFailed;
  out.summary = *dir + " (" + source + "): does not exist yet; " +
                (creatable ? "it will be created on first use"
                           : "it cannot be created (" + parent.string() +
                                 " is not writable): set ATG_DATA_DIR");
  return out;
}

CheckResult CheckRedis(const Settings& settings, std::chrono::milliseconds timeout) {
  CheckResult out;
  auto url = settings.Get("REDIS_URL");
  if (!url || Trim(*url).empty()) {
    out.summary = "not configured (REDIS_URL is not set; jobs use the embedded SQLite queue)";
    return out;
  }
  const std::string shown = MaskUrlPassword(*url);
  out.details["url"] = shown;
  out.details["source"] = settings.SourceOf("REDIS_URL");
  auto parsed = ParseRedisUrl(*url);
  if (!parsed.ok()) {
    out.state = CheckState::kInvalid;
    out.summary = parsed.status().message();
    out.details["error"] = out.summary;
    return out;
  }
  RedisUrl r = *parsed;
  if (r.password.empty()) r.password = settings.GetString("REDIS_PASSWORD", "");
  RegisterSecret(r.password);
  auto fail = [&](const std::string& why) {
    out.state = CheckState::kFailed;
    out.summary = shown + ": unreachable: " + RedactSecrets(why);
    out.details["reachable"] = false;
    out.details["error"] = RedactSecrets(why);
    return out;
  };
  if (r.tls) {
    return fail("rediss:// (TLS) cannot be checked: this build's Redis client speaks plain TCP");
  }
  auto start = std::chrono::steady_clock::now();
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  std::unique_ptr<redisContext, RedisFree> c(redisConnectWithTimeout(r.host.c_str(), r.port, tv));
  if (!c || c->err) {
    return fail("cannot connect to " + r.host + ":" + std::to_string(r.port) + ": " +
                (c ? c->errstr : "out of memory") + ". Check REDIS_URL and that Redis runs.");
  }
  redisSetTimeout(c.get(), tv);
  auto command = [&](const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.c_str());
      lens.push_back(a.size());
    }
    return RedisReplyPtr(static_cast<redisReply*>(
        redisCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data())));
  };
  if (!r.password.empty()) {
    auto auth =
        r.user.empty() ? command({"AUTH", r.password}) : command({"AUTH", r.user, r.password});
    if (!auth) return fail(std::string("AUTH got no answer: ") + c->errstr);
    if (auth->type == REDIS_REPLY_ERROR) {
      return fail("Redis refused the password (" + std::string(auth->str, auth->len) +
                  "). Check the password in REDIS_URL.");
    }
  }
  if (r.db != 0) {
    auto select = command({"SELECT", std::to_string(r.db)});
    if (!select || select->type == REDIS_REPLY_ERROR) {
      return fail("SELECT " + std::to_string(r.db) + " failed" +
                  (select ? ": " + std::string(select->str, select->len) : ""));
    }
  }
  auto ping_start = std::chrono::steady_clock::now();
  auto pong = command({"PING"});
  double ping_ms = MillisSince(ping_start);
  if (!pong) return fail(std::string("PING got no answer: ") + c->errstr);
  if (pong->type == REDIS_REPLY_ERROR) {
    std::string err(pong->str, pong->len);
    return fail("PING failed: " + err +
                (err.find("NOAUTH") != std::string::npos
                     ? ". Redis needs a password: put it in REDIS_URL (redis://:PASSWORD@host)"
                     : ""));
  }
  out.state = CheckState::kOk;
  out.details["reachable"] = true;
  out.details["ping_ms"] = ping_ms;
  out.details["connect_ms"] = MillisSince(start) - ping_ms;
  out.summary = shown + " (" + settings.SourceOf("REDIS_URL") + "): reachable, PING " + Ms(ping_ms);
  return out;
}

CheckResult CheckNeo4j(const Settings& settings, std::chrono::milliseconds timeout) {
  CheckResult out;
  auto uri = settings.Get("NEO4J_URI");
  if (!uri || Trim(*uri).empty()) {
    out.summary = "not configured (NEO4J_URI is not set; the graph uses the embedded SQLite store)";
    return out;
  }
  const std::string shown = MaskUrlPassword(*uri);
  out.details["uri"] = shown;
  out.details["source"] = settings.SourceOf("NEO4J_URI");
  auto port = settings.GetInt("NEO4J_PORT", 7687, 1, 65535);
  if (!port.ok()) {
    out.state = CheckState::kInvalid;
    out.summary = port.status().message();
    return out;
  }
  auto address = graph::ParseBoltUri(shown, static_cast<int>(*port));
  if (!address.ok()) {
    out.state = CheckState::kInvalid;
    out.summary = "NEO4J_URI: " + address.status().message();
    out.details["error"] = out.summary;
    return out;
  }
  graph::BoltConnectOptions o;
  o.host = address->host;
  o.port = address->port;
  o.user = settings.GetString("NEO4J_USER", "neo4j");
  o.password = settings.GetString("NEO4J_PASSWORD", "");
  o.timeout = timeout;
  RegisterSecret(o.password);
  out.details["user"] = o.user;
  auto start = std::chrono::steady_clock::now();
  auto conn = graph::BoltConnection::Connect(o);
  if (!conn.ok()) {
    out.state = CheckState::kFailed;
    std::string why = RedactSecrets(conn.status().message());
    out.summary = shown + " as " + o.user + ": " +
                  (conn.status().code() == StatusCode::kUnauthenticated ? "login refused: "
                                                                        : "unreachable: ") +
                  why;
    out.details["reachable"] = conn.status().code() == StatusCode::kUnauthenticated;
    out.details["error"] = why;
    return out;
  }
  double login_ms = MillisSince(start);
  auto query_start = std::chrono::steady_clock::now();
  auto ran = (*conn)->Run("RETURN 1 AS ok");
  double query_ms = MillisSince(query_start);
  std::string version = std::to_string((*conn)->major()) + "." + std::to_string((*conn)->minor());
  out.details["reachable"] = true;
  out.details["server"] = (*conn)->server_agent();
  out.details["bolt_version"] = version;
  out.details["login_ms"] = login_ms;
  if (!ran.ok()) {
    out.state = CheckState::kFailed;
    out.summary = shown + ": logged in, but a query failed: " + ran.status().message();
    out.details["error"] = ran.status().message();
    return out;
  }
  out.details["query_ms"] = query_ms;
  out.state = CheckState::kOk;
  out.summary = shown + " as " + o.user + " (" + settings.SourceOf("NEO4J_URI") + "): reachable, " +
                (*conn)->server_agent() + " over Bolt " + version + ", login " + Ms(login_ms) +
                ", RETURN 1 in " + Ms(query_ms);
  return out;
}

}  // namespace atg::cli
