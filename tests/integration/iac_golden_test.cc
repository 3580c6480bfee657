// Golden IaC: a small slice of the fixture tenant (Azure's own example bodies, scanned through
// the simulator) generated as Terraform, Bicep and ARM and compared byte for byte with the
// readable expected files under tests/golden/iac/<format>/. A change in any emitter, rule or
// name shows up as a diff a reviewer can read.
//
// To accept an intended change: ATG_UPDATE_GOLDEN=1 build/atg_integration_tests
//   --gtest_filter='IacGoldenTest.*'  (then review `git diff tests/golden`).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "fixture_tenant.h"
#include "iac/generate.h"
#include "iac/plan.h"
#include "scan/testing/sim_scan.h"
#include "service_env.h"

namespace atg {
namespace {

namespace fs = std::filesystem;

// The repository's tests/golden directory: found from this source file's location.
fs::path GoldenDir() { return fs::path(__FILE__).parent_path().parent_path() / "golden" / "iac"; }

std::set<std::string> FilesUnder(const fs::path& dir) {
  std::set<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.insert(fs::relative(e.path(), dir).generic_string());
  return out;
}

TEST(IacGoldenTest, FixtureSliceMatchesTheCheckedInOutputs) {
  scan::testing::FixtureTenant ft = scan::testing::BuildFixtureTenant();
  auto tenant = sim::TenantFromJson(json::value(ft.doc));
  ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
  scan::testing::SimScan s;
  sim::SimulatorOptions o;
  o.tenant = std::move(*tenant);
  o.throttle = sim::ThrottleMode::kOff;
  ASSERT_TRUE(s.Start(std::move(o)).ok());
  auto summary = s.Scan(s.Options());
  ASSERT_TRUE(summary.ok()) << summary.status().message();

  // A readable slice: the network and the VMs with what they reference pulled in.
  iac::PlanOptions po;
  po.types = {"Microsoft.Network/virtualNetworks", "Microsoft.Network/networkSecurityGroups",
              "Microsoft.Compute/virtualMachines", "Microsoft.Storage/storageAccounts"};
  auto plan = iac::BuildPlan(*s.store, po);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_GE(plan->resources.size(), 5u);

  const bool update = std::getenv("ATG_UPDATE_GOLDEN") != nullptr;
  const fs::path work = fs::path(s.dir.path()) / "golden-out";
  for (const char* format : {"terraform", "bicep", "arm"}) {
    SCOPED_TRACE(format);
    const fs::path out = work / format;
    auto written = iac::GenerateFormat(*plan, format, out.string(), iac::WriteOptions{},
                                       std::string("iac-") + format);
    ASSERT_TRUE(written.ok()) << written.status().message();
    const fs::path golden = GoldenDir() / format;
    std::set<std::string> got = FilesUnder(out);
    got.erase(".atg-output");
    if (update) {
      fs::remove_all(golden);
      for (const auto& f : got) {
        fs::create_directories((golden / f).parent_path());
        fs::copy_file(out / f, golden / f);
      }
      continue;
    }
    ASSERT_TRUE(fs::exists(golden))
        << "no golden files for " << format << "; create them with ATG_UPDATE_GOLDEN=1";
    EXPECT_EQ(got, FilesUnder(golden));
    for (const auto& f : got) {
      if (!fs::exists(golden / f)) continue;
      EXPECT_EQ(testing::ReadWholeFile(out / f), testing::ReadWholeFile(golden / f))
          << f << " differs from tests/golden/iac/" << format << "/" << f
          << " (ATG_UPDATE_GOLDEN=1 accepts the new output)";
    }
  }
}

}  // namespace
}  // namespace atg
