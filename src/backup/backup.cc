#include "backup/backup.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "azure/blob_client.h"
#include "backup/backup_archive.h"
#include "backup/graph_parts.h"
#include "common/data_dir.h"
#include "common/random.h"
#include "common/strings.h"
#include "common/time_format.h"
#include "graph/open_graph_store.h"
#include "jobs/digest.h"
#include "jobs/job.h"
#include "jobs/redis_config.h"

namespace atg::backup {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void Say(const ProgressFn& progress, const std::string& line) {
  if (progress) progress(line);
}

// "2025-01-01T02:00:00Z" (what FormatRfc3339 writes) -> time; nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> ParseUtc(std::string_view s) {
  int y, mo, d, h, mi, sec;
  char z = 0;
  if (s.size() < 20 ||
      std::sscanf(std::string(s).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec,
                  &z) != 7 ||
      mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(days * 86400 + h * 3600 + mi * 60 + sec));
}

// Removes a file when it goes out of scope (downloads and uploads' local copies).
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) {
      std::error_code ec;
      fs::remove(path, ec);
    }
  }
};

std::string TempPath(std::string_view stem) {
  return (fs::temp_directory_path() / ("atg-" + std::string(stem) + "-" + RandomHex(8))).string();
}

Result<std::vector<std::string>> ChosenTenants(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const std::string& t : given) {
    ATG_RETURN_IF_ERROR(graph::ValidateTenantId(t));
    std::string lower = ToLower(t);
    if (std::find(out.begin(), out.end(), lower) == out.end()) out.push_back(lower);
  }
  return out;
}

// The job metadata and artifact index, as three parts.
Result<JobsInfo> WriteJobs(const Settings& settings, ArchiveWriter& writer,
                           const ProgressFn& progress) {
  JobsInfo info;
  auto jobs_part = writer.AddPart(std::string(kJobsPart));
  if (!jobs_part.ok()) return jobs_part.status();
  auto events_part = writer.AddPart(std::string(kEventsPart));
  if (!events_part.ok()) return events_part.status();
  auto artifacts_part = writer.AddPart(std::string(kArtifactsPart));
  if (!artifacts_part.ok()) return artifacts_part.status();
  // An embedded job store that was never created has no jobs; opening it would create it.
  auto redis = jobs::RedisConfigFromSettings(settings);
  if (!redis.ok()) return redis.status();
  if (!redis->has_value()) {
    auto dir = DataDir(settings);
    if (!dir.ok()) return dir.status();
    std::error_code ec;
    if (!fs::exists(*dir + "/jobs.db", ec)) {
      Say(progress, "no job store in " + *dir + " yet: the backup holds no jobs");
      info.job_store = "sqlite";
      return info;
    }
  }
  auto store = jobs::OpenJobStore(settings);
  if (!store.ok()) return store.status();
  auto artifacts = jobs::OpenArtifactStore(settings);
  if (!artifacts.ok()) return artifacts.status();
  info.job_store = std::string((*store)->backend());
  info.artifact_store = std::string((*artifacts)->backend());
  auto all_events = [&](const std::string& id) -> Result<std::vector<jobs::JobEvent>> {
    std::vector<jobs::JobEvent> out;
    while (true) {
      auto page = (*store)->EventsSince(id, out.empty() ? 0 : out.back().seq, 1000);
      if (!page.ok()) return page.status();
      if (page->empty()) return out;
      for (auto& e : *page) out.push_back(std::move(e));
    }
  };
  std::vector<std::string> artifact_ids;
  Status s = (*store)->ForEachJob([&](jobs::Job&& job) -> Status {
    // A job may move on while it is read: its record and its events are taken again until
    // they agree, so a restored job never says "running" next to a "completed" event.
    jobs::Job current = std::move(job);
    std::vector<jobs::JobEvent> events;
    for (int attempt = 0; attempt < 5; ++attempt) {
      auto e = all_events(current.id);
      if (!e.ok()) return e.status();
      events = std::move(*e);
      auto again = (*store)->Get(current.id);
      if (!again.ok()) return again.status();
      if (!again->has_value()) return Status::Ok();  // purged meanwhile
      const bool same = (*again)->state == current.state &&
                        (*again)->finished_at_ms == current.finished_at_ms &&
                        (events.empty() || events.size() == static_cast<size_t>(events.back().seq));
      current = std::move(**again);
      if (same) break;
    }
    ATG_RETURN_IF_ERROR((*jobs_part)->WriteLine(JobToLine(current)));
    for (const auto& e : events) {
      ATG_RETURN_IF_ERROR((*events_part)->WriteLine(JobEventToLine(current.id, e)));
    }
    info.events += static_cast<int64_t>(events.size());
    ++info.jobs;
    if (!current.artifact.empty()) artifact_ids.push_back(current.artifact);
    return Status::Ok();
  });
  if (!s.ok()) return s.WithContext("reading the job store for the backup");
  int64_t missing = 0;
  for (const std::string& id : artifact_ids) {
    auto a = (*artifacts)->Stat(id);
    if (!a.ok()) {
      if (a.status().code() == StatusCode::kNotFound) {
        ++missing;
        continue;
      }
      return a.status().WithContext("reading the artifact index for the backup");
    }
    ATG_RETURN_IF_ERROR((*artifacts_part)->WriteLine(ArtifactToLine(*a)));
    ++info.artifacts;
  }
  Say(progress, "jobs: " + std::to_string(info.jobs) + " jobs, " + std::to_string(info.events) +
                    " events, " + std::to_string(info.artifacts) + " artifacts indexed" +
                    (missing > 0 ? " (" + std::to_string(missing) + " already expired)" : ""));
  return info;
}

// Where a local backup goes: `output`, or a generated name inside it when it is a directory.
Result<std::string> LocalTarget(const std::string& output, const std::string& name) {
  std::error_code ec;
  fs::path p(output);
  if (fs::is_directory(p, ec)) return (p / name).string();
  if (!output.empty() && output.back() == '/') {
    return Status::InvalidArgument("the directory " + output +
                                   " does not exist; create it or give a file name");
  }
  fs::path parent = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  if (!fs::is_directory(parent, ec)) {
    return Status::InvalidArgument("the directory " + parent.string() + " of " + output +
                                   " does not exist; create it first");
  }
  return p.string();
}

// The newest atg backup under a container / prefix URL.
Result<std::string> NewestBlob(azure::BlobClient& client) {
  auto items = client.List(client.url().name);
  if (!items.ok()) return items.status();
  std::string best, best_time;
  for (const auto& item : *items) {
    auto it = item.metadata.find("atgbackup");
    if (it == item.metadata.end() || it->second != "1") continue;
    auto t = item.metadata.find("created_at");
    std::string when = t == item.metadata.end() ? "" : t->second;
    if (best.empty() || when > best_time || (when == best_time && item.name > best)) {
      best = item.name;
      best_time = when;
    }
  }
  if (best.empty()) {
    return Status::NotFound("there is no atg backup under " + client.url().Display());
  }
  return best;
}

// The layout atg writes: each tenant's three parts in manifest order, then the jobs' three.
Status CheckLayout(const Manifest& m, const std::string& name) {
  std::vector<std::string> want;
  for (const TenantInfo& t : m.tenants) {
    ATG_RETURN_IF_ERROR(graph::ValidateTenantId(t.tenant_id));
    want.push_back(ScansPartPath(t.tenant_id));
    want.push_back(NodesPartPath(t.tenant_id));
    want.push_back(EdgesPartPath(t.tenant_id));
  }
  if (m.jobs) {
    want.push_back(std::string(kJobsPart));
    want.push_back(std::string(kEventsPart));
    want.push_back(std::string(kArtifactsPart));
  }
  if (want.size() != m.parts.size()) {
    return Status::InvalidArgument("the backup " + name +
                                   " does not hold the parts its manifest's tenants and jobs need");
  }
  for (size_t i = 0; i < want.size(); ++i) {
    if (m.parts[i].path != want[i]) {
      return Status::InvalidArgument("the backup " + name + " holds " + m.parts[i].path +
                                     " where atg writes " + want[i]);
    }
  }
  return Status::Ok();
}

Status RestoreJobs(const Settings& settings, ArchiveReader& reader, RestoreReport& report,
                   const ProgressFn& progress) {
  auto store = jobs::OpenJobStore(settings);
  if (!store.ok()) return store.status();
  auto next = [&](std::string_view want) -> Status {
    auto part = reader.NextPart();
    if (!part.ok()) return part.status();
    if (!part->has_value() || **part != want) {
      return Status::InvalidArgument("the backup's job parts are not in order");
    }
    return Status::Ok();
  };
  ATG_RETURN_IF_ERROR(next(kJobsPart));
  std::map<std::string, jobs::Job> pending;  // read, not restored yet
  std::vector<std::string> order;
  ATG_RETURN_IF_ERROR(reader.ForEachLine([&](std::string_view line) -> Status {
    auto j = JobFromLine(line);
    if (!j.ok()) return j.status();
    if (!jobs::ValidJobId(j->id)) {
      return Status::InvalidArgument("the backup holds a job with the malformed id " + j->id);
    }
    order.push_back(j->id);
    pending.emplace(j->id, std::move(*j));
    return Status::Ok();
  }));
  auto restore = [&](const std::string& id, const std::vector<jobs::JobEvent>& events) -> Status {
    auto it = pending.find(id);
    if (it == pending.end()) return Status::Ok();
    auto added = (*store)->RestoreJob(it->second, events);
    if (!added.ok()) return added.status().WithContext("restoring job " + id);
    (*added ? report.jobs_added : report.jobs_kept) += 1;
    pending.erase(it);
    return Status::Ok();
  };
  ATG_RETURN_IF_ERROR(next(kEventsPart));
  std::string current;
  std::vector<jobs::JobEvent> events;
  ATG_RETURN_IF_ERROR(reader.ForEachLine([&](std::string_view line) -> Status {
    auto e = JobEventFromLine(line);
    if (!e.ok()) return e.status();
    if (e->first != current) {
      if (!current.empty()) ATG_RETURN_IF_ERROR(restore(current, events));
      current = e->first;
      events.clear();
    }
    events.push_back(std::move(e->second));
    return Status::Ok();
  }));
  if (!current.empty()) ATG_RETURN_IF_ERROR(restore(current, events));
  for (const std::string& id : order) ATG_RETURN_IF_ERROR(restore(id, {}));
  ATG_RETURN_IF_ERROR(next(kArtifactsPart));
  auto artifacts = jobs::OpenArtifactStore(settings);
  if (!artifacts.ok()) return artifacts.status();
  ATG_RETURN_IF_ERROR(reader.ForEachLine([&](std::string_view line) -> Status {
    auto a = ArtifactFromLine(line);
    if (!a.ok()) return a.status();
    auto found = (*artifacts)->Stat(a->id);
    if (found.ok() && found->sha256 == a->sha256) return Status::Ok();
    if (!found.ok() && found.status().code() != StatusCode::kNotFound &&
        found.status().code() != StatusCode::kInvalidArgument) {
      return found.status();
    }
    report.artifacts_missing.push_back(a->id);
    return Status::Ok();
  }));
  Say(progress, "jobs: " + std::to_string(report.jobs_added) + " restored, " +
                    std::to_string(report.jobs_kept) +
                    " already in the job store (kept as they are)" +
                    (report.artifacts_missing.empty()
                         ? ""
                         : ", " + std::to_string(report.artifacts_missing.size()) +
                               " artifacts no longer in the artifact store"));
  return Status::Ok();
}

json::object ManifestSummary(const Manifest& m) {
  json::object o = ManifestToJson(m);
  o.erase("parts");
  return o;
}

}  // namespace

std::string BackupFileName(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(kFilePrefix) + buf + std::string(kFileSuffix);
}

std::string DefaultBackupDir(const Settings& settings) {
  return settings.GetString("ATG_BACKUP_DIR", "");
}

std::string DefaultBackupBlobUrl(const Settings& settings) {
  return settings.GetString("ATG_BACKUP_BLOB_URL", "");
}

json::object BackupReport::ToJson() const {
  return json::object{{"location", location},
                      {"bytes", bytes},
                      {"sha256", sha256},
                      {"duration_seconds", seconds},
                      {"manifest", ManifestSummary(manifest)}};
}

json::object RestoreReport::ToJson() const {
  json::array tenants_json;
  for (const RestoredTenant& t : tenants) {
    tenants_json.push_back(json::object{{"tenant_id", t.tenant_id},
                                        {"scans", t.scans},
                                        {"nodes", t.nodes},
                                        {"edges", t.edges},
                                        {"duration_seconds", t.seconds}});
  }
  json::array missing;
  for (const auto& a : artifacts_missing) missing.push_back(json::value(a));
  return json::object{{"location", location},
                      {"graph_store", graph_store},
                      {"tenants", std::move(tenants_json)},
                      {"jobs_added", jobs_added},
                      {"jobs_kept", jobs_kept},
                      {"artifacts_missing", std::move(missing)},
                      {"duration_seconds", seconds},
                      {"manifest", ManifestSummary(manifest)}};
}

json::object PruneReport::ToJson() const {
  json::array d, k;
  for (const auto& x : deleted) d.push_back(json::value(x));
  for (const auto& x : kept) k.push_back(json::value(x));
  return json::object{{"location", location}, {"deleted", std::move(d)}, {"kept", std::move(k)}};
}

Result<BackupReport> CreateBackup(const Settings& settings, const BackupOptions& options) {
  const auto t0 = Clock::now();
  std::string output = options.output, blob_url = options.blob_url;
  if (output.empty() && blob_url.empty()) {
    output = DefaultBackupDir(settings);
    if (output.empty()) blob_url = DefaultBackupBlobUrl(settings);
  }
  if (output.empty() == blob_url.empty()) {
    return Status::InvalidArgument(
        output.empty() ? "say where the backup goes: --output FILE or --blob-url URL (or set "
                         "ATG_BACKUP_DIR or ATG_BACKUP_BLOB_URL)"
                       : "give either --output or --blob-url, not both");
  }
  const auto created = std::chrono::system_clock::now();
  const std::string name = BackupFileName(created);

  // Where the archive is written first, and where it ends up.
  std::string archive_path, staging_parent, blob_name;
  std::unique_ptr<azure::BlobClient> client;
  TempFile upload_copy;
  if (!output.empty()) {
    auto target = LocalTarget(output, name);
    if (!target.ok()) return target.status();
    archive_path = *target;
    staging_parent = fs::path(archive_path).parent_path().string();
    if (staging_parent.empty()) staging_parent = ".";
  } else {
    auto url = azure::ParseBlobUrl(blob_url);
    if (!url.ok()) return url.status();
    auto c = azure::BlobClient::Create(*url, settings);
    if (!c.ok()) return c.status();
    client = std::move(c.value());
    blob_name = url->names_blob() ? url->name : url->name + name;
    staging_parent = fs::temp_directory_path().string();
    archive_path = upload_copy.path = TempPath("backup-upload") + std::string(kFileSuffix);
  }

  std::vector<std::string> tenants;
  if (options.tenants.empty()) {
    auto all = graph::ListGraphTenants(settings);
    if (!all.ok()) return all.status();
    tenants = std::move(*all);
  } else {
    auto chosen = ChosenTenants(options.tenants);
    if (!chosen.ok()) return chosen.status();
    tenants = std::move(*chosen);
  }
  if (tenants.empty() && !options.include_jobs) {
    return Status::FailedPrecondition(
        "no tenant has a graph in the " + graph::GraphBackendName(settings) +
        " graph store yet; there is nothing to back up (run `atg scan` first)");
  }

  auto writer = ArchiveWriter::Create(staging_parent);
  if (!writer.ok()) return writer.status();
  Manifest manifest;
  manifest.atg_version = ATG_VERSION;
  manifest.created_at = FormatRfc3339(created);
  manifest.graph_store = graph::GraphBackendName(settings);
  for (const std::string& t : tenants) {
    const auto tt = Clock::now();
    graph::OpenGraphStoreOptions open;
    open.create_if_missing = false;
    auto store = graph::OpenGraphStore(settings, t, open);
    if (!store.ok()) return store.status().WithContext("backing up tenant " + t);
    SnapshotPartsSink sink(writer->get(), t);
    Status s;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      s = sink.Begin();
      if (s.ok()) s = (*store)->ExportSnapshot(sink);
      if (s.code() != StatusCode::kAborted || attempt == 3) break;
      Say(options.progress, "tenant " + t + ": a scan committed during the backup; reading again");
    }
    if (!s.ok()) return s.WithContext("backing up tenant " + t);
    auto info = sink.Finish();
    if (!info.ok()) return info.status();
    Say(options.progress, "tenant " + t + ": " + std::to_string(info->scans) + " scans, " +
                              std::to_string(info->nodes) + " nodes, " +
                              std::to_string(info->edges) + " edges (" +
                              std::to_string(info->node_versions + info->edge_versions) +
                              " records with the history) in " +
                              std::to_string(SecondsSince(tt)).substr(0, 5) + " s");
    manifest.tenants.push_back(std::move(*info));
  }
  if (options.include_jobs) {
    auto jobs = WriteJobs(settings, **writer, options.progress);
    if (!jobs.ok()) return jobs.status();
    manifest.jobs = std::move(*jobs);
  }
  auto file = (*writer)->Finish(manifest, archive_path);
  if (!file.ok()) return file.status();
  writer->reset();  // the staged parts are no longer needed
  BackupReport report;
  report.bytes = file->bytes;
  report.sha256 = file->sha256;
  report.manifest = std::move(manifest);
  report.manifest.parts.clear();
  if (client) {
    Say(options.progress, "uploading " + std::to_string(file->bytes) + " bytes to " +
                              client->url().DisplayOf(blob_name));
    ATG_RETURN_IF_ERROR(client->Upload(blob_name, archive_path,
                                       {{"atgbackup", "1"},
                                        {"created_at", report.manifest.created_at},
                                        {"sha256", file->sha256},
                                        {"format_version", std::to_string(kFormatVersion)}}));
    report.location = client->url().DisplayOf(blob_name);
  } else {
    report.location = archive_path;
  }
  report.seconds = SecondsSince(t0);
  return report;
}

Result<RestoreReport> RestoreBackup(const Settings& settings, const RestoreOptions& options) {
  const auto t0 = Clock::now();
  if (options.input.empty() == options.blob_url.empty()) {
    return Status::InvalidArgument(
        options.input.empty() ? "say which backup to restore: --input FILE or --blob-url URL"
                              : "give either --input or --blob-url, not both");
  }
  RestoreReport report;
  report.graph_store = graph::GraphBackendName(settings);
  std::string path, name;
  TempFile download;
  if (!options.input.empty()) {
    path = name = options.input;
  } else {
    auto url = azure::ParseBlobUrl(options.blob_url);
    if (!url.ok()) return url.status();
    auto client = azure::BlobClient::Create(*url, settings);
    if (!client.ok()) return client.status();
    std::string blob = url->name;
    if (!url->names_blob()) {
      auto newest = NewestBlob(**client);
      if (!newest.ok()) return newest.status();
      blob = *newest;
    }
    name = url->DisplayOf(blob);
    path = download.path = TempPath("restore-download") + std::string(kFileSuffix);
    Say(options.progress, "downloading " + name);
    auto item = (*client)->Download(blob, path);
    if (!item.ok()) return item.status();
    chmod(path.c_str(), 0600);
    auto sha = item->metadata.find("sha256");
    if (sha != item->metadata.end()) {
      auto local = jobs::Sha256FileHex(path);
      if (!local.ok()) return local.status();
      if (*local != sha->second) {
        return Status::InvalidArgument("the backup " + name +
                                       " does not match the SHA-256 it was uploaded with: it is "
                                       "damaged; nothing was changed");
      }
    }
  }
  report.location = name;

  Say(options.progress, "checking " + name);
  auto manifest = VerifyArchive(path, name);
  if (!manifest.ok()) {
    return Status(manifest.status().code(), manifest.status().message() + "; nothing was changed");
  }
  Status layout = CheckLayout(*manifest, name);
  if (!layout.ok()) return Status(layout.code(), layout.message() + "; nothing was changed");
  report.manifest = *manifest;
  report.manifest.parts.clear();

  std::set<std::string> wanted;
  if (!options.tenants.empty()) {
    auto chosen = ChosenTenants(options.tenants);
    if (!chosen.ok()) return chosen.status();
    for (const std::string& t : *chosen) {
      bool present = std::any_of(manifest->tenants.begin(), manifest->tenants.end(),
                                 [&](const TenantInfo& i) { return i.tenant_id == t; });
      if (!present) {
        std::string have;
        for (const TenantInfo& i : manifest->tenants)
          have += (have.empty() ? "" : ", ") + i.tenant_id;
        return Status::InvalidArgument("the backup " + name + " holds no graph of tenant " + t +
                                       " (it holds: " + (have.empty() ? "none" : have) + ")");
      }
      wanted.insert(t);
    }
  }

  auto reader = ArchiveReader::Open(path, name);
  if (!reader.ok()) return reader.status();
  std::vector<std::string> done;
  auto failed = [&](const Status& s, const std::string& what) {
    std::string note =
        done.empty() ? "; nothing was changed"
                     : "; restored before this: " + Join(done, ", ") + " (those stay restored)";
    return Status(s.code(), what + ": " + s.message() + note);
  };
  for (const TenantInfo& t : manifest->tenants) {
    if (!wanted.empty() && !wanted.count(t.tenant_id)) {
      for (int i = 0; i < 3; ++i) {
        auto part = (*reader)->NextPart();
        if (!part.ok()) return failed(part.status(), "reading " + name);
      }
      continue;
    }
    const auto tt = Clock::now();
    Say(options.progress, "restoring tenant " + t.tenant_id + ": " + std::to_string(t.scans) +
                              " scans, " + std::to_string(t.nodes) + " nodes, " +
                              std::to_string(t.edges) + " edges into the " + report.graph_store +
                              " graph store");
    auto store = graph::OpenGraphStore(settings, t.tenant_id);
    if (!store.ok()) return failed(store.status(), "restoring tenant " + t.tenant_id);
    ArchiveSnapshotSource source(reader->get(), t.tenant_id);
    Status s = (*store)->ImportSnapshot(source);
    if (!s.ok()) return failed(s, "restoring tenant " + t.tenant_id);
    done.push_back(t.tenant_id);
    report.tenants.push_back({t.tenant_id, t.scans, t.nodes, t.edges, SecondsSince(tt)});
  }
  if (manifest->jobs && !options.skip_jobs) {
    Status s = RestoreJobs(settings, **reader, report, options.progress);
    if (!s.ok()) return failed(s, "restoring the jobs");
  }
  report.seconds = SecondsSince(t0);
  return report;
}

Result<PruneReport> PruneBackups(const Settings& settings, const PruneOptions& options) {
  std::string dir = options.dir, blob_url = options.blob_url;
  if (dir.empty() && blob_url.empty()) {
    dir = DefaultBackupDir(settings);
    if (dir.empty()) blob_url = DefaultBackupBlobUrl(settings);
  }
  if (dir.empty() == blob_url.empty()) {
    return Status::InvalidArgument(
        dir.empty() ? "say where the backups are: --dir DIR or --blob-url URL (or set "
                      "ATG_BACKUP_DIR or ATG_BACKUP_BLOB_URL)"
                    : "give either --dir or --blob-url, not both");
  }
  if (options.keep_days < 0) {
    return Status::InvalidArgument("--keep-days must be 0 or more, not " +
                                   std::to_string(options.keep_days));
  }
  const auto cutoff = std::chrono::system_clock::now() - std::chrono::hours(24) * options.keep_days;
  struct Found {
    std::string name;
    std::chrono::system_clock::time_point created;
  };
  std::vector<Found> found;
  PruneReport report;
  std::unique_ptr<azure::BlobClient> client;
  if (!dir.empty()) {
    report.location = dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return Status::NotFound("the backup directory " + dir + " does not exist");
    }
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      const std::string file = it->path().filename().string();
      if (file.find(".partial-") != std::string::npos) continue;  // a backup being written
      auto r = ArchiveReader::Open(it->path().string());
      if (!r.ok()) continue;  // not an atg backup: never ours to delete
      auto when = ParseUtc((*r)->manifest().created_at);
      if (!when) continue;
      found.push_back({file, *when});
    }
    if (ec) return Status::IoError("listing " + dir + " failed: " + ec.message());
  } else {
    auto url = azure::ParseBlobUrl(blob_url);
    if (!url.ok()) return url.status();
    auto c = azure::BlobClient::Create(*url, settings);
    if (!c.ok()) return c.status();
    client = std::move(c.value());
    report.location = url->Display();
    auto items = client->List(url->name);
    if (!items.ok()) return items.status();
    for (const auto& item : *items) {
      auto mark = item.metadata.find("atgbackup");
      auto created = item.metadata.find("created_at");
      if (mark == item.metadata.end() || mark->second != "1" || created == item.metadata.end()) {
        continue;
      }
      auto when = ParseUtc(created->second);
      if (when) found.push_back({item.name, *when});
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return std::tie(a.created, a.name) > std::tie(b.created, b.name);
  });
  for (size_t i = 0; i < found.size(); ++i) {
    const Found& f = found[i];
    if (i == 0 || f.created >= cutoff) {
      report.kept.push_back(f.name);
      continue;
    }
    if (!options.dry_run) {
      if (client) {
        Status s = client->Delete(f.name);
        if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
      } else {
        std::error_code ec;
        fs::remove(fs::path(dir) / f.name, ec);
        if (ec) {
          return Status::IoError("cannot delete " + (fs::path(dir) / f.name).string() + ": " +
                                 ec.message());
        }
      }
    }
    Say(options.progress, (options.dry_run ? "would delete " : "deleted ") + f.name);
    report.deleted.push_back(f.name);
  }
  return report;
}

}  // namespace atg::backup
