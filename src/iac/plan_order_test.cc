#include "iac/plan_order.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

PlannedResource Named(const std::string& key) {
  PlannedResource r;
  r.key = key;
  return r;
}

TEST(PlanOrderTest, DependenciesFirstWithIndexesMoved) {
  // 0 = child (parent 1), 1 = parent referencing 2, 2 = free.
  std::vector<PlannedResource> res = {Named("/c"), Named("/p"), Named("/x")};
  res[0].parent = 1;
  res[1].references = {{"properties.x.id", 2, ""}};
  std::vector<InputSlots> slots(3);
  slots[0].secrets.push_back({"properties.secret", "secret", "a secret"});
  std::vector<std::vector<Dependency>> deps(3);
  deps[0] = {{1, true}};
  deps[1] = {{2, false}, {2, false}};
  std::vector<std::pair<std::string, std::string>> broken;
  OrderResources(deps, &res, &slots, &broken);
  ASSERT_EQ(res.size(), 3u);
  EXPECT_EQ(res[0].key, "/x");
  EXPECT_EQ(res[1].key, "/p");
  EXPECT_EQ(res[2].key, "/c");
  EXPECT_EQ(res[2].parent, std::optional<size_t>(1));
  EXPECT_EQ(res[2].depends_on, (std::vector<size_t>{1}));
  EXPECT_EQ(res[1].depends_on, (std::vector<size_t>{0})) << "duplicates merged";
  ASSERT_EQ(res[1].references.size(), 1u);
  EXPECT_EQ(res[1].references[0].target, 0u);
  ASSERT_EQ(slots[2].secrets.size(), 1u) << "input slots move with their resource";
  EXPECT_TRUE(broken.empty());
}

TEST(PlanOrderTest, ACycleDropsAReferenceNotAParent) {
  // 1 is 0's child; 0 references 1: the reference becomes a literal, the parent edge stays.
  std::vector<PlannedResource> res = {Named("/a"), Named("/a/b")};
  res[1].parent = 0;
  res[0].references = {{"properties.child.id", 1, ""}};
  std::vector<InputSlots> slots(2);
  std::vector<std::vector<Dependency>> deps(2);
  deps[0] = {{1, false}};
  deps[1] = {{0, true}};
  std::vector<std::pair<std::string, std::string>> broken;
  OrderResources(deps, &res, &slots, &broken);
  EXPECT_EQ(res[0].key, "/a");
  EXPECT_TRUE(res[0].references.empty());
  EXPECT_TRUE(res[0].depends_on.empty());
  EXPECT_EQ(res[1].depends_on, (std::vector<size_t>{0}));
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(broken[0], (std::pair<std::string, std::string>{"/a", "/a/b"}));
}

}  // namespace
}  // namespace atg::iac
