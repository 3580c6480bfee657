#include "jobs/job.h"

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "common/random.h"

namespace atg::jobs {

namespace {

constexpr std::string_view kIdPrefix = "job_";
constexpr size_t kIdHexDigits = 32;

Result<std::string> RequireStr(const json::object& obj, std::string_view key) {
  auto v = FindString(&obj, key);
  if (!v)
    return Status::InvalidArgument("job JSON: field '" + std::string(key) +
                                   "' is missing or not a string");
  return std::string(*v);
}

int64_t IntOr(const json::object& obj, std::string_view key, int64_t fallback) {
  auto v = FindInt(&obj, key);
  return v ? *v : fallback;
}

json::object ObjectOr(const json::object& obj, std::string_view key) {
  const json::object* o = FindObject(&obj, key);
  return o != nullptr ? *o : json::object();
}

}  // namespace

std::string_view JobStateName(JobState state) {
  switch (state) {
    case JobState::kPending:
      return "pending";
    case JobState::kRunning:
      return "running";
    case JobState::kCompleted:
      return "completed";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<JobState> ParseJobState(std::string_view name) {
  for (JobState s : {JobState::kPending, JobState::kRunning, JobState::kCompleted,
                     JobState::kFailed, JobState::kCancelled}) {
    if (JobStateName(s) == name) return s;
  }
  return std::nullopt;
}

std::string NewJobId() { return std::string(kIdPrefix) + RandomHex(kIdHexDigits / 2); }

bool ValidJobId(std::string_view id) {
  if (id.size() != kIdPrefix.size() + kIdHexDigits || id.substr(0, kIdPrefix.size()) != kIdPrefix) {
    return false;
  }
  for (char c : id.substr(kIdPrefix.size())) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) return false;
  }
  return true;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json::object JobToJson(const Job& job) {
  json::object o;
  o["id"] = job.id;
  o["type"] = job.type;
  o["owner"] = job.owner;
  o["tenant_id"] = job.tenant_id;
  o["state"] = JobStateName(job.state);
  o["request"] = job.request;
  o["progress"] = job.progress;
  o["result"] = job.result;
  o["error"] = job.error;
  o["error_type"] = job.error_type;
  o["artifact"] = job.artifact;
  o["created_at_ms"] = job.created_at_ms;
  o["started_at_ms"] = job.started_at_ms;
  o["finished_at_ms"] = job.finished_at_ms;
  o["attempts"] = job.attempts;
  o["cancel_requested"] = job.cancel_requested;
  return o;
}

Result<Job> JobFromJson(const json::object& obj) {
  Job job;
  auto id = RequireStr(obj, "id");
  if (!id.ok()) return id.status();
  job.id = std::move(*id);
  auto state_name = RequireStr(obj, "state");
  if (!state_name.ok()) return state_name.status();
  auto state = ParseJobState(*state_name);
  if (!state) {
    return Status::InvalidArgument("job JSON: unknown state '" + *state_name +
                                   "' (expected pending, running, completed, failed, cancelled)");
  }
  job.state = *state;
  job.type = std::string(FindString(&obj, "type").value_or(""));
  job.owner = std::string(FindString(&obj, "owner").value_or(""));
  job.tenant_id = std::string(FindString(&obj, "tenant_id").value_or(""));
  job.request = ObjectOr(obj, "request");
  job.progress = ObjectOr(obj, "progress");
  job.result = ObjectOr(obj, "result");
  job.error = std::string(FindString(&obj, "error").value_or(""));
  job.error_type = std::string(FindString(&obj, "error_type").value_or(""));
  job.artifact = std::string(FindString(&obj, "artifact").value_or(""));
  job.created_at_ms = IntOr(obj, "created_at_ms", 0);
  job.started_at_ms = IntOr(obj, "started_at_ms", 0);
  job.finished_at_ms = IntOr(obj, "finished_at_ms", 0);
  job.attempts = static_cast<int>(IntOr(obj, "attempts", 0));
  job.cancel_requested = FindBool(&obj, "cancel_requested").value_or(false);
  return job;
}

json::object JobEventToJson(const JobEvent& event) {
  json::object o;
  o["seq"] = event.seq;
  o["type"] = event.type;
  o["data"] = event.data;
  o["at_ms"] = event.at_ms;
  return o;
}

Result<JobEvent> JobEventFromJson(const json::object& obj) {
  JobEvent e;
  auto seq = FindInt(&obj, "seq");
  if (!seq) return Status::InvalidArgument("job event JSON: field 'seq' is missing");
  e.seq = *seq;
  e.type = std::string(FindString(&obj, "type").value_or(""));
  e.data = ObjectOr(obj, "data");
  e.at_ms = IntOr(obj, "at_ms", 0);
  return e;
}

std::string_view ErrorTypeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kDeadlineExceeded:
      return "timeout";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kUnauthenticated:
    case StatusCode::kPermissionDenied:
      return "auth";
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      return "invalid_request";
    case StatusCode::kResourceExhausted:
      return "throttled";
    case StatusCode::kIoError:
      return "io";
    case StatusCode::kCancelled:
      return "cancelled";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAborted:
      return "lease_lost";
    default:
      return "internal";
  }
}

namespace {

// First path segments that name a file-system location rather than an Azure resource id.
bool IsFileSystemRoot(std::string_view segment) {
  static constexpr std::string_view kRoots[] = {
      "app", "bin", "boot", "data",    "dev",  "etc",       "home",  "lib",    "media",
      "mnt", "nix", "opt",  "private", "proc", "root",      "run",   "sbin",   "srv",
      "sys", "tmp", "usr",  "var",     "work", "workspace", "Users", "Volumes"};
  for (std::string_view r : kRoots) {
    if (segment == r) return true;
  }
  return false;
}

void ReplaceAll(std::string* text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (size_t at = text->find(what); at != std::string::npos;
       at = text->find(what, at + with.size())) {
    text->replace(at, what.size(), with);
  }
}

}  // namespace

std::string ClientSafeError(std::string_view message, std::string_view data_dir) {
  std::string out(message);
  std::string dir(data_dir);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.size() > 1) {
    std::error_code ec;
    std::string resolved = std::filesystem::weakly_canonical(dir, ec).string();
    if (!ec && resolved.size() > 1 && resolved != dir) ReplaceAll(&out, resolved, "$ATG_DATA_DIR");
    ReplaceAll(&out, dir, "$ATG_DATA_DIR");
  }
  // Any other absolute path: from a '/' at the start of a word up to the next space or quote.
  std::string result;
  result.reserve(out.size());
  size_t i = 0;
  while (i < out.size()) {
    const bool word_start = i == 0 || out[i - 1] == ' ' || out[i - 1] == '\'' ||
                            out[i - 1] == '"' || out[i - 1] == '(' || out[i - 1] == '=' ||
                            out[i - 1] == '`';
    if (out[i] == '/' && word_start) {
      size_t end = out.find_first_of(" '\"`),;\n", i);
      if (end == std::string::npos) end = out.size();
      std::string_view token(out.data() + i, end - i);
      std::string_view first = token.substr(1, token.find('/', 1) - 1);
      if (token.find('/', 1) != std::string_view::npos && IsFileSystemRoot(first)) {
        // Keep a trailing ':' that introduces the reason ("/x/y.db: disk I/O error").
        size_t keep = token.size();
        while (keep > 0 && (token[keep - 1] == ':' || token[keep - 1] == '.')) --keep;
        result += "<server path>";
        result.append(token.substr(keep));
        i = end;
        continue;
      }
    }
    result.push_back(out[i]);
    ++i;
  }
  return result;
}

Status JobStore::ForEachJob(const std::function<Status(Job&& job)>&) {
  return Status::FailedPrecondition("the " + std::string(backend()) +
                                    " job store cannot list its jobs for a backup");
}

Result<bool> JobStore::RestoreJob(const Job&, const std::vector<JobEvent>&) {
  return Status::FailedPrecondition("the " + std::string(backend()) +
                                    " job store cannot restore jobs from a backup");
}

}  // namespace atg::jobs
