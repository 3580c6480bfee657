// `atg graph history` and `atg graph diff` after real scans of a simulated tenant, on both graph
// stores: the case of a `--resource-limit 1` scan that would silently shrink the graph
// now says so first, keeps the previous graph in the history, and the diff shows what it removed.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "common/json.h"
#include "common/temp_dir.h"
#include "service_env.h"
#include "sim/simulator.h"

namespace atg {
namespace {

struct AtgRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

AtgRun RunAtg(const std::string& dir, const std::string& env, const std::string& args) {
  const std::string err = dir + "/stderr.txt";
  std::string cmd = "env " + env + " '" ATG_BINARY "' " + args + " 2>'" + err + "'";
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

class GraphHistoryCliTest : public ::testing::TestWithParam<const char*> {};

TEST_P(GraphHistoryCliTest, NarrowerScanIsAnnouncedKeptInHistoryAndDiffed) {
  const std::string backend = GetParam();
  TempDir dir;
  std::string env =
      "-u ATG_TARGET_SUBSCRIPTION_ID -u ATG_TARGET_TENANT_ID -u NEO4J_PORT "
      "ATG_DATA_DIR='" +
      dir.path() + "/data' ";
  if (backend == "neo4j") {
    ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
    ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
    ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
    setenv("NEO4J_PASSWORD", password.c_str(), 1);
    env += "NEO4J_URI='" + uri + "' NEO4J_USER='" + user + "' ";
  } else {
    env = "-u NEO4J_URI " + env;
  }
  env += "ATG_DATA_DIR='" + dir.path() + "/data'";
  sim::SimulatorOptions o;
  o.generator.seed = backend == "neo4j" ? 4101 : 4102;  // a tenant of its own per backend
  o.generator.resources = 300;
  o.generator.subscriptions = 1;
  o.generator.users = 20;
  o.generator.groups = 4;
  o.throttle = sim::ThrottleMode::kOff;
  auto sim = sim::Simulator::Create(std::move(o));
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  ASSERT_TRUE((*sim)->Start().ok());
  const std::string base = (*sim)->base_url();
  setenv("ATG_ARM_ENDPOINT", base.c_str(), 1);
  setenv("ATG_GRAPH_ENDPOINT", base.c_str(), 1);
  setenv("AZURE_AUTHORITY_HOST", base.c_str(), 1);
  setenv("AZURE_TENANT_ID", (*sim)->credentials().tenant_id.c_str(), 1);
  setenv("AZURE_CLIENT_ID", (*sim)->credentials().client_id.c_str(), 1);
  setenv("AZURE_CLIENT_SECRET", (*sim)->credentials().client_secret.c_str(), 1);

  AtgRun full = RunAtg(dir.path(), env, "scan --json");
  AtgRun first_history = RunAtg(dir.path(), env, "graph history --json");
  AtgRun limited = RunAtg(dir.path(), env, "scan --resource-limit 1 --json");
  AtgRun history = RunAtg(dir.path(), env, "graph history --json");
  AtgRun table = RunAtg(dir.path(), env, "graph history");
  AtgRun diff = RunAtg(dir.path(), env, "graph diff --json");
  AtgRun diff_table = RunAtg(dir.path(), env, "graph diff");
  AtgRun missing = RunAtg(dir.path(), env, "graph diff --from 999999");
  // Reading around a node: a membership found in the export, then show / neighbors / path.
  AtgRun exported = RunAtg(dir.path(), env, "graph export --format ndjson");
  std::string member, group;
  for (size_t at = 0; at < exported.out.size();) {
    size_t nl = exported.out.find('\n', at);
    auto line = ParseJson(exported.out.substr(at, nl - at));
    at = nl == std::string::npos ? exported.out.size() : nl + 1;
    if (line.ok() && line->at("kind").as_string() == "edge" &&
        line->at("type").as_string() == "MEMBER_OF") {
      member = std::string(line->at("from").as_string());
      group = std::string(line->at("to").as_string());
      break;
    }
  }
  AtgRun show = RunAtg(dir.path(), env, "graph show '" + group + "' --json");
  AtgRun around =
      RunAtg(dir.path(), env, "graph neighbors '" + group + "' --edge member_of --json");
  AtgRun path = RunAtg(dir.path(), env, "graph path '" + member + "' '" + group + "' --json");
  AtgRun nowhere = RunAtg(dir.path(), env, "graph show no-such-node");
  for (const char* v :
       {"ATG_ARM_ENDPOINT", "ATG_GRAPH_ENDPOINT", "AZURE_AUTHORITY_HOST", "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "NEO4J_PASSWORD"}) {
    unsetenv(v);
  }
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  // Said before anything was replaced, naming the scan that keeps the graph.
  EXPECT_NE(limited.err.find("covers less than the stored graph"), std::string::npos)
      << limited.err;
  EXPECT_NE(limited.err.find("--resource-limit"), std::string::npos) << limited.err;
  EXPECT_EQ(full.err.find("covers less"), std::string::npos);
  auto before = ParseJson(first_history.out);
  ASSERT_TRUE(before.ok()) << first_history.out << first_history.err;
  const auto& first_scans = before->at("scans").as_array();
  ASSERT_FALSE(first_scans.empty());
  const int64_t kept = first_scans.back().at("scan").as_int64();
  EXPECT_NE(limited.err.find("scan " + std::to_string(kept)), std::string::npos) << limited.err;

  auto h = ParseJson(history.out);
  ASSERT_TRUE(h.ok()) << history.out << history.err;
  const auto& scans = h->at("scans").as_array();
  ASSERT_GE(scans.size(), 2u);
  EXPECT_EQ(scans[scans.size() - 2].at("scan").as_int64(), kept);
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("full tenant"), std::string::npos) << table.out;

  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  auto d = ParseJson(diff.out);
  ASSERT_TRUE(d.ok()) << diff.out;
  EXPECT_EQ(d->at("from").at("scan").as_int64(), kept);
  const auto& res = d->at("summary").at("resources");
  // What the one kept resource references (and its children) stays; the rest goes.
  EXPECT_GE(res.at("removed").as_int64(), 150) << diff.out.substr(0, 400);
  EXPECT_EQ(res.at("added").as_int64(), 0);
  EXPECT_GT(d->at("summary").at("edges").at("removed").as_int64(), 0);
  EXPECT_EQ(d->at("resources").at("removed").as_array().size(),
            static_cast<size_t>(res.at("removed").as_int64()));
  EXPECT_NE(diff_table.out.find("resources: 0 added"), std::string::npos) << diff_table.out;
  EXPECT_NE(diff_table.out.find("\n- "), std::string::npos);
  ASSERT_FALSE(group.empty()) << "no MEMBER_OF edge in the export";
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto shown = ParseJson(show.out);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->at("label").as_string(), "Group");
  EXPECT_FALSE(shown->at("in").as_array().empty());
  EXPECT_TRUE(shown->at("properties").is_object());
  ASSERT_EQ(around.exit_code, 0) << around.err;
  EXPECT_NE(around.out.find(member), std::string::npos);
  ASSERT_EQ(path.exit_code, 0) << path.err;
  auto p = ParseJson(path.out);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->at("length").as_int64(), 1);
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("no-such-node"), std::string::npos);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("not in the history"), std::string::npos) << missing.err;
}

INSTANTIATE_TEST_SUITE_P(Stores, GraphHistoryCliTest, ::testing::Values("sqlite", "neo4j"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace atg
