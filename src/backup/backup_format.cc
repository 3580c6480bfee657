#include "backup/backup_format.h"

#include "jobs/job.h"

namespace atg::backup {
namespace {

Result<json::object> ParseLine(std::string_view line, std::string_view what) {
  auto v = ParseJson(line);
  if (!v.ok()) return Status::InvalidArgument(std::string(what) + ": " + v.status().message());
  if (!v->is_object()) return Status::InvalidArgument(std::string(what) + " is not a JSON object");
  return std::move(v->get_object());
}

Status Missing(std::string_view what, std::string_view field) {
  return Status::InvalidArgument(std::string(what) + " has no valid \"" + std::string(field) +
                                 "\"");
}

// A string field; absent or null reads as "".
Result<std::string> Str(const json::object& o, std::string_view key, std::string_view what,
                        bool required = true) {
  const json::value* v = Find(&o, key);
  if (v == nullptr || v->is_null()) {
    if (required) return Missing(what, key);
    return std::string();
  }
  if (!v->is_string()) return Missing(what, key);
  return std::string(v->get_string());
}

Result<int64_t> Int(const json::object& o, std::string_view key, std::string_view what) {
  auto v = FindInt(&o, key);
  if (!v) return Missing(what, key);
  return *v;
}

// "until": null (current) or a scan number.
Result<int64_t> Until(const json::object& o, std::string_view what) {
  const json::value* v = Find(&o, "until");
  if (v == nullptr || v->is_null()) return 0;
  auto n = FindInt(&o, "until");
  if (!n) return Missing(what, "until");
  return *n;
}

json::value UntilValue(int64_t until) { return until == 0 ? json::value() : json::value(until); }

}  // namespace

const PartInfo* Manifest::FindPart(std::string_view path) const {
  for (const PartInfo& p : parts) {
    if (p.path == path) return &p;
  }
  return nullptr;
}

std::string ScansPartPath(std::string_view tenant) {
  return "tenants/" + std::string(tenant) + "/scans.ndjson";
}
std::string NodesPartPath(std::string_view tenant) {
  return "tenants/" + std::string(tenant) + "/nodes.ndjson";
}
std::string EdgesPartPath(std::string_view tenant) {
  return "tenants/" + std::string(tenant) + "/edges.ndjson";
}

json::object ManifestToJson(const Manifest& m) {
  json::object o;
  o["format"] = m.format;
  o["format_version"] = m.format_version;
  o["atg_version"] = m.atg_version;
  o["created_at"] = m.created_at;
  o["graph_store"] = m.graph_store;
  json::array tenants;
  for (const TenantInfo& t : m.tenants) {
    tenants.push_back(json::object{{"tenant_id", t.tenant_id},
                                   {"scans", t.scans},
                                   {"current_scan", t.current_scan},
                                   {"nodes", t.nodes},
                                   {"edges", t.edges},
                                   {"node_versions", t.node_versions},
                                   {"edge_versions", t.edge_versions}});
  }
  o["tenants"] = std::move(tenants);
  if (m.jobs) {
    o["jobs"] = json::object{{"job_store", m.jobs->job_store},
                             {"artifact_store", m.jobs->artifact_store},
                             {"jobs", m.jobs->jobs},
                             {"events", m.jobs->events},
                             {"artifacts", m.jobs->artifacts}};
  } else {
    o["jobs"] = nullptr;
  }
  json::array parts;
  for (const PartInfo& p : m.parts) {
    parts.push_back(json::object{
        {"path", p.path}, {"bytes", p.bytes}, {"sha256", p.sha256}, {"records", p.records}});
  }
  o["parts"] = std::move(parts);
  return o;
}

Result<Manifest> ManifestFromJson(const json::value& v) {
  const json::object* o = v.if_object();
  auto format = FindString(o, "format");
  if (!format || *format != kFormatName) {
    return Status::InvalidArgument(
        "its manifest does not say \"format\": \"atg-backup\"; this is not an atg backup");
  }
  auto version = FindInt(o, "format_version");
  if (!version || *version < 1) {
    return Status::InvalidArgument("its manifest has no valid \"format_version\"");
  }
  if (*version > kFormatVersion) {
    return Status::FailedPrecondition("it was written by a newer atg (backup format version " +
                                      std::to_string(*version) + "; this atg reads version " +
                                      std::to_string(kFormatVersion) +
                                      "); restore it with that atg version or newer");
  }
  constexpr std::string_view kWhat = "the manifest";
  Manifest m;
  m.format_version = static_cast<int>(*version);
  m.atg_version = std::string(FindString(o, "atg_version").value_or(""));
  m.created_at = std::string(FindString(o, "created_at").value_or(""));
  m.graph_store = std::string(FindString(o, "graph_store").value_or(""));
  const json::array* tenants = FindArray(o, "tenants");
  const json::array* parts = FindArray(o, "parts");
  if (tenants == nullptr || parts == nullptr) {
    return Status::InvalidArgument("the manifest lacks its \"tenants\" or \"parts\" list");
  }
  for (const json::value& tv : *tenants) {
    const json::object* t = tv.if_object();
    if (t == nullptr) return Missing(kWhat, "tenants");
    TenantInfo info;
    auto id = FindString(t, "tenant_id");
    if (!id) return Missing("a tenant of the manifest", "tenant_id");
    info.tenant_id = std::string(*id);
    info.scans = FindInt(t, "scans").value_or(0);
    info.current_scan = FindInt(t, "current_scan").value_or(0);
    info.nodes = FindInt(t, "nodes").value_or(0);
    info.edges = FindInt(t, "edges").value_or(0);
    info.node_versions = FindInt(t, "node_versions").value_or(0);
    info.edge_versions = FindInt(t, "edge_versions").value_or(0);
    m.tenants.push_back(std::move(info));
  }
  if (const json::object* j = FindObject(o, "jobs")) {
    JobsInfo info;
    info.job_store = std::string(FindString(j, "job_store").value_or(""));
    info.artifact_store = std::string(FindString(j, "artifact_store").value_or(""));
    info.jobs = FindInt(j, "jobs").value_or(0);
    info.events = FindInt(j, "events").value_or(0);
    info.artifacts = FindInt(j, "artifacts").value_or(0);
    m.jobs = info;
  }
  for (const json::value& pv : *parts) {
    const json::object* p = pv.if_object();
    auto path = FindString(p, "path");
    auto bytes = FindInt(p, "bytes");
    auto sha = FindString(p, "sha256");
    auto records = FindInt(p, "records");
    if (!path || !bytes || *bytes < 0 || !sha || sha->size() != 64 || !records || *records < 0) {
      return Status::InvalidArgument(
          "a part of the manifest lacks a valid path, bytes, sha256 "
          "or records");
    }
    m.parts.push_back(
        {std::string(*path), static_cast<uint64_t>(*bytes), std::string(*sha), *records});
  }
  return m;
}

std::string ScanRecordToLine(const graph::ScanRecord& s) {
  return json::serialize(json::object{{"gen", s.gen},
                                      {"scope", s.scope},
                                      {"started_at", s.started_at},
                                      {"finished_at", s.finished_at},
                                      {"summary", s.summary}});
}

Result<graph::ScanRecord> ScanRecordFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "a scan record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  graph::ScanRecord s;
  auto gen = Int(*o, "gen", kWhat);
  if (!gen.ok()) return gen.status();
  s.gen = *gen;
  const json::object* scope = FindObject(&*o, "scope");
  const json::object* summary = FindObject(&*o, "summary");
  if (scope == nullptr) return Missing(kWhat, "scope");
  if (summary == nullptr) return Missing(kWhat, "summary");
  s.scope = *scope;
  s.summary = *summary;
  auto started = Str(*o, "started_at", kWhat);
  if (!started.ok()) return started.status();
  auto finished = Str(*o, "finished_at", kWhat);
  if (!finished.ok()) return finished.status();
  s.started_at = std::move(*started);
  s.finished_at = std::move(*finished);
  return s;
}

std::string NodeVersionToLine(const graph::NodeVersion& v) {
  const graph::Node& n = v.node;
  return json::serialize(json::object{{"key", n.key},
                                      {"label", n.label},
                                      {"type", n.type},
                                      {"name", n.name},
                                      {"original_id", n.original_id},
                                      {"subscription_id", n.subscription_id},
                                      {"resource_group", n.resource_group},
                                      {"location", n.location},
                                      {"properties", n.properties},
                                      {"since", v.since},
                                      {"until", UntilValue(v.until)}});
}

Result<graph::NodeVersion> NodeVersionFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "a node record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  graph::NodeVersion v;
  graph::Node& n = v.node;
  std::pair<std::string*, std::string_view> fields[] = {{&n.key, "key"},
                                                        {&n.label, "label"},
                                                        {&n.type, "type"},
                                                        {&n.name, "name"},
                                                        {&n.original_id, "original_id"},
                                                        {&n.subscription_id, "subscription_id"},
                                                        {&n.resource_group, "resource_group"},
                                                        {&n.location, "location"},
                                                        {&n.properties, "properties"}};
  for (auto& [out, key] : fields) {
    auto s =
        Str(*o, key, kWhat, /*required=*/key == "key" || key == "label" || key == "properties");
    if (!s.ok()) return s.status();
    *out = std::move(*s);
  }
  auto since = Int(*o, "since", kWhat);
  if (!since.ok()) return since.status();
  auto until = Until(*o, kWhat);
  if (!until.ok()) return until.status();
  v.since = *since;
  v.until = *until;
  return v;
}

std::string EdgeVersionToLine(const graph::EdgeVersion& v) {
  const graph::Edge& e = v.edge;
  return json::serialize(
      json::object{{"from", e.from},
                   {"type", e.type},
                   {"to", e.to},
                   {"properties", e.properties.empty() ? json::value() : json::value(e.properties)},
                   {"since", v.since},
                   {"until", UntilValue(v.until)}});
}

Result<graph::EdgeVersion> EdgeVersionFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "an edge record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  graph::EdgeVersion v;
  auto from = Str(*o, "from", kWhat);
  if (!from.ok()) return from.status();
  auto type = Str(*o, "type", kWhat);
  if (!type.ok()) return type.status();
  auto to = Str(*o, "to", kWhat);
  if (!to.ok()) return to.status();
  auto props = Str(*o, "properties", kWhat, /*required=*/false);
  if (!props.ok()) return props.status();
  auto since = Int(*o, "since", kWhat);
  if (!since.ok()) return since.status();
  auto until = Until(*o, kWhat);
  if (!until.ok()) return until.status();
  v.edge = graph::Edge{std::move(*from), std::move(*to), std::move(*type), std::move(*props)};
  v.since = *since;
  v.until = *until;
  return v;
}

std::string JobEventToLine(std::string_view job_id, const jobs::JobEvent& e) {
  json::object o = jobs::JobEventToJson(e);
  o["job_id"] = job_id;
  return json::serialize(o);
}

Result<std::pair<std::string, jobs::JobEvent>> JobEventFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "a job event record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  auto id = Str(*o, "job_id", kWhat);
  if (!id.ok()) return id.status();
  auto e = jobs::JobEventFromJson(*o);
  if (!e.ok()) return Status::InvalidArgument(std::string(kWhat) + ": " + e.status().message());
  return std::make_pair(std::move(*id), std::move(*e));
}

std::string JobToLine(const jobs::Job& job) { return json::serialize(jobs::JobToJson(job)); }

Result<jobs::Job> JobFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "a job record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  auto j = jobs::JobFromJson(*o);
  if (!j.ok()) return Status::InvalidArgument(std::string(kWhat) + ": " + j.status().message());
  return j;
}

std::string ArtifactToLine(const jobs::Artifact& a) {
  return json::serialize(json::object{{"id", a.id},
                                      {"job_id", a.job_id},
                                      {"size", a.size},
                                      {"sha256", a.sha256},
                                      {"created_at_ms", a.created_at_ms}});
}

Result<jobs::Artifact> ArtifactFromLine(std::string_view line) {
  constexpr std::string_view kWhat = "an artifact record";
  auto o = ParseLine(line, kWhat);
  if (!o.ok()) return o.status();
  jobs::Artifact a;
  auto id = Str(*o, "id", kWhat);
  if (!id.ok()) return id.status();
  auto job = Str(*o, "job_id", kWhat);
  if (!job.ok()) return job.status();
  auto sha = Str(*o, "sha256", kWhat);
  if (!sha.ok()) return sha.status();
  auto size = Int(*o, "size", kWhat);
  if (!size.ok()) return size.status();
  a.id = std::move(*id);
  a.job_id = std::move(*job);
  a.sha256 = std::move(*sha);
  a.etag = "\"" + a.sha256 + "\"";
  a.size = static_cast<uint64_t>(*size);
  a.created_at_ms = FindInt(&*o, "created_at_ms").value_or(0);
  return a;
}

}  // namespace atg::backup
