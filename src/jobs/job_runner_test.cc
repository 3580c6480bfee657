#include "jobs/job_runner.h"

#include <gtest/gtest.h>

#include "jobs/testing/job_runner_conformance.h"
#include "jobs/testing/store_backend.h"

namespace atg::jobs::testing {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, JobRunnerConformance, ::testing::Values(SqliteBackend()),
                         [](const auto& info) { return info.param.name; });

TEST(JobRunnerOptionsTest, ReadsSettingsAndNamesBadVariables) {
  auto o = JobRunnerOptionsFromSettings(Settings::FromMaps({{"ATG_MAX_CONCURRENT_JOBS", "5"},
                                                            {"ATG_JOB_TIMEOUT_SECONDS", "60"},
                                                            {"ATG_DATA_DIR", "/var/lib/atg"}},
                                                           {}));
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->workers, 5);
  EXPECT_EQ(o->job_timeout, std::chrono::seconds(60));
  EXPECT_EQ(o->data_dir, "/var/lib/atg");
  auto bad = JobRunnerOptionsFromSettings(
      Settings::FromMaps({{"ATG_MAX_CONCURRENT_JOBS", "0"}, {"ATG_DATA_DIR", "/x"}}, {}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ATG_MAX_CONCURRENT_JOBS"), std::string::npos);
}

}  // namespace
}  // namespace atg::jobs::testing
