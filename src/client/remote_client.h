// RemoteClient: the `atg` side of the service's HTTP API (DESIGN.md §3.3). It submits jobs,
// reads their state, results and events, cancels them and downloads their artifacts, with the
// API key as a bearer token. Errors carry the service's own message and request id, so what
// the user sees names the problem and the request to quote to the operator.
//
// Status codes of the errors: kUnavailable (the service cannot be reached), kDeadlineExceeded
// (ATG_REQUEST_TIMEOUT), kUnauthenticated (401: the key was refused), kPermissionDenied (403),
// kNotFound (404: no such job for this key), kFailedPrecondition (409: e.g. no result yet),
// kResourceExhausted (429/503: rate limit or queue full; the message says when to retry),
// kInvalidArgument (400/413/415), kInternal otherwise.
//
// Thread-safety: the methods may be called from several threads at once. The transport is not
// owned and must outlive the client.
#ifndef ATG_CLIENT_REMOTE_CLIENT_H_
#define ATG_CLIENT_REMOTE_CLIENT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "azure/http_transport.h"
#include "client/remote_settings.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::client {

// A job as the service reports it; `raw` keeps every field.
struct RemoteJob {
  std::string id;
  std::string type;
  std::string status;  // pending | running | completed | failed | cancelled
  json::object progress;
  std::string error;
  json::object raw;
  bool terminal() const;
};

// One Server-Sent Event of a job's event stream.
struct RemoteEvent {
  std::string id;     // the SSE id, for Last-Event-ID
  std::string event;  // the SSE event name ("message" when none)
  std::string data;   // the data lines joined with '\n'
};

struct ArtifactDownload {
  int64_t bytes = 0;         // size of the complete file
  int64_t resumed_from = 0;  // bytes that were already on disk and kept
  std::string sha256;        // hex digest of the file, checked against the service's digest header
};

// "job_" followed by 32 lower-case hex digits: checked before an id goes into a URL.
bool LooksLikeJobId(std::string_view id);

class RemoteClient {
 public:
  RemoteClient(RemoteSettings settings, azure::HttpTransport* transport);

  // POST /api/v1/{kind} with `body` ("scan" or "generate-iac"); returns the new job's id.
  Result<std::string> Submit(std::string_view kind, const json::object& body);
  Result<RemoteJob> GetJob(std::string_view id);
  // GET /api/v1/jobs with optional filters; returns the page object ({jobs, next_cursor}).
  Result<json::object> ListJobs(std::string_view state, std::string_view type,
                                std::string_view cursor, int limit);
  // GET /api/v1/jobs/{id}/result: the summary object of a completed job.
  Result<json::object> GetResult(std::string_view id);
  // DELETE /api/v1/jobs/{id}.
  Status Cancel(std::string_view id);

  // Polls GET /api/v1/jobs/{id} every poll interval until the job is terminal or `stop` is
  // requested (then kCancelled); `on_update` sees every poll's state.
  Result<RemoteJob> WaitForJob(std::string_view id, std::stop_token stop,
                               const std::function<void(const RemoteJob&)>& on_update);

  // Streams GET /api/v1/jobs/{id}/events, calling `on_event` for each event until the service
  // ends the stream, `on_event` returns false, or `stop` is requested. `last_event_id`
  // resumes after that event.
  Status StreamEvents(std::string_view id, std::string_view last_event_id, std::stop_token stop,
                      const std::function<bool(const RemoteEvent&)>& on_event);

  // Downloads the job's artifact to `path`. When `path` already holds a prefix of it (an
  // interrupted download), asks for the rest with Range (checked against the ETag with
  // If-Range) and appends; then verifies the SHA-256 digest the service sent. The file is
  // written as `path` + ".part" and renamed when complete and verified.
  Result<ArtifactDownload> DownloadArtifact(std::string_view id, const std::string& path);

  const RemoteSettings& settings() const { return settings_; }

 private:
  Result<azure::HttpClientResponse> Call(std::string_view method, const std::string& path,
                                         const std::string& body,
                                         const azure::HttpHeaders& extra = {});
  RemoteSettings settings_;
  azure::HttpTransport* transport_;
};

// Turns a non-2xx response into the Status described above (the service's message and
// request id when the body is its error object).
Status ErrorFromResponse(const azure::HttpClientResponse& response, std::string_view what);

}  // namespace atg::client

#endif  // ATG_CLIENT_REMOTE_CLIENT_H_
