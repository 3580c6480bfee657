// `atg backup`, `atg restore` and `atg backup prune` as a user runs them: the binary against real
// SQLite files, a real Neo4j, Redis and Azurite (tests/services). What a restore brings back is
// compared with `atg graph export` of the original, byte for byte.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "azure/blob_client.h"
#include "backup/backup_archive.h"
#include "common/config.h"
#include "common/json.h"
#include "common/temp_dir.h"
#include "common/time_format.h"
#include "graph/rules/rules.h"
#include "graph/sqlite_graph_store.h"
#include "graph/testing/snapshot_testing.h"
#include "jobs/artifact_store.h"
#include "jobs/job.h"
#include "jobs/sqlite_job_store.h"
#include "redis_testing.h"
#include "service_env.h"

namespace atg {
namespace {

namespace fs = std::filesystem;
using graph::testing::Nodes;
using graph::testing::Resource;

struct AtgRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Random() {
  static std::mt19937_64 rng(std::random_device{}());
  return std::to_string(rng() % 1000000000);
}

class BackupCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tenant_ = "bk" + Random();
    data_ = dir_.path() + "/data";
  }

  // Runs atg with the environment plus `env` (NAME=value words; secrets are put in the
  // environment by the caller, never on a command line).
  AtgRun Atg(const std::string& env, const std::string& args) {
    const std::string err = dir_.path() + "/stderr.txt";
    std::string cmd =
        "env -u NEO4J_URI -u REDIS_URL -u AZURE_TENANT_ID -u ATG_BACKUP_DIR "
        "-u ATG_BACKUP_BLOB_URL -u AZURE_STORAGE_KEY " +
        env + " '" ATG_BINARY "' " + args + " 2>'" + err + "'";
    FILE* p = popen(cmd.c_str(), "r");
    AtgRun r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = atg::testing::ReadWholeFile(err);
    return r;
  }

  std::string Sqlite(const std::string& data) const { return "ATG_DATA_DIR='" + data + "'"; }
  std::string Sqlite() const { return Sqlite(data_); }

  // What a reader sees of the tenant's graph, as `atg graph export` prints it.
  std::string Export(const std::string& env, const std::string& tenant = "") {
    AtgRun r =
        Atg(env, "graph export --format ndjson --tenant-id " + (tenant.empty() ? tenant_ : tenant));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  // A graph with resources, directory objects, tags, regions and edges with properties;
  // `variant` changes some of it.
  void WriteGraph(graph::GraphStore& store, int variant, int resources = 150) {
    auto fragments = graph::testing::SnapshotGraph(store.tenant_id(), variant);
    std::vector<graph::Node> nodes;
    std::vector<graph::Edge> edges;
    for (int i = 0; i < resources; ++i) {
      nodes.push_back(Resource("rg" + std::to_string(i % 7), "r" + std::to_string(i)));
      if (i > 0) edges.push_back(graph::MakeEdge(nodes[i].key, nodes[i - 1].key, "USES"));
    }
    fragments.push_back(Nodes(nodes, edges));
    graph::ScanScope scope{store.tenant_id(), {}, {}, {}, true, true};
    graph::testing::Scan(store, scope, fragments);
  }

  std::unique_ptr<graph::GraphStore> OpenSqlite(const std::string& data,
                                                const std::string& tenant = "") {
    auto s = graph::OpenSqliteGraphStore(data, tenant.empty() ? tenant_ : tenant);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  // The only file in `dir` whose name starts with atg-backup-.
  std::string OnlyBackup(const std::string& dir) {
    std::string found;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().filename().string().starts_with("atg-backup-")) {
        EXPECT_TRUE(found.empty()) << "more than one backup in " << dir;
        found = e.path().string();
      }
    }
    EXPECT_FALSE(found.empty()) << "no backup in " << dir;
    return found;
  }

  TempDir dir_;
  std::string tenant_;
  std::string data_;
};

TEST_F(BackupCliTest, SqliteBackupAndRestoreBringTheGraphBackExactly) {
  auto store = OpenSqlite(data_);
  ASSERT_NE(store, nullptr);
  WriteGraph(*store, 0);
  const std::string original = Export(Sqlite());
  const std::string out = dir_.path() + "/backups";
  fs::create_directories(out);
  AtgRun b = Atg(Sqlite(), "backup --json --output '" + out + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto report = ParseJson(b.out);
  ASSERT_TRUE(report.ok()) << b.out;
  const std::string file = OnlyBackup(out);
  EXPECT_EQ(report->at("location").as_string(), file);
  EXPECT_EQ(report->at("sha256").as_string().size(), 64u);
  EXPECT_EQ(report->at("manifest").at("tenants").as_array().size(), 1u);
  EXPECT_EQ((fs::status(file).permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write);
  // The graph changes (a narrower scan), then the restore brings the backed-up one back.
  WriteGraph(*store, 1, 20);
  ASSERT_NE(Export(Sqlite()), original);
  AtgRun r = Atg(Sqlite(), "restore --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(Sqlite()), original);
  // Into a data directory that never saw the tenant (a new machine).
  const std::string fresh = dir_.path() + "/fresh";
  r = Atg(Sqlite(fresh), "restore --json --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(Sqlite(fresh)), original);
  auto restored = ParseJson(r.out);
  ASSERT_TRUE(restored.ok()) << r.out;
  EXPECT_EQ(restored->at("graph_store").as_string(), "sqlite");
  EXPECT_EQ(restored->at("tenants").as_array()[0].at("tenant_id").as_string(), tenant_);
}

TEST_F(BackupCliTest, DamagedOrForeignArchivesChangeNothing) {
  auto store = OpenSqlite(data_);
  ASSERT_NE(store, nullptr);
  WriteGraph(*store, 0, 3000);  // an archive of several zstd frames' worth
  const std::string good = dir_.path() + "/good.tar.zst";
  ASSERT_EQ(Atg(Sqlite(), "backup --quiet --output '" + good + "'").exit_code, 0);
  WriteGraph(*store, 2, 40);
  const std::string before = Export(Sqlite());
  const std::string bytes = atg::testing::ReadWholeFile(good);
  auto write = [&](const std::string& name, const std::string& content) {
    const std::string p = dir_.path() + "/" + name;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
    return p;
  };
  std::string flipped = bytes;
  flipped[bytes.size() * 2 / 3] = static_cast<char>(flipped[bytes.size() * 2 / 3] ^ 0x01);
  // A newer format: a well-formed archive whose manifest says version 2.
  backup::Manifest newer;
  newer.format_version = backup::kFormatVersion + 1;
  auto w = backup::ArchiveWriter::Create(dir_.path());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Finish(newer, dir_.path() + "/newer.tar.zst").ok());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {write("truncated.tar.zst", bytes.substr(0, bytes.size() * 3 / 5)), "damaged or truncated"},
      {write("flipped.tar.zst", flipped), "damaged"},
      {write("text.tar.zst", "hello\n"), "not an atg backup"},
      {dir_.path() + "/newer.tar.zst", "newer atg"},
      {dir_.path() + "/missing.tar.zst", "does not exist"},
  };
  for (const auto& [path, says] : cases) {
    AtgRun r = Atg(Sqlite(), "restore --input '" + path + "'");
    EXPECT_EQ(r.exit_code, 1) << path << ": " << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << path << ": " << r.err;
    if (says != "does not exist") {
      EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << path << ": " << r.err;
    }
    EXPECT_EQ(Export(Sqlite()), before) << path;
  }
  // Usage errors are exit 2.
  EXPECT_EQ(Atg(Sqlite(), "restore").exit_code, 2);
  EXPECT_EQ(Atg(Sqlite(), "restore --input a --blob-url b").exit_code, 2);
  EXPECT_EQ(Atg(Sqlite(), "restore --input '" + good + "' --tenant-id ../x").exit_code, 2);
  EXPECT_EQ(Atg(Sqlite(), "backup").exit_code, 2);
  // A tenant the archive does not hold.
  AtgRun r = Atg(Sqlite(), "restore --input '" + good + "' --tenant-id someone-else");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("holds no graph of tenant someone-else"), std::string::npos) << r.err;
  EXPECT_EQ(Export(Sqlite()), before);
}

TEST_F(BackupCliTest, BackupWhileAScanWritesAndRestoreWaitsForNoOne) {
  auto store = OpenSqlite(data_);
  ASSERT_NE(store, nullptr);
  WriteGraph(*store, 0);
  const std::string committed = Export(Sqlite());
  // A scan is writing (its transaction is open, its rows are in the WAL): the backup is taken
  // all the same and holds the committed graph only.
  auto session = store->BeginScan(graph::ScanScope{tenant_, {}, {}, {}, true, true});
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE((*session)->Add(Nodes({Resource("rg", "in-flight")})).ok());
  const std::string file = dir_.path() + "/during.tar.zst";
  AtgRun b = Atg(Sqlite(), "backup --output '" + file + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  AtgRun r = Atg(Sqlite(), "restore --input '" + file + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is writing"), std::string::npos) << r.err;
  ASSERT_TRUE((*session)->Commit().ok());
  ASSERT_NE(Export(Sqlite()), committed);
  ASSERT_EQ(Atg(Sqlite(), "restore --input '" + file + "'").exit_code, 0);
  EXPECT_EQ(Export(Sqlite()), committed);
}

TEST_F(BackupCliTest, SqliteToNeo4jAndBack) {
  ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
  setenv("NEO4J_PASSWORD", password.c_str(), 1);
  const std::string neo4j =
      "ATG_DATA_DIR='" + dir_.path() + "/unused' NEO4J_URI='" + uri + "' NEO4J_USER='" + user + "'";
  auto store = OpenSqlite(data_);
  ASSERT_NE(store, nullptr);
  WriteGraph(*store, 0);
  const std::string original = Export(Sqlite());
  const std::string from_sqlite = dir_.path() + "/from-sqlite.tar.zst";
  ASSERT_EQ(
      Atg(Sqlite(), "backup --quiet --tenant-id " + tenant_ + " --output '" + from_sqlite + "'")
          .exit_code,
      0);
  // The migration: SQLite's archive into Neo4j.
  AtgRun r = Atg(neo4j, "restore --input '" + from_sqlite + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(neo4j), original);
  // A Neo4j backup (only this test's tenant: the server is shared) restores into SQLite.
  const std::string from_neo4j = dir_.path() + "/from-neo4j.tar.zst";
  AtgRun b = Atg(neo4j, "backup --json --tenant-id " + tenant_ + " --output '" + from_neo4j + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto report = ParseJson(b.out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->at("manifest").at("graph_store").as_string(), "neo4j");
  const std::string fresh = dir_.path() + "/fresh";
  ASSERT_EQ(Atg(Sqlite(fresh), "restore --input '" + from_neo4j + "'").exit_code, 0);
  EXPECT_EQ(Export(Sqlite(fresh)), original);
  // A damaged archive leaves Neo4j's graph as it was too.
  std::string bytes = atg::testing::ReadWholeFile(from_sqlite);
  std::ofstream(from_sqlite, std::ios::binary | std::ios::trunc)
      << bytes.substr(0, bytes.size() / 2);
  r = Atg(neo4j, "restore --input '" + from_sqlite + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(Export(neo4j), original);
}

TEST_F(BackupCliTest, JobsAndTheArtifactIndexComeBackWithoutOverwritingNewerJobs) {
  // A job store with a finished job (with an artifact), a running one and a pending one.
  {
    auto jobs = jobs::OpenSqliteJobStore(data_ + "/jobs.db");
    ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
    auto artifacts = jobs::OpenFilesystemArtifactStore(data_ + "/artifacts");
    ASSERT_TRUE(artifacts.ok());
    for (int i = 0; i < 3; ++i) {
      jobs::Job j;
      j.id = jobs::NewJobId();
      j.type = "scan";
      j.owner = "key" + std::to_string(i);
      j.tenant_id = tenant_;
      j.request = json::object{{"tenant_id", tenant_}};
      ASSERT_TRUE((*jobs)->Create(j, 0).ok());
    }
    auto done = (*jobs)->ClaimNext("w1", std::chrono::seconds(60));
    ASSERT_TRUE(done.ok() && done->has_value());
    ASSERT_TRUE((*jobs)->PublishProgress((*done)->id, "w1", {{"phase", "scan"}}).ok());
    const std::string src = dir_.path() + "/artifact.bin";
    std::ofstream(src) << "artifact";
    auto a = (*artifacts)->Put((*done)->id, src);
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*jobs)
                    ->Finish((*done)->id, "w1", jobs::JobState::kCompleted, {{"resources", 5}},
                             a->id, "", "")
                    .ok());
    auto running = (*jobs)->ClaimNext("w2", std::chrono::seconds(60));
    ASSERT_TRUE(running.ok() && running->has_value());
  }
  auto store = OpenSqlite(data_);
  WriteGraph(*store, 0, 10);
  const std::string file = dir_.path() + "/with-jobs.tar.zst";
  AtgRun b = Atg(Sqlite(), "backup --json --include-jobs --output '" + file + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto report = ParseJson(b.out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->at("manifest").at("jobs").at("jobs").as_int64(), 3);
  EXPECT_EQ(report->at("manifest").at("jobs").at("artifacts").as_int64(), 1);
  // Restored elsewhere: every job, its events; the artifact is not there (only its index).
  const std::string fresh = dir_.path() + "/fresh";
  AtgRun r = Atg(Sqlite(fresh), "restore --json --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto restored = ParseJson(r.out);
  ASSERT_TRUE(restored.ok()) << r.out;
  EXPECT_EQ(restored->at("jobs_added").as_int64(), 3);
  EXPECT_EQ(restored->at("artifacts_missing").as_array().size(), 1u);
  auto original = jobs::OpenSqliteJobStore(data_ + "/jobs.db");
  auto copy = jobs::OpenSqliteJobStore(fresh + "/jobs.db");
  ASSERT_TRUE(original.ok() && copy.ok());
  int seen = 0;
  ASSERT_TRUE((*original)
                  ->ForEachJob([&](jobs::Job&& j) {
                    ++seen;
                    auto c = (*copy)->Get(j.id);
                    EXPECT_TRUE(c.ok() && c->has_value()) << j.id;
                    if (!c.ok() || !c->has_value()) return Status::Ok();
                    EXPECT_EQ(json::serialize(jobs::JobToJson(**c)),
                              json::serialize(jobs::JobToJson(j)));
                    auto e1 = (*original)->EventsSince(j.id, 0, 100);
                    auto e2 = (*copy)->EventsSince(j.id, 0, 100);
                    EXPECT_EQ(e1->size(), e2->size());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, 3);
  // The running job's worker is gone: the first claim after the restore gets it back (before
  // the pending one) and runs it again.
  auto claim = (*copy)->ClaimNext("new-worker", std::chrono::seconds(60));
  ASSERT_TRUE(claim.ok() && claim->has_value());
  EXPECT_EQ((*claim)->attempts, 2);
  // Restoring again keeps what the job store has now.
  r = Atg(Sqlite(fresh), "restore --json --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  restored = ParseJson(r.out);
  EXPECT_EQ(restored->at("jobs_added").as_int64(), 0);
  EXPECT_EQ(restored->at("jobs_kept").as_int64(), 3);
  auto still = (*copy)->Get((*claim)->id);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->state, jobs::JobState::kRunning);
  EXPECT_EQ((*still)->attempts, 2);
  // --skip-jobs leaves the job store alone.
  r = Atg(Sqlite(dir_.path() + "/third"), "restore --skip-jobs --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_.path() + "/third/jobs.db"));
}

TEST_F(BackupCliTest, JobsRestoreIntoRedis) {
  ATG_REQUIRE_SERVICE_ENV(redis, "ATG_TEST_REDIS_URL");
  {
    auto jobs = jobs::OpenSqliteJobStore(data_ + "/jobs.db");
    ASSERT_TRUE(jobs.ok());
    jobs::Job j;
    j.id = jobs::NewJobId();
    j.type = "generate-iac";
    j.owner = "k";
    j.tenant_id = tenant_;
    ASSERT_TRUE((*jobs)->Create(j, 0).ok());
  }
  auto store = OpenSqlite(data_);
  WriteGraph(*store, 0, 5);
  const std::string file = dir_.path() + "/jobs.tar.zst";
  ASSERT_EQ(Atg(Sqlite(), "backup --quiet --include-jobs --output '" + file + "'").exit_code, 0);
  const std::string prefix = "atg-bk-" + Random() + ":";
  const std::string env = Sqlite(dir_.path() + "/r") + " REDIS_URL='" + redis +
                          "' ATG_REDIS_KEY_PREFIX='" + prefix + "'";
  AtgRun r = Atg(env, "restore --json --input '" + file + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto restored = ParseJson(r.out);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->at("jobs_added").as_int64(), 1);
  // A second backup, from Redis, holds the same job.
  const std::string again = dir_.path() + "/from-redis.tar.zst";
  AtgRun b = Atg(env, "backup --json --include-jobs --output '" + again + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto report = ParseJson(b.out);
  EXPECT_EQ(report->at("manifest").at("jobs").at("jobs").as_int64(), 1);
  EXPECT_EQ(report->at("manifest").at("jobs").at("job_store").as_string(), "redis");
  EXPECT_TRUE(atg::testing::DeleteRedisKeysWithPrefix(redis, prefix).ok());
}

TEST_F(BackupCliTest, PruneKeepsRecentBackupsAndAlwaysTheNewest) {
  const std::string dir = dir_.path() + "/backups";
  fs::create_directories(dir);
  auto make = [&](const std::string& name, int days_ago) {
    backup::Manifest m;
    m.created_at =
        FormatRfc3339(std::chrono::system_clock::now() - std::chrono::hours(24) * days_ago);
    auto w = backup::ArchiveWriter::Create(dir);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Finish(m, dir + "/" + name).ok());
  };
  make("a.tar.zst", 45);
  make("b.tar.zst", 31);
  make("c.tar.zst", 2);
  std::ofstream(dir + "/notes.txt") << "not a backup";
  AtgRun dry = Atg("", "backup prune --keep-days 30 --dry-run --json --dir '" + dir + "'");
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_TRUE(fs::exists(dir + "/a.tar.zst"));
  auto plan = ParseJson(dry.out);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->at("deleted").as_array().size(), 2u);
  AtgRun r = Atg("ATG_BACKUP_DIR='" + dir + "'", "backup prune --keep-days 30");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/a.tar.zst"));
  EXPECT_FALSE(fs::exists(dir + "/b.tar.zst"));
  EXPECT_TRUE(fs::exists(dir + "/c.tar.zst"));
  EXPECT_TRUE(fs::exists(dir + "/notes.txt"));
  // Everything old: the newest stays all the same.
  r = Atg("", "backup prune --keep-days 0 --dir '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/c.tar.zst"));
  EXPECT_EQ(Atg("", "backup prune --keep-days -1 --dir '" + dir + "'").exit_code, 2);
  EXPECT_EQ(Atg("", "backup prune --keep-days 3").exit_code, 2);
}

TEST_F(BackupCliTest, BlobStorageBackupRestoreAndPrune) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(key, "ATG_TEST_AZURITE_KEY");
  const std::string container = "atg-bk-" + Random();
  const std::string url = endpoint + "/" + container + "/daily/";
  setenv("AZURE_STORAGE_KEY", key.c_str(), 1);
  {
    auto parsed = azure::ParseBlobUrl(url);
    ASSERT_TRUE(parsed.ok());
    Settings settings = Settings::FromMaps({{"AZURE_STORAGE_KEY", key}}, {});
    auto client = azure::BlobClient::Create(*parsed, settings);
    ASSERT_TRUE(client.ok());
    ASSERT_TRUE((*client)->CreateContainer().ok());
  }
  auto store = OpenSqlite(data_);
  WriteGraph(*store, 0);
  const std::string original = Export(Sqlite());
  // The key reaches atg through the environment only (AZURE_STORAGE_KEY, inherited).
  const std::string env = Sqlite() + " AZURE_STORAGE_KEY=\"$AZURE_STORAGE_KEY\"";
  AtgRun b = Atg(env, "backup --json --blob-url '" + url + "'");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto report = ParseJson(b.out);
  ASSERT_TRUE(report.ok()) << b.out;
  const std::string first = std::string(report->at("location").as_string());
  EXPECT_TRUE(first.starts_with(url + "atg-backup-")) << first;
  EXPECT_EQ(b.err.find(key), std::string::npos);
  sleep(1);  // the second backup gets a later name
  WriteGraph(*store, 1, 30);
  const std::string second_graph = Export(Sqlite());
  ASSERT_EQ(Atg(env, "backup --quiet --blob-url '" + url + "'").exit_code, 0);
  // A prefix URL restores the newest backup; a blob URL restores that one.
  const std::string fresh = dir_.path() + "/fresh";
  const std::string fresh_env = Sqlite(fresh) + " AZURE_STORAGE_KEY=\"$AZURE_STORAGE_KEY\"";
  AtgRun r = Atg(fresh_env, "restore --blob-url '" + url + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(Sqlite(fresh)), second_graph);
  r = Atg(fresh_env, "restore --blob-url '" + first + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Export(Sqlite(fresh)), original);
  // Prune with --keep-days 0 deletes all but the newest.
  AtgRun p = Atg(env, "backup prune --json --keep-days 0 --blob-url '" + url + "'");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  auto pruned = ParseJson(p.out);
  ASSERT_TRUE(pruned.ok()) << p.out;
  EXPECT_EQ(pruned->at("deleted").as_array().size(), 1u);
  EXPECT_EQ(pruned->at("kept").as_array().size(), 1u);
  r = Atg(fresh_env, "restore --blob-url '" + first + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no blob"), std::string::npos) << r.err;
  // A wrong key is refused with a message that names the variable, not the key.
  r = Atg(Sqlite(fresh) + " AZURE_STORAGE_KEY=d3Jvbmcga2V5", "restore --blob-url '" + url + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("AZURE_STORAGE_KEY"), std::string::npos) << r.err;
  unsetenv("AZURE_STORAGE_KEY");
}

}  // namespace
}  // namespace atg
