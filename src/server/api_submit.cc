// POST /api/v1/scan and POST /api/v1/generate-iac: strict validation of the body against the
// published request schema (it mirrors the CLI flags), the tenant guard (risk R9) and queueing.
#include <algorithm>
#include <chrono>

#include "common/arm_id.h"
#include "common/log.h"
#include "common/strings.h"
#include "jobs/job.h"
#include "server/api_internal.h"
#include "server/endpoints.h"

namespace atg::server {
namespace {

bool IsJsonContentType(std::optional<std::string_view> ct) {
  if (!ct) return false;
  std::string_view media = Trim(ct->substr(0, ct->find(';')));
  return EqualsIgnoreCase(media, "application/json");
}

// How many pending jobs one key may have: ATG_MAX_QUEUE_DEPTH_PER_KEY, or by default an equal
// share of ATG_MAX_QUEUE_DEPTH among the keys valid now, so that however hard one key pushes,
// every other key still finds room for its own jobs.
int64_t PerKeyShare(const Api::Impl& api) {
  if (api.options.max_queue_depth_per_key >= 0) return api.options.max_queue_depth_per_key;
  if (api.options.max_queue_depth <= 0) return 0;
  const auto keys = static_cast<int64_t>(api.deps.keys->Current()->keys().size());
  return std::max<int64_t>(1, api.options.max_queue_depth / std::max<int64_t>(1, keys));
}

net::HttpResponse Submit(Api::Impl& api, Call& call, const std::string& type,
                         const EndpointSpec& endpoint) {
  const net::HttpRequest& req = call.req;
  if (req.body.size() > api.options.max_body_bytes) {
    return call.Error(413, "PayloadTooLarge",
                      "the request body is " + std::to_string(req.body.size()) +
                          " bytes; the limit is " + std::to_string(api.options.max_body_bytes));
  }
  if (!IsJsonContentType(req.Header("Content-Type"))) {
    return call.Error(415, "UnsupportedMediaType",
                      "send the body as JSON with `Content-Type: application/json`");
  }
  std::string_view body_text = Trim(req.body);
  json::object body;
  if (!body_text.empty()) {
    auto parsed = ParseJson(body_text);
    if (!parsed.ok()) {
      return call.Error(400, "InvalidJson",
                        "the body is not valid JSON: " + parsed.status().message());
    }
    if (!parsed->is_object()) {
      return call.Error(400, "InvalidBody", "the body must be a JSON object");
    }
    body = std::move(parsed->as_object());
  }
  // The request schema /openapi.json publishes is the one definition of a valid body.
  if (auto violation = ValidateRequestBody(endpoint, json::value(body))) {
    switch (violation->kind) {
      case SchemaViolation::Kind::kUnknownField:
        return call.Error(400, "UnknownField", violation->message);
      case SchemaViolation::Kind::kInvalidField:
        return call.Error(400, "InvalidField", violation->message);
      case SchemaViolation::Kind::kBrokenSchema:
        LogError("request schema of {} is broken: {}", endpoint.operation_id, violation->message);
        return call.Error(500, "InternalError",
                          "the service's request schema is broken; report this as a bug");
    }
  }
  // OpenAPI 3.0 cannot say that a map's keys are GUIDs; the values' schema says it for them.
  if (const json::object* map = FindObject(&body, "identity_map")) {
    size_t index = 0;
    for (const auto& entry : *map) {
      ++index;
      if (!IsGuid(std::string_view(entry.key()))) {
        return call.Error(400, "InvalidField",
                          "field `identity_map` maps source object ids to target object ids, "
                          "both GUIDs such as 00000000-0000-0000-0000-000000000000; the key of "
                          "entry " +
                              std::to_string(index) + " is not a GUID");
      }
    }
  }
  ApplyRequestDefaults(endpoint, body);
  std::string tenant = ToLower(Trim(FindString(&body, "tenant_id").value_or("")));
  const std::string target = ToLower(api.options.target_tenant_id);
  if (tenant.empty()) tenant = target;
  if (tenant.empty()) {
    return call.Error(400, "InvalidField",
                      "field `tenant_id` is required: this service has no ATG_TARGET_TENANT_ID");
  }
  if (!target.empty() && tenant != target) {
    return call.Error(403, "TenantNotAllowed",
                      "this service works only on its configured target tenant; tenant `" + tenant +
                          "` is not it");
  }
  body["tenant_id"] = tenant;

  jobs::Job job;
  job.id = jobs::NewJobId();
  job.type = type;
  job.owner = call.key_id;
  job.tenant_id = tenant;
  job.state = jobs::JobState::kPending;
  job.request = body;
  job.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  Status s =
      api.deps.store->Create(job, jobs::QueueLimits(api.options.max_queue_depth, PerKeyShare(api)));
  if (s.code() == StatusCode::kResourceExhausted) {
    // The store says which limit was reached: the whole queue, or this key's share of it.
    net::HttpResponse r = call.Error(429, "QueueFull", s.message());
    r.SetHeader("Retry-After", "30");
    return r;
  }
  if (!s.ok()) {
    api.StoreFailed();
    LogError("creating job failed: {}", s.message());
    net::HttpResponse r =
        call.Error(503, "QueueUnavailable", "the job queue is unavailable; retry later");
    r.SetHeader("Retry-After", "5");
    return r;
  }
  call.job_id = job.id;
  if (api.deps.on_job_created) api.deps.on_job_created();
  Log(LogLevel::kInfo, "job queued",
      {{"job_id", job.id},
       {"type", type},
       {"key_id", call.key_id},
       {"request_id", call.request_id}});
  net::HttpResponse r = net::HttpResponse::Json(
      202, json::object{{"job_id", job.id}, {"status", "pending"}, {"links", JobLinks(job.id)}});
  r.SetHeader("Location", "/api/v1/jobs/" + job.id);
  return r;
}

}  // namespace

void AddSubmitRoutes(Api::Impl& api) {
  const EndpointSpec* scan = FindEndpoint("createScan");
  const EndpointSpec* iac = FindEndpoint("createGenerateIac");
  api.AddAuthed("createScan",
                [&api, scan](Call& call) { return Submit(api, call, "scan", *scan); });
  api.AddAuthed("createGenerateIac",
                [&api, iac](Call& call) { return Submit(api, call, "generate-iac", *iac); });
}

}  // namespace atg::server
