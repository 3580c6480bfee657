#include "jobs/redis_job_store.h"

#include <hiredis/hiredis.h>
#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "common/log.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "jobs/job.h"
#include "jobs/list_cursor.h"
#include "jobs/redis_connection.h"
#include "jobs/redis_scripts.h"

namespace atg::jobs {

namespace {

using Reply = RedisReply;
using Context = RedisContext;

Status ConnectionFailed(std::string_view why) {
  return Status::Unavailable("Queue connection failed: " + std::string(why));
}

struct Script {
  std::string text;
  std::string sha;
};

Script MakeScript(const char* body) {
  Script s;
  s.text = std::string(redis_scripts::kPrelude) + body;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s.text.data()), s.text.size(), digest);
  s.sha = HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  return s;
}

std::string ReplyString(const redisReply* r) { return RedisReplyText(r); }

int64_t ToInt(const std::string& s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

json::object ToObject(const std::string& s) {
  if (s.empty()) return {};
  auto v = ParseJson(s);
  if (v.ok() && v->is_object()) return std::move(v->get_object());
  return {};
}

// A job from an HGETALL reply (a flat field/value array); nullopt for an empty one.
std::optional<Job> JobFromHash(const redisReply* r) {
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
    return std::nullopt;
  }
  std::map<std::string, std::string, std::less<>> f;
  for (size_t i = 0; i + 1 < r->elements; i += 2) {
    f[ReplyString(r->element[i])] = ReplyString(r->element[i + 1]);
  }
  auto get = [&](std::string_view k) {
    auto it = f.find(k);
    return it == f.end() ? std::string() : it->second;
  };
  Job j;
  j.id = get("id");
  j.type = get("type");
  j.owner = get("owner");
  j.tenant_id = get("tenant_id");
  j.state = ParseJobState(get("state")).value_or(JobState::kFailed);
  j.request = ToObject(get("request"));
  j.progress = ToObject(get("progress"));
  j.result = ToObject(get("result"));
  j.error = get("error");
  j.error_type = get("error_type");
  j.artifact = get("artifact");
  j.created_at_ms = ToInt(get("created_at_ms"));
  j.started_at_ms = ToInt(get("started_at_ms"));
  j.finished_at_ms = ToInt(get("finished_at_ms"));
  j.attempts = static_cast<int>(ToInt(get("attempts")));
  j.cancel_requested = get("cancel_requested") == "1";
  return j;
}

Status LeaseLost(std::string_view id) {
  return Status::Aborted("this worker no longer holds job " + std::string(id) +
                         ": its lease expired or it was finished or handed to another worker; "
                         "stop working on it");
}

}  // namespace

class RedisJobStore final : public JobStore {
 public:
  RedisJobStore(RedisUrl url, RedisJobStoreOptions options)
      : url_(std::move(url)), options_(std::move(options)) {
    create_ = MakeScript(redis_scripts::kCreate);
    claim_ = MakeScript(redis_scripts::kClaim);
    heartbeat_ = MakeScript(redis_scripts::kHeartbeat);
    progress_ = MakeScript(redis_scripts::kProgress);
    finish_ = MakeScript(redis_scripts::kFinish);
    release_ = MakeScript(redis_scripts::kRelease);
    cancel_ = MakeScript(redis_scripts::kCancel);
    depth_ = MakeScript(redis_scripts::kDepth);
    purge_ = MakeScript(redis_scripts::kPurge);
    index_finished_ = MakeScript(redis_scripts::kIndexFinished);
    restore_ = MakeScript(redis_scripts::kRestore);
  }

  std::string_view backend() const override { return "redis"; }

  Status Create(const Job& job, const QueueLimits& limits) override {
    if (!ValidJobId(job.id)) {
      return Status::InvalidArgument("job id '" + job.id + "' is not of the form job_<32 hex>");
    }
    const int64_t max_queue_depth = limits.max_queue_depth;
    int64_t created = job.created_at_ms != 0 ? job.created_at_ms : NowMs();
    std::vector<std::string> args = {job.id, std::to_string(max_queue_depth), job.owner,
                                     std::to_string(created),
                                     std::to_string(limits.max_pending_per_owner)};
    auto field = [&](std::string name, std::string value) {
      args.push_back(std::move(name));
      args.push_back(std::move(value));
    };
    field("id", job.id);
    field("type", job.type);
    field("owner", job.owner);
    field("tenant_id", job.tenant_id);
    field("state", "pending");
    field("request", json::serialize(job.request));
    field("progress", json::serialize(job.progress));
    field("result", "{}");
    field("error", "");
    field("error_type", "");
    field("artifact", "");
    field("created_at_ms", std::to_string(created));
    field("started_at_ms", "0");
    field("finished_at_ms", "0");
    field("attempts", "0");
    field("cancel_requested", "0");
    field("worker", "");
    field("lease_until", "0");
    field("ev_seq", "0");
    auto r = Eval(create_, job.id, args);
    if (!r.ok()) return r.status();
    std::string out = ReplyString(r->get());
    if (out == "ok") return Status::Ok();
    if (out == "exists") return Status::AlreadyExists("job " + job.id + " already exists");
    if (out.starts_with("owner_full:")) {
      return Status::ResourceExhausted(
          "this API key already has " + out.substr(11) + " jobs pending, its share of the queue (" +
          std::to_string(limits.max_pending_per_owner) +
          ", ATG_MAX_QUEUE_DEPTH_PER_KEY); retry when some of them have run");
    }
    if (out.starts_with("full:")) {
      return Status::ResourceExhausted("the job queue is full (" + out.substr(5) +
                                       " jobs pending, limit " + std::to_string(max_queue_depth) +
                                       " from ATG_MAX_QUEUE_DEPTH); retry later or raise the "
                                       "limit");
    }
    return Status::Internal("unexpected reply from the create script: " + out);
  }

  Result<std::optional<Job>> Get(std::string_view id) override {
    if (!ValidJobId(id)) return std::optional<Job>();
    auto r = Command({"HGETALL", Key("job:", id)});
    if (!r.ok()) return r.status();
    return JobFromHash(r->get());
  }

  Result<JobPage> List(const ListQuery& query) override {
    ATG_RETURN_IF_ERROR(ValidateListLimits(query.owner, query.limit));
    ListPosition after{INT64_MAX, "~"};
    std::string max = "+inf";
    if (!query.cursor.empty()) {
      auto pos = DecodeListCursor(query.cursor);
      if (!pos.ok()) return pos.status();
      after = *pos;
      max = std::to_string(after.created_at_ms);
    }
    std::string key = Key("owner:", query.owner);
    JobPage page;
    std::vector<Job> found;
    const int batch = std::max(query.limit + 1, 50);
    // Each batch starts after the last entry examined (by score, then id), not at an offset:
    // jobs created meanwhile, by this or another server, are newest and would shift offsets
    // back over entries already returned. The offset only steps over a run of entries that
    // share one score and were all examined already.
    ListPosition examined = after;
    int offset = 0;
    for (;;) {
      auto r = Command({"ZREVRANGEBYSCORE", key, max, "-inf", "WITHSCORES", "LIMIT",
                        std::to_string(offset), std::to_string(batch)});
      if (!r.ok()) return r.status();
      const redisReply* arr = r->get();
      if (arr->type != REDIS_REPLY_ARRAY || arr->elements == 0) break;
      std::vector<std::string> ids;
      std::optional<ListPosition> last;
      for (size_t i = 0; i + 1 < arr->elements; i += 2) {
        std::string id = ReplyString(arr->element[i]);
        int64_t score = ToInt(ReplyString(arr->element[i + 1]));
        // Same order as SQLite: (created_at_ms, id) descending, strictly after the cursor.
        if (score > examined.created_at_ms ||
            (score == examined.created_at_ms && id >= examined.id)) {
          continue;
        }
        last = ListPosition{score, id};
        ids.push_back(std::move(id));
      }
      auto jobs = GetMany(ids);
      if (!jobs.ok()) return jobs.status();
      for (auto& j : *jobs) {
        if (query.state && j.state != *query.state) continue;
        if (query.type && j.type != *query.type) continue;
        found.push_back(std::move(j));
        if (static_cast<int>(found.size()) > query.limit) break;
      }
      if (static_cast<int>(found.size()) > query.limit) break;
      if (arr->elements < static_cast<size_t>(batch) * 2) break;
      if (last) {
        examined = *last;
        max = std::to_string(examined.created_at_ms);
        offset = 0;
      } else {
        offset += batch;
      }
    }
    if (static_cast<int>(found.size()) > query.limit) {
      found.resize(query.limit);
      page.next_cursor = EncodeListCursor({found.back().created_at_ms, found.back().id});
    }
    page.jobs = std::move(found);
    return page;
  }

  Result<std::optional<Job>> ClaimNext(std::string_view worker_id,
                                       std::chrono::milliseconds lease) override {
    auto r = Eval(claim_, "", {std::string(worker_id), std::to_string(lease.count())});
    if (!r.ok()) return r.status();
    return JobFromHash(r->get());
  }

  Status Heartbeat(std::string_view id, std::string_view worker_id,
                   std::chrono::milliseconds lease) override {
    auto r = Eval(heartbeat_, id,
                  {std::string(id), std::string(worker_id), std::to_string(lease.count())});
    if (!r.ok()) return r.status();
    int64_t v = (*r)->integer;
    if (v == 0) return LeaseLost(id);
    if (v == 2) {
      return Status::Cancelled("job " + std::string(id) +
                               " was cancelled by request; stop at the next safe point");
    }
    return Status::Ok();
  }

  Status PublishProgress(std::string_view id, std::string_view worker_id,
                         const json::object& progress) override {
    auto r =
        Eval(progress_, id, {std::string(id), std::string(worker_id), json::serialize(progress)});
    if (!r.ok()) return r.status();
    return (*r)->integer == 1 ? Status::Ok() : LeaseLost(id);
  }

  Status Finish(std::string_view id, std::string_view worker_id, JobState state,
                const json::object& result, std::string_view artifact, std::string_view error,
                std::string_view error_type) override {
    if (!IsTerminal(state)) {
      return Status::InvalidArgument("Finish needs a terminal state, not " +
                                     std::string(JobStateName(state)));
    }
    auto r = Eval(finish_, id,
                  {std::string(id), std::string(worker_id), std::string(JobStateName(state)),
                   json::serialize(result), std::string(artifact), std::string(error),
                   std::string(error_type)});
    if (!r.ok()) return r.status();
    return (*r)->integer == 1 ? Status::Ok() : LeaseLost(id);
  }

  Status Release(std::string_view id, std::string_view worker_id) override {
    auto r = Eval(release_, id, {std::string(id), std::string(worker_id)});
    if (!r.ok()) return r.status();
    return (*r)->integer == 1 ? Status::Ok() : LeaseLost(id);
  }

  Status RequestCancel(std::string_view id) override {
    if (!ValidJobId(id)) return Status::NotFound("no job " + std::string(id));
    auto r = Eval(cancel_, id, {std::string(id)});
    if (!r.ok()) return r.status();
    std::string out = ReplyString(r->get());
    if (out == "cancelled" || out == "requested") return Status::Ok();
    if (out == "missing") return Status::NotFound("no job " + std::string(id));
    if (out.starts_with("terminal:")) {
      return Status::FailedPrecondition("job " + std::string(id) + " is already " + out.substr(9) +
                                        "; only pending or running jobs can be cancelled");
    }
    return Status::Internal("unexpected reply from the cancel script: " + out);
  }

  Result<std::vector<JobEvent>> EventsSince(std::string_view id, int64_t after_seq,
                                            int limit) override {
    std::vector<JobEvent> events;
    if (!ValidJobId(id) || limit <= 0) return events;
    if (after_seq < 0) after_seq = 0;
    // after_seq comes from the client (Last-Event-ID): keep the range end from overflowing.
    const int64_t last = after_seq > INT64_MAX - limit ? INT64_MAX : after_seq + limit - 1;
    auto r =
        Command({"LRANGE", Key("events:", id), std::to_string(after_seq), std::to_string(last)});
    if (!r.ok()) return r.status();
    const redisReply* arr = r->get();
    for (size_t i = 0; arr->type == REDIS_REPLY_ARRAY && i < arr->elements; ++i) {
      auto v = ParseJson(ReplyString(arr->element[i]));
      if (!v.ok() || !v->is_object()) continue;
      auto e = JobEventFromJson(v->get_object());
      if (e.ok()) events.push_back(std::move(*e));
    }
    return events;
  }

  Result<int64_t> QueueDepth() override {
    auto r = Eval(depth_, "", {});
    if (!r.ok()) return r.status();
    return static_cast<int64_t>((*r)->integer);
  }

  Result<PurgeBatch> PurgeFinishedBefore(int64_t cutoff_ms, int64_t limit) override {
    if (limit < 1) {
      return Status::InvalidArgument("PurgeFinishedBefore needs a batch limit of at least 1, not " +
                                     std::to_string(limit));
    }
    ATG_RETURN_IF_ERROR(IndexFinishedOnce());
    auto r = Eval(purge_, "", {std::to_string(cutoff_ms), std::to_string(limit)});
    if (!r.ok()) return r.status();
    const redisReply* arr = r->get();
    if (arr->type != REDIS_REPLY_ARRAY || arr->elements < 2) {
      return Status::Internal("unexpected reply from the purge script");
    }
    PurgeBatch batch;
    batch.purged = arr->element[0]->integer;
    batch.more = arr->element[1]->integer >= limit;
    for (size_t i = 2; i < arr->elements; ++i) {
      batch.artifacts.push_back(ReplyString(arr->element[i]));
    }
    return batch;
  }

  Status Ping() override {
    auto r = Command({"PING"});
    return r.ok() ? Status::Ok() : r.status();
  }

  Status ForEachJob(const std::function<Status(Job&& job)>& visit) override {
    const std::string prefix = Key("job:", "");
    std::string cursor = "0";
    do {
      auto r = Command(
          {"SCAN", cursor, "MATCH", GlobEscape(options_.key_prefix) + "job:*", "COUNT", "500"});
      if (!r.ok()) return r.status();
      const redisReply* arr = r->get();
      if (arr->type != REDIS_REPLY_ARRAY || arr->elements != 2) {
        return Status::Internal("unexpected reply from SCAN");
      }
      cursor = ReplyString(arr->element[0]);
      std::vector<std::string> ids;
      const redisReply* keys = arr->element[1];
      for (size_t i = 0; keys->type == REDIS_REPLY_ARRAY && i < keys->elements; ++i) {
        std::string key = ReplyString(keys->element[i]);
        std::string id = key.substr(std::min(prefix.size(), key.size()));
        if (ValidJobId(id)) ids.push_back(std::move(id));
      }
      auto jobs = GetMany(ids);
      if (!jobs.ok()) return jobs.status();
      for (Job& j : *jobs) ATG_RETURN_IF_ERROR(visit(std::move(j)));
    } while (cursor != "0");
    return Status::Ok();
  }

  Result<bool> RestoreJob(const Job& job, const std::vector<JobEvent>& events) override {
    if (!ValidJobId(job.id)) {
      return Status::InvalidArgument("job id '" + job.id + "' is not of the form job_<32 hex>");
    }
    std::vector<JobEvent> sorted = events;
    std::sort(sorted.begin(), sorted.end(),
              [](const JobEvent& a, const JobEvent& b) { return a.seq < b.seq; });
    std::vector<std::string> args = {job.id,
                                     job.owner,
                                     std::to_string(job.created_at_ms),
                                     std::string(JobStateName(job.state)),
                                     std::to_string(job.finished_at_ms),
                                     std::to_string(sorted.size())};
    // The event list's index is seq - 1 (EventsSince reads by range), so sequences are
    // renumbered 1..n in order; a backup's are that already.
    int64_t seq = 0;
    for (JobEvent& e : sorted) {
      e.seq = ++seq;
      args.push_back(json::serialize(JobEventToJson(e)));
    }
    auto field = [&](std::string name, std::string value) {
      args.push_back(std::move(name));
      args.push_back(std::move(value));
    };
    field("id", job.id);
    field("type", job.type);
    field("owner", job.owner);
    field("tenant_id", job.tenant_id);
    field("state", std::string(JobStateName(job.state)));
    field("request", json::serialize(job.request));
    field("progress", json::serialize(job.progress));
    field("result", json::serialize(job.result));
    field("error", job.error);
    field("error_type", job.error_type);
    field("artifact", job.artifact);
    field("created_at_ms", std::to_string(job.created_at_ms));
    field("started_at_ms", std::to_string(job.started_at_ms));
    field("finished_at_ms", std::to_string(job.finished_at_ms));
    field("attempts", std::to_string(job.attempts));
    field("cancel_requested", job.cancel_requested ? "1" : "0");
    field("worker", "");
    field("lease_until", "0");
    field("ev_seq", std::to_string(seq));
    auto r = Eval(restore_, job.id, args);
    if (!r.ok()) return r.status();
    return (*r)->integer == 1;
  }

  ~RedisJobStore() override = default;

  // Connects once so that a wrong URL or password fails at startup, not at the first job.
  Status Check() {
    auto c = Acquire();
    if (!c.ok()) return c.status();
    Return(std::move(c->first));
    return Status::Ok();
  }

 private:
  std::string Key(std::string_view kind, std::string_view name) const {
    return options_.key_prefix + std::string(kind) + std::string(name);
  }

  std::string Where() const { return RedisWhere(url_); }

  // The same connect, AUTH and SELECT as PingRedis; the store speaks of the queue.
  Result<Context> Connect() {
    auto c = ConnectRedis(url_, options_.connect_timeout, options_.command_timeout);
    if (!c.ok()) return ConnectionFailed(c.status().message());
    return c;
  }

  // Sends one command; a transport failure (the connection is then unusable) is an error,
  // an error reply is not.
  Result<Reply> RawCommand(redisContext* c, const std::vector<std::string>& args) {
    auto r = RunRedisCommand(c, url_, args, options_.command_timeout);
    if (!r.ok()) return ConnectionFailed(r.status().message());
    return r;
  }

  // A connection and whether it came from the idle pool.
  Result<std::pair<Context, bool>> Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        Context c = std::move(idle_.back());
        idle_.pop_back();
        return std::make_pair(std::move(c), true);
      }
    }
    auto c = Connect();
    if (!c.ok()) return c.status();
    return std::make_pair(std::move(*c), false);
  }

  void Return(Context c) {
    std::lock_guard lock(mu_);
    if (static_cast<int>(idle_.size()) < options_.max_idle_connections) {
      idle_.push_back(std::move(c));
    }
  }

  // Runs a command on a pooled connection. A pooled connection that turns out dead (Redis
  // restarted, idle timeout) is replaced once; the server had closed it, so it never saw the
  // command and repeating it is safe.
  Result<Reply> Command(const std::vector<std::string>& args) {
    for (int attempt = 0;; ++attempt) {
      auto c = Acquire();
      if (!c.ok()) return c.status();
      auto r = RawCommand(c->first.get(), args);
      if (!r.ok()) {
        bool stale = c->second && c->first->err == REDIS_ERR_EOF;
        if (stale && attempt == 0) continue;
        return r.status();
      }
      Return(std::move(c->first));
      if ((*r)->type == REDIS_REPLY_ERROR) {
        std::string err = ReplyString(r->get());
        if (err.starts_with("NOSCRIPT")) return std::move(*r);
        // A server that is loading its data, a read-only replica, a busy script: the queue is
        // temporarily unusable rather than broken.
        for (const char* transient : {"LOADING", "READONLY", "BUSY", "MASTERDOWN", "TRYAGAIN"}) {
          if (err.starts_with(transient)) {
            return ConnectionFailed(Where() + " cannot serve the queue right now (" + err +
                                    "); retry later, and check that REDIS_URL names the primary");
          }
        }
        return Status::Internal("Redis refused " + args[0] + ": " + err);
      }
      return std::move(*r);
    }
  }

  // EVALSHA, or EVAL when Redis does not know the script (first use, restart, SCRIPT FLUSH).
  Result<Reply> Eval(const Script& s, std::string_view id, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"EVALSHA", s.sha, "0", options_.key_prefix};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = Command(argv);
    if (!r.ok()) return r;
    if ((*r)->type != REDIS_REPLY_ERROR) return r;
    argv[0] = "EVAL";
    argv[1] = s.text;
    return Command(argv);
  }

  // Jobs that finished before P finished existed (stored by an older atg) are indexed by one
  // SCAN of the keyspace, in bounded steps, the first time this process purges; the marker key
  // the last step sets spares every later process the scan.
  Status IndexFinishedOnce() {
    if (finished_indexed_.load()) return Status::Ok();
    std::lock_guard lock(index_mu_);
    if (finished_indexed_.load()) return Status::Ok();
    std::string pattern = GlobEscape(options_.key_prefix) + "job:*";
    std::string cursor = "0";
    do {
      auto r = Eval(index_finished_, "", {cursor, pattern, "1000"});
      if (!r.ok()) return r.status().WithContext("indexing finished jobs for retention");
      cursor = ReplyString(r->get());
    } while (cursor != "0");
    finished_indexed_.store(true);
    return Status::Ok();
  }

  // `text` as a literal in a SCAN MATCH pattern.
  static std::string GlobEscape(std::string_view text) {
    std::string out;
    for (char ch : text) {
      if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') out.push_back('\\');
      out.push_back(ch);
    }
    return out;
  }

  Result<std::vector<Job>> GetMany(const std::vector<std::string>& ids) {
    std::vector<Job> out;
    if (ids.empty()) return out;
    for (int attempt = 0;; ++attempt) {
      auto c = Acquire();
      if (!c.ok()) return c.status();
      redisContext* ctx = c->first.get();
      for (const auto& id : ids) {
        std::string key = Key("job:", id);
        const char* argv[] = {"HGETALL", key.data()};
        size_t lens[] = {7, key.size()};
        redisAppendCommandArgv(ctx, 2, argv, lens);
      }
      bool failed = false;
      for (size_t i = 0; i < ids.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(ctx, &raw) != REDIS_OK) {
          failed = true;
          break;
        }
        Reply r(static_cast<redisReply*>(raw));
        if (auto j = JobFromHash(r.get())) out.push_back(std::move(*j));
      }
      if (failed) {
        out.clear();
        if (c->second && ctx->err == REDIS_ERR_EOF && attempt == 0) continue;
        return ConnectionFailed("lost the connection to " + Where() + ": " + ctx->errstr);
      }
      Return(std::move(c->first));
      return out;
    }
  }

  RedisUrl url_;
  RedisJobStoreOptions options_;
  Script create_, claim_, heartbeat_, progress_, finish_, release_, cancel_, depth_, purge_,
      index_finished_, restore_;
  std::mutex mu_;
  std::mutex index_mu_;  // one IndexFinishedOnce at a time
  std::atomic<bool> finished_indexed_{false};
  std::vector<Context> idle_;
};

Result<std::unique_ptr<JobStore>> OpenRedisJobStore(const RedisJobStoreOptions& options) {
  auto url = ResolveRedisUrl(options.url, options.password);
  if (!url.ok()) return url.status();
  if (options.key_prefix.empty()) {
    return Status::InvalidArgument(
        "ATG_REDIS_KEY_PREFIX is empty; every Redis key needs a prefix (the default is atg:)");
  }
  auto store = std::make_unique<RedisJobStore>(std::move(*url), options);
  ATG_RETURN_IF_ERROR(store->Check());
  return std::unique_ptr<JobStore>(std::move(store));
}

}  // namespace atg::jobs
