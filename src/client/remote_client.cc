#include "client/remote_client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/base64.h"
#include "common/sha256.h"
#include "common/strings.h"

namespace atg::client {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

StatusCode CodeForHttpStatus(int status) {
  switch (status) {
    case 400:
    case 413:
    case 415:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kFailedPrecondition;
    case 429:
    case 503:
      return StatusCode::kResourceExhausted;
    default:
      return StatusCode::kInternal;
  }
}

std::string JobPath(std::string_view id) { return "/api/v1/jobs/" + std::string(id); }

Status CheckJobId(std::string_view id) {
  if (LooksLikeJobId(id)) return Status::Ok();
  return Status::InvalidArgument("\"" + std::string(id.substr(0, 64)) +
                                 "\" is not a job id (job ids look like job_ followed by 32 hex "
                                 "digits; `atg jobs list` shows yours)");
}

// The SHA-256 the service announced, as raw bytes: RFC 9530 `Repr-Digest: sha-256=:<b64>:`,
// RFC 3230 `Digest: SHA-256=<b64>`, or a hex `X-Content-SHA256`.
std::optional<std::string> AnnouncedSha256(const azure::HttpHeaders& headers) {
  for (std::string_view name : {"Repr-Digest", "Content-Digest", "Digest"}) {
    auto v = headers.Get(name);
    if (!v) continue;
    for (std::string_view part : Split(*v, ',')) {
      part = Trim(part);
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) continue;
      if (!EqualsIgnoreCase(Trim(part.substr(0, eq)), "sha-256")) continue;
      std::string_view value = Trim(part.substr(eq + 1));
      if (value.size() >= 2 && value.front() == ':' && value.back() == ':')
        value = value.substr(1, value.size() - 2);
      if (auto raw = Base64Decode(value); raw && raw->size() == 32) return raw;
    }
  }
  if (auto hex = headers.Get("X-Content-SHA256"); hex && hex->size() == 64) {
    if (auto raw = HexDecode(*hex)) return raw;
  }
  return std::nullopt;
}

// Feeds SSE bytes, calling back once per complete event (WHATWG EventSource parsing: fields
// "id", "event", "data"; lines starting with ':' are comments/heartbeats).
class SseParser {
 public:
  explicit SseParser(const std::function<bool(const RemoteEvent&)>& on_event)
      : on_event_(on_event) {}
  // False once the callback asked to stop.
  bool Feed(std::string_view bytes) {
    buffer_.append(bytes);
    size_t start = 0;
    while (true) {
      size_t nl = buffer_.find('\n', start);
      if (nl == std::string::npos) break;
      std::string_view line(buffer_.data() + start, nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      start = nl + 1;
      if (!Line(line)) {
        buffer_.erase(0, start);
        return false;
      }
    }
    buffer_.erase(0, start);
    return true;
  }

 private:
  bool Line(std::string_view line) {
    if (line.empty()) {
      if (!has_data_) {
        current_ = {};
        return true;
      }
      if (current_.event.empty()) current_.event = "message";
      bool go_on = on_event_(current_);
      current_ = {};
      has_data_ = false;
      return go_on;
    }
    if (line.front() == ':') return true;
    size_t colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "data") {
      if (has_data_) current_.data.push_back('\n');
      current_.data.append(value);
      has_data_ = true;
    } else if (field == "id") {
      current_.id = std::string(value);
    } else if (field == "event") {
      current_.event = std::string(value);
    }
    return true;
  }

  const std::function<bool(const RemoteEvent&)>& on_event_;
  std::string buffer_;
  RemoteEvent current_;
  bool has_data_ = false;
};

struct StreamState {
  SseParser* parser = nullptr;
  std::stop_token stop;
  bool stopped_by_callback = false;
  long status = 0;
  std::string error_body;
};

size_t StreamWrite(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<StreamState*>(user);
  std::string_view bytes(data, size * n);
  if (s->status == 0) {
    // Not yet known here; the header callback fills it. Keep error bodies for the message.
  }
  if (s->status >= 300) {
    if (s->error_body.size() < 64 * 1024) s->error_body.append(bytes);
    return size * n;
  }
  if (!s->parser->Feed(bytes)) {
    s->stopped_by_callback = true;
    return 0;  // aborts the transfer
  }
  return size * n;
}

size_t StreamHeader(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<StreamState*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    size_t sp = line.find(' ');
    if (sp != std::string_view::npos)
      s->status = std::atol(std::string(line.substr(sp + 1, 3)).c_str());
  }
  return size * n;
}

int StreamProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* s = static_cast<StreamState*>(user);
  return s->stop.stop_requested() ? 1 : 0;
}

}  // namespace

bool LooksLikeJobId(std::string_view id) {
  if (id.size() != 36 || !id.starts_with("job_")) return false;
  for (char c : id.substr(4))
    if (!IsHex(c)) return false;
  return true;
}

bool RemoteJob::terminal() const {
  return status == "completed" || status == "failed" || status == "cancelled";
}

Status ErrorFromResponse(const azure::HttpClientResponse& response, std::string_view what) {
  std::string message;
  std::string request_id(response.headers.Get("X-Request-ID").value_or(""));
  if (auto body = ParseJson(response.body); body.ok() && body->is_object()) {
    if (const json::object* err = FindObject(&body->as_object(), "error")) {
      message = FindString(err, "message").value_or("");
      if (auto rid = FindString(err, "request_id")) request_id = *rid;
    }
  }
  if (message.empty()) message = "HTTP " + std::to_string(response.status);
  std::string text = std::string(what) + ": the service answered " +
                     std::to_string(response.status) + ": " + message;
  if (response.status == 401) text += " (check ATG_API_KEY: the service does not accept it)";
  if (auto retry = response.headers.Get("Retry-After"))
    text += " (retry after " + std::string(*retry) + " s)";
  if (!request_id.empty()) text += " [request " + request_id + "]";
  return Status(CodeForHttpStatus(response.status), text);
}

RemoteClient::RemoteClient(RemoteSettings settings, azure::HttpTransport* transport)
    : settings_(std::move(settings)), transport_(transport) {}

Result<azure::HttpClientResponse> RemoteClient::Call(std::string_view method,
                                                     const std::string& path,
                                                     const std::string& body,
                                                     const azure::HttpHeaders& extra) {
  azure::HttpClientRequest req;
  req.method = std::string(method);
  req.url = settings_.service_url + path;
  req.headers = extra;
  req.headers.Set("Authorization", "Bearer " + settings_.api_key);
  req.headers.Set("Accept", "application/json");
  if (!body.empty()) req.headers.Set("Content-Type", "application/json");
  req.body = body;
  req.timeout = settings_.request_timeout;
  auto r = transport_->Send(req);
  if (!r.ok()) {
    return Status(r.status().code(), "cannot reach the ATG service at " + settings_.service_url +
                                         ": " + r.status().message() +
                                         " (check ATG_SERVICE_URL and that the service runs)");
  }
  return r;
}

Result<std::string> RemoteClient::Submit(std::string_view kind, const json::object& body) {
  auto r = Call("POST", "/api/v1/" + std::string(kind), json::serialize(body));
  if (!r.ok()) return r.status();
  if (r->status != 202 && r->status != 200 && r->status != 201)
    return ErrorFromResponse(*r, "submitting the " + std::string(kind) + " job");
  auto parsed = ParseJson(r->body);
  if (!parsed.ok() || !parsed->is_object())
    return Status::Internal("the service's answer to the submission is not a JSON object");
  auto id = FindString(&parsed->as_object(), "job_id");
  if (!id || !LooksLikeJobId(*id))
    return Status::Internal("the service's answer to the submission has no valid job_id");
  return std::string(*id);
}

Result<RemoteJob> RemoteClient::GetJob(std::string_view id) {
  ATG_RETURN_IF_ERROR(CheckJobId(id));
  auto r = Call("GET", JobPath(id), "");
  if (!r.ok()) return r.status();
  if (r->status != 200) return ErrorFromResponse(*r, "reading job " + std::string(id));
  auto parsed = ParseJson(r->body);
  if (!parsed.ok() || !parsed->is_object())
    return Status::Internal("the service's job object is not JSON");
  RemoteJob job;
  job.raw = parsed->as_object();
  job.id = FindString(&job.raw, "job_id").value_or(FindString(&job.raw, "id").value_or(""));
  job.type = FindString(&job.raw, "type").value_or("");
  job.status = FindString(&job.raw, "status").value_or(FindString(&job.raw, "state").value_or(""));
  if (const json::object* p = FindObject(&job.raw, "progress")) job.progress = *p;
  if (auto e = FindString(&job.raw, "error")) {
    job.error = *e;
  } else if (const json::object* eo = FindObject(&job.raw, "error")) {
    job.error = FindString(eo, "message").value_or("");
  }
  return job;
}

Result<json::object> RemoteClient::ListJobs(std::string_view state, std::string_view type,
                                            std::string_view cursor, int limit) {
  std::string path = "/api/v1/jobs?limit=" + std::to_string(limit);
  if (!state.empty()) path += "&state=" + UrlEncode(state);
  if (!type.empty()) path += "&type=" + UrlEncode(type);
  if (!cursor.empty()) path += "&cursor=" + UrlEncode(cursor);
  auto r = Call("GET", path, "");
  if (!r.ok()) return r.status();
  if (r->status != 200) return ErrorFromResponse(*r, "listing jobs");
  auto parsed = ParseJson(r->body);
  if (!parsed.ok() || !parsed->is_object())
    return Status::Internal("the service's job list is not a JSON object");
  return parsed->as_object();
}

Result<json::object> RemoteClient::GetResult(std::string_view id) {
  ATG_RETURN_IF_ERROR(CheckJobId(id));
  auto r = Call("GET", JobPath(id) + "/result", "");
  if (!r.ok()) return r.status();
  if (r->status != 200)
    return ErrorFromResponse(*r, "reading the result of job " + std::string(id));
  auto parsed = ParseJson(r->body);
  if (!parsed.ok() || !parsed->is_object())
    return Status::Internal("the service's job result is not a JSON object");
  json::object& o = parsed->as_object();
  // The result may come wrapped ({"result": {...}}) or bare.
  if (const json::object* inner = FindObject(&o, "result")) return *inner;
  return o;
}

Status RemoteClient::Cancel(std::string_view id) {
  ATG_RETURN_IF_ERROR(CheckJobId(id));
  auto r = Call("DELETE", JobPath(id), "");
  if (!r.ok()) return r.status();
  if (r->status / 100 != 2) return ErrorFromResponse(*r, "cancelling job " + std::string(id));
  return Status::Ok();
}

Result<RemoteJob> RemoteClient::WaitForJob(std::string_view id, std::stop_token stop,
                                           const std::function<void(const RemoteJob&)>& on_update) {
  auto interval = settings_.poll_interval;
  while (true) {
    auto job = GetJob(id);
    if (!job.ok()) return job.status();
    if (on_update) on_update(*job);
    if (job->terminal()) return job;
    auto until = std::chrono::steady_clock::now() + interval;
    while (std::chrono::steady_clock::now() < until) {
      if (stop.stop_requested())
        return Status::Cancelled("stopped waiting for job " + std::string(id));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

Status RemoteClient::StreamEvents(std::string_view id, std::string_view last_event_id,
                                  std::stop_token stop,
                                  const std::function<bool(const RemoteEvent&)>& on_event) {
  ATG_RETURN_IF_ERROR(CheckJobId(id));
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("libcurl could not create a handle");
  SseParser parser(on_event);
  StreamState state;
  state.parser = &parser;
  state.stop = stop;
  std::string url = settings_.service_url + JobPath(id) + "/events";
  std::string auth = "Authorization: Bearer " + settings_.api_key;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Accept: text/event-stream");
  std::string resume;
  if (!last_event_id.empty()) {
    resume = "Last-Event-ID: " + std::string(last_event_id);
    headers = curl_slist_append(headers, resume.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, StreamWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, StreamHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &state);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, StreamProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10'000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // No total timeout: a stream lasts as long as the job. A silent connection (no heartbeat
  // for a minute) is dead.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (state.stopped_by_callback) return Status::Ok();
  if (rc == CURLE_ABORTED_BY_CALLBACK || stop.stop_requested())
    return Status::Cancelled("stopped following the events of job " + std::string(id));
  if (state.status >= 300) {
    azure::HttpClientResponse r;
    r.status = static_cast<int>(state.status);
    r.body = state.error_body;
    return ErrorFromResponse(r, "streaming the events of job " + std::string(id));
  }
  if (rc != CURLE_OK)
    return Status::Unavailable("the event stream of job " + std::string(id) + " broke: " +
                               curl_easy_strerror(rc) + " (run the command again to resume)");
  return Status::Ok();
}

Result<ArtifactDownload> RemoteClient::DownloadArtifact(std::string_view id,
                                                        const std::string& path) {
  ATG_RETURN_IF_ERROR(CheckJobId(id));
  namespace fs = std::filesystem;
  const std::string part = path + ".part";
  const std::string etag_file = path + ".part.etag";
  std::error_code ec;
  int64_t have = 0;
  std::string etag;
  if (fs::exists(part, ec) && fs::exists(etag_file, ec)) {
    have = static_cast<int64_t>(fs::file_size(part, ec));
    std::ifstream in(etag_file);
    std::getline(in, etag);
    if (ec || etag.empty()) have = 0;
  }
  azure::HttpHeaders extra;
  extra.Set("Accept", "application/gzip");
  if (have > 0) {
    extra.Set("Range", "bytes=" + std::to_string(have) + "-");
    extra.Set("If-Range", etag);
  }
  auto r = Call("GET", JobPath(id) + "/artifacts", "", extra);
  if (!r.ok()) return r.status();
  ArtifactDownload out;
  bool append = false;
  if (r->status == 206) {
    append = true;
    out.resumed_from = have;
  } else if (r->status == 416 && have > 0) {
    // The part file is already complete (or longer than the artifact): start again.
    fs::remove(part, ec);
    fs::remove(etag_file, ec);
    return DownloadArtifact(id, path);
  } else if (r->status != 200) {
    return ErrorFromResponse(*r, "downloading the artifact of job " + std::string(id));
  }
  {
    std::ofstream f(part,
                    append ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc);
    if (!f) return Status::IoError("cannot write " + part + ": check the directory exists");
    f.write(r->body.data(), static_cast<std::streamsize>(r->body.size()));
    if (!f) return Status::IoError("writing " + part + " failed (disk full?)");
  }
  if (auto tag = r->headers.Get("ETag")) {
    std::ofstream t(etag_file, std::ios::trunc);
    t << *tag << "\n";
  }
  // Verify the whole file against the digest of the complete representation.
  Sha256Hasher hasher;
  {
    std::ifstream f(part, std::ios::binary);
    std::string buf(1 << 16, '\0');
    while (f) {
      f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      hasher.Update(std::string_view(buf.data(), static_cast<size_t>(f.gcount())));
      out.bytes += f.gcount();
    }
  }
  auto finished = hasher.Finish();
  if (!finished.ok()) return finished.status().WithContext("verifying the download in " + part);
  const std::string& digest = *finished;
  out.sha256 = HexEncode(digest);
  auto announced = AnnouncedSha256(r->headers);
  if (!announced)
    return Status::Internal("the service sent no SHA-256 digest for the artifact of job " +
                            std::string(id) + "; the download in " + part + " cannot be verified");
  if (*announced != digest) {
    fs::remove(part, ec);
    fs::remove(etag_file, ec);
    return Status::IoError("the artifact of job " + std::string(id) +
                           " does not match the service's SHA-256 digest; the partial file was "
                           "removed — run the download again");
  }
  fs::rename(part, path, ec);
  if (ec) return Status::Internal("cannot move " + part + " to " + path + ": " + ec.message());
  fs::remove(etag_file, ec);
  return out;
}

}  // namespace atg::client
