// POST /api/v1/scan and POST /api/v1/generate-iac: strict validation of the body (it mirrors
// the CLI flags), the tenant guard (risk R9) and queueing.
#include <chrono>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "server/api_internal.h"
#include "server/endpoints.h"

namespace atg::server {
namespace {

enum class Kind { kString, kStringArray, kNonNegativeInt, kBool, kStringMap };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kString:
      return "a string";
    case Kind::kStringArray:
      return "an array of non-empty strings";
    case Kind::kNonNegativeInt:
      return "a non-negative integer";
    case Kind::kBool:
      return "a boolean";
    case Kind::kStringMap:
      return "an object whose values are strings";
  }
  return "";
}

bool Matches(const json::value& v, Kind k) {
  switch (k) {
    case Kind::kString:
      return v.is_string();
    case Kind::kStringArray:
      if (!v.is_array()) return false;
      for (const auto& e : v.as_array())
        if (!e.is_string() || e.as_string().empty()) return false;
      return true;
    case Kind::kNonNegativeInt:
      return (v.is_int64() && v.as_int64() >= 0) || v.is_uint64();
    case Kind::kBool:
      return v.is_bool();
    case Kind::kStringMap:
      if (!v.is_object()) return false;
      for (const auto& e : v.as_object())
        if (!e.value().is_string()) return false;
      return true;
  }
  return false;
}

const std::map<std::string, Kind, std::less<>>& ScanFields() {
  static const auto* f =
      new std::map<std::string, Kind, std::less<>>{{"tenant_id", Kind::kString},
                                                   {"subscriptions", Kind::kStringArray},
                                                   {"resource_groups", Kind::kStringArray},
                                                   {"types", Kind::kStringArray},
                                                   {"resource_limit", Kind::kNonNegativeInt},
                                                   {"no_aad", Kind::kBool}};
  return *f;
}

const std::map<std::string, Kind, std::less<>>& GenerateFields() {
  static const auto* f =
      new std::map<std::string, Kind, std::less<>>{{"format", Kind::kString},
                                                   {"tenant_id", Kind::kString},
                                                   {"target_subscription", Kind::kString},
                                                   {"target_tenant_id", Kind::kString},
                                                   {"identity_map", Kind::kStringMap},
                                                   {"subscriptions", Kind::kStringArray},
                                                   {"resource_groups", Kind::kStringArray},
                                                   {"types", Kind::kStringArray}};
  return *f;
}

bool IsJsonContentType(std::optional<std::string_view> ct) {
  if (!ct) return false;
  std::string_view media = Trim(ct->substr(0, ct->find(';')));
  return EqualsIgnoreCase(media, "application/json");
}

net::HttpResponse Submit(Api::Impl& api, Call& call, const std::string& type,
                         const std::map<std::string, Kind, std::less<>>& fields) {
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
  for (const auto& member : body) {
    auto it = fields.find(std::string_view(member.key()));
    if (it == fields.end()) {
      std::vector<std::string> names;
      for (const auto& [name, kind] : fields) names.push_back(name);
      return call.Error(400, "UnknownField",
                        "unknown field `" + std::string(member.key()) + "`; " + type +
                            " accepts: " + Join(names, ", "));
    }
    if (!Matches(member.value(), it->second)) {
      return call.Error(400, "InvalidField",
                        "field `" + it->first + "` must be " + KindName(it->second));
    }
  }
  if (auto fmt = FindString(&body, "format")) {
    if (*fmt != "terraform" && *fmt != "bicep" && *fmt != "arm") {
      return call.Error(400, "InvalidField", "field `format` must be one of terraform, bicep, arm");
    }
  } else if (type == "generate-iac") {
    body["format"] = "terraform";
  }
  // The published schema's limits (string lengths, array sizes) apply as well.
  if (const EndpointSpec* spec =
          FindEndpoint(type == "scan" ? "createScan" : "createGenerateIac")) {
    if (Status v = ValidateRequestBody(*spec, json::value(body)); !v.ok()) {
      return call.Error(400, "InvalidField", v.message());
    }
  }
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
  job.id = NewJobId();
  job.type = type;
  job.owner = call.key_id;
  job.tenant_id = tenant;
  job.state = jobs::JobState::kPending;
  job.request = body;
  job.created_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  Status s = api.deps.store->Create(job, api.options.max_queue_depth);
  if (s.code() == StatusCode::kResourceExhausted) {
    net::HttpResponse r =
        call.Error(429, "QueueFull",
                   "the job queue is full (ATG_MAX_QUEUE_DEPTH=" +
                       std::to_string(api.options.max_queue_depth) + "); retry later");
    r.SetHeader("Retry-After", "30");
    return r;
  }
  if (!s.ok()) {
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
  api.AddAuthed("createScan",
                [&api](Call& call) { return Submit(api, call, "scan", ScanFields()); });
  api.AddAuthed("createGenerateIac",
                [&api](Call& call) { return Submit(api, call, "generate-iac", GenerateFields()); });
}

}  // namespace atg::server
