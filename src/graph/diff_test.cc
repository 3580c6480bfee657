#include "graph/diff.h"

#include <gtest/gtest.h>

#include "common/temp_dir.h"
#include "graph/sqlite_graph_store.h"
#include "graph/testing/snapshot_testing.h"

namespace atg::graph {
namespace {

using testing::Nodes;
using testing::Resource;

TEST(DiffJsonTest, PathsOfChangedAddedAndRemovedMembers) {
  auto a = ParseJson(R"({"sku":{"name":"S1"},"tags":{"env":"dev"},"ips":["1","2"],"x":1,
                        "odd key":true})");
  auto b = ParseJson(R"({"sku":{"name":"S2"},"tags":{},"ips":["1","3","4"],"x":1,"y":null,
                        "odd key":false})");
  std::vector<PropertyChange> out;
  int64_t more = 0;
  DiffJson(*a, *b, "$", &out, 100, &more);
  std::map<std::string, std::pair<std::string, std::string>> got;
  auto text = [](const std::optional<json::value>& v) {
    return v ? json::serialize(*v) : std::string("absent");
  };
  for (const auto& c : out) got[c.path] = {text(c.old_value), text(c.new_value)};
  EXPECT_EQ(got["$.sku.name"], std::make_pair(std::string("\"S1\""), std::string("\"S2\"")));
  EXPECT_EQ(got["$.tags.env"], std::make_pair(std::string("\"dev\""), std::string("absent")));
  EXPECT_EQ(got["$.ips[1]"], std::make_pair(std::string("\"2\""), std::string("\"3\"")));
  EXPECT_EQ(got["$.ips[2]"], std::make_pair(std::string("absent"), std::string("\"4\"")));
  EXPECT_EQ(got["$.y"], std::make_pair(std::string("absent"), std::string("null")));
  EXPECT_EQ(got["$[\"odd key\"]"], std::make_pair(std::string("true"), std::string("false")));
  EXPECT_EQ(got.count("$.x"), 0u);
  EXPECT_EQ(out.size(), 6u);
  out.clear();
  DiffJson(*a, *b, "$", &out, 2, &more);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(more, 4);
}

TEST(DiffScansTest, ResourcesPropertiesEdgesAndTheDirectory) {
  TempDir dir;
  const std::string t = "difftenant";
  auto store = OpenSqliteGraphStore(dir.path(), t);
  ASSERT_TRUE(store.ok());
  ScanScope full{t, {}, {}, {}, true, true};
  testing::Scan(**store, full, testing::SnapshotGraph(t, 0));
  Node extra = Resource("rg", "extra");
  auto second = testing::SnapshotGraph(t, 1);  // b0 -> b1, the group's description changes
  second.push_back(Nodes({extra}, {MakeEdge(extra.key, Resource("rg", "a").key, edge::kUses)}));
  testing::Scan(**store, full, second);
  auto history = (*store)->History();
  ASSERT_EQ(history->size(), 2u);
  auto d = DiffScans(**store, (*history)[0].gen, (*history)[1].gen);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  std::set<std::string> added, removed;
  for (const auto& r : d->added) added.insert(r.key);
  for (const auto& r : d->removed) removed.insert(r.key);
  EXPECT_TRUE(added.count(extra.key));
  EXPECT_TRUE(added.count(Resource("rg", "b1").key));
  EXPECT_TRUE(removed.count(Resource("rg", "b0").key));
  ASSERT_EQ(d->changed.size(), 1u);
  EXPECT_EQ(d->changed[0].node.label, "Group");
  ASSERT_FALSE(d->changed[0].changes.empty());
  EXPECT_EQ(d->changed[0].changes[0].path, "$.description");
  json::object j = d->ToJson();
  EXPECT_EQ(j.at("summary").at("directory").at("groups").at("changed").as_int64(), 1);
  EXPECT_EQ(j.at("summary").at("resources").at("added").as_int64(), 2);
  EXPECT_EQ(j.at("summary").at("resources").at("removed").as_int64(), 1);
  EXPECT_GE(j.at("summary").at("edges").at("added").as_int64(), 2);
  EXPECT_EQ(DiffScans(**store, 99, (*history)[1].gen).status().code(), StatusCode::kNotFound);
}

TEST(NarrowerScanNoteTest, SaysWhatIsNarrowerAndWhereTheGraphStays) {
  json::object full = ScanScope{"t", {}, {}, {}, true, true}.ToJson();
  EXPECT_EQ(NarrowerScanNote(full, ScanScope{"t", {}, {}, {}, true, true}, 0, 4, 5), "");
  std::string n = NarrowerScanNote(full, ScanScope{"t", {}, {"rg1"}, {}, true, true}, 0, 4, 5);
  EXPECT_NE(n.find("only resource groups rg1"), std::string::npos) << n;
  EXPECT_NE(n.find("scan 4"), std::string::npos) << n;
  n = NarrowerScanNote(full, ScanScope{"t", {}, {}, {}, true, true}, 1, 4, 1);
  EXPECT_NE(n.find("at most 1 resources"), std::string::npos) << n;
  EXPECT_NE(n.find("atg backup"), std::string::npos) << n;
  // The same filter as the stored scan is not narrower.
  json::object rg = ScanScope{"t", {}, {"RG1"}, {}, true, true}.ToJson();
  EXPECT_EQ(NarrowerScanNote(rg, ScanScope{"t", {}, {"rg1"}, {}, true, true}, 0, 4, 5), "");
}

}  // namespace
}  // namespace atg::graph
