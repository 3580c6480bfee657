// `atg scan` of a simulated tenant into Neo4j (NEO4J_URI set) gives the same graph as into the
// embedded SQLite store, and `atg generate-iac` from either graph writes the same files.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "common/json.h"
#include "common/temp_dir.h"
#include "service_env.h"
#include "sim/simulator.h"

namespace atg {
namespace {

namespace fs = std::filesystem;

struct AtgRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs atg with the current environment plus `env` (NAME=value words, no secrets: those are
// set in the environment), stderr to a file.
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

// Every file under `root`, by relative path, with its content.
std::map<std::string, std::string> Files(const std::string& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    files[fs::relative(e.path(), root).string()] = atg::testing::ReadWholeFile(e.path());
  }
  return files;
}

TEST(Neo4jScanTest, ScanAndGenerateIacMatchSqlite) {
  ATG_REQUIRE_SERVICE_ENV(uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(password, "ATG_TEST_NEO4J_PASSWORD");
  sim::SimulatorOptions o;
  o.generator.seed = 23;
  o.generator.resources = 600;
  o.generator.subscriptions = 2;
  o.generator.users = 60;
  o.generator.groups = 8;
  o.throttle = sim::ThrottleMode::kOff;
  auto sim = sim::Simulator::Create(std::move(o));
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  ASSERT_TRUE((*sim)->Start().ok());
  TempDir dir;
  // The child inherits these; secrets never appear on a command line.
  const std::string base = (*sim)->base_url();
  setenv("ATG_ARM_ENDPOINT", base.c_str(), 1);
  setenv("ATG_GRAPH_ENDPOINT", base.c_str(), 1);
  setenv("AZURE_AUTHORITY_HOST", base.c_str(), 1);
  setenv("AZURE_TENANT_ID", (*sim)->credentials().tenant_id.c_str(), 1);
  setenv("AZURE_CLIENT_ID", (*sim)->credentials().client_id.c_str(), 1);
  setenv("AZURE_CLIENT_SECRET", (*sim)->credentials().client_secret.c_str(), 1);
  setenv("NEO4J_PASSWORD", password.c_str(), 1);
  const std::string unset = "-u ATG_TARGET_SUBSCRIPTION_ID -u ATG_TARGET_TENANT_ID -u NEO4J_PORT ";
  const std::string sqlite_env = unset + "-u NEO4J_URI ATG_DATA_DIR='" + dir.path() + "/sqlite'";
  const std::string neo4j_env = unset + "ATG_DATA_DIR='" + dir.path() + "/neo4j' NEO4J_URI='" +
                                uri + "' NEO4J_USER='" + user + "'";

  AtgRun sqlite = RunAtg(dir.path(), sqlite_env, "scan --json");
  AtgRun neo4j = RunAtg(dir.path(), neo4j_env, "scan --json");
  // Twice: a re-scan replaces the graph in Neo4j and still matches.
  AtgRun neo4j_again = RunAtg(dir.path(), neo4j_env, "scan --json");
  AtgRun stats = RunAtg(dir.path(), neo4j_env, "graph stats --json");
  std::map<std::string, std::map<std::string, std::string>> iac;
  for (const char* format : {"terraform", "bicep", "arm"}) {
    for (const auto& [name, env] : {std::pair{"sqlite", sqlite_env}, {"neo4j", neo4j_env}}) {
      const std::string out = dir.path() + "/iac-" + name + "-" + format;
      AtgRun r = RunAtg(dir.path(), env,
                        std::string("generate-iac --format ") + format + " --output '" + out + "'");
      EXPECT_EQ(r.exit_code, 0) << name << " " << format << ": " << r.err;
      iac[std::string(name) + "-" + format] = Files(out);
    }
  }
  for (const char* v :
       {"ATG_ARM_ENDPOINT", "ATG_GRAPH_ENDPOINT", "AZURE_AUTHORITY_HOST", "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "NEO4J_PASSWORD"}) {
    unsetenv(v);
  }
  ASSERT_EQ(sqlite.exit_code, 0) << sqlite.err;
  ASSERT_EQ(neo4j.exit_code, 0) << neo4j.err;
  ASSERT_EQ(neo4j_again.exit_code, 0) << neo4j_again.err;
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(neo4j.err.find(password), std::string::npos);
  // The Neo4j run wrote nothing of the graph under its data directory.
  EXPECT_FALSE(fs::exists(dir.path() + "/neo4j/tenants"));
  auto a = ParseJson(sqlite.out), b = ParseJson(neo4j.out), c = ParseJson(neo4j_again.out),
       s = ParseJson(stats.out);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok() && s.ok()) << sqlite.out << neo4j.out;
  EXPECT_EQ(a->at("resources").as_int64(), 600);
  for (const char* k : {"resources", "by_type", "users", "groups", "service_principals", "edges",
                        "edges_by_type", "failed_scopes"}) {
    EXPECT_EQ(a->at(k), b->at(k)) << k;
    EXPECT_EQ(a->at(k), c->at(k)) << k;
    EXPECT_EQ(a->at(k), s->at(k)) << k;
  }
  for (const char* format : {"terraform", "bicep", "arm"}) {
    const auto& x = iac[std::string("sqlite-") + format];
    const auto& y = iac[std::string("neo4j-") + format];
    EXPECT_FALSE(x.empty()) << format;
    ASSERT_EQ(x.size(), y.size()) << format;
    for (const auto& [path, content] : x) {
      auto it = y.find(path);
      ASSERT_NE(it, y.end()) << format << ": " << path;
      EXPECT_TRUE(it->second == content) << format << ": " << path << " differs";
    }
  }
}

}  // namespace
}  // namespace atg
