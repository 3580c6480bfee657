#include "jobs/sqlite_job_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "common/log.h"
#include "jobs/job.h"
#include "jobs/list_cursor.h"

namespace atg::jobs {

namespace {

constexpr int kSchemaVersion = 1;

// Version 1. `requeued` puts jobs handed back (lease expired, released) in front of fresh ones;
// within each class the queue is FIFO by (created_at_ms, seq).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  owner TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  state TEXT NOT NULL,
  request TEXT NOT NULL,
  progress TEXT NOT NULL,
  result TEXT NOT NULL,
  error TEXT NOT NULL,
  error_type TEXT NOT NULL,
  artifact TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  cancel_requested INTEGER NOT NULL,
  worker_id TEXT NOT NULL,
  lease_until_ms INTEGER NOT NULL,
  requeued INTEGER NOT NULL,
  last_event_seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs(requeued DESC, created_at_ms, seq)
  WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS jobs_leases ON jobs(lease_until_ms) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS jobs_owner ON jobs(owner, created_at_ms, id);
CREATE TABLE IF NOT EXISTS job_events (
  job_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
)sql";

// Job retention's index: terminal jobs by finish time. Created on every open rather than through
// a schema version bump, because an extra index is invisible to older atg versions, which can
// still open (and roll back to) the same file. The query in PurgeFinishedBefore repeats this
// WHERE term verbatim so SQLite can use the partial index.
constexpr const char* kRetentionIndex =
    "CREATE INDEX IF NOT EXISTS jobs_finished ON jobs(finished_at_ms) "
    "WHERE state IN ('completed', 'failed', 'cancelled')";

// Fair scheduling across owners (API keys): pending jobs by owner, running jobs by owner, and
// the claim counter of each owner's last turn. Created on every open, like the retention index:
// older atg versions ignore them.
constexpr const char* kFairnessSchema = R"sql(
CREATE INDEX IF NOT EXISTS jobs_pending_owner ON jobs(owner, created_at_ms, seq)
  WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS jobs_running_owner ON jobs(owner) WHERE state = 'running';
CREATE TABLE IF NOT EXISTS owner_turns (
  owner TEXT PRIMARY KEY,
  last_claim INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr const char* kJobColumns =
    "id, type, owner, tenant_id, state, request, progress, result, error, error_type, artifact, "
    "created_at_ms, started_at_ms, finished_at_ms, attempts, cancel_requested";

Status SqliteError(sqlite3* db, int rc, const std::string& path, std::string_view what) {
  std::string msg = "job database " + path + ": " + std::string(what) + ": " +
                    (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Unavailable(msg + "; another process held the database too long, retry later");
  }
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_READONLY ||
      primary == SQLITE_CANTOPEN || primary == SQLITE_PERM) {
    return Status::IoError(msg + "; check free disk space and the permissions of ATG_DATA_DIR");
  }
  return Status::Internal(msg);
}

json::object ParseObject(std::string_view text) {
  auto v = ParseJson(text);
  if (v.ok() && v->is_object()) return std::move(v->get_object());
  return {};
}

// A prepared statement borrowed from the cache; reset when it goes out of scope.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt, const std::string* path)
      : db_(db), stmt_(stmt), path_(path) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Bind(int i, std::string_view v) {
    sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    return *this;
  }
  Query& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Query& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Query& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Query& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }

  Result<bool> Step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, *path_, "running a query");
  }
  Status Run() {
    auto r = Step();
    return r.ok() ? Status::Ok() : r.status();
  }
  std::string Text(int i) const {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    if (p == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(p),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
  }
  int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }

  // The row as a Job; the statement selected kJobColumns first.
  Job ReadJob() const {
    Job j;
    j.id = Text(0);
    j.type = Text(1);
    j.owner = Text(2);
    j.tenant_id = Text(3);
    j.state = ParseJobState(Text(4)).value_or(JobState::kFailed);
    j.request = ParseObject(Text(5));
    j.progress = ParseObject(Text(6));
    j.result = ParseObject(Text(7));
    j.error = Text(8);
    j.error_type = Text(9);
    j.artifact = Text(10);
    j.created_at_ms = Int(11);
    j.started_at_ms = Int(12);
    j.finished_at_ms = Int(13);
    j.attempts = static_cast<int>(Int(14));
    j.cancel_requested = Int(15) != 0;
    return j;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  const std::string* path_;
};

}  // namespace

class SqliteJobStore final : public JobStore {
 public:
  SqliteJobStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteJobStore() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  std::string_view backend() const override { return "sqlite"; }

  Status Init() {
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      int64_t version = 0;
      { ATG_RETURN_IF_ERROR(Exec("PRAGMA user_version", &version)); }
      if (version > kSchemaVersion) {
        return Status::FailedPrecondition(
            "job database " + path_ + " has schema version " + std::to_string(version) +
            ", newer than this atg supports (" + std::to_string(kSchemaVersion) +
            "); upgrade atg or point ATG_DATA_DIR elsewhere");
      }
      if (version < kSchemaVersion) {
        ATG_RETURN_IF_ERROR(Exec(kSchema));
        ATG_RETURN_IF_ERROR(Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion)));
      }
      ATG_RETURN_IF_ERROR(Exec(kRetentionIndex));
      return Exec(kFairnessSchema);
    });
  }

  Status Create(const Job& job, const QueueLimits& limits) override {
    const int64_t max_queue_depth = limits.max_queue_depth;
    if (!ValidJobId(job.id)) {
      return Status::InvalidArgument("job id '" + job.id + "' is not of the form job_<32 hex>");
    }
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      {
        auto q = Prep("SELECT 1 FROM jobs WHERE id = ?");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, job.id);
        auto row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (*row) return Status::AlreadyExists("job " + job.id + " already exists");
      }
      if (limits.max_pending_per_owner > 0) {
        auto q = Prep("SELECT count(*) FROM jobs WHERE state = 'pending' AND owner = ?");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, job.owner);
        auto row = (*q)->Step();
        if (!row.ok()) return row.status();
        const int64_t mine = (*q)->Int(0);
        if (mine >= limits.max_pending_per_owner) {
          return Status::ResourceExhausted(
              "this API key already has " + std::to_string(mine) +
              " jobs pending, its share of the queue (" +
              std::to_string(limits.max_pending_per_owner) +
              ", ATG_MAX_QUEUE_DEPTH_PER_KEY); retry when some of them have run");
        }
      }
      if (max_queue_depth > 0) {
        auto depth = DepthLocked(NowMs());
        if (!depth.ok()) return depth.status();
        if (*depth >= max_queue_depth) {
          return Status::ResourceExhausted(
              "the job queue is full (" + std::to_string(*depth) + " jobs pending, limit " +
              std::to_string(max_queue_depth) +
              " from ATG_MAX_QUEUE_DEPTH); retry later or raise the limit");
        }
      }
      int64_t now = NowMs();
      auto q = Prep(
          "INSERT INTO jobs (id, type, owner, tenant_id, state, request, progress, result, "
          "error, error_type, artifact, created_at_ms, started_at_ms, finished_at_ms, attempts, "
          "cancel_requested, worker_id, lease_until_ms, requeued, last_event_seq) "
          "VALUES (?, ?, ?, ?, 'pending', ?, ?, '{}', '', '', '', ?, 0, 0, 0, 0, '', 0, 0, 0)");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, job.id)
          .Bind(2, job.type)
          .Bind(3, job.owner)
          .Bind(4, job.tenant_id)
          .Bind(5, json::serialize(job.request))
          .Bind(6, json::serialize(job.progress))
          .Bind(7, job.created_at_ms != 0 ? job.created_at_ms : now);
      ATG_RETURN_IF_ERROR((*q)->Run());
      return AppendStateEvent(job.id, JobState::kPending, "", now);
    });
  }

  Result<std::optional<Job>> Get(std::string_view id) override {
    if (!ValidJobId(id)) return std::optional<Job>();
    std::lock_guard lock(mu_);
    return GetLocked(id);
  }

  Result<JobPage> List(const ListQuery& query) override {
    ATG_RETURN_IF_ERROR(ValidateListLimits(query.owner, query.limit));
    ListPosition after{INT64_MAX, "~"};  // sorts after every id
    if (!query.cursor.empty()) {
      auto pos = DecodeListCursor(query.cursor);
      if (!pos.ok()) return pos.status();
      after = *pos;
    }
    std::string sql = std::string("SELECT ") + kJobColumns +
                      " FROM jobs WHERE owner = ?1 AND (created_at_ms < ?2 OR "
                      "(created_at_ms = ?2 AND id < ?3))";
    if (query.state) sql += " AND state = ?4";
    if (query.type) sql += " AND type = ?5";
    sql += " ORDER BY created_at_ms DESC, id DESC LIMIT ?6";
    std::lock_guard lock(mu_);
    auto q = Prep(sql);
    if (!q.ok()) return q.status();
    (*q)->Bind(1, query.owner).Bind(2, after.created_at_ms).Bind(3, after.id);
    if (query.state) (*q)->Bind(4, JobStateName(*query.state));
    if (query.type) (*q)->Bind(5, *query.type);
    (*q)->Bind(6, query.limit + 1);
    JobPage page;
    while (true) {
      auto row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      page.jobs.push_back((*q)->ReadJob());
    }
    if (static_cast<int>(page.jobs.size()) > query.limit) {
      page.jobs.resize(query.limit);
      const Job& last = page.jobs.back();
      page.next_cursor = EncodeListCursor({last.created_at_ms, last.id});
    }
    return page;
  }

  Result<std::optional<Job>> ClaimNext(std::string_view worker_id,
                                       std::chrono::milliseconds lease) override {
    std::lock_guard lock(mu_);
    std::optional<Job> claimed;
    Status s = InTx([&]() -> Status {
      int64_t now = NowMs();
      ATG_RETURN_IF_ERROR(RequeueExpired(now));
      auto next = NextFairLocked();
      if (!next.ok()) return next.status();
      if (next->empty()) return Status::Ok();
      const std::string id = std::move(*next);
      auto q = Prep(
          "UPDATE jobs SET state = 'running', worker_id = ?2, lease_until_ms = ?3, "
          "attempts = attempts + 1, requeued = 0, "
          "started_at_ms = CASE WHEN started_at_ms = 0 THEN ?4 ELSE started_at_ms END "
          "WHERE id = ?1");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id).Bind(2, worker_id).Bind(3, now + lease.count()).Bind(4, now);
      ATG_RETURN_IF_ERROR((*q)->Run());
      ATG_RETURN_IF_ERROR(AppendStateEvent(id, JobState::kRunning, "", now));
      auto job = GetLocked(id);
      if (!job.ok()) return job.status();
      claimed = std::move(*job);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return claimed;
  }

  Status Heartbeat(std::string_view id, std::string_view worker_id,
                   std::chrono::milliseconds lease) override {
    std::lock_guard lock(mu_);
    bool cancel = false;
    ATG_RETURN_IF_ERROR(InTx([&]() -> Status {
      auto held = HoldsLease(id, worker_id, &cancel);
      if (!held.ok()) return held;
      auto q = Prep("UPDATE jobs SET lease_until_ms = ?2 WHERE id = ?1");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id).Bind(2, NowMs() + lease.count());
      return (*q)->Run();
    }));
    if (cancel) return CancelRequested(id);
    return Status::Ok();
  }

  Status PublishProgress(std::string_view id, std::string_view worker_id,
                         const json::object& progress) override {
    std::string text = json::serialize(progress);
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      ATG_RETURN_IF_ERROR(HoldsLease(id, worker_id, nullptr));
      auto q = Prep("UPDATE jobs SET progress = ?2 WHERE id = ?1");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id).Bind(2, text);
      ATG_RETURN_IF_ERROR((*q)->Run());
      return AppendEvent(id, "progress", text, NowMs());
    });
  }

  Status Finish(std::string_view id, std::string_view worker_id, JobState state,
                const json::object& result, std::string_view artifact, std::string_view error,
                std::string_view error_type) override {
    if (!IsTerminal(state)) {
      return Status::InvalidArgument("Finish needs a terminal state, not " +
                                     std::string(JobStateName(state)));
    }
    std::string result_text = json::serialize(result);
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      ATG_RETURN_IF_ERROR(HoldsLease(id, worker_id, nullptr));
      int64_t now = NowMs();
      auto q = Prep(
          "UPDATE jobs SET state = ?2, result = ?3, artifact = ?4, error = ?5, error_type = ?6, "
          "finished_at_ms = ?7, worker_id = '', lease_until_ms = 0 WHERE id = ?1");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id)
          .Bind(2, JobStateName(state))
          .Bind(3, result_text)
          .Bind(4, artifact)
          .Bind(5, error)
          .Bind(6, error_type)
          .Bind(7, now);
      ATG_RETURN_IF_ERROR((*q)->Run());
      return AppendStateEvent(id, state, error, now);
    });
  }

  Status Release(std::string_view id, std::string_view worker_id) override {
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      bool cancel = false;
      ATG_RETURN_IF_ERROR(HoldsLease(id, worker_id, &cancel));
      return Requeue(id, cancel, "released by its worker", NowMs());
    });
  }

  Status RequestCancel(std::string_view id) override {
    if (!ValidJobId(id)) return Status::NotFound("no job " + std::string(id));
    std::lock_guard lock(mu_);
    return InTx([&]() -> Status {
      std::optional<JobState> state;
      int64_t lease_until_ms = 0;
      {
        auto q = Prep("SELECT state, lease_until_ms FROM jobs WHERE id = ?");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, id);
        auto row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) return Status::NotFound("no job " + std::string(id));
        state = ParseJobState((*q)->Text(0));
        lease_until_ms = (*q)->Int(1);
      }
      if (!state || IsTerminal(*state)) {
        return Status::FailedPrecondition("job " + std::string(id) + " is already " +
                                          std::string(JobStateName(*state)) +
                                          "; only pending or running jobs can be cancelled");
      }
      int64_t now = NowMs();
      // A running job whose lease has run out has no worker left to see the request (its
      // process died); waiting for another worker to claim it would leave it "running" for as
      // long as no runner is alive.
      if (*state == JobState::kPending || lease_until_ms < now) return CancelNow(id, now);
      auto q = Prep("UPDATE jobs SET cancel_requested = 1 WHERE id = ?");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, id);
      return (*q)->Run();
    });
  }

  Result<std::vector<JobEvent>> EventsSince(std::string_view id, int64_t after_seq,
                                            int limit) override {
    std::vector<JobEvent> events;
    if (!ValidJobId(id) || limit <= 0) return events;
    std::lock_guard lock(mu_);
    auto q = Prep(
        "SELECT seq, type, data, at_ms FROM job_events WHERE job_id = ? AND seq > ? "
        "ORDER BY seq LIMIT ?");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id).Bind(2, after_seq).Bind(3, limit);
    while (true) {
      auto row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      JobEvent e;
      e.seq = (*q)->Int(0);
      e.type = (*q)->Text(1);
      e.data = ParseObject((*q)->Text(2));
      e.at_ms = (*q)->Int(3);
      events.push_back(std::move(e));
    }
    return events;
  }

  Result<int64_t> QueueDepth() override {
    std::lock_guard lock(mu_);
    return DepthLocked(NowMs());
  }

  Result<PurgeBatch> PurgeFinishedBefore(int64_t cutoff_ms, int64_t limit) override {
    if (limit < 1) {
      return Status::InvalidArgument("PurgeFinishedBefore needs a batch limit of at least 1, not " +
                                     std::to_string(limit));
    }
    std::lock_guard lock(mu_);
    PurgeBatch batch;
    Status s = InTx([&]() -> Status {
      std::vector<std::pair<std::string, std::string>> due;  // id, artifact
      {
        auto q = Prep(
            "SELECT id, artifact FROM jobs "
            "WHERE state IN ('completed', 'failed', 'cancelled') AND finished_at_ms < ?1 "
            "ORDER BY finished_at_ms LIMIT ?2");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, cutoff_ms).Bind(2, limit);
        while (true) {
          auto row = (*q)->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          due.emplace_back((*q)->Text(0), (*q)->Text(1));
        }
      }
      for (const auto& [id, artifact] : due) {
        {
          auto q = Prep("DELETE FROM job_events WHERE job_id = ?");
          if (!q.ok()) return q.status();
          (*q)->Bind(1, id);
          ATG_RETURN_IF_ERROR((*q)->Run());
        }
        auto q = Prep("DELETE FROM jobs WHERE id = ?");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, id);
        ATG_RETURN_IF_ERROR((*q)->Run());
      }
      batch.purged = static_cast<int64_t>(due.size());
      batch.more = batch.purged == limit;
      for (auto& [id, artifact] : due) {
        if (!artifact.empty()) batch.artifacts.push_back(std::move(artifact));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return batch;
  }

  Status Ping() override {
    std::lock_guard lock(mu_);
    int64_t ignored = 0;
    return Exec("SELECT 1", &ignored);
  }

  Status ForEachJob(const std::function<Status(Job&& job)>& visit) override {
    // Pages by seq, the lock held per page only, so the service keeps working meanwhile.
    int64_t after = 0;
    while (true) {
      std::vector<Job> page;
      {
        std::lock_guard lock(mu_);
        auto q = Prep(std::string("SELECT ") + kJobColumns +
                      ", seq FROM jobs WHERE seq > ? ORDER BY seq LIMIT 500");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, after);
        while (true) {
          auto row = (*q)->Step();
          if (!row.ok()) return row.status();
          if (!*row) break;
          page.push_back((*q)->ReadJob());
          after = (*q)->Int(16);
        }
      }
      for (Job& j : page) ATG_RETURN_IF_ERROR(visit(std::move(j)));
      if (page.size() < 500) return Status::Ok();
    }
  }

  Result<bool> RestoreJob(const Job& job, const std::vector<JobEvent>& events) override {
    if (!ValidJobId(job.id)) {
      return Status::InvalidArgument("job id '" + job.id + "' is not of the form job_<32 hex>");
    }
    std::lock_guard lock(mu_);
    bool added = false;
    Status s = InTx([&]() -> Status {
      {
        auto q = Prep("SELECT 1 FROM jobs WHERE id = ?");
        if (!q.ok()) return q.status();
        (*q)->Bind(1, job.id);
        auto row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (*row) return Status::Ok();
      }
      int64_t last_seq = 0;
      for (const JobEvent& e : events) last_seq = std::max(last_seq, e.seq);
      // worker_id '' and lease_until_ms 0: a running job's lease has expired (see the header).
      auto q = Prep(
          "INSERT INTO jobs (id, type, owner, tenant_id, state, request, progress, result, "
          "error, error_type, artifact, created_at_ms, started_at_ms, finished_at_ms, attempts, "
          "cancel_requested, worker_id, lease_until_ms, requeued, last_event_seq) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, 0, ?)");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, job.id)
          .Bind(2, job.type)
          .Bind(3, job.owner)
          .Bind(4, job.tenant_id)
          .Bind(5, JobStateName(job.state))
          .Bind(6, json::serialize(job.request))
          .Bind(7, json::serialize(job.progress))
          .Bind(8, json::serialize(job.result))
          .Bind(9, job.error)
          .Bind(10, job.error_type)
          .Bind(11, job.artifact)
          .Bind(12, job.created_at_ms)
          .Bind(13, job.started_at_ms)
          .Bind(14, job.finished_at_ms)
          .Bind(15, job.attempts)
          .Bind(16, job.cancel_requested ? 1 : 0)
          .Bind(17, last_seq);
      ATG_RETURN_IF_ERROR((*q)->Run());
      for (const JobEvent& e : events) {
        auto ins = Prep(
            "INSERT OR IGNORE INTO job_events (job_id, seq, type, data, at_ms) "
            "VALUES (?,?,?,?,?)");
        if (!ins.ok()) return ins.status();
        (*ins)->Bind(1, job.id).Bind(2, e.seq).Bind(3, e.type).Bind(4, json::serialize(e.data));
        (*ins)->Bind(5, e.at_ms);
        ATG_RETURN_IF_ERROR((*ins)->Run());
      }
      added = true;
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return added;
  }

 private:
  // The cached statement for `sql`, reset when the returned Query is destroyed. Two Queries of
  // the same text must not be alive at once.
  Result<std::unique_ptr<Query>> Prep(const std::string& sql) {
    auto it = cache_.find(sql);
    sqlite3_stmt* stmt = nullptr;
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, path_, "preparing a query");
      cache_.emplace(sql, stmt);
    }
    return std::make_unique<Query>(db_, stmt, &path_);
  }

  // Runs `sql` (one or more statements); `first` receives the first column of the last row.
  Status Exec(const std::string& sql, int64_t* first = nullptr) {
    struct Out {
      int64_t* first;
    } out{first};
    char* err = nullptr;
    int rc = sqlite3_exec(
        db_, sql.c_str(),
        [](void* p, int n, char** values, char**) -> int {
          auto* o = static_cast<Out*>(p);
          if (o->first != nullptr && n > 0 && values[0] != nullptr) {
            *o->first = std::strtoll(values[0], nullptr, 10);
          }
          return 0;
        },
        &out, &err);
    if (err != nullptr) sqlite3_free(err);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, path_, "executing a statement");
    return Status::Ok();
  }

  // Runs `body` in BEGIN IMMEDIATE ... COMMIT; rolls back when it fails. Caller holds mu_.
  Status InTx(const std::function<Status()>& body) {
    ATG_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status s = body();
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) Exec("ROLLBACK").ok();
    return s;
  }

  Result<std::optional<Job>> GetLocked(std::string_view id) {
    auto q = Prep(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id);
    auto row = (*q)->Step();
    std::optional<Job> job;
    if (!row.ok()) return row.status();
    if (*row) job = (*q)->ReadJob();
    return job;
  }

  // The id of the job ClaimNext hands out next ("" when nothing is pending) and, for a fresh
  // job, the turn of its owner recorded. Jobs handed back come first, in their order; then the
  // owner with the fewest running jobs gets its oldest pending job; ties go to the owner whose
  // last turn is oldest, then to the one whose oldest pending job is oldest.
  Result<std::string> NextFairLocked() {
    {
      auto q = Prep(
          "SELECT id FROM jobs WHERE state = 'pending' AND requeued = 1 "
          "ORDER BY requeued DESC, created_at_ms, seq LIMIT 1");
      if (!q.ok()) return q.status();
      auto row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (*row) return (*q)->Text(0);
    }
    std::string owner;
    {
      auto q = Prep(
          "SELECT p.owner FROM (SELECT owner, min(created_at_ms) AS oldest FROM jobs "
          "WHERE state = 'pending' GROUP BY owner) p "
          "LEFT JOIN owner_turns t ON t.owner = p.owner "
          "ORDER BY (SELECT count(*) FROM jobs r WHERE r.state = 'running' AND r.owner = p.owner),"
          " coalesce(t.last_claim, 0), p.oldest, p.owner LIMIT 1");
      if (!q.ok()) return q.status();
      auto row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return std::string();
      owner = (*q)->Text(0);
    }
    std::string id;
    {
      auto q = Prep(
          "SELECT id FROM jobs WHERE state = 'pending' AND owner = ? "
          "ORDER BY created_at_ms, seq LIMIT 1");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, owner);
      auto row = (*q)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return std::string();
      id = (*q)->Text(0);
    }
    auto q = Prep(
        "INSERT INTO owner_turns (owner, last_claim) "
        "VALUES (?1, (SELECT coalesce(max(last_claim), 0) + 1 FROM owner_turns)) "
        "ON CONFLICT(owner) DO UPDATE SET last_claim = excluded.last_claim");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, owner);
    ATG_RETURN_IF_ERROR((*q)->Run());
    return id;
  }

  Result<int64_t> DepthLocked(int64_t now) {
    auto q = Prep(
        "SELECT (SELECT count(*) FROM jobs WHERE state = 'pending') + "
        "(SELECT count(*) FROM jobs WHERE state = 'running' AND lease_until_ms < ?)");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, now);
    auto row = (*q)->Step();
    if (!row.ok()) return row.status();
    int64_t n = (*q)->Int(0);
    return n;
  }

  // OK when `worker_id` holds the lease of running job `id`; kAborted otherwise.
  Status HoldsLease(std::string_view id, std::string_view worker_id, bool* cancel_requested) {
    auto q = Prep("SELECT state, worker_id, cancel_requested FROM jobs WHERE id = ?");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id);
    auto row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return LeaseLost(id, "it does not exist");
    if ((*q)->Text(0) != "running" || (*q)->Text(1) != worker_id) {
      return LeaseLost(id, "its lease expired or it was finished or handed to another worker");
    }
    if (cancel_requested != nullptr) *cancel_requested = (*q)->Int(2) != 0;
    return Status::Ok();
  }

  static Status LeaseLost(std::string_view id, std::string_view why) {
    return Status::Aborted("this worker no longer holds job " + std::string(id) + ": " +
                           std::string(why) + "; stop working on it");
  }

  static Status CancelRequested(std::string_view id) {
    return Status::Cancelled("job " + std::string(id) +
                             " was cancelled by request; stop at the next safe point");
  }

  // Running jobs whose lease ended go back to the front of the queue (or, when a cancel was
  // requested meanwhile, become cancelled).
  Status RequeueExpired(int64_t now) {
    std::vector<std::pair<std::string, bool>> expired;
    {
      auto q = Prep(
          "SELECT id, cancel_requested FROM jobs WHERE state = 'running' AND lease_until_ms < ? "
          "ORDER BY lease_until_ms");
      if (!q.ok()) return q.status();
      (*q)->Bind(1, now);
      while (true) {
        auto row = (*q)->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        expired.emplace_back((*q)->Text(0), (*q)->Int(1) != 0);
      }
    }
    for (const auto& [id, cancel] : expired) {
      ATG_RETURN_IF_ERROR(Requeue(id, cancel, "lease expired", now));
    }
    return Status::Ok();
  }

  Status Requeue(std::string_view id, bool cancel, std::string_view reason, int64_t now) {
    if (cancel) return CancelNow(id, now);
    auto q = Prep(
        "UPDATE jobs SET state = 'pending', worker_id = '', lease_until_ms = 0, requeued = 1 "
        "WHERE id = ?");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id);
    ATG_RETURN_IF_ERROR((*q)->Run());
    json::object data{{"state", "pending"}, {"reason", reason}};
    return AppendEvent(id, "state", json::serialize(data), now);
  }

  Status CancelNow(std::string_view id, int64_t now) {
    constexpr std::string_view kMessage = "cancelled by request";
    auto q = Prep(
        "UPDATE jobs SET state = 'cancelled', error = ?2, error_type = 'cancelled', "
        "finished_at_ms = ?3, worker_id = '', lease_until_ms = 0, cancel_requested = 1 "
        "WHERE id = ?1");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id).Bind(2, kMessage).Bind(3, now);
    ATG_RETURN_IF_ERROR((*q)->Run());
    return AppendStateEvent(id, JobState::kCancelled, kMessage, now);
  }

  Status AppendStateEvent(std::string_view id, JobState state, std::string_view error,
                          int64_t now) {
    json::object data{{"state", JobStateName(state)}};
    if (!error.empty()) data["error"] = error;
    return AppendEvent(id, "state", json::serialize(data), now);
  }

  Status AppendEvent(std::string_view id, std::string_view type, std::string_view data,
                     int64_t now) {
    auto q = Prep(
        "UPDATE jobs SET last_event_seq = last_event_seq + 1 WHERE id = ? "
        "RETURNING last_event_seq");
    if (!q.ok()) return q.status();
    (*q)->Bind(1, id);
    auto row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("job " + std::string(id) + " vanished while recording");
    int64_t seq = (*q)->Int(0);
    ATG_RETURN_IF_ERROR((*q)->Run());  // finish the RETURNING statement
    auto ins = Prep("INSERT INTO job_events (job_id, seq, type, data, at_ms) VALUES (?,?,?,?,?)");
    if (!ins.ok()) return ins.status();
    (*ins)->Bind(1, id).Bind(2, seq).Bind(3, type).Bind(4, data).Bind(5, now);
    return (*ins)->Run();
  }

  std::mutex mu_;
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

namespace {

// What is wrong with the database file at `path` before SQLite opens it ("" when nothing is
// known to be): a file that a database was created at (the marker says so) and that is now
// missing or empty, or a file that is not a SQLite database at all.
std::string DamageBeforeOpen(const std::string& path, bool marked) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!exists) return marked ? "the file is missing" : "";
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "its size cannot be read (" + ec.message() + ")";
  // A database this program creates is never empty: its schema is checkpointed into the file.
  if (size == 0) return "the file is empty (0 bytes)";
  char header[16] = {0};
  std::ifstream in(path, std::ios::binary);
  in.read(header, sizeof header);
  if (in.gcount() != sizeof header || std::memcmp(header, "SQLite format 3", 16) != 0) {
    return "the file is not a SQLite database (its header is wrong)";
  }
  return "";
}

// PRAGMA quick_check: "" when the database is sound, else SQLite's first complaint.
std::string QuickCheck(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return std::string("it cannot be read: ") + sqlite3_errmsg(db);
  }
  std::string verdict;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    verdict = text ? reinterpret_cast<const char*>(text) : "";
  } else {
    verdict = std::string("it cannot be read: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  if (verdict == "ok") return "";
  return verdict.starts_with("it cannot") ? verdict : "quick_check found damage: " + verdict;
}

// "20261127T063000Z".
std::string UtcStamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Status Damaged(const std::string& path, const std::string& what) {
  return Status::FailedPrecondition(
      "the job database " + path + " is damaged: " + what +
      ". atg serve does not start on it, so that no job is silently lost. Restore it from your "
      "backup (stop atg, copy the backup to " +
      path + ", remove " + path + "-wal and " + path +
      "-shm, start again; see docs/operations.md, \"A damaged job database\"), or start with an "
      "empty job database by setting ATG_JOB_DB_START_FRESH=true (atg serve --start-fresh): the "
      "damaged files are then kept beside it as " +
      path + ".damaged-<time>");
}

// Moves the database and its WAL/SHM aside as <path>.damaged-<stamp>[-wal|-shm].
Status MoveAside(const std::string& path, std::string* moved_to) {
  const std::string target = path + ".damaged-" + UtcStamp();
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string from = path + suffix;
    if (!std::filesystem::exists(from, ec)) continue;
    std::filesystem::rename(from, target + suffix, ec);
    if (ec) {
      return Status::IoError("cannot move the damaged job database " + from +
                             " aside: " + ec.message() + "; move it away by hand and start again");
    }
  }
  *moved_to = target;
  return Status::Ok();
}

Result<sqlite3*> OpenDb(const std::string& path, const SqliteJobStoreOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db, rc, path, "opening");
    if (db != nullptr) sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  return db;
}

}  // namespace

std::string JobDatabaseMarker(const std::string& path) { return path + ".created"; }

Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path,
                                                     const SqliteJobStoreOptions& options) {
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Status::IoError("cannot create the directory of the job database " + path + ": " +
                           ec.message() + "; check ATG_DATA_DIR and its permissions");
  }
  const std::string marker = JobDatabaseMarker(path);
  const bool marked = std::filesystem::exists(marker, ec);
  const bool existed = std::filesystem::exists(path, ec);

  std::string damage = DamageBeforeOpen(path, marked);
  sqlite3* db = nullptr;
  if (damage.empty()) {
    auto opened = OpenDb(path, options);
    if (!opened.ok()) return opened.status();
    db = *opened;
    if (existed) {
      damage = QuickCheck(db);
      if (!damage.empty()) {
        sqlite3_close(db);
        db = nullptr;
      }
    }
  }
  if (!damage.empty()) {
    if (!options.start_fresh) return Damaged(path, damage);
    std::string moved_to;
    ATG_RETURN_IF_ERROR(MoveAside(path, &moved_to));
    Log(LogLevel::kWarning,
        "the job database was damaged and was moved aside; starting with an empty one "
        "(ATG_JOB_DB_START_FRESH)",
        {{"path", path}, {"damage", damage}, {"moved_to", moved_to}});
    auto opened = OpenDb(path, options);
    if (!opened.ok()) return opened.status();
    db = *opened;
  }

  auto store = std::make_unique<SqliteJobStore>(db, path);
  char* err = nullptr;
  int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr,
                        &err);
  if (err != nullptr) sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(db, rc, path, "switching to WAL mode");
  ATG_RETURN_IF_ERROR(store->Init());
  if (!marked || !damage.empty()) {
    // The schema goes into the database file itself (not only the WAL), so that an empty file
    // can only mean a destroyed database; then the marker records that one exists here.
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    int fd = ::open(marker.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::IoError("cannot write " + marker + ": " + std::strerror(errno) +
                             "; check the permissions of ATG_DATA_DIR");
    }
    const std::string text =
        "atg job database created " + UtcStamp() +
        "; while this file exists, a missing, empty or unreadable jobs.db stops atg serve\n";
    ssize_t n = ::write(fd, text.data(), text.size());
    ::fsync(fd);
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size())) {
      return Status::IoError("cannot write " + marker + "; check free disk space");
    }
  }
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace atg::jobs
