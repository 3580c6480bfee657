#include "server/endpoints.h"

#include <charconv>
#include <set>

#include "common/arm_id.h"
#include "common/strings.h"

// The table below lists endpoints and responses as aggregates that leave trailing fields (headers,
// parameters) at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace atg::server {
namespace {

json::object Ref(std::string_view name) {
  return json::object{{"$ref", "#/components/schemas/" + std::string(name)}};
}
json::object Str(std::string_view description, int max_length = 256) {
  return json::object{{"type", "string"}, {"maxLength", max_length}, {"description", description}};
}
// An object id or subscription id; checked when a job is submitted, not when it runs.
json::object Guid(std::string_view description) {
  return json::object{
      {"type", "string"}, {"format", "uuid"}, {"maxLength", 36}, {"description", description}};
}
json::object StrArray(std::string_view description, int max_items = 1000) {
  return json::object{
      {"type", "array"},
      {"items", json::object{{"type", "string"}, {"minLength", 1}, {"maxLength", 1024}}},
      {"maxItems", max_items},
      {"description", description}};
}
json::object Int(std::string_view description, int64_t min, int64_t max) {
  return json::object{
      {"type", "integer"}, {"minimum", min}, {"maximum", max}, {"description", description}};
}
json::object Bool(std::string_view description) {
  return json::object{{"type", "boolean"}, {"description", description}};
}
json::object Enum(std::string_view description, std::initializer_list<std::string_view> values) {
  json::array a;
  for (auto v : values) a.emplace_back(v);
  return json::object{{"type", "string"}, {"enum", a}, {"description", description}};
}
json::object Obj(json::object properties, std::initializer_list<std::string_view> required,
                 bool closed, std::string_view description) {
  json::object o{{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size()) {
    json::array r;
    for (auto v : required) r.emplace_back(v);
    o["required"] = std::move(r);
  }
  if (closed) o["additionalProperties"] = false;
  if (!description.empty()) o["description"] = description;
  return o;
}

json::object BuildSchemas() {
  json::object s;
  s["Error"] = Obj({{"error", Obj({{"code", Str("Short PascalCase error code, e.g. NotFound.", 64)},
                                   {"message", Str("What failed, why, and what to do.", 4096)},
                                   {"request_id", Str("The X-Request-ID of the request.", 128)}},
                                  {"code", "message", "request_id"}, false, "")}},
                   {"error"}, false, "The error envelope of every 4xx and 5xx response.");
  s["Health"] =
      Obj({{"status", Enum("healthy: every configured backing service answers; degraded: an "
                           "optional one (Neo4j, Redis when not the queue) is down; unhealthy: the "
                           "job store is unusable (status 503).",
                           {"healthy", "degraded", "unhealthy"})},
           {"version", Str("atg version.", 64)},
           {"uptime_seconds", json::object{{"type", "integer"}, {"minimum", 0}}},
           {"graph_status", Str("ok, or why the graph store is unusable.", 1024)},
           {"queue_status", Str("ok, or why the job store is unusable.", 1024)},
           {"neo4j_status", Str("connected, disconnected: <why>, or not_configured.", 1024)},
           {"redis_status", Str("connected, disconnected: <why>, or not_configured.", 1024)},
           {"job_queue_depth", json::object{{"type", "integer"},
                                            {"minimum", -1},
                                            {"description", "Pending jobs; -1 when unknown."}}},
           {"checked_at", json::object{{"type", "string"},
                                       {"format", "date-time"},
                                       {"description", "When the checks last ran."}}},
           {"checks",
            json::object{
                {"type", "object"},
                {"description",
                 "Each check (graph, queue, neo4j, redis): its status and its age in seconds."},
                {"additionalProperties",
                 Obj({{"status", Str("As in the *_status field of the check.", 1024)},
                      {"age_seconds", json::object{{"type", "number"}, {"minimum", 0}}}},
                     {"status", "age_seconds"}, false, "One check.")}}}},
          {"status", "version", "uptime_seconds", "graph_status", "queue_status", "neo4j_status",
           "redis_status", "job_queue_depth"},
          false,
          "Service health, checked on demand and cached for one second: never older than a "
          "second plus one run of the checks.");
  s["Progress"] =
      Obj({{"phase", Str("Current phase, e.g. discovery.", 128)},
           {"percent", json::object{{"type", "number"}, {"minimum", 0}, {"maximum", 100}}},
           {"counters", json::object{{"type", "object"}, {"additionalProperties", true}}},
           {"message", Str("Human-readable detail.", 4096)}},
          {}, false, "The latest progress a running job published.");
  s["Links"] = Obj({{"self", Str("", 512)},
                    {"result", Str("", 512)},
                    {"artifacts", Str("", 512)},
                    {"events", Str("", 512)}},
                   {}, false, "URLs of the job's resources.");
  json::object state =
      Enum("Job state.", {"pending", "running", "completed", "failed", "cancelled"});
  s["JobAccepted"] = Obj({{"job_id", Str("job_ + 32 hex digits.", 64)},
                          {"status", Enum("Always pending.", {"pending"})},
                          {"links", Ref("Links")}},
                         {"job_id", "status", "links"}, false, "A job was queued.");
  s["Job"] = Obj({{"job_id", Str("job_ + 32 hex digits.", 64)},
                  {"type", Enum("Job type.", {"scan", "generate-iac"})},
                  {"status", state},
                  {"tenant_id", Str("Azure tenant the job works on.", 128)},
                  {"request", json::object{{"type", "object"},
                                           {"description", "The validated request body."}}},
                  {"progress", Ref("Progress")},
                  {"error", Str("Why a failed or cancelled job ended.", 4096)},
                  {"error_type", Str("Short failure class.", 64)},
                  {"created_at", json::object{{"type", "string"}, {"format", "date-time"}}},
                  {"started_at", json::object{{"type", "string"}, {"format", "date-time"}}},
                  {"finished_at", json::object{{"type", "string"}, {"format", "date-time"}}},
                  {"cancel_requested", Bool("A cancel was requested and the worker is stopping.")},
                  {"links", Ref("Links")}},
                 {"job_id", "type", "status", "created_at"}, false, "A job and its progress.");
  s["JobList"] =
      Obj({{"jobs", json::object{{"type", "array"}, {"items", Ref("Job")}}},
           {"next_cursor", Str("Pass as cursor for the next page; empty at the end.", 512)}},
          {"jobs"}, false, "A page of the caller's jobs, newest first.");
  s["JobResult"] = json::object{
      {"type", "object"},
      {"additionalProperties", true},
      {"description",
       "The job's summary object: for scan the `atg scan --json` summary, for generate-iac "
       "the `atg generate-iac --json` summary."}};
  s["ScanRequest"] =
      Obj({{"tenant_id", Str("Azure tenant to scan (default: the service's tenant).", 128)},
           {"subscriptions", StrArray("Limit the scan to these subscription ids.")},
           {"resource_groups", StrArray("Limit the scan to these resource groups.")},
           {"types", StrArray("Limit the scan to these ARM resource types.")},
           {"resource_limit", Int("Keep at most this many resources (0: all).", 0, 100000000)},
           {"no_aad", Bool("Skip Entra ID (users, groups, service principals).")}},
          {}, true, "Mirrors `atg scan` flags.");
  json::object format = Enum("Output format.", {"terraform", "bicep", "arm"});
  format["default"] = "terraform";
  s["GenerateIacRequest"] = Obj(
      {{"format", std::move(format)},
       {"tenant_id", Str("Source tenant whose stored graph is used.", 128)},
       {"target_subscription", Guid("Subscription id the IaC deploys into.")},
       {"target_tenant_id", Guid("Tenant id the IaC deploys into.")},
       {"identity_map",
        json::object{
            {"type", "object"},
            {"additionalProperties", Guid("The target principal's object id.")},
            {"maxProperties", 10000},
            {"description", "Source principal object id -> target object id; both are GUIDs."}}},
       {"subscriptions", StrArray("Only resources of these subscriptions.")},
       {"resource_groups", StrArray("Only resources of these resource groups.")},
       {"types", StrArray("Only resources of these ARM types.")},
       {"import", Bool("Terraform: add import blocks adopting the source tenant's existing "
                       "resources (no cross-tenant options).")},
       {"no_resource_groups",
        Bool("Bicep/ARM: do not create the resource groups (they exist already).")}},
      {}, true, "Mirrors `atg generate-iac` flags.");
  return s;
}

ParameterSpec JobIdParam() {
  return {"id", "path", true, "Job id (job_ + 32 hex digits).",
          json::object{{"type", "string"}, {"pattern", "^job_[0-9a-f]{32}$"}}};
}

ResponseSpec Err(int status, std::string description, std::vector<std::string> headers = {}) {
  return {status, std::move(description), "application/json", Ref("Error"), std::move(headers)};
}

// The responses every authenticated endpoint may give.
void AddAuthErrors(std::vector<ResponseSpec>* r) {
  r->push_back(Err(401, "Missing or unknown API key."));
  r->push_back(Err(403, "The key may not access this resource."));
  r->push_back(Err(429,
                   "Too many requests, or the job queue is full (ATG_MAX_QUEUE_DEPTH), or the "
                   "key holds its share of it (ATG_MAX_QUEUE_DEPTH_PER_KEY); retry after "
                   "Retry-After seconds.",
                   {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}));
}

const std::vector<std::string> kRateHeaders = {"RateLimit-Limit", "RateLimit-Remaining",
                                               "RateLimit-Reset"};

std::vector<EndpointSpec> BuildEndpoints() {
  std::vector<EndpointSpec> e;
  {
    EndpointSpec s{"getHealth",
                   "GET",
                   "/health",
                   "service",
                   "Service health",
                   "Status of the service and its backing stores. No authentication.",
                   false};
    s.responses = {{200, "Healthy or degraded.", "application/json", Ref("Health")},
                   {503,
                    "Unhealthy: the job store is unusable.",
                    "application/json",
                    Ref("Health"),
                    {"Retry-After"}}};
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getMetrics",
                   "GET",
                   "/metrics",
                   "service",
                   "Prometheus metrics",
                   "Metrics in the Prometheus text format 0.0.4 (docs/metrics.md). Not served "
                   "(404) when ENABLE_METRICS=false.",
                   true};
    s.responses = {{200, "The metrics.", "text/plain; version=0.0.4",
                    json::object{{"type", "string"}}, kRateHeaders},
                   Err(404, "Metrics are disabled (ENABLE_METRICS=false).")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  auto submit = [&](std::string id, std::string path, std::string summary, std::string schema) {
    EndpointSpec s{std::move(id),
                   "POST",
                   std::move(path),
                   "jobs",
                   std::move(summary),
                   "Queues a job and returns at once; follow links.self or links.events.",
                   true};
    s.request_schema = std::move(schema);
    s.responses = {{202,
                    "Job queued.",
                    "application/json",
                    Ref("JobAccepted"),
                    {"Location", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}},
                   Err(400, "The body is not valid JSON or does not match the schema."),
                   Err(413, "The body is too large."),
                   Err(415, "The body is not application/json."),
                   Err(503, "The job queue is unavailable (its backing store does not answer).",
                       {"Retry-After"})};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  };
  submit("createScan", "/api/v1/scan", "Scan a tenant into the graph", "ScanRequest");
  submit("createGenerateIac", "/api/v1/generate-iac", "Generate IaC from the graph",
         "GenerateIacRequest");
  {
    EndpointSpec s{"listJobs",
                   "GET",
                   "/api/v1/jobs",
                   "jobs",
                   "List the caller's jobs",
                   "Jobs created with the caller's API key, newest first, one page at a time.",
                   true};
    s.parameters = {
        {"state", "query", false, "Only jobs in this state.",
         Enum("", {"pending", "running", "completed", "failed", "cancelled"})},
        {"type", "query", false, "Only jobs of this type.", Enum("", {"scan", "generate-iac"})},
        {"cursor", "query", false, "next_cursor of the previous page.",
         json::object{{"type", "string"}, {"pattern", "^([0-9]{1,16}\\.job_[0-9a-f]{32})?$"}}},
        {"limit", "query", false, "Page size (default 50).",
         json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", 200}}}};
    s.responses = {{200, "A page of jobs.", "application/json", Ref("JobList"), kRateHeaders},
                   Err(400, "A filter or the cursor is not valid.")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getJob", "GET", "/api/v1/jobs/{id}", "jobs", "Job status and progress",
                   "",       true};
    s.parameters = {JobIdParam()};
    s.responses = {{200, "The job.", "application/json", Ref("Job"), kRateHeaders},
                   Err(400, "The id is malformed."),
                   Err(404, "No job of the caller has this id.")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"cancelJob",
                   "DELETE",
                   "/api/v1/jobs/{id}",
                   "jobs",
                   "Cancel a job",
                   "A pending job is cancelled at once; a running one is stopped by its worker "
                   "(the job shows cancel_requested until then).",
                   true};
    s.parameters = {JobIdParam()};
    s.responses = {{202, "Cancellation accepted.", "application/json", Ref("Job"), kRateHeaders},
                   Err(400, "The id is malformed."),
                   Err(404, "No job of the caller has this id."),
                   Err(409, "The job already ended.")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getJobResult",
                   "GET",
                   "/api/v1/jobs/{id}/result",
                   "jobs",
                   "Job result",
                   "The summary of a completed job.",
                   true};
    s.parameters = {JobIdParam()};
    s.responses = {{200, "The result.", "application/json", Ref("JobResult"), kRateHeaders},
                   Err(400, "The id is malformed."),
                   Err(404, "No job of the caller has this id."),
                   Err(409, "The job has not completed (yet, or it failed or was cancelled).")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getJobArtifacts",
                   "GET",
                   "/api/v1/jobs/{id}/artifacts",
                   "jobs",
                   "Download the job's output archive",
                   "The output directory as a deterministic tar.gz. Supports Range (one byte "
                   "range; 206) and If-None-Match / If-Range with the ETag, so an interrupted "
                   "download resumes. Repr-Digest carries the SHA-256 of the whole archive.",
                   true};
    s.parameters = {JobIdParam(),
                    {"Range", "header", false, "bytes=<first>-[<last>] or bytes=-<suffix>.",
                     json::object{{"type", "string"}, {"maxLength", 128}}},
                    {"If-None-Match", "header", false, "ETag of a copy the client holds.",
                     json::object{{"type", "string"}, {"maxLength", 256}}},
                    {"If-Range", "header", false, "Serve the range only if the ETag still matches.",
                     json::object{{"type", "string"}, {"maxLength", 256}}}};
    json::object binary{{"type", "string"}, {"format", "binary"}};
    s.responses = {{200,
                    "The whole archive.",
                    "application/gzip",
                    binary,
                    {"ETag", "Repr-Digest", "Accept-Ranges", "RateLimit-Limit",
                     "RateLimit-Remaining", "RateLimit-Reset"}},
                   {206,
                    "One byte range of the archive.",
                    "application/gzip",
                    binary,
                    {"ETag", "Repr-Digest", "Accept-Ranges", "Content-Range"}},
                   {304, "Not modified (If-None-Match matched).", "", {}, {"ETag"}},
                   Err(400, "The id is malformed."),
                   Err(404, "No job of the caller has this id, or its artifact expired."),
                   Err(409, "The job has not completed, or produced no archive."),
                   Err(416, "The range is outside the archive.", {"Content-Range"})};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getJobEvents",
                   "GET",
                   "/api/v1/jobs/{id}/events",
                   "jobs",
                   "Stream job events (Server-Sent Events)",
                   "Each event has id (its sequence number), event (state or progress) and "
                   "data (JSON). Reconnect with Last-Event-ID to resume after that event; the "
                   "stream ends after the job's terminal state event.",
                   true};
    s.parameters = {JobIdParam(),
                    {"Last-Event-ID", "header", false, "Resume after this event id.",
                     json::object{{"type", "string"}, {"pattern", "^[0-9]{0,18}$"}}}};
    s.responses = {
        {200, "The event stream.", "text/event-stream",
         json::object{{"type", "object"},
                      {"properties", json::object{{"id", json::object{{"type", "string"}}},
                                                  {"event", json::object{{"type", "string"}}},
                                                  {"data", json::object{{"type", "string"}}},
                                                  {"retry", json::object{{"type", "integer"}}}}}},
         kRateHeaders},
        Err(400, "The id or Last-Event-ID is malformed."),
        Err(404, "No job of the caller has this id.")};
    AddAuthErrors(&s.responses);
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getOpenApi", "GET", "/openapi.json", "service", "This API in OpenAPI 3",
                   "",           false};
    s.responses = {
        {200, "The OpenAPI document.", "application/json", json::object{{"type", "object"}}}};
    e.push_back(std::move(s));
  }
  {
    EndpointSpec s{"getDocs",
                   "GET",
                   "/docs",
                   "service",
                   "API documentation page",
                   "A human-readable page rendered from /openapi.json.",
                   false};
    s.responses = {{200, "The page.", "text/html", json::object{{"type", "string"}}}};
    e.push_back(std::move(s));
  }
  // Any request may meet the server's own limits (docs/operations.md, Hardening).
  for (EndpointSpec& spec : e) {
    bool has_503 = false;
    for (const ResponseSpec& r : spec.responses) has_503 = has_503 || r.status == 503;
    if (!has_503) {
      spec.responses.push_back(Err(503,
                                   "The server is at a connection limit, or near it and the "
                                   "request is neither a health probe nor authenticated, or it "
                                   "is receiving too many request bodies; retry after "
                                   "Retry-After seconds.",
                                   {"Retry-After"}));
    }
  }
  return e;
}

std::string_view TypeOf(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    case json::kind::string:
      return "a string";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::null:
      return "null";
    case json::kind::double_:
      return "a number with a fraction or exponent";
    default:
      return "an integer";
  }
}

// A number as people write it: "1.5", not Boost.JSON's "1.5E0".
std::string NumberText(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
  return ec == std::errc() ? std::string(buf, end) : json::serialize(v);
}

double AsNumber(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// The schema a "$ref" names, or nullptr when it names nothing in Schemas().
const json::object* Resolve(const json::object& schema, std::string* broken) {
  auto ref = FindString(&schema, "$ref");
  if (!ref) return &schema;
  constexpr std::string_view kPrefix = "#/components/schemas/";
  const json::value* target =
      ref->starts_with(kPrefix) ? Schemas().if_contains(ref->substr(kPrefix.size())) : nullptr;
  if (target == nullptr || !target->is_object()) {
    *broken = std::string(*ref);
    return nullptr;
  }
  return Resolve(target->get_object(), broken);
}

// What a value must be to match `schema`, as a phrase: "a non-empty string of at most 1024
// characters", "one of terraform, bicep, arm", "an array of at most 1000 items, each ...".
std::string Describe(const json::object& schema) {
  std::string broken;
  const json::object* s = Resolve(schema, &broken);
  if (s == nullptr) return "valid (its schema " + broken + " is unknown)";
  if (const json::value* e = s->if_contains("enum"); e && e->is_array()) {
    std::vector<std::string> options;
    for (const auto& o : e->get_array())
      options.push_back(o.is_string() ? std::string(o.get_string()) : json::serialize(o));
    return "one of " + Join(options, ", ");
  }
  const std::string type(FindString(s, "type").value_or(""));
  const json::value* min = s->if_contains("minimum");
  const json::value* max = s->if_contains("maximum");
  if (type == "integer" || type == "number") {
    std::string noun = type;
    std::string out;
    if (min && min->is_number() && AsNumber(*min) == 0) {
      out = "a non-negative " + noun;
    } else if (type == "integer" && min && min->is_number() && AsNumber(*min) == 1) {
      out = "a positive " + noun;
    } else {
      out = (type == "integer" ? "an " : "a ") + noun;
      if (min && min->is_number()) out += " of at least " + NumberText(*min);
    }
    if (max && max->is_number()) {
      out += (out.find(" of at least ") == std::string::npos ? " of at most " : " and at most ") +
             NumberText(*max);
    }
    return out;
  }
  if (type == "string" && FindString(s, "format").value_or("") == "uuid") {
    return "a GUID such as 00000000-0000-0000-0000-000000000000";
  }
  if (type == "string") {
    auto min_len = FindInt(s, "minLength");
    auto max_len = FindInt(s, "maxLength");
    std::string out = min_len && *min_len == 1 ? "a non-empty string" : "a string";
    if (min_len && *min_len > 1) out += " of at least " + std::to_string(*min_len) + " characters";
    if (max_len) {
      out += (min_len && *min_len > 1 ? " and at most " : " of at most ") +
             std::to_string(*max_len) + " characters";
    }
    return out;
  }
  if (type == "boolean") return "a boolean (true or false)";
  if (type == "array") {
    std::string out = "an array";
    if (auto max_items = FindInt(s, "maxItems")) {
      out += " of at most " + std::to_string(*max_items) + " items";
    }
    if (const json::value* items = s->if_contains("items"); items && items->is_object()) {
      out += ", each " + Describe(items->get_object());
    }
    return out;
  }
  if (type == "object") {
    const json::value* extra = s->if_contains("additionalProperties");
    if (extra && extra->is_object()) {
      return "an object whose values are each " + Describe(extra->get_object());
    }
    return "an object";
  }
  return type.empty() ? "any JSON value" : "of type " + type;
}

// What the value is, for the "; got ..." part of a message. String values are not quoted back:
// they may be long, and are the caller's own data.
std::string Got(const json::value& v, const json::object& schema) {
  const std::string type(FindString(&schema, "type").value_or(""));
  bool type_ok =
      type.empty() || (type == "object" && v.is_object()) || (type == "array" && v.is_array()) ||
      (type == "string" && v.is_string()) || (type == "boolean" && v.is_bool()) ||
      (type == "integer" && (v.is_int64() || v.is_uint64())) || (type == "number" && v.is_number());
  if (!type_ok) return std::string(TypeOf(v));
  if (v.is_number()) return NumberText(v);
  if (v.is_string()) return std::to_string(v.get_string().size()) + " characters";
  if (v.is_array()) return std::to_string(v.get_array().size()) + " items";
  return std::string(TypeOf(v));
}

class Validator {
 public:
  explicit Validator(std::string_view name) : name_(name) {}

  std::optional<SchemaViolation> Check(const json::value& value, const json::object& schema,
                                       const std::string& field) {
    std::string broken;
    const json::object* s = Resolve(schema, &broken);
    if (s == nullptr) {
      return SchemaViolation{
          SchemaViolation::Kind::kBrokenSchema, field,
          "the schema of " + Name(field) + " refers to " + broken + ", which is not defined"};
    }
    if (!Conforms(value, *s)) {
      std::string message = Name(field) + " must be " + Describe(*s);
      // An enum miss on a string says all there is to say without quoting the value back.
      if (!(value.is_string() && s->contains("enum"))) message += "; got " + Got(value, *s);
      return SchemaViolation{SchemaViolation::Kind::kInvalidField, field, std::move(message)};
    }
    if (value.is_array()) {
      const json::value* items = s->if_contains("items");
      if (items && items->is_object()) {
        const json::array& a = value.get_array();
        for (size_t i = 0; i < a.size(); ++i) {
          auto v = Check(a[i], items->get_object(), field + "[" + std::to_string(i) + "]");
          if (v) return v;
        }
      }
    }
    if (value.is_object()) return CheckMembers(value.get_object(), *s, field);
    return std::nullopt;
  }

 private:
  std::string Name(const std::string& field) const {
    return field.empty() ? std::string(name_) : "field `" + field + "`";
  }

  static std::string Child(const std::string& field, std::string_view key) {
    return field.empty() ? std::string(key) : field + "." + std::string(key);
  }

  // The checks of `schema` that look at `value` alone (not its members or items).
  static bool Conforms(const json::value& value, const json::object& schema) {
    if (auto type = FindString(&schema, "type")) {
      bool ok =
          (*type == "object" && value.is_object()) || (*type == "array" && value.is_array()) ||
          (*type == "string" && value.is_string()) || (*type == "boolean" && value.is_bool()) ||
          (*type == "integer" && (value.is_int64() || value.is_uint64())) ||
          (*type == "number" && value.is_number());
      if (!ok) return false;
    }
    if (const json::value* e = schema.if_contains("enum"); e && e->is_array()) {
      bool found = false;
      for (const auto& o : e->get_array()) found = found || o == value;
      if (!found) return false;
    }
    if (value.is_string()) {
      auto n = static_cast<int64_t>(value.get_string().size());
      if (auto max = FindInt(&schema, "maxLength"); max && n > *max) return false;
      if (auto min = FindInt(&schema, "minLength"); min && n < *min) return false;
      if (FindString(&schema, "format").value_or("") == "uuid" &&
          !IsGuid(std::string_view(value.get_string()))) {
        return false;
      }
    }
    if (value.is_object()) {
      auto n = static_cast<int64_t>(value.get_object().size());
      if (auto max = FindInt(&schema, "maxProperties"); max && n > *max) return false;
    }
    if (value.is_number()) {
      double v = AsNumber(value);
      const json::value* min = schema.if_contains("minimum");
      const json::value* max = schema.if_contains("maximum");
      if (min && min->is_number() && v < AsNumber(*min)) return false;
      if (max && max->is_number() && v > AsNumber(*max)) return false;
    }
    if (value.is_array()) {
      auto n = static_cast<int64_t>(value.get_array().size());
      if (auto max = FindInt(&schema, "maxItems"); max && n > *max) return false;
    }
    return true;
  }

  std::optional<SchemaViolation> CheckMembers(const json::object& o, const json::object& schema,
                                              const std::string& field) {
    const json::value* props_value = schema.if_contains("properties");
    const json::object* props =
        props_value && props_value->is_object() ? &props_value->get_object() : nullptr;
    const json::value* extra = schema.if_contains("additionalProperties");
    for (const auto& [key, v] : o) {
      const std::string child = Child(field, key);
      const json::value* p = props ? props->if_contains(key) : nullptr;
      if (p && p->is_object()) {
        if (auto violation = Check(v, p->get_object(), child)) return violation;
      } else if (extra && extra->is_bool() && !extra->get_bool()) {
        std::vector<std::string> accepted;
        if (props) {
          for (const auto& [k, unused] : *props) accepted.emplace_back(k);
        }
        std::string owner = field.empty() ? std::string(name_) : "`" + field + "`";
        return SchemaViolation{
            SchemaViolation::Kind::kUnknownField, child,
            "unknown field `" + child + "`; " + owner +
                (accepted.empty() ? " accepts no fields" : " accepts: " + Join(accepted, ", "))};
      } else if (extra && extra->is_object()) {
        if (auto violation = Check(v, extra->get_object(), child)) return violation;
      }
    }
    if (const json::value* req = schema.if_contains("required"); req && req->is_array()) {
      for (const auto& name : req->get_array()) {
        if (!name.is_string() || o.contains(name.get_string())) continue;
        const json::value* p = props ? props->if_contains(name.get_string()) : nullptr;
        std::string child = Child(field, name.get_string());
        std::string message = "field `" + child + "` is required";
        if (p && p->is_object()) message += "; it must be " + Describe(p->get_object());
        return SchemaViolation{SchemaViolation::Kind::kInvalidField, child, std::move(message)};
      }
    }
    return std::nullopt;
  }

  std::string_view name_;
};

}  // namespace

const std::vector<EndpointSpec>& Endpoints() {
  static const std::vector<EndpointSpec> kEndpoints = BuildEndpoints();
  return kEndpoints;
}

const EndpointSpec* FindEndpoint(std::string_view operation_id) {
  for (const auto& e : Endpoints()) {
    if (e.operation_id == operation_id) return &e;
  }
  return nullptr;
}

const json::object& Schemas() {
  static const json::object kSchemas = BuildSchemas();
  return kSchemas;
}

Status RegisterEndpoints(net::Router& router,
                         const std::map<std::string, net::HttpHandler>& handlers) {
  std::vector<std::string> missing, unknown;
  std::set<std::string> known;
  for (const auto& e : Endpoints()) {
    known.insert(e.operation_id);
    auto it = handlers.find(e.operation_id);
    if (it == handlers.end() || !it->second) missing.push_back(e.operation_id);
  }
  for (const auto& [id, h] : handlers) {
    if (!known.count(id)) unknown.push_back(id);
  }
  if (!missing.empty() || !unknown.empty()) {
    std::string m = "the route table and the handlers disagree:";
    if (!missing.empty()) m += " no handler for " + Join(missing, ", ") + ";";
    if (!unknown.empty()) m += " handlers without an endpoint: " + Join(unknown, ", ") + ";";
    return Status::InvalidArgument(m + " add the endpoint to server/endpoints.cc or the handler");
  }
  for (const auto& e : Endpoints()) {
    ATG_RETURN_IF_ERROR(router.Add(e.method, e.path, handlers.at(e.operation_id))
                            .WithContext("registering " + e.operation_id));
  }
  return Status::Ok();
}

std::optional<SchemaViolation> ValidateJson(const json::value& value, const json::object& schema,
                                            std::string_view name) {
  return Validator(name).Check(value, schema, "");
}

std::optional<SchemaViolation> ValidateRequestBody(const EndpointSpec& endpoint,
                                                   const json::value& body) {
  if (endpoint.request_schema.empty()) return std::nullopt;
  // Unknown fields are reported against the operation ("POST /api/v1/scan accepts: ...").
  const std::string name = endpoint.method + " " + endpoint.path;
  return ValidateJson(body, Ref(endpoint.request_schema), name);
}

void ApplyRequestDefaults(const EndpointSpec& endpoint, json::object& body) {
  if (endpoint.request_schema.empty()) return;
  std::string broken;
  const json::object* schema = Resolve(Ref(endpoint.request_schema), &broken);
  const json::value* props = schema ? schema->if_contains("properties") : nullptr;
  if (props == nullptr || !props->is_object()) return;
  for (const auto& [key, p] : props->get_object()) {
    const json::value* d = p.is_object() ? p.get_object().if_contains("default") : nullptr;
    if (d != nullptr && !body.contains(key)) body[key] = *d;
  }
}

}  // namespace atg::server
