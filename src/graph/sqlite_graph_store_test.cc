#include "graph/sqlite_graph_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "common/strings.h"
#include "common/temp_dir.h"
#include "graph/testing/graph_store_contract.h"

namespace atg::graph {
namespace {

constexpr char kTenant[] = "72f988bf-86f1-41af-91ab-2d7cd011db47";

using testing::Has;
using testing::Nodes;
using testing::Resource;
using testing::Scan;

class GraphStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<GraphStore> Open(const std::string& tenant = kTenant,
                                   SqliteGraphStoreOptions options = {}) {
    auto store = OpenSqliteGraphStore(dir_.path(), tenant, options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  static ScanScope FullScope() { return ScanScope{kTenant, {}, {}, {}, true, true}; }

  TempDir dir_;
};

TEST_F(GraphStoreTest, EachTenantHasItsOwnFile) {
  auto a = Open("tenant-a");
  auto b = Open("tenant-b");
  ASSERT_TRUE(a && b);
  Node n = Resource("rg", "only-in-a");
  Scan(*a, ScanScope{"tenant-a", {}, {}, {}, true, true}, {Nodes({n})});
  EXPECT_NE(*SqliteGraphPath(dir_.path(), "tenant-a"), *SqliteGraphPath(dir_.path(), "tenant-b"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/tenants/tenant-a/graph.db"));
  EXPECT_EQ(std::filesystem::status(dir_.path() + "/tenants/tenant-a").permissions(),
            std::filesystem::perms::owner_all);
  // A database file copied under another tenant's name is refused.
  std::filesystem::create_directories(dir_.path() + "/tenants/tenant-c");
  std::filesystem::copy_file(dir_.path() + "/tenants/tenant-a/graph.db",
                             dir_.path() + "/tenants/tenant-c/graph.db");
  auto c = OpenSqliteGraphStore(dir_.path(), "tenant-c");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(GraphStoreTest, BadTenantIdsAreRejectedBeforeAnyPath) {
  for (const char* bad : {"../x", "", "a/b", ".hidden", "..", "x y", "-rf", "a\\b"}) {
    auto s = OpenSqliteGraphStore(dir_.path(), bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path()));
  EXPECT_TRUE(ValidateTenantId("contoso.onmicrosoft.com").ok());
  EXPECT_TRUE(ValidateTenantId(kTenant).ok());
}

TEST_F(GraphStoreTest, MissingGraphIsNotCreatedWhenNotAllowed) {
  SqliteGraphStoreOptions options;
  options.create_if_missing = false;
  auto s = OpenSqliteGraphStore(dir_.path(), "nobody", options);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("atg scan"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/tenants/nobody"));
}

// The SQLite half of the killed-scan contract: the uncommitted pages really reached the WAL file
// and recovery discarded them.
TEST_F(GraphStoreTest, KilledScanWithALargeWalLeavesThePreviousScanReadable) {
  auto store = Open();
  Node old1 = Resource("rg", "old1");
  Scan(*store, FullScope(), {Nodes({old1})});
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: a scan that writes far more than its page cache (so uncommitted pages reach the
    // WAL file), then is killed before Commit.
    close(ready[0]);
    SqliteGraphStoreOptions small;
    small.writer_cache_bytes = 1 << 20;
    auto child_store = OpenSqliteGraphStore(dir_.path(), kTenant, small);
    if (!child_store.ok()) _exit(2);
    auto session = (*child_store)->BeginScan(FullScope());
    if (!session.ok()) _exit(3);
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<Node> nodes;
      for (int i = 0; i < 200; ++i) {
        Node n = Resource("rg", "killed-" + std::to_string(batch) + "-" + std::to_string(i));
        n.properties = "{\"pad\":\"" + std::string(4000, 'p') + "\"}";
        nodes.push_back(std::move(n));
      }
      if (!(*session)->UpsertNodes(std::move(nodes)).ok()) _exit(4);
    }
    // Wait until the writer drained the queue, then tell the parent.
    (void)(*session)->AddEdges({});
    sleep(1);
    char c = 'k';
    (void)!write(ready[1], &c, 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  std::error_code ec;
  EXPECT_GT(std::filesystem::file_size(dir_.path() + "/tenants/" + kTenant + "/graph.db-wal", ec),
            4u << 20);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto reopened = Open();
  EXPECT_TRUE(Has(*reopened, old1.key));
  EXPECT_FALSE(Has(*reopened, Resource("rg", "killed-0-0").key));
  auto stats = reopened->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->resources, 1);
  // The killed scan's lock is gone: a new scan works.
  Node new1 = Resource("rg", "new1");
  Scan(*reopened, FullScope(), {Nodes({new1})});
  EXPECT_TRUE(Has(*reopened, new1.key));
  EXPECT_FALSE(Has(*reopened, old1.key));
}

class SqliteBackend : public testing::GraphStoreBackend {
 public:
  Result<std::unique_ptr<GraphStore>> Open(const std::string& tenant,
                                           const testing::BackendOptions& o) override {
    SqliteGraphStoreOptions options;
    if (o.max_queued_bytes > 0) options.max_queued_bytes = o.max_queued_bytes;
    if (o.quick_locks) options.busy_timeout_ms = 50;
    if (o.history > 0) options.history = o.history;
    return OpenSqliteGraphStore(dir_.path(), tenant, options);
  }

 private:
  TempDir dir_;
};

}  // namespace

namespace testing {

INSTANTIATE_TEST_SUITE_P(Sqlite, GraphStoreContractTest,
                         ::testing::Values(GraphStoreBackendParam{
                             "Sqlite",
                             []() -> Result<MadeBackend> {
                               return MadeBackend{std::make_unique<SqliteBackend>(), ""};
                             }}),
                         GraphStoreBackendName);

}  // namespace testing
}  // namespace atg::graph
