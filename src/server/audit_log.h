// The audit trail of `atg serve`: one JSON object per line for every authenticated request,
// written to its own file (ATG_AUDIT_LOG_FILE; default <ATG_DATA_DIR>/audit.log; "-" for
// stderr), separate from the service log so that it can be retained and shipped on its own.
// Fields: time (RFC 3339 UTC, ms), key_id, method, route (the route template, never the raw
// path), status, job_id (when the request names or creates a job), request_id, client_ip,
// duration_ms. The key itself is never written; only its public id.
//
// Thread-safety: Write may be called from any thread at once; lines are never interleaved.
#ifndef ATG_SERVER_AUDIT_LOG_H_
#define ATG_SERVER_AUDIT_LOG_H_

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "common/config.h"
#include "common/status.h"

namespace atg::server {

struct AuditRecord {
  std::string key_id;
  std::string method;
  std::string route;
  int status = 0;
  std::string job_id;
  std::string request_id;
  std::string client_ip;
  double duration_ms = 0;
};

class AuditLog {
 public:
  // Opens `path` for appending (created 0600), "-" means stderr, "" discards everything.
  static Result<std::unique_ptr<AuditLog>> Open(const std::string& path);
  // ATG_AUDIT_LOG_FILE, else <data dir>/audit.log.
  static Result<std::unique_ptr<AuditLog>> FromSettings(const Settings& settings);
  ~AuditLog();

  void Write(const AuditRecord& record);
  const std::string& path() const { return path_; }

 private:
  AuditLog(std::FILE* file, bool owned, std::string path);
  std::mutex mu_;
  std::FILE* file_;
  bool owned_;
  std::string path_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_AUDIT_LOG_H_
