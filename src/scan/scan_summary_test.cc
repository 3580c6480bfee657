#include "scan/scan_summary.h"

#include <gtest/gtest.h>

namespace atg::scan {
namespace {

TEST(ScanSummaryTest, FloorIsTheSlowestLimit) {
  RequestTally t;
  EXPECT_EQ(FloorSeconds(t), 0);
  t.resource_graph_queries = 30;  // 10 s at 3/s
  EXPECT_DOUBLE_EQ(FloorSeconds(t), 10);
  t.arm_by_subscription["a"] = 250;  // within the burst
  t.arm_by_subscription["b"] = 750;  // 500 after the burst at 25/s: 20 s
  EXPECT_DOUBLE_EQ(FloorSeconds(t), 20);
  t.graph_resource_units = 800 * 30;  // 30 s
  EXPECT_DOUBLE_EQ(FloorSeconds(t), 30);
}

TEST(ScanSummaryTest, JsonHasTheDesignFields) {
  ScanSummary s;
  s.tenant_id = "t";
  s.by_type["microsoft.network/virtualnetworks"] = 2;
  s.failed_scopes.push_back({"/subscriptions/x", "403"});
  s.requests_arm = 5;
  auto o = s.ToJson();
  EXPECT_EQ(o.at("by_type").as_object().at("microsoft.network/virtualnetworks").as_int64(), 2);
  EXPECT_EQ(o.at("failed_scopes").as_array()[0].as_object().at("scope").as_string(),
            "/subscriptions/x");
  EXPECT_EQ(o.at("requests").as_object().at("arm").as_int64(), 5);
  EXPECT_TRUE(o.at("partial").as_bool());
  for (const char* k : {"resource_graph", "graph"}) {
    EXPECT_TRUE(o.at("requests").as_object().contains(k)) << k;
  }
}

}  // namespace
}  // namespace atg::scan
