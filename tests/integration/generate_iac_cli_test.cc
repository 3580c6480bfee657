// Black-box tests of `atg generate-iac` against a graph of a generated tenant, written through
// the same relationship rules the scanner applies.
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
#include "sim/generator.h"

namespace atg {
namespace {

struct AtgRun {
  int exit_code;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class GenerateIacCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(temp_.ok()) << temp_.status().ToString();
    dir_ = temp_.path();
  }

  AtgRun Atg(const std::string& args) {
    std::string err_file = dir_ + "/stderr.txt";
    std::string cmd = "cd '" + dir_ + "' && env -u AZURE_TENANT_ID -u ATG_TARGET_TENANT_ID " +
                      "-u ATG_TARGET_SUBSCRIPTION_ID ATG_DATA_DIR='" + dir_ + "/data' '" +
                      ATG_BINARY "' " + args + " 2>'" + err_file + "'";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, ReadFile(err_file)};
  }

  // A generated tenant of `resources` entries, stored as a scan would store it.
  void WriteGraph(int resources) {
    sim::GeneratorOptions g;
    g.seed = 5;
    g.resources = resources;
    g.users = 20;
    g.groups = 4;
    auto tenant = sim::GenerateTenant(g);
    ASSERT_TRUE(tenant.ok());
    tenant_ = tenant->tenant_id;
    auto store = graph::OpenSqliteGraphStore(dir_ + "/data", tenant_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    graph::ScanScope scope;
    scope.tenant_id = tenant_;
    auto session = (*store)->BeginScan(scope);
    ASSERT_TRUE(session.ok());
    graph::RuleContext ctx{tenant_, {}};
    auto add = [&](json::object body) {
      auto f = graph::BuildArmFragment(body, ctx);
      ASSERT_TRUE(f.ok()) << f.status().message();
      ASSERT_TRUE((*session)->Add(std::move(*f)).ok());
    };
    for (const auto& s : tenant->subscriptions) {
      json::object b = s.as_object();
      b["id"] = "/subscriptions/" + std::string(b.at("subscriptionId").as_string());
      add(std::move(b));
    }
    for (const auto& rg : tenant->resource_groups) {
      json::object b = rg.as_object();
      b["type"] = "Microsoft.Resources/resourceGroups";
      add(std::move(b));
    }
    for (const auto& r : tenant->resources) add(r.as_object());
    for (const auto& u : tenant->users) {
      auto f = graph::BuildDirectoryFragment(graph::DirectoryKind::kUser, u.as_object(), ctx);
      ASSERT_TRUE(f.ok());
      ASSERT_TRUE((*session)->Add(std::move(*f)).ok());
    }
    for (const auto& gr : tenant->groups) {
      auto f = graph::BuildDirectoryFragment(graph::DirectoryKind::kGroup, gr.as_object(), ctx);
      ASSERT_TRUE(f.ok());
      ASSERT_TRUE((*session)->Add(std::move(*f)).ok());
    }
    ASSERT_TRUE((*session)->Commit().ok());
  }

  TempDir temp_{"atg-iac-cli-"};
  std::string dir_;
  std::string tenant_;
};

TEST_F(GenerateIacCliTest, EveryFormatWritesFilesReportAndJsonSummary) {
  WriteGraph(150);
  for (const char* format : {"terraform", "bicep", "arm"}) {
    std::string out = dir_ + "/out-" + format;
    AtgRun r = Atg(std::string("generate-iac --json --format ") + format + " --output '" + out +
                   "' --tenant-id " + tenant_);
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err;
    auto summary = ParseJson(r.out);
    ASSERT_TRUE(summary.ok()) << r.out;
    const auto& o = summary->as_object();
    EXPECT_EQ(o.at("format").as_string(), format);
    EXPECT_EQ(o.at("output").as_string(), out);
    EXPECT_GT(o.at("resources_emitted").as_int64(), 100);
    EXPECT_FALSE(o.at("by_type").as_object().empty());
    EXPECT_FALSE(o.at("skipped").as_array().empty());  // the subscription, built-in roles
    EXPECT_TRUE(o.at("inputs_required").is_array());
    std::string readme = ReadFile(out + "/README.md");
    EXPECT_NE(readme.find("## Skipped"), std::string::npos);
    EXPECT_NE(readme.find("## Inputs you must provide"), std::string::npos);
    EXPECT_NE(readme.find("## How to deploy"), std::string::npos);
    EXPECT_NE(
        readme.find(std::string(format) == "terraform" ? "tofu apply" : "az deployment sub create"),
        std::string::npos)
        << readme;
    EXPECT_TRUE(std::filesystem::exists(out + "/.atg-output"));
    // The summary and the message name the files really written, the report included.
    const auto& files = o.at("files").as_array();
    EXPECT_GT(files.size(), 2u);
    bool has_readme = false;
    for (const auto& f : files) {
      EXPECT_TRUE(std::filesystem::exists(out + "/" + std::string(f.as_string()))) << f;
      has_readme = has_readme || f.as_string() == "README.md";
    }
    EXPECT_TRUE(has_readme);
    EXPECT_NE(r.err.find("wrote " + std::to_string(files.size()) + " files"), std::string::npos)
        << r.err;
    if (std::string(format) == "terraform") {
      EXPECT_TRUE(std::filesystem::exists(out + "/terraform.tfvars.example"));
    }
  }
  // A second run into the same directory replaces it.
  AtgRun again =
      Atg("generate-iac --format arm --output '" + dir_ + "/out-arm' --tenant-id " + tenant_);
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(GenerateIacCliTest, ErrorsSayWhatToDo) {
  AtgRun none = Atg("generate-iac --tenant-id 00000000-0000-0000-0000-00000000abcd");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("atg scan"), std::string::npos) << none.err;

  WriteGraph(40);
  AtgRun format = Atg("generate-iac --format pulumi --tenant-id " + tenant_);
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("--format"), std::string::npos) << format.err;

  std::ofstream(dir_ + "/map.json") << R"({"users": {"not-a-guid": "x"}})";
  AtgRun map = Atg("generate-iac --identity-map '" + dir_ + "/map.json' --tenant-id " + tenant_);
  EXPECT_EQ(map.exit_code, 2);
  EXPECT_NE(map.err.find(R"($["users"]["not-a-guid"])"), std::string::npos) << map.err;

  std::filesystem::create_directories(dir_ + "/mine");
  std::ofstream(dir_ + "/mine/keep.txt") << "mine";
  AtgRun foreign = Atg("generate-iac --output '" + dir_ + "/mine' --tenant-id " + tenant_);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("--force"), std::string::npos) << foreign.err;
  EXPECT_EQ(ReadFile(dir_ + "/mine/keep.txt"), "mine");

  // Import blocks adopt the source's own resources: not with a target, not for ARM/Bicep.
  AtgRun cross =
      Atg("generate-iac --import --target-subscription "
          "11111111-2222-3333-4444-555555555555 --tenant-id " +
          tenant_);
  EXPECT_EQ(cross.exit_code, 2);
  EXPECT_NE(cross.err.find("--import"), std::string::npos) << cross.err;
  AtgRun bicep = Atg("generate-iac --import --format bicep --tenant-id " + tenant_);
  EXPECT_EQ(bicep.exit_code, 2);
  EXPECT_NE(bicep.err.find("--format terraform"), std::string::npos) << bicep.err;

  AtgRun target = Atg("generate-iac --target-subscription nope --tenant-id " + tenant_);
  EXPECT_EQ(target.exit_code, 2);
  EXPECT_NE(target.err.find("--target-subscription"), std::string::npos) << target.err;
}

TEST_F(GenerateIacCliTest, NoTenantIsAUsageError) {
  AtgRun r = Atg("generate-iac");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--tenant-id"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace atg
