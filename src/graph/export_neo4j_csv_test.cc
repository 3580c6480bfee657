#include "graph/export_neo4j_csv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/temp_dir.h"
#include "graph/rules/rules.h"
#include "graph/sqlite_graph_store.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

namespace fs = std::filesystem;

constexpr char kTenant[] = "csv-tenant";

// RFC 4180 records as neo4j-admin reads them (quoted fields, doubled quotes, line breaks inside
// quotes). Unquoted empty fields read as "".
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class Neo4jCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteGraphStore(dir_.path() + "/db", kTenant);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    auto session = store_->BeginScan(ScanScope{kTenant, {}, {}, {}, true, true});
    ASSERT_TRUE(session.ok());
    vm_ = testing::LoadBody(
        "sdk-recordings/azure-libraries-for-net/Microsoft_Compute_virtualMachines__get.json");
    // Quotes, commas and a line break: what CSV has to quote.
    vm_["tags"] = json::object{{"note", "say \"hi\", then\nleave"}};
    auto f = BuildArmFragment(vm_, RuleContext{kTenant, {}});
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*session)->Add(std::move(f.value())).ok());
    ASSERT_TRUE((*session)->Commit().ok());
    auto stats = store_->Stats();
    ASSERT_TRUE(stats.ok());
    stats_ = *stats;
  }

  TempDir dir_;
  std::unique_ptr<GraphStore> store_;
  json::object vm_;
  GraphStats stats_;
};

TEST_F(Neo4jCsvTest, WritesTheImportLayout) {
  const std::string out = dir_.path() + "/export";
  auto done = ExportNeo4jCsv(*store_, out);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->counts.nodes, stats_.nodes);
  EXPECT_EQ(done->counts.edges, stats_.edges);
  EXPECT_NE(done->import_command.find("--nodes=" + out + "/nodes.csv"), std::string::npos);
  EXPECT_NE(done->import_command.find("--multiline-fields=true"), std::string::npos);

  auto nodes = ReadCsv(out + "/nodes.csv");
  ASSERT_EQ(static_cast<int64_t>(nodes.size()), stats_.nodes + 1);
  EXPECT_EQ(nodes[0], (std::vector<std::string>{"key:ID", ":LABEL", "name", "type", "original_id",
                                                "subscription_id", "resource_group", "location",
                                                "properties"}));
  std::set<std::string> keys;
  bool vm_found = false;
  for (size_t i = 1; i < nodes.size(); ++i) {
    ASSERT_EQ(nodes[i].size(), 9u) << i;
    keys.insert(nodes[i][0]);
    if (nodes[i][3] == "microsoft.compute/virtualmachines") {
      vm_found = true;
      EXPECT_EQ(nodes[i][1], "Resource");
      auto body = ParseJson(nodes[i][8]);
      ASSERT_TRUE(body.ok()) << nodes[i][8];
      EXPECT_EQ(body.value(), json::value(vm_));
    }
  }
  EXPECT_TRUE(vm_found);
  EXPECT_EQ(static_cast<int64_t>(keys.size()), stats_.nodes) << "import ids are unique";

  auto rels = ReadCsv(out + "/relationships.csv");
  ASSERT_EQ(static_cast<int64_t>(rels.size()), stats_.edges + 1);
  EXPECT_EQ(rels[0], (std::vector<std::string>{":START_ID", ":END_ID", ":TYPE", "properties"}));
  for (size_t i = 1; i < rels.size(); ++i) {
    ASSERT_EQ(rels[i].size(), 4u);
    EXPECT_TRUE(keys.count(rels[i][0])) << rels[i][0];
    EXPECT_TRUE(keys.count(rels[i][1])) << rels[i][1];
    EXPECT_FALSE(rels[i][2].empty());
  }
}

TEST_F(Neo4jCsvTest, NeverOverwritesAndLeavesNothingBehind) {
  const std::string out = dir_.path() + "/export";
  fs::create_directory(out);
  std::ofstream(out + "/keep.txt") << "mine";
  auto refused = ExportNeo4jCsv(*store_, out);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(refused.status().message().find("not empty"), std::string::npos);
  EXPECT_TRUE(fs::exists(out + "/keep.txt"));
  EXPECT_FALSE(fs::exists(out + "/nodes.csv"));

  // An empty directory is filled; no staging directory is left beside it.
  const std::string empty = dir_.path() + "/empty";
  fs::create_directory(empty);
  ASSERT_TRUE(ExportNeo4jCsv(*store_, empty).ok());
  EXPECT_TRUE(fs::exists(empty + "/nodes.csv"));
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().rfind(".atg-export-", 0), std::string::npos)
        << entry.path();
  }
  auto missing_parent = ExportNeo4jCsv(*store_, dir_.path() + "/no/such/dir");
  ASSERT_FALSE(missing_parent.ok());
  EXPECT_EQ(missing_parent.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace atg::graph
