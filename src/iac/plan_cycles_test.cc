#include "iac/plan_cycles.h"

#include <gtest/gtest.h>

#include <numeric>

namespace atg::iac {
namespace {

TEST(PlanCyclesTest, OrdersByDependenciesThenIndex) {
  // 0 <- 2, 1 <- 0: order 1, 0, 2; 3 is free and comes by index once ready.
  std::vector<std::vector<Dependency>> deps(4);
  deps[0] = {{1, false}};
  deps[2] = {{0, true}};
  auto r = OrderWithCycles(deps);
  EXPECT_EQ(r.order, (std::vector<size_t>{1, 0, 2, 3}));
  EXPECT_TRUE(r.broken.empty());
  EXPECT_EQ(r.cyclic_components, 0u);
}

TEST(PlanCyclesTest, BreaksOneReferenceNeverAStructuralEdge) {
  // 1's parent is 0 (structural); 0 references 1: the reference goes.
  std::vector<std::vector<Dependency>> deps(2);
  deps[1] = {{0, true}};
  deps[0] = {{1, false}};
  auto r = OrderWithCycles(deps);
  EXPECT_EQ(r.order, (std::vector<size_t>{0, 1}));
  ASSERT_EQ(r.broken.size(), 1u);
  EXPECT_EQ(r.broken[0], (std::pair<size_t, size_t>{0, 1}));
}

TEST(PlanCyclesTest, DependentsOfACycleAreNotBroken) {
  // 0 <-> 1 form a cycle, 2 depends on 1: only one edge of the cycle is dropped.
  std::vector<std::vector<Dependency>> deps(3);
  deps[0] = {{1, false}};
  deps[1] = {{0, false}};
  deps[2] = {{1, false}};
  auto r = OrderWithCycles(deps);
  ASSERT_EQ(r.broken.size(), 1u);
  EXPECT_EQ(r.broken[0].first == 2, false);
  EXPECT_EQ(r.order.back(), 2u);
  EXPECT_EQ(r.cyclic_components, 1u);
}

TEST(PlanCyclesTest, LongChainsNeedNoRecursion) {
  const size_t n = 200000;
  std::vector<std::vector<Dependency>> deps(n);
  for (size_t i = 0; i + 1 < n; ++i) deps[i] = {{i + 1, false}};
  deps[n - 1] = {{0, false}};  // one big cycle
  auto r = OrderWithCycles(deps);
  EXPECT_EQ(r.order.size(), n);
  EXPECT_EQ(r.broken.size(), 1u);
  std::vector<std::vector<size_t>> edges(n);
  for (size_t i = 0; i < n; ++i) edges[i] = {(i + 1) % n};
  auto comp = StronglyConnectedComponents(edges);
  for (size_t c : comp) EXPECT_EQ(c, comp[0]);
}

}  // namespace
}  // namespace atg::iac
