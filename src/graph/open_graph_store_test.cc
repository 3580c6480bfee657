#include "graph/open_graph_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/data_dir.h"
#include "graph/testing/temp_dir.h"

namespace atg::graph {
namespace {

TEST(OpenGraphStoreTest, UsesAtgDataDir) {
  testing::TempDir dir;
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
