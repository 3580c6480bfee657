#include "graph/export.h"

#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <map>
#include <sstream>
#include <vector>

#include "common/temp_dir.h"
#include "graph/rules/rules.h"
#include "graph/sqlite_graph_store.h"
#include "graph/testing/fixtures.h"

namespace atg::graph {
namespace {

constexpr char kTenant[] = "export-tenant";

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteGraphStore(dir_.path(), kTenant);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    auto session = store_->BeginScan(ScanScope{kTenant, {}, {}, {}, true, true});
    ASSERT_TRUE(session.ok());
    vm_ = testing::LoadBody(
        "sdk-recordings/azure-libraries-for-net/Microsoft_Compute_virtualMachines__get.json");
    // Characters that need escaping in every format, in a name and deep in a body.
    vm_["tags"] = json::object{{"note", "<a href=\"x\">&'\n\t\x01</a>"}};
    auto f = BuildArmFragment(vm_, RuleContext{kTenant, {}});
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*session)->Add(std::move(f.value())).ok());
    auto summary = (*session)->Commit();
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    auto stats = store_->Stats();
    ASSERT_TRUE(stats.ok());
    stats_ = *stats;
    ASSERT_GE(stats_.edges, 2);
  }

  std::string Export(ExportFormat format) {
    std::ostringstream out;
    auto counts = ExportGraph(*store_, format, out);
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    if (counts.ok()) {
      EXPECT_EQ(counts->nodes, stats_.nodes);
      EXPECT_EQ(counts->edges, stats_.edges);
    }
    return out.str();
  }

  TempDir dir_;
  std::unique_ptr<GraphStore> store_;
  json::object vm_;
  GraphStats stats_;
};

TEST_F(ExportTest, JsonParsesBackWithFullProperties) {
  auto doc = ParseJson(Export(ExportFormat::kJson));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const auto& nodes = doc->at("nodes").as_array();
  const auto& edges = doc->at("edges").as_array();
  EXPECT_EQ(static_cast<int64_t>(nodes.size()), stats_.nodes);
  EXPECT_EQ(static_cast<int64_t>(edges.size()), stats_.edges);
  EXPECT_EQ(doc->at("tenant_id").as_string(), kTenant);
  bool found = false;
  for (const auto& n : nodes) {
    if (n.at("type").as_string() == "microsoft.compute/virtualmachines") {
      EXPECT_EQ(n.at("properties"), json::value(vm_));
      EXPECT_EQ(n.at("label").as_string(), "Resource");
      found = true;
    }
  }
  EXPECT_TRUE(found);
  for (const auto& e : edges) {
    EXPECT_TRUE(e.as_object().contains("from"));
    EXPECT_TRUE(e.as_object().contains("to"));
    EXPECT_TRUE(e.as_object().contains("type"));
  }
}

TEST_F(ExportTest, NdjsonHasOneObjectPerLine) {
  std::istringstream in(Export(ExportFormat::kNdjson));
  std::string line;
  int64_t nodes = 0, edges = 0;
  bool edges_started = false;
  while (std::getline(in, line)) {
    auto v = ParseJson(line);
    ASSERT_TRUE(v.ok()) << line;
    std::string_view kind = v->at("kind").as_string();
    if (kind == "node") {
      EXPECT_FALSE(edges_started) << "nodes come first";
      ++nodes;
    } else {
      EXPECT_EQ(kind, "edge");
      edges_started = true;
      ++edges;
    }
  }
  EXPECT_EQ(nodes, stats_.nodes);
  EXPECT_EQ(edges, stats_.edges);
}

TEST_F(ExportTest, GraphmlIsWellFormedWithEscapedData) {
  std::istringstream in(Export(ExportFormat::kGraphml));
  boost::property_tree::ptree tree;
  ASSERT_NO_THROW(boost::property_tree::read_xml(in, tree));
  const auto& graphml = tree.get_child("graphml");
  int keys = 0;
  for (const auto& [name, child] : graphml) keys += name == "key" ? 1 : 0;
  EXPECT_EQ(keys, 12);
  const auto& graph = graphml.get_child("graph");
  EXPECT_EQ(graph.get<std::string>("<xmlattr>.edgedefault"), "directed");
  int64_t nodes = 0, edges = 0;
  std::set<std::string> ids;
  for (const auto& [name, child] : graph) {
    if (name == "node") {
      ++nodes;
      ids.insert(child.get<std::string>("<xmlattr>.id"));
      std::map<std::string, std::string> data_of;
      for (const auto& [dname, data] : child) {
        if (dname == "data") data_of[data.get<std::string>("<xmlattr>.key")] = data.data();
      }
      // Gephi and yEd show `label`: the display name, with the kind as an attribute of its own.
      EXPECT_FALSE(data_of["n_label"].empty());
      EXPECT_FALSE(data_of["n_kind"].empty());
      if (data_of["n_type"] == "microsoft.compute/virtualmachines") {
        EXPECT_EQ(data_of["n_label"], vm_.at("name").as_string());
        EXPECT_EQ(data_of["n_kind"], "Resource");
      }
      for (const auto& [dname, data] : child) {
        if (dname == "data" && data.get<std::string>("<xmlattr>.key") == "n_properties" &&
            data.data().find("Standard_E2s_v3") != std::string::npos) {
          auto body = ParseJson(data.data());
          ASSERT_TRUE(body.ok());
          // Stored bodies are JSON text (control characters already \u-escaped), so the
          // attribute round-trips exactly.
          EXPECT_EQ(body.value(), json::value(vm_));
        }
      }
    } else if (name == "edge") {
      ++edges;
      EXPECT_TRUE(ids.count(child.get<std::string>("<xmlattr>.source")));
    }
  }
  EXPECT_EQ(nodes, stats_.nodes);
  EXPECT_EQ(edges, stats_.edges);
}

TEST_F(ExportTest, DotHasOneStatementPerNodeAndEdge) {
  std::istringstream in(Export(ExportFormat::kDot));
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines.front(), std::string("digraph \"") + kTenant + "\" {");
  EXPECT_EQ(lines.back(), "}");
  int64_t nodes = 0, edges = 0;
  for (size_t i = 2; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i].back(), ';') << lines[i];
    if (lines[i].find("\" -> \"") != std::string::npos) {
      ++edges;
    } else {
      ++nodes;
    }
  }
  EXPECT_EQ(nodes, stats_.nodes);
  EXPECT_EQ(edges, stats_.edges);
  const std::string vm_line = std::string("label=\"") + vm_.at("name").as_string().c_str() +
                              "\", kind=\"Resource\", type=\"microsoft.compute/virtualmachines\"";
  EXPECT_NE(in.str().find(vm_line), std::string::npos);
}

TEST(ExportFormatTest, Parse) {
  EXPECT_EQ(*ParseExportFormat("GraphML"), ExportFormat::kGraphml);
  EXPECT_EQ(*ParseExportFormat("ndjson"), ExportFormat::kNdjson);
  EXPECT_EQ(*ParseExportFormat("dot"), ExportFormat::kDot);
  EXPECT_EQ(*ParseExportFormat("Neo4j-CSV"), ExportFormat::kNeo4jCsv);
  EXPECT_FALSE(IsStreamFormat(ExportFormat::kNeo4jCsv));
  EXPECT_TRUE(IsStreamFormat(ExportFormat::kDot));
  auto bad = ParseExportFormat("csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("neo4j-csv"), std::string::npos);
}

TEST(DisplayNameTest, NameOrKey) {
  Node n;
  n.key = "/subscriptions/s";
  EXPECT_EQ(DisplayName(n), "/subscriptions/s");
  n.name = "Production";
  EXPECT_EQ(DisplayName(n), "Production");
}

}  // namespace
}  // namespace atg::graph
