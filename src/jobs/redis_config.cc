#include "jobs/redis_config.h"

#include <charconv>
#include <vector>

#include "common/log.h"
#include "common/strings.h"
#include "jobs/redis_connection.h"

namespace atg::jobs {

namespace {

Status BadUrl(std::string_view why) {
  return Status::InvalidArgument("REDIS_URL is not valid: " + std::string(why) +
                                 "; expected redis://[:password@]host:port[/db]");
}

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

}  // namespace

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  RedisUrl out;
  std::string_view rest;
  if (StartsWithIgnoreCase(url, "redis://")) {
    rest = url.substr(8);
  } else if (StartsWithIgnoreCase(url, "rediss://")) {
    return Status::InvalidArgument(
        "REDIS_URL uses rediss:// (TLS), which this build of atg does not support; use "
        "redis:// on a private network, or put a TLS tunnel (e.g. stunnel) in front of Redis "
        "and point REDIS_URL at its local end");
  } else if (StartsWithIgnoreCase(url, "unix://")) {
    return Status::InvalidArgument(
        "REDIS_URL names a unix socket, which is not supported; use redis://host:port");
  } else {
    return BadUrl("it must start with redis://");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    if (colon == std::string_view::npos) {
      // "redis://password@host" is a common mistake for "redis://:password@host"; accept it
      // the way redis-cli does.
      out.password = UrlDecode(userinfo);
    } else {
      out.username = UrlDecode(userinfo.substr(0, colon));
      out.password = UrlDecode(userinfo.substr(colon + 1));
    }
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("unterminated [ipv6] host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (after.starts_with(":")) port_text = after.substr(1);
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return BadUrl("the host is missing");
  if (!port_text.empty()) {
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), out.port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || out.port <= 0 ||
        out.port > 65535) {
      return BadUrl("the port must be a number from 1 to 65535");
    }
  }
  size_t q = path.find('?');
  if (q != std::string_view::npos) path = path.substr(0, q);
  if (!path.empty()) {
    auto [p, ec] = std::from_chars(path.data(), path.data() + path.size(), out.db);
    if (ec != std::errc() || p != path.data() + path.size() || out.db < 0) {
      return BadUrl("the database after the host must be a number (e.g. /0)");
    }
  }
  return out;
}

Result<RedisUrl> ResolveRedisUrl(std::string_view url, std::string_view fallback_password) {
  auto parsed = ParseRedisUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->password.empty()) parsed->password = std::string(fallback_password);
  RegisterSecret(parsed->password);
  return parsed;
}

Result<std::optional<RedisConfig>> RedisConfigFromSettings(const Settings& settings) {
  auto url = settings.Get("REDIS_URL");
  if (!url || Trim(*url).empty()) return std::optional<RedisConfig>();
  RedisConfig config;
  config.url = std::string(Trim(*url));
  config.shown_url = MaskUrlPassword(config.url);
  auto target = ResolveRedisUrl(config.url, settings.GetString("REDIS_PASSWORD", ""));
  if (!target.ok()) return target.status();
  config.target = std::move(*target);
  config.key_prefix = settings.GetString("ATG_REDIS_KEY_PREFIX", "atg:");
  if (config.key_prefix.empty()) {
    return Status::InvalidArgument(
        "ATG_REDIS_KEY_PREFIX is empty; every Redis key needs a prefix (the default is atg:)");
  }
  return std::optional<RedisConfig>(std::move(config));
}

std::string RedisWhere(const RedisUrl& target) {
  return "Redis at " + target.host + ":" + std::to_string(target.port);
}

std::string RedisReplyText(const redisReply* r) {
  if (r == nullptr) return {};
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
      r->type == REDIS_REPLY_ERROR) {
    return std::string(r->str, r->len);
  }
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return {};
}

Result<RedisReply> RunRedisCommand(redisContext* c, const RedisUrl& target,
                                   const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  RedisReply r(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lens.data())));
  if (!r) {
    std::string why = c->errstr;
    if (c->err == REDIS_ERR_IO && (why.find("temporarily unavailable") != std::string::npos ||
                                   why.find("timed out") != std::string::npos)) {
      return Status::Unavailable(RedisWhere(target) + " did not answer within " +
                                 std::to_string(timeout.count()) + " ms");
    }
    return Status::Unavailable("lost the connection to " + RedisWhere(target) + ": " + why);
  }
  return r;
}

Result<RedisContext> ConnectRedis(const RedisUrl& target, std::chrono::milliseconds connect_timeout,
                                  std::chrono::milliseconds command_timeout) {
  RedisContext c(
      redisConnectWithTimeout(target.host.c_str(), target.port, ToTimeval(connect_timeout)));
  if (!c) return Status::Unavailable("out of memory allocating a Redis connection");
  if (c->err != 0) {
    return Status::Unavailable("cannot connect to " + RedisWhere(target) + ": " + c->errstr +
                               "; check REDIS_URL and that Redis is running");
  }
  redisSetTimeout(c.get(), ToTimeval(command_timeout));
  if (!target.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!target.username.empty()) auth.push_back(target.username);
    auth.push_back(target.password);
    auto r = RunRedisCommand(c.get(), target, auth, command_timeout);
    if (!r.ok()) return r.status();
    if ((*r)->type == REDIS_REPLY_ERROR) {
      return Status(StatusCode::kUnauthenticated,
                    RedisWhere(target) + " refused the password (" + RedisReplyText(r->get()) +
                        "); check the password in REDIS_URL or REDIS_PASSWORD");
    }
  }
  auto r = RunRedisCommand(c.get(), target, {"SELECT", std::to_string(target.db)}, command_timeout);
  if (!r.ok()) return r.status();
  if ((*r)->type == REDIS_REPLY_ERROR) {
    std::string err = RedisReplyText(r->get());
    if (err.starts_with("NOAUTH")) {
      return Status(StatusCode::kUnauthenticated,
                    RedisWhere(target) +
                        " requires a password; give it in REDIS_URL as "
                        "redis://:PASSWORD@host:port or in REDIS_PASSWORD");
    }
    return Status::FailedPrecondition(RedisWhere(target) + " refused SELECT " +
                                      std::to_string(target.db) + " (" + err +
                                      "); check the database number in REDIS_URL");
  }
  return c;
}

Result<RedisPing> PingRedis(const RedisUrl& target, std::chrono::milliseconds timeout) {
  RedisPing out;
  auto start = std::chrono::steady_clock::now();
  auto c = ConnectRedis(target, timeout, timeout);
  if (!c.ok()) return c.status();
  out.connect_ms = MillisSince(start);
  auto ping_start = std::chrono::steady_clock::now();
  auto pong = RunRedisCommand(c->get(), target, {"PING"}, timeout);
  out.ping_ms = MillisSince(ping_start);
  if (!pong.ok()) return pong.status();
  std::string text = RedisReplyText(pong->get());
  if ((*pong)->type == REDIS_REPLY_ERROR || text != "PONG") {
    return Status::Unavailable(RedisWhere(target) + " answered PING with '" + text + "'");
  }
  return out;
}

}  // namespace atg::jobs
