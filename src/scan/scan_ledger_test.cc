#include "scan/scan_ledger.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace atg::scan {
namespace {

graph::Node Resource(const std::string& key, const std::string& type = "microsoft.web/sites") {
  graph::Node n;
  n.key = key;
  n.label = graph::label::kResource;
  n.type = type;
  return n;
}

TEST(ScanLedgerTest, ANodeIsAdmittedOnceAndCountedOnce) {
  ScanLedger ledger(0, false);
  EXPECT_EQ(ledger.AdmitArm(Resource("/a"), {}, true), ArmAdmission::kNew);
  EXPECT_EQ(ledger.AdmitArm(Resource("/a"), {}, true), ArmAdmission::kSeenBefore);
  LedgerCounts c = ledger.Counts();
  EXPECT_EQ(c.resources, 1);
  EXPECT_EQ(c.by_type["microsoft.web/sites"], 1);
  EXPECT_TRUE(ledger.HasArm("/a"));
}

TEST(ScanLedgerTest, TheLimitCountsOnlyWhatCountsTowardsIt) {
  ScanLedger ledger(2, true);
  EXPECT_EQ(ledger.AdmitArm(Resource("/a"), {}, true), ArmAdmission::kNew);
  EXPECT_EQ(ledger.AdmitArm(Resource("/child"), {}, false), ArmAdmission::kNew);
  EXPECT_EQ(ledger.AdmitArm(Resource("/b"), {}, true), ArmAdmission::kNew);
  EXPECT_FALSE(ledger.LimitReached());
  EXPECT_EQ(ledger.AdmitArm(Resource("/c"), {}, true), ArmAdmission::kOverLimit);
  EXPECT_TRUE(ledger.LimitReached());
  EXPECT_FALSE(ledger.HasArm("/c"));
}

TEST(ScanLedgerTest, FilteredScansCollectUnseenReferencesOnce) {
  ScanLedger ledger(0, true);
  graph::Edge uses{"/subscriptions/s/a", "/subscriptions/s/b", "USES", ""};
  graph::Edge contains{"/subscriptions/s/rg", "/subscriptions/s/a", "CONTAINS", ""};
  ledger.AdmitArm(Resource("/subscriptions/s/a"), {uses, contains}, false);
  ledger.AdmitArm(Resource("/subscriptions/s/rg"), {}, false);
  std::vector<std::string> refs = ledger.TakeUnseenReferences();
  EXPECT_EQ(refs, std::vector<std::string>{"/subscriptions/s/b"});
  EXPECT_TRUE(ledger.TakeUnseenReferences().empty());
}

TEST(ScanLedgerTest, FailuresAreKeptOncePerScopeInAnyCase) {
  ScanLedger ledger(0, false);
  ledger.RecordFailure("/subscriptions/S1", "forbidden");
  ledger.RecordFailure("/subscriptions/s1", "forbidden again");
  ASSERT_EQ(ledger.Counts().failed_scopes.size(), 1u);
  EXPECT_EQ(ledger.Counts().failed_scopes[0].reason, "forbidden");
}

TEST(ScanLedgerTest, FirstFatalErrorWins) {
  ScanLedger ledger(0, false);
  EXPECT_TRUE(ledger.Fatal().ok());
  ledger.RecordFatal(Status::Internal("disk full"));
  ledger.RecordFatal(Status::Internal("later"));
  EXPECT_EQ(ledger.Fatal().message(), "disk full");
}

TEST(ScanLedgerTest, NewestStableApiVersionWinsAcrossSubscriptions) {
  ScanLedger ledger(0, false);
  ledger.MergeApiVersions({{"a/b", "2023-01-01-preview"}, {"c/d", "2022-01-01"}});
  ledger.MergeApiVersions({{"a/b", "2021-01-01"}, {"c/d", "2024-01-01-preview"}});
  ledger.MergeApiVersions({{"c/d", "2023-01-01"}});
  EXPECT_EQ(ledger.ApiVersion("a/b").value_or(""), "2021-01-01");
  EXPECT_EQ(ledger.ApiVersion("c/d").value_or(""), "2023-01-01");
  EXPECT_FALSE(ledger.ApiVersion("x/y").has_value());
}

TEST(ScanLedgerTest, ArmModeIgnoresCase) {
  ScanLedger ledger(0, false);
  ledger.SetArmMode({"AbC"});
  EXPECT_TRUE(ledger.InArmMode("abc"));
  EXPECT_FALSE(ledger.InArmMode("abd"));
}

TEST(ScanLedgerTest, ConcurrentAdmissionsCountEachKeyOnce) {
  ScanLedger ledger(0, false);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) ledger.AdmitArm(Resource("/r" + std::to_string(i)), {}, true);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ledger.Counts().resources, 1000);
}

}  // namespace
}  // namespace atg::scan
