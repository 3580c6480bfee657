// Backup and restore of a large tenant: two scans of a synthetic tenant into the SQLite store
// (the second changes every tenth resource, so the history holds two scans), then `atg backup`
// and `atg restore` through the library, into a fresh data directory and over the existing
// graph; with "neo4j" as the last argument and NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD (or the test
// services' ATG_TEST_NEO4J_*) set, also a restore into Neo4j and a backup from it. Prints time,
// archive size and peak RSS.
//
// usage: backup_bench [resources=100000] [edges_per_resource=4] [neo4j]
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "backup/backup.h"
#include "common/log.h"
#include "common/temp_dir.h"
#include "graph/open_graph_store.h"
#include "graph/sqlite_graph_store.h"
#include "synthetic_tenant.h"

namespace {

namespace fs = std::filesystem;
// A tenant of its own per run: Neo4j (a shared server) keeps what earlier runs restored.
const std::string kTenant = "bench-backup-" + std::to_string(::getpid());

long PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string Env(const char* a, const char* b) {
  if (const char* v = std::getenv(a); v && *v) return v;
  if (const char* v = std::getenv(b); v && *v) return v;
  return "";
}

int Fail(const atg::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

uint64_t DirBytes(const std::string& dir) {
  uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) n += e.file_size();
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  const char* level = std::getenv("LOG_LEVEL");
  atg::InitLogging(atg::LogFormat::kText, level && std::strcmp(level, "debug") == 0
                                              ? atg::LogLevel::kDebug
                                              : atg::LogLevel::kWarning);
  const int resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int edges_per = argc > 2 ? std::atoi(argv[2]) : 4;
  const bool neo4j = argc > 3 && std::strcmp(argv[3], "neo4j") == 0;
  atg::TempDir temp("atg-backup-bench-");
  if (!temp.ok()) {
    std::fprintf(stderr, "%s\n", temp.status().ToString().c_str());
    return 1;
  }
  const std::string root = temp.path();
  const std::string data = root + "/data", fresh = root + "/fresh", out = root + "/out";
  fs::create_directories(out);

  auto store = atg::graph::OpenSqliteGraphStore(data, kTenant);
  if (!store.ok()) return Fail(store.status());
  auto t0 = std::chrono::steady_clock::now();
  atg::Status s = atg::bench::WriteSyntheticScan(**store, resources, edges_per, 4, 0,
                                                 [](int) { return false; });
  if (!s.ok()) return Fail(s);
  s = atg::bench::WriteSyntheticScan(**store, resources, edges_per, 4, 1,
                                     [](int i) { return i % 10 == 0; });
  if (!s.ok()) return Fail(s);
  auto stats = (*store)->Stats();
  if (!stats.ok()) return Fail(stats.status());
  std::printf(
      "setup: 2 scans of %d resources (%lld nodes, %lld edges) in %.1f s; SQLite files "
      "%.0f MB\n",
      resources, static_cast<long long>(stats->nodes), static_cast<long long>(stats->edges),
      Since(t0), DirBytes(data) / 1e6);

  auto settings = atg::Settings::FromMaps({{"ATG_DATA_DIR", data}}, {});
  atg::backup::BackupOptions bo;
  bo.output = out + "/b.tar.zst";
  auto t1 = std::chrono::steady_clock::now();
  auto backup = atg::backup::CreateBackup(settings, bo);
  if (!backup.ok()) return Fail(backup.status());
  const auto& t = backup->manifest.tenants.at(0);
  std::printf(
      "backup (SQLite): %.2f s, archive %.1f MB (%lld node and %lld edge records for %lld "
      "scans), %.1f MB/s of graph; peak RSS %ld MB\n",
      Since(t1), backup->bytes / 1e6, static_cast<long long>(t.node_versions),
      static_cast<long long>(t.edge_versions), static_cast<long long>(t.scans),
      DirBytes(data) / 1e6 / Since(t1), PeakRssMb());

  atg::backup::RestoreOptions ro;
  ro.input = bo.output;
  for (const auto& [name, dir] : {std::pair{"into a new data directory", fresh},
                                  std::pair{"over the existing graph", data}}) {
    auto t2 = std::chrono::steady_clock::now();
    auto restored =
        atg::backup::RestoreBackup(atg::Settings::FromMaps({{"ATG_DATA_DIR", dir}}, {}), ro);
    if (!restored.ok()) return Fail(restored.status());
    std::printf(
        "restore (SQLite) %s: %.2f s (the graph replaced in %.2f s after checking the "
        "archive); peak RSS %ld MB\n",
        name, Since(t2), restored->tenants.at(0).seconds, PeakRssMb());
  }

  if (neo4j) {
    const std::string uri = Env("NEO4J_URI", "ATG_TEST_NEO4J_URI");
    if (uri.empty()) {
      std::fprintf(stderr, "neo4j: set NEO4J_URI (or source the test services' env file)\n");
      return 1;
    }
    auto neo = atg::Settings::FromMaps(
        {{"ATG_DATA_DIR", root + "/unused"},
         {"NEO4J_URI", uri},
         {"NEO4J_USER", Env("NEO4J_USER", "ATG_TEST_NEO4J_USER")},
         {"NEO4J_PASSWORD", Env("NEO4J_PASSWORD", "ATG_TEST_NEO4J_PASSWORD")}},
        {});
    auto t3 = std::chrono::steady_clock::now();
    auto restored = atg::backup::RestoreBackup(neo, ro);
    if (!restored.ok()) return Fail(restored.status());
    std::printf("restore (SQLite archive into Neo4j): %.1f s\n", Since(t3));
    atg::backup::BackupOptions nb;
    nb.output = out + "/n.tar.zst";
    nb.tenants = {kTenant};
    auto t4 = std::chrono::steady_clock::now();
    auto b2 = atg::backup::CreateBackup(neo, nb);
    if (!b2.ok()) return Fail(b2.status());
    std::printf("backup (Neo4j): %.1f s, archive %.1f MB; peak RSS %ld MB\n", Since(t4),
                b2->bytes / 1e6, PeakRssMb());
    // Leave the server as it was: an empty scan with no history deletes the tenant's graph.
    auto cleanup = neo;
    cleanup = atg::Settings::FromMaps(
        {{"ATG_DATA_DIR", root + "/unused"},
         {"ATG_GRAPH_HISTORY", "1"},
         {"NEO4J_URI", uri},
         {"NEO4J_USER", Env("NEO4J_USER", "ATG_TEST_NEO4J_USER")},
         {"NEO4J_PASSWORD", Env("NEO4J_PASSWORD", "ATG_TEST_NEO4J_PASSWORD")}},
        {});
    auto gone = atg::graph::OpenGraphStore(cleanup, kTenant);
    if (gone.ok()) {
      auto session = (*gone)->BeginScan(atg::graph::ScanScope{kTenant, {}, {}, {}, true, true});
      if (session.ok()) (void)(*session)->Commit();
    }
  }
  return 0;
}
