// The graph exports opened by the software people open them with: GraphML by networkx (the
// reader Gephi-style tools share), DOT by pydot (Graphviz's grammar), the Neo4j CSV layout by
// Neo4j's own bulk importer (`neo4j-admin database import full`, from the Maven distribution
// the test services use). Each must see every node and edge of a scanned tenant, with the
// display name as the label and the kind as an attribute of its own.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <string>

#include "common/json.h"
#include "common/temp_dir.h"
#include "service_env.h"
#include "sim/simulator.h"

namespace atg {
namespace {

struct ShellRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

ShellRun Shell(const std::string& dir, const std::string& cmd) {
  const std::string err = dir + "/stderr.txt";
  FILE* p = popen((cmd + " 2>'" + err + "'").c_str(), "r");
  ShellRun r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = atg::testing::ReadWholeFile(err);
  return r;
}

// What the json export says the graph holds: the reference every consumer is compared with.
struct Reference {
  int64_t nodes = 0;
  int64_t edges = 0;
  std::map<std::string, std::string> label_of;  // key -> display name
  std::map<std::string, std::string> kind_of;   // key -> node label (User, Resource, ...)
  std::map<std::string, int64_t> kinds;         // node label -> count
  std::map<std::string, int64_t> edge_types;    // edge type -> count
};

class GraphExportConsumersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    sim::SimulatorOptions o;
    o.generator.seed = 4111;
    o.generator.resources = 250;
    o.generator.subscriptions = 1;
    o.generator.users = 15;
    o.generator.groups = 4;
    o.throttle = sim::ThrottleMode::kOff;
    auto sim = sim::Simulator::Create(std::move(o));
    ASSERT_TRUE(sim.ok()) << sim.status().ToString();
    ASSERT_TRUE((*sim)->Start().ok());
    const std::string base = (*sim)->base_url();
    env_ = "env -u NEO4J_URI -u ATG_TARGET_SUBSCRIPTION_ID -u ATG_TARGET_TENANT_ID ATG_DATA_DIR='" +
           dir_->path() + "/data' ATG_ARM_ENDPOINT='" + base + "' ATG_GRAPH_ENDPOINT='" + base +
           "' AZURE_AUTHORITY_HOST='" + base + "' AZURE_TENANT_ID='" +
           (*sim)->credentials().tenant_id + "' AZURE_CLIENT_ID='" +
           (*sim)->credentials().client_id + "' AZURE_CLIENT_SECRET='" +
           (*sim)->credentials().client_secret + "' '" ATG_BINARY "' ";
    ShellRun scan = Shell(dir_->path(), env_ + "scan --json");
    ASSERT_EQ(scan.exit_code, 0) << scan.err;
    ShellRun json = Shell(dir_->path(), env_ + "graph export --format json");
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto doc = ParseJson(json.out);
    ASSERT_TRUE(doc.ok());
    ref_ = new Reference();
    for (const auto& n : doc->at("nodes").as_array()) {
      const std::string key(n.at("key").as_string());
      const std::string name(n.at("name").as_string());
      const std::string kind(n.at("label").as_string());
      ref_->label_of[key] = name.empty() ? key : name;
      ref_->kind_of[key] = kind;
      ++ref_->kinds[kind];
      ++ref_->nodes;
    }
    for (const auto& e : doc->at("edges").as_array()) {
      ++ref_->edge_types[std::string(e.at("type").as_string())];
      ++ref_->edges;
    }
  }
  static void TearDownTestSuite() {
    delete ref_;
    delete dir_;
  }

  // Exports `format` to a file and reads it with the graph readers; the readers' JSON.
  json::value ReadWith(const std::string& tool, const std::string& format) {
    const std::string file = dir_->path() + "/graph." + format;
    ShellRun exported =
        Shell(dir_->path(), env_ + "graph export --format " + format + " --output '" + file + "'");
    EXPECT_EQ(exported.exit_code, 0) << exported.err;
    ShellRun read = Shell(dir_->path(), "'" + tool + "' " + format + " '" + file + "'");
    EXPECT_EQ(read.exit_code, 0) << read.err;
    auto v = ParseJson(read.out);
    EXPECT_TRUE(v.ok()) << read.out << read.err;
    return v.ok() ? std::move(v.value()) : json::value();
  }

  void ExpectSameGraph(const json::value& seen) {
    ASSERT_TRUE(seen.is_object());
    ASSERT_GT(ref_->nodes, 250);
    EXPECT_EQ(seen.at("nodes").as_int64(), ref_->nodes);
    EXPECT_EQ(seen.at("edges").as_int64(), ref_->edges);
    EXPECT_TRUE(seen.at("directed").as_bool());
    int64_t labelled = 0;
    for (const auto& [key, value] : seen.at("labels").as_object()) {
      const std::string k(key);
      ASSERT_TRUE(ref_->label_of.count(k)) << k;
      EXPECT_EQ(value.as_string(), ref_->label_of[k]) << k;
      EXPECT_EQ(seen.at("kinds").at(key).as_string(), ref_->kind_of[k]) << k;
      ++labelled;
    }
    EXPECT_EQ(labelled, ref_->nodes);
    for (const auto& [type, count] : ref_->edge_types) {
      EXPECT_EQ(seen.at("edge_types").at(type).as_int64(), count) << type;
    }
  }

  static TempDir* dir_;
  static std::string env_;
  static Reference* ref_;
};

TempDir* GraphExportConsumersTest::dir_ = nullptr;
std::string GraphExportConsumersTest::env_;
Reference* GraphExportConsumersTest::ref_ = nullptr;

TEST_F(GraphExportConsumersTest, NetworkxReadsTheGraphml) {
  ATG_REQUIRE_TOOL_ENV(tool, "ATG_TOOL_GRAPH_READ");
  ExpectSameGraph(ReadWith(tool, "graphml"));
}

TEST_F(GraphExportConsumersTest, PydotReadsTheDot) {
  ATG_REQUIRE_TOOL_ENV(tool, "ATG_TOOL_GRAPH_READ");
  ExpectSameGraph(ReadWith(tool, "dot"));
}

TEST_F(GraphExportConsumersTest, Neo4jAdminImportsTheCsv) {
#ifdef __SANITIZE_ADDRESS__
  // A minute of JVM; the exporter's C++ runs under the sanitizers in the other tests here and in
  // its unit tests.
  GTEST_SKIP() << "runs in the optimised build";
#endif
  ATG_REQUIRE_SERVICE_ENV(launcher, "ATG_TEST_NEO4J_LAUNCHER_JAR");
  const std::string out = dir_->path() + "/neo4j-csv";
  ShellRun exported =
      Shell(dir_->path(), env_ + "graph export --format neo4j-csv --output '" + out + "'");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.err.find("neo4j-admin database import full"), std::string::npos)
      << exported.err;
  ShellRun imported =
      Shell(dir_->path(), "java -Xmx512m -cp '" + launcher +
                              "' org.atg.testing.Neo4jImportCheck '" + dir_->path() +
                              "/neo4j-home' --nodes='" + out + "/nodes.csv' --relationships='" +
                              out + "/relationships.csv' --multiline-fields=true --report-file='" +
                              dir_->path() + "/import.report' neo4j");
  ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
  // The importer prints its progress; the check's JSON is the last line.
  const size_t at = imported.out.rfind("\n{\"nodes\":");
  ASSERT_NE(at, std::string::npos) << imported.out;
  const std::string last = imported.out.substr(at + 1);
  auto seen = ParseJson(last);
  ASSERT_TRUE(seen.ok()) << imported.out;
  EXPECT_EQ(seen->at("nodes").as_int64(), ref_->nodes);
  EXPECT_EQ(seen->at("relationships").as_int64(), ref_->edges);
  for (const auto& [kind, count] : ref_->kinds) {
    EXPECT_EQ(seen->at("labels").at(kind).as_int64(), count) << kind;
  }
  for (const auto& [type, count] : ref_->edge_types) {
    EXPECT_EQ(seen->at("types").at(type).as_int64(), count) << type;
  }
  // A resource came through with its body intact as a JSON string property.
  const auto& sample = seen->at("sample");
  auto body = ParseJson(sample.at("properties").as_string());
  ASSERT_TRUE(body.ok()) << sample;
  EXPECT_TRUE(body->as_object().contains("id"));
  EXPECT_EQ(ref_->kind_of[std::string(sample.at("key").as_string())], "Resource");
}

TEST_F(GraphExportConsumersTest, CsvNeedsADirectory) {
  ShellRun to_stdout = Shell(dir_->path(), env_ + "graph export --format neo4j-csv");
  EXPECT_EQ(to_stdout.exit_code, 2);
  EXPECT_NE(to_stdout.err.find("--output DIR"), std::string::npos) << to_stdout.err;
  ShellRun again = Shell(
      dir_->path(), env_ + "graph export --format neo4j-csv --output '" + dir_->path() + "/data'");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not empty"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace atg
