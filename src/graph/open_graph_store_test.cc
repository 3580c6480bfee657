#include "graph/open_graph_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/data_dir.h"
#include "common/temp_dir.h"

namespace atg::graph {
namespace {

TEST(OpenGraphStoreTest, UsesAtgDataDir) {
  TempDir dir;
  Settings settings = Settings::FromMaps({{"ATG_DATA_DIR", dir.path()}}, {});
  OpenGraphStoreOptions readers;
  readers.create_if_missing = false;
  auto missing = OpenGraphStore(settings, "Tenant-1", readers);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto store = OpenGraphStore(settings, "Tenant-1");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->tenant_id(), "tenant-1");
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/tenants/tenant-1/graph.db"));
  EXPECT_FALSE(OpenGraphStore(settings, "../escape").ok());
}

TEST(OpenGraphStoreTest, Neo4jUriSelectsNeo4j) {
  TempDir dir;
  // Nothing listens on port 1 of loopback: the error says which database and what to check.
  Settings down = Settings::FromMaps({{"ATG_DATA_DIR", dir.path()},
                                      {"NEO4J_URI", "bolt://127.0.0.1:1"},
                                      {"NEO4J_PASSWORD", "not-a-real-password-42"}},
                                     {});
  auto store = OpenGraphStore(down, "tenant-1");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  const std::string& m = store.status().message();
  EXPECT_EQ(m.rfind("Database connection failed: ", 0), 0u) << m;
  EXPECT_NE(m.find("NEO4J_URI"), std::string::npos) << m;
  EXPECT_EQ(m.find("not-a-real-password-42"), std::string::npos) << m;
  // No SQLite fallback: nothing was created under the data directory.
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/tenants"));
  Settings https = Settings::FromMaps({{"NEO4J_URI", "neo4j+s://example.invalid"}}, {});
  auto tls = OpenGraphStore(https, "tenant-1");
  ASSERT_FALSE(tls.ok());
  EXPECT_EQ(tls.status().code(), StatusCode::kInvalidArgument);
  Settings port = Settings::FromMaps({{"NEO4J_URI", "bolt://localhost"}, {"NEO4J_PORT", "x"}}, {});
  auto bad_port = OpenGraphStore(port, "tenant-1");
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.status().message().find("NEO4J_PORT"), std::string::npos);
  auto options = Neo4jOptionsFromSettings(Settings::FromMaps(
      {{"NEO4J_URI", "bolt://db"}, {"NEO4J_PORT", "7999"}, {"NEO4J_PASSWORD", "pw-123456"}}, {}));
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->default_port, 7999);
  EXPECT_EQ(options->user, "neo4j");
  EXPECT_EQ(options->password, "pw-123456");
}

TEST(DataDirTest, Precedence) {
  EXPECT_EQ(*DataDir(Settings::FromMaps({{"ATG_DATA_DIR", "/d"}, {"HOME", "/h"}}, {})), "/d");
  EXPECT_EQ(*DataDir(Settings::FromMaps({{"XDG_DATA_HOME", "/x"}, {"HOME", "/h"}}, {})), "/x/atg");
  EXPECT_EQ(*DataDir(Settings::FromMaps({{"HOME", "/h"}}, {})), "/h/.local/share/atg");
  auto none = DataDir(Settings::FromMaps({}, {}));
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("ATG_DATA_DIR"), std::string::npos);
}

}  // namespace
}  // namespace atg::graph
