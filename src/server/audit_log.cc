#include "server/audit_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "common/data_dir.h"
#include "common/json.h"
#include "common/time_format.h"

namespace atg::server {
namespace {}  // namespace

AuditLog::AuditLog(std::FILE* file, bool owned, std::string path)
    : file_(file), owned_(owned), path_(std::move(path)) {}

AuditLog::~AuditLog() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(const std::string& path) {
  if (path.empty()) return std::unique_ptr<AuditLog>(new AuditLog(nullptr, false, path));
  if (path == "-") return std::unique_ptr<AuditLog>(new AuditLog(stderr, false, path));
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::IoError("cannot open the audit log " + path + ": " + std::strerror(errno) +
                           "; set ATG_AUDIT_LOG_FILE to a writable path");
  }
  std::FILE* f = ::fdopen(fd, "a");
  if (f == nullptr) {
    ::close(fd);
    return Status::IoError("cannot open the audit log " + path);
  }
  return std::unique_ptr<AuditLog>(new AuditLog(f, true, path));
}

Result<std::unique_ptr<AuditLog>> AuditLog::FromSettings(const Settings& settings) {
  if (auto v = settings.Get("ATG_AUDIT_LOG_FILE")) return Open(*v);
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  return Open(*dir + "/audit.log");
}

void AuditLog::Write(const AuditRecord& r) {
  if (file_ == nullptr) return;
  json::object o;
  o["time"] = FormatRfc3339(std::chrono::system_clock::now(), 3);
  o["key_id"] = r.key_id;
  o["method"] = r.method;
  o["route"] = r.route;
  o["status"] = r.status;
  o["job_id"] = r.job_id.empty() ? json::value(nullptr) : json::value(r.job_id);
  o["request_id"] = r.request_id;
  o["client_ip"] = r.client_ip;
  o["duration_ms"] = r.duration_ms;
  std::string line = json::serialize(o);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace atg::server
