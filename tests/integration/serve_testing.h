// Helpers for the `atg serve` tests: a small blocking HTTP/1.1 client over a real loopback
// socket (keep-alive, chunked bodies, incremental reads for Server-Sent Events), key constants,
// and the built `atg serve` started as a background process.
#ifndef ATG_TESTS_INTEGRATION_SERVE_TESTING_H_
#define ATG_TESTS_INTEGRATION_SERVE_TESTING_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/config.h"
#include "common/json.h"
#include "common/strings.h"
#include "service_env.h"
#include "sim/simulator.h"

namespace atg::testing {

// Two strong keys and one that is well-formed but not configured.
inline const std::string kKeyA = "ka-5f2c1e9b7d3a48c6b0e4f1a2c3d4e5f6";
inline const std::string kKeyB = "kb-9a8b7c6d5e4f30a1b2c3d4e5f6a7b8c9";
inline const std::string kKeyUnknown = "kx-0123456789abcdef0123456789abcdef";

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (EqualsIgnoreCase(k, name)) return v;
    return std::nullopt;
  }
  json::object Json() const {
    auto v = ParseJson(body);
    return v.ok() && v->is_object() ? v->as_object() : json::object{};
  }
  std::string ErrorCode() const {
    auto o = Json();
    return std::string(FindString(FindObject(&o, "error"), "code").value_or(""));
  }
  std::string ErrorMessage() const {
    auto o = Json();
    return std::string(FindString(FindObject(&o, "error"), "message").value_or(""));
  }
};

// One keep-alive connection; `source` binds it to another loopback address (127.0.0.2 ...), so
// that one test plays several client machines.
class Conn {
 public:
  explicit Conn(uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source != nullptr) {
      sockaddr_in src{};
      src.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &src.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
        ::close(fd_);
        fd_ = -1;
        return;
      }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Conn() {
    if (fd_ >= 0) ::close(fd_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  bool ok() const { return fd_ >= 0; }

  bool Send(const std::string& method, const std::string& target, const std::string& key,
            const std::string& body = "",
            std::vector<std::pair<std::string, std::string>> extra = {},
            const std::string& content_type = "application/json") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!key.empty()) req += "Authorization: Bearer " + key + "\r\n";
    if (!body.empty() || method == "POST") {
      if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    for (const auto& [k, v] : extra) req += k + ": " + v + "\r\n";
    req += "\r\n" + body;
    size_t off = 0;
    while (off < req.size()) {
      ssize_t n = ::send(fd_, req.data() + off, req.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  // Sends bytes as they are (malformed or partial requests).
  bool SendRaw(std::string_view data) {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads the status line and headers. Status 0 on failure/timeout.
  Reply ReadHead(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    Reply r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(timeout)) return r;
    }
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    auto lines = Split(head, '\n');
    if (lines.empty()) return r;
    std::string_view status_line = Trim(lines[0]);
    if (status_line.size() >= 12)
      r.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string_view l = Trim(lines[i]);
      size_t c = l.find(':');
      if (c == std::string_view::npos) continue;
      r.headers.emplace_back(std::string(Trim(l.substr(0, c))), std::string(Trim(l.substr(c + 1))));
    }
    return r;
  }

  // Reads a whole response (HEAD requests: pass head_only).
  Reply Read(bool head_only = false, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    Reply r = ReadHead(timeout);
    if (r.status == 0 || head_only || r.status == 304 || r.status == 204) return r;
    if (auto te = r.Header("Transfer-Encoding"); te && EqualsIgnoreCase(*te, "chunked")) {
      for (;;) {
        std::string chunk;
        int rc = ReadChunk(&chunk, timeout);
        if (rc <= 0) break;
        r.body += chunk;
      }
      return r;
    }
    size_t len = 0;
    if (auto cl = r.Header("Content-Length")) len = std::stoull(*cl);
    while (buf_.size() < len) {
      if (!Fill(timeout)) break;
    }
    r.body = buf_.substr(0, std::min(len, buf_.size()));
    buf_.erase(0, r.body.size());
    return r;
  }

  // One chunk of a chunked body: 1 got data, 0 the last chunk, -1 error/timeout.
  int ReadChunk(std::string* out, std::chrono::milliseconds timeout) {
    size_t eol;
    while ((eol = buf_.find("\r\n")) == std::string::npos) {
      if (!Fill(timeout)) return -1;
    }
    size_t size = std::stoull(buf_.substr(0, eol), nullptr, 16);
    buf_.erase(0, eol + 2);
    while (buf_.size() < size + 2) {
      if (!Fill(timeout)) return -1;
    }
    *out = buf_.substr(0, size);
    buf_.erase(0, size + 2);
    return size == 0 ? 0 : 1;
  }

  Reply Do(const std::string& method, const std::string& target, const std::string& key,
           const std::string& body = "",
           std::vector<std::pair<std::string, std::string>> extra = {},
           const std::string& content_type = "application/json") {
    if (!Send(method, target, key, body, std::move(extra), content_type)) return Reply{};
    return Read(method == "HEAD");
  }

  // True when the peer closed the connection (reads EOF within `timeout`).
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK) <= 0;  // EOF or reset
  }

 private:
  bool Fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char tmp[16384];
    ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

// One request on a fresh connection.
inline Reply Request(uint16_t port, const std::string& method, const std::string& target,
                     const std::string& key, const std::string& body = "",
                     std::vector<std::pair<std::string, std::string>> extra = {},
                     const std::string& content_type = "application/json") {
  Conn c(port);
  return c.Do(method, target, key, body, std::move(extra), content_type);
}

// Splits an SSE body into (id, event, data) frames.
struct SseFrame {
  std::string id, event, data;
};
inline std::vector<SseFrame> ParseSse(std::string_view text) {
  std::vector<SseFrame> out;
  SseFrame cur;
  bool any = false;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = raw;
    if (line.empty()) {
      if (any && !cur.event.empty()) out.push_back(cur);
      cur = SseFrame{};
      any = false;
      continue;
    }
    if (line.starts_with(":")) continue;
    any = true;
    if (line.starts_with("id: ")) cur.id = std::string(line.substr(4));
    if (line.starts_with("event: ")) cur.event = std::string(line.substr(7));
    if (line.starts_with("data: ")) cur.data = std::string(line.substr(6));
  }
  return out;
}

#ifdef ATG_BINARY
// The built `atg serve` running in the background with only `env` (plus PATH and HOME), its
// stdout and stderr in dir/<name>.out and dir/<name>.err. port is 0 when it did not start
// listening within 10 s. The caller ends it (kill + waitpid).
struct ServeProcess {
  pid_t pid = -1;
  uint16_t port = 0;
};

inline ServeProcess StartServeProcess(const std::filesystem::path& dir, const std::string& name,
                                      const std::map<std::string, std::string>& env) {
  std::string assignments;
  for (const auto& [k, v] : env) assignments += k + "='" + v + "' ";
  const auto out = dir / (name + ".out");
  std::string cmd = "env -i PATH=\"$PATH\" HOME=\"$HOME\" " + assignments + "'" +
                    std::string(ATG_BINARY) + "' serve --host 127.0.0.1 --port 0 >'" +
                    out.string() + "' 2>'" + (dir / (name + ".err")).string() + "' & echo $!";
  ServeProcess s;
  FILE* f = popen(cmd.c_str(), "r");
  char buf[64] = {0};
  if (fgets(buf, sizeof buf, f) != nullptr) s.pid = std::atoi(buf);
  pclose(f);
  for (int i = 0; i < 500 && s.port == 0; ++i) {
    std::string text = ReadWholeFile(out);
    size_t at = text.find("listening on ");
    size_t nl = at == std::string::npos ? at : text.find('\n', at);
    if (nl != std::string::npos) {
      s.port = static_cast<uint16_t>(std::stoi(text.substr(text.rfind(':', nl) + 1)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return s;
}

// A simulated tenant whose scans are slow enough (40 ms per response, 150 resources) to kill a
// server in the middle of one, and the environment that points `atg serve` at it (its
// credentials and ATG_TARGET_TENANT_ID). `simulator` is null, and `error` says why, when it did
// not start.
struct SlowTenant {
  std::unique_ptr<sim::Simulator> simulator;
  std::map<std::string, std::string> env;
  std::string error;
};

inline SlowTenant StartSlowTenant(const std::filesystem::path& dir, uint64_t seed) {
  SlowTenant t;
  sim::SimulatorOptions o;
  o.generator.seed = seed;
  o.generator.resources = 150;
  o.generator.users = 10;
  o.generator.groups = 3;
  o.throttle = sim::ThrottleMode::kOff;
  o.latency_ms = 40;
  auto sim = sim::Simulator::Create(o);
  if (!sim.ok()) return {nullptr, {}, sim.status().ToString()};
  const auto env_file = dir / "sim.env";
  Status s = (*sim)->Start();
  if (s.ok()) s = (*sim)->WriteEnvFile(env_file.string());
  if (!s.ok()) return {nullptr, {}, s.ToString()};
  auto env = ParseDotEnv(ReadWholeFile(env_file), "sim.env");
  if (!env.ok()) return {nullptr, {}, env.status().ToString()};
  t.env = std::move(*env);
  t.env["ATG_TARGET_TENANT_ID"] = (*sim)->credentials().tenant_id;
  t.simulator = std::move(*sim);
  return t;
}
#endif  // ATG_BINARY

}  // namespace atg::testing

#endif  // ATG_TESTS_INTEGRATION_SERVE_TESTING_H_
