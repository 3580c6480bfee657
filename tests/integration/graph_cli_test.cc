// Black-box tests of `atg graph stats` and `atg graph export` against a graph written through
// the library.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/json.h"
#include "common/temp_dir.h"
#include "graph/rules/rules.h"
#include "graph/sqlite_graph_store.h"

namespace atg {
namespace {

constexpr char kTenant[] = "5d2e3a1c-0000-4000-8000-00000000c11a";

struct AtgRun {
  int exit_code;
  std::string out;
};

// Runs atg with ATG_DATA_DIR set; stderr goes to `err_file` when given.
AtgRun Atg(const std::string& data_dir, const std::string& args, const std::string& err_file = "") {
  std::string cmd = "env -u AZURE_TENANT_ID ATG_DATA_DIR='" + data_dir + "' '" ATG_BINARY "' " +
                    args + " 2>" + (err_file.empty() ? "/dev/null" : "'" + err_file + "'");
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GraphCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.ok()) << temp_.status().ToString();
    dir_ = temp_.path();
  }

  void WriteGraph() {
    auto store = graph::OpenSqliteGraphStore(dir_, kTenant);
    ASSERT_TRUE(store.ok());
    auto session = (*store)->BeginScan(graph::ScanScope{kTenant, {}, {}, {}, true, true});
    ASSERT_TRUE(session.ok());
    auto body = ReadJsonFile(std::string(ATG_FIXTURES_DIR) +
                             "/sdk-recordings/azure-libraries-for-net/"
                             "Microsoft_Compute_virtualMachines__get.json");
    ASSERT_TRUE(body.ok());
    auto f = graph::BuildArmFragment(body->as_object(), graph::RuleContext{kTenant, {}});
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*session)->Add(std::move(f.value())).ok());
    ASSERT_TRUE((*session)->Commit().ok());
  }

  TempDir temp_{"atg-cli-"};
  std::string dir_;
};

TEST_F(GraphCliTest, StatsJson) {
  WriteGraph();
  AtgRun r = Atg(dir_, std::string("graph stats --json --tenant-id ") + kTenant);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto v = ParseJson(r.out);
  ASSERT_TRUE(v.ok()) << r.out;
  EXPECT_EQ(v->at("tenant_id").as_string(), kTenant);
  EXPECT_EQ(v->at("resources").as_int64(), 1);
  EXPECT_EQ(v->at("by_type").at("microsoft.compute/virtualmachines").as_int64(), 1);
  EXPECT_EQ(v->at("users").as_int64(), 0);
  EXPECT_GE(v->at("edges").as_int64(), 1);
  EXPECT_TRUE(v->as_object().contains("edges_by_type"));
}

TEST_F(GraphCliTest, ExportToFile) {
  WriteGraph();
  const std::string out = dir_ + "/graph.ndjson";
  AtgRun r =
      Atg(dir_, "graph export --format ndjson --output '" + out + "' --tenant-id " + kTenant);
  ASSERT_EQ(r.exit_code, 0);
  std::istringstream in(ReadFile(out));
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ASSERT_TRUE(ParseJson(line).ok()) << line;
    ++lines;
  }
  EXPECT_GE(lines, 3);
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  AtgRun json = Atg(dir_, std::string("graph export --format json --tenant-id ") + kTenant);
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_TRUE(ParseJson(json.out).ok());
}

TEST_F(GraphCliTest, ClearErrors) {
  const std::string err = dir_ + "/err.txt";
  AtgRun missing = Atg(dir_, "graph stats --tenant-id never-scanned", err);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(ReadFile(err).find("atg scan --tenant-id never-scanned"), std::string::npos)
      << ReadFile(err);
  AtgRun bad = Atg(dir_, "graph stats --tenant-id ../x", err);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(ReadFile(err).find("not valid"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/x"));
  AtgRun none = Atg(dir_, "graph stats", err);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(ReadFile(err).find("AZURE_TENANT_ID"), std::string::npos);
  WriteGraph();
  AtgRun format = Atg(dir_, std::string("graph export --format xml --tenant-id ") + kTenant, err);
  EXPECT_EQ(format.exit_code, 2);
}

}  // namespace
}  // namespace atg
