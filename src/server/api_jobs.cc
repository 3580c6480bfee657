// The job routes: list, status, result, artifact download, events (SSE) and cancel. Every
// route that names a job checks the id's shape before any lookup and answers 404 for a job of
// another key, so that one key cannot learn whether another key's job exists.
#include <algorithm>
#include <charconv>

#include "common/base64.h"
#include "common/log.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "jobs/job.h"
#include "net/body_sources.h"
#include "server/api_internal.h"

namespace atg::server {
namespace {

// Looks up the job named by the path for the calling key. On failure `error` is the response.
std::optional<jobs::Job> CallersJob(Api::Impl& api, Call& call, net::HttpResponse* error) {
  std::string id(call.req.PathParam("id").value_or(""));
  if (!jobs::ValidJobId(id)) {
    *error = call.Error(400, "InvalidJobId",
                        "job ids look like job_ followed by 32 lower-case hex digits");
    return std::nullopt;
  }
  call.job_id = id;
  auto job = api.deps.store->Get(id);
  if (!job.ok()) {
    LogError("reading job {} failed: {}", id, job.status().message());
    *error = call.Error(503, "QueueUnavailable", "the job store is unavailable; retry later");
    error->SetHeader("Retry-After", "5");
    return std::nullopt;
  }
  if (!job->has_value() || (*job)->owner != call.key_id) {
    *error = call.Error(404, "JobNotFound", "no job " + id + " for this API key");
    return std::nullopt;
  }
  return std::move(**job);
}

net::HttpResponse ListJobs(Api::Impl& api, Call& call) {
  jobs::ListQuery q;
  q.owner = call.key_id;
  for (const auto& [name, value] : call.req.query) {
    if (name == "state" || name == "status") {
      auto s = jobs::ParseJobState(value);
      if (!s) {
        return call.Error(400, "InvalidParameter",
                          "query parameter `" + name +
                              "` must be pending, running, completed, failed or cancelled");
      }
      q.state = *s;
    } else if (name == "type") {
      if (value != "scan" && value != "generate-iac") {
        return call.Error(400, "InvalidParameter",
                          "query parameter `type` must be scan or generate-iac");
      }
      q.type = value;
    } else if (name == "cursor") {
      q.cursor = value;
    } else if (name == "limit") {
      int n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || n < 1 || n > 200) {
        return call.Error(400, "InvalidParameter",
                          "query parameter `limit` must be an integer from 1 to 200");
      }
      q.limit = n;
    } else {
      return call.Error(
          400, "InvalidParameter",
          "unknown query parameter `" + name + "`; accepted: state, type, cursor, limit");
    }
  }
  auto page = api.deps.store->List(q);
  if (!page.ok()) {
    if (page.status().code() == StatusCode::kInvalidArgument) {
      return call.Error(400, "InvalidParameter",
                        "query parameter `cursor` is not valid: " + page.status().message());
    }
    LogError("listing jobs failed: {}", page.status().message());
    return call.Error(503, "QueueUnavailable", "the job store is unavailable; retry later");
  }
  json::array items;
  for (const jobs::Job& j : page->jobs) items.push_back(ApiJobJson(j));
  json::object body{{"jobs", std::move(items)}, {"next_cursor", page->next_cursor}};
  return net::HttpResponse::Json(200, body);
}

net::HttpResponse GetResult(Call& call, const jobs::Job& job) {
  switch (job.state) {
    case jobs::JobState::kCompleted:
      return net::HttpResponse::Json(
          200, json::object{{"job_id", job.id}, {"status", "completed"}, {"result", job.result}});
    case jobs::JobState::kFailed:
      return call.Error(409, "JobFailed", "job " + job.id + " failed: " + job.error);
    case jobs::JobState::kCancelled:
      return call.Error(409, "JobCancelled",
                        "job " + job.id + " was cancelled" +
                            (job.error.empty() ? std::string() : ": " + job.error));
    default:
      return call.Error(409, "JobNotFinished",
                        "job " + job.id + " is " + std::string(jobs::JobStateName(job.state)) +
                            "; the result exists once it is completed");
  }
}

// Streams [offset, offset + length) of a stored artifact in 64 KiB pieces.
class ArtifactBody : public net::BodySource {
 public:
  ArtifactBody(std::unique_ptr<jobs::ArtifactReader> reader, uint64_t offset, uint64_t length)
      : reader_(std::move(reader)), next_(offset), end_(offset + length), length_(length) {}
  std::optional<uint64_t> Size() const override { return length_; }
  void Read(std::function<void(net::BodyChunk)> deliver) override {
    net::BodyChunk chunk;
    if (next_ >= end_) {
      chunk.last = true;
      deliver(std::move(chunk));
      return;
    }
    auto data =
        reader_->ReadAt(next_, static_cast<size_t>(std::min<uint64_t>(end_ - next_, 64 << 10)));
    if (!data.ok() || data->empty()) {
      chunk.failed = true;
      deliver(std::move(chunk));
      return;
    }
    next_ += data->size();
    chunk.data = std::move(*data);
    chunk.last = next_ >= end_;
    deliver(std::move(chunk));
  }

 private:
  std::unique_ptr<jobs::ArtifactReader> reader_;
  uint64_t next_, end_, length_;
};

// If-None-Match (RFC 9110 section 13.1.2): "*", or a comma-separated list of entity tags
// compared weakly (W/"x" matches "x"). True when `etag` is among them.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    tag = Trim(tag);
    if (tag.size() >= 2 && (tag[0] == 'W' || tag[0] == 'w') && tag[1] == '/') tag.remove_prefix(2);
    return tag;
  };
  const std::string_view ours = opaque(etag);
  if (Trim(header) == "*") return true;
  // Tags are quoted and a quoted tag has no comma or quote inside (RFC 9110 etagc), so the list
  // splits on commas outside quotes.
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= header.size(); ++i) {
    if (i < header.size() && header[i] == '"') quoted = !quoted;
    if (i == header.size() || (header[i] == ',' && !quoted)) {
      if (opaque(header.substr(start, i - start)) == ours) return true;
      start = i + 1;
    }
  }
  return false;
}

net::HttpResponse GetArtifact(Api::Impl& api, Call& call, const jobs::Job& job) {
  if (job.artifact.empty() || !api.deps.artifacts) {
    return call.Error(404, "ArtifactNotFound",
                      "job " + job.id + " has no artifact (yet); it has one once completed");
  }
  auto reader = api.deps.artifacts->Open(job.artifact);
  if (!reader.ok()) {
    if (reader.status().code() == StatusCode::kNotFound ||
        reader.status().code() == StatusCode::kInvalidArgument) {
      return call.Error(404, "ArtifactNotFound",
                        "the artifact of job " + job.id + " is gone (expired or deleted)");
    }
    LogError("artifact of job {}: {}", job.id, reader.status().message());
    return call.Error(503, "ArtifactUnavailable", "the artifact store is unavailable");
  }
  const jobs::Artifact& meta = (*reader)->artifact();
  const std::string etag = meta.etag.empty() ? "\"" + meta.sha256 + "\"" : meta.etag;
  if (auto inm = call.req.Header("If-None-Match"); inm && NoneMatchHits(*inm, etag)) {
    net::HttpResponse r;
    r.status = 304;
    r.SetHeader("ETag", etag);
    return r;
  }
  std::optional<std::string_view> range_header = call.req.Header("Range");
  if (auto if_range = call.req.Header("If-Range"); if_range && *if_range != etag) {
    range_header.reset();  // the client's copy is stale: send it all
  }
  auto range = net::ParseRangeHeader(range_header, meta.size);
  if (!range.ok()) {
    net::HttpResponse r = call.Error(
        416, "RangeNotSatisfiable",
        "the requested range lies outside the artifact (" + std::to_string(meta.size) + " bytes)");
    r.SetHeader("Content-Range", "bytes */" + std::to_string(meta.size));
    return r;
  }
  uint64_t offset = 0;
  uint64_t length = meta.size;
  net::HttpResponse r;
  r.status = 200;
  if (range->has_value()) {
    offset = (*range)->offset;
    length = (*range)->length;
    r.status = 206;
    r.SetHeader("Content-Range", net::ContentRange(**range, meta.size));
  }
  r.body_source = std::make_shared<ArtifactBody>(std::move(*reader), offset, length);
  // Repr-Digest and Digest carry the raw digest in base64; the store keeps it in hex.
  const std::string b64 = Base64Encode(HexDecode(meta.sha256).value_or(""));
  r.SetHeader("Content-Type", "application/gzip");
  r.SetHeader("Content-Disposition", "attachment; filename=\"" + job.id + ".tar.gz\"");
  r.SetHeader("ETag", etag);
  r.SetHeader("Accept-Ranges", "bytes");
  r.SetHeader("Repr-Digest", "sha-256=:" + b64 + ":");
  r.SetHeader("Digest", "SHA-256=" + b64);
  r.SetHeader("Cache-Control", "private, no-transform");
  return r;
}

net::HttpResponse GetEvents(Api::Impl& api, Call& call, const jobs::Job& job) {
  int64_t after = 0;
  std::optional<std::string_view> last = call.req.Header("Last-Event-ID");
  if (!last) last = call.req.Query("last_event_id");
  if (last && !Trim(*last).empty()) {
    std::string_view v = Trim(*last);
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), after);
    if (ec != std::errc() || p != v.data() + v.size() || after < 0) {
      return call.Error(400, "InvalidParameter",
                        "Last-Event-ID must be the non-negative integer id of an event");
    }
  }
  net::HttpResponse r;
  r.status = 200;
  r.SetHeader("Content-Type", "text/event-stream");
  r.SetHeader("Cache-Control", "no-cache");
  r.SetHeader("X-Accel-Buffering", "no");
  r.body_source = api.events->Open(job.id, after);
  return r;
}

net::HttpResponse Cancel(Api::Impl& api, Call& call, const jobs::Job& job) {
  Status s = api.deps.store->RequestCancel(job.id);
  if (s.code() == StatusCode::kFailedPrecondition) {
    return call.Error(409, "JobFinished",
                      "job " + job.id + " is already " +
                          std::string(jobs::JobStateName(job.state)) + " and cannot be cancelled");
  }
  if (!s.ok()) {
    LogError("cancelling job {} failed: {}", job.id, s.message());
    return call.Error(503, "QueueUnavailable", "the job store is unavailable; retry later");
  }
  auto now = api.deps.store->Get(job.id);
  json::object body = (now.ok() && now->has_value()) ? ApiJobJson(**now) : ApiJobJson(job);
  Log(LogLevel::kInfo, "job cancel requested",
      {{"job_id", job.id}, {"key_id", call.key_id}, {"request_id", call.request_id}});
  return net::HttpResponse::Json(202, body);
}

// Wraps a handler that needs the caller's job.
CallHandler WithJob(Api::Impl& api,
                    std::function<net::HttpResponse(Call&, const jobs::Job&)> handler) {
  return [&api, handler](Call& call) {
    net::HttpResponse error;
    auto job = CallersJob(api, call, &error);
    if (!job) return error;
    return handler(call, *job);
  };
}

}  // namespace

void AddJobRoutes(Api::Impl& api) {
  api.AddAuthed("listJobs", [&api](Call& call) { return ListJobs(api, call); });
  api.AddAuthed("getJob", WithJob(api, [](Call&, const jobs::Job& job) {
                  return net::HttpResponse::Json(200, ApiJobJson(job));
                }));
  api.AddAuthed("getJobResult", WithJob(api, GetResult));
  api.AddAuthed("getJobArtifacts", WithJob(api, [&api](Call& call, const jobs::Job& job) {
                  return GetArtifact(api, call, job);
                }));
  api.AddAuthed("getJobEvents", WithJob(api, [&api](Call& call, const jobs::Job& job) {
                  return GetEvents(api, call, job);
                }));
  api.AddAuthed("cancelJob", WithJob(api, [&api](Call& call, const jobs::Job& job) {
                  return Cancel(api, call, job);
                }));
}

}  // namespace atg::server
