// The ATG backup format, version 1: a zstd-compressed tar whose first entry is manifest.json and
// whose other entries ("parts") are newline-delimited JSON, one record per line:
//
//   manifest.json                      what the archive holds and the SHA-256 of every part
//   tenants/<tenant>/scans.ndjson      the tenant's retained scans          (ScanRecordToJson)
//   tenants/<tenant>/nodes.ndjson      every node version of its history    (NodeVersionToJson)
//   tenants/<tenant>/edges.ndjson      every edge version                   (EdgeVersionToJson)
//   jobs/jobs.ndjson                   with --include-jobs: every job        (jobs::JobToJson)
//   jobs/events.ndjson                 the jobs' events                      (JobEventLineToJson)
//   jobs/artifacts.ndjson              the artifact index (metadata only)    (ArtifactToJson)
//
// Nothing in it depends on the store it came from, so a backup of the SQLite store restores into
// Neo4j and back. docs/backup.md describes the format for people who read archives by hand.
//
// Thread-safety: values and reentrant functions.
#ifndef ATG_BACKUP_BACKUP_FORMAT_H_
#define ATG_BACKUP_BACKUP_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/snapshot.h"
#include "jobs/artifact_store.h"
#include "jobs/job_store.h"

namespace atg::backup {

inline constexpr std::string_view kFormatName = "atg-backup";
inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kManifestPath = "manifest.json";
// File names atg gives backups it names itself: atg-backup-<UTC yyyymmddThhmmssZ>.tar.zst.
inline constexpr std::string_view kFilePrefix = "atg-backup-";
inline constexpr std::string_view kFileSuffix = ".tar.zst";

struct PartInfo {
  std::string path;     // inside the archive
  uint64_t bytes = 0;   // uncompressed
  std::string sha256;   // lower-case hex of the uncompressed content
  int64_t records = 0;  // lines
};

struct TenantInfo {
  std::string tenant_id;
  int64_t scans = 0;          // retained scans
  int64_t current_scan = 0;   // the number of the newest
  int64_t nodes = 0;          // nodes of the current graph
  int64_t edges = 0;          // edges of the current graph
  int64_t node_versions = 0;  // lines of nodes.ndjson (the history included)
  int64_t edge_versions = 0;
};

struct JobsInfo {
  std::string job_store;       // "sqlite" | "redis"
  std::string artifact_store;  // "filesystem" | "azure_blob"
  int64_t jobs = 0;
  int64_t events = 0;
  int64_t artifacts = 0;
};

struct Manifest {
  std::string format = std::string(kFormatName);
  int format_version = kFormatVersion;
  std::string atg_version;
  std::string created_at;   // RFC 3339 UTC
  std::string graph_store;  // the backend the graphs came from: "sqlite" | "neo4j"
  std::vector<TenantInfo> tenants;
  std::optional<JobsInfo> jobs;
  std::vector<PartInfo> parts;  // in archive order

  const PartInfo* FindPart(std::string_view path) const;
};

json::object ManifestToJson(const Manifest& m);
// Checks the format name and version first, so that a wrong file or a newer format gets its own
// message: kInvalidArgument "not an atg backup" / kFailedPrecondition "written by a newer atg"
// (the text names the version this atg reads). Then every field.
Result<Manifest> ManifestFromJson(const json::value& v);

// Part paths.
std::string ScansPartPath(std::string_view tenant);
std::string NodesPartPath(std::string_view tenant);
std::string EdgesPartPath(std::string_view tenant);
inline constexpr std::string_view kJobsPart = "jobs/jobs.ndjson";
inline constexpr std::string_view kEventsPart = "jobs/events.ndjson";
inline constexpr std::string_view kArtifactsPart = "jobs/artifacts.ndjson";

// Records. Node and edge properties are kept as the JSON text the store holds (a string in the
// record), so a restore gives back the stored bytes exactly. "until": null means current.
std::string ScanRecordToLine(const graph::ScanRecord& s);
Result<graph::ScanRecord> ScanRecordFromLine(std::string_view line);
std::string NodeVersionToLine(const graph::NodeVersion& v);
Result<graph::NodeVersion> NodeVersionFromLine(std::string_view line);
std::string EdgeVersionToLine(const graph::EdgeVersion& v);
Result<graph::EdgeVersion> EdgeVersionFromLine(std::string_view line);

// A job event as a line of events.ndjson: JobEventToJson plus "job_id".
std::string JobEventToLine(std::string_view job_id, const jobs::JobEvent& e);
Result<std::pair<std::string, jobs::JobEvent>> JobEventFromLine(std::string_view line);
std::string JobToLine(const jobs::Job& job);
Result<jobs::Job> JobFromLine(std::string_view line);
std::string ArtifactToLine(const jobs::Artifact& a);
Result<jobs::Artifact> ArtifactFromLine(std::string_view line);

}  // namespace atg::backup

#endif  // ATG_BACKUP_BACKUP_FORMAT_H_
