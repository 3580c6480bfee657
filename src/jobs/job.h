// Job values: ids, state names, and the JSON form of a Job and a JobEvent used by the HTTP API
// and by the Redis backend's storage.
//
// Thread-safety: all functions are reentrant.
#ifndef ATG_JOBS_JOB_H_
#define ATG_JOBS_JOB_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "jobs/job_store.h"

namespace atg::jobs {

// "job_" + 32 lower-case hex digits from OpenSSL's CSPRNG. Ids are unguessable so that knowing
// one job's id tells nothing about another's.
std::string NewJobId();

// True for exactly the shape NewJobId produces. Callers check ids from requests with this
// before any look-up, so a store never sees an arbitrary string as a key.
bool ValidJobId(std::string_view id);

// Milliseconds since the Unix epoch (system clock).
int64_t NowMs();

// Every field of `job`, with `state` as its name and the timestamps as integers (ms).
json::object JobToJson(const Job& job);
// The inverse of JobToJson. Unknown fields are ignored; a missing or malformed field is an
// InvalidArgument error naming it.
Result<Job> JobFromJson(const json::object& obj);

// {seq, type, data, at_ms}.
json::object JobEventToJson(const JobEvent& event);
Result<JobEvent> JobEventFromJson(const json::object& obj);

// The error_type a failed job gets for a Status code: "timeout", "unavailable", "auth",
// "invalid_request", "throttled", "io", "cancelled", "not_found", "internal".
std::string_view ErrorTypeFor(StatusCode code);

// A job's error as its client may see it: the server's file system stays the server's. The
// data directory (`data_dir`, as given and as resolved) becomes "$ATG_DATA_DIR", and any other
// absolute file path (one starting with a directory such as /home, /tmp, /var, /srv, /data)
// becomes "<server path>". ARM ids ("/subscriptions/...") and URLs are left alone. The full
// message belongs in the service log.
std::string ClientSafeError(std::string_view message, std::string_view data_dir);

}  // namespace atg::jobs

#endif  // ATG_JOBS_JOB_H_
