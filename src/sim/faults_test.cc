#include "sim/faults.h"

#include <gtest/gtest.h>

namespace atg::sim {
namespace {

TEST(FaultsTest, SameSeedSameFaults) {
  for (uint64_t n = 0; n < 2000; ++n) {
    Fault a = DecideFault(42, n, 0.3);
    Fault b = DecideFault(42, n, 0.3);
    ASSERT_EQ(a.kind, b.kind);
    ASSERT_EQ(a.retry_after_seconds, b.retry_after_seconds);
  }
  FaultInjector x(0.3, 7), y(0.3, 7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(x.Next().kind, y.Next().kind);
}

TEST(FaultsTest, DifferentSeedsDiffer) {
  int differ = 0;
  for (uint64_t n = 0; n < 1000; ++n)
    if (DecideFault(1, n, 0.5).kind != DecideFault(2, n, 0.5).kind) ++differ;
  EXPECT_GT(differ, 300);
}

TEST(FaultsTest, RateIsHonouredAndAllKindsOccur) {
  FaultInjector f(0.1, 123);
  int counts[4] = {0, 0, 0, 0};
  int with_retry_after = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    Fault x = f.Next();
    ++counts[static_cast<int>(x.kind)];
    if (x.kind == FaultKind::kServiceUnavailable && x.retry_after_seconds > 0) ++with_retry_after;
  }
  int faults = n - counts[0];
  EXPECT_NEAR(faults / static_cast<double>(n), 0.1, 0.01);
  for (int k = 1; k < 4; ++k) EXPECT_NEAR(counts[k] / static_cast<double>(faults), 1 / 3.0, 0.03);
  EXPECT_GT(with_retry_after, counts[2] / 4);
  EXPECT_LT(with_retry_after, counts[2] * 3 / 4);
}

TEST(FaultsTest, ZeroAndOne) {
  FaultInjector none(0, 1), all(1, 1);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(none.Next().kind, FaultKind::kNone);
    ASSERT_NE(all.Next().kind, FaultKind::kNone);
  }
}

TEST(FaultsTest, ResponsesHaveEachServiceShape) {
  auto arm = FaultInjector::Respond({FaultKind::kInternalError, 0}, ApiSurface::kArm);
  ASSERT_TRUE(arm);
  EXPECT_EQ(arm->status, 500);
  EXPECT_NE(arm->body.find("\"InternalServerError\""), std::string::npos);

  auto graph = FaultInjector::Respond({FaultKind::kServiceUnavailable, 2}, ApiSurface::kGraph);
  EXPECT_EQ(graph->status, 503);
  EXPECT_EQ(graph->Header("Retry-After"), "2");
  EXPECT_NE(graph->body.find("innerError"), std::string::npos);

  auto aad = FaultInjector::Respond({FaultKind::kServiceUnavailable, 0}, ApiSurface::kIdentity);
  EXPECT_EQ(aad->status, 503);
  EXPECT_FALSE(aad->Header("Retry-After"));
  EXPECT_NE(aad->body.find("temporarily_unavailable"), std::string::npos);

  auto drop = FaultInjector::Respond({FaultKind::kDropConnection, 0}, ApiSurface::kArm);
  EXPECT_TRUE(drop->drop_connection);
  EXPECT_FALSE(FaultInjector::Respond({}, ApiSurface::kArm));
}

TEST(FaultsTest, ValidateRate) {
  EXPECT_TRUE(ValidateFaultRate(0).ok());
  EXPECT_TRUE(ValidateFaultRate(1).ok());
  EXPECT_FALSE(ValidateFaultRate(-0.1).ok());
  EXPECT_FALSE(ValidateFaultRate(1.5).ok());
  EXPECT_NE(ValidateFaultRate(2).message().find("--fault-rate"), std::string::npos);
}

}  // namespace
}  // namespace atg::sim
