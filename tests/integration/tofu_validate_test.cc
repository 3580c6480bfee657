// Generated Terraform judged by the real OpenTofu and the real Azure providers (azurerm, azapi
// with its schema validation on, azuread), offline: for each configuration the generator
// writes — simulated tenants of several seeds and sizes (together every type the simulator
// generates), the tenant of recorded Azure bodies (fixture_tenant.h), the checked-in goldens, a
// cross-tenant generation and an --import generation — `tofu init -plugin-dir`, `tofu validate
// -json` and `tofu fmt -check -recursive` must report nothing. Every diagnostic fails the test
// with the configuration, the resource address and the provider's message.
//
// Needs ATG_TOOL_TOFU and ATG_TOOL_TOFU_PLUGINS (`ATG_TOOLS_DIR=build/tools tests/tools/all.sh`,
// which runs tests/tools/tofu.sh). ATG_TOFU_KEEP=DIR keeps the generated configurations there.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "fixture_tenant.h"
#include "iac/generate.h"
#include "iac/plan.h"
#include "scan/testing/sim_scan.h"
#include "service_env.h"
#include "sim/catalog.h"

namespace atg {
namespace {

namespace fs = std::filesystem;
using testing::ServiceEnv;

#define ATG_REQUIRE_TOFU(var, name)                                                       \
  const std::string var = ServiceEnv(name);                                               \
  if (var.empty()) {                                                                      \
    if (testing::ServicesOptional()) GTEST_SKIP() << name << " not set";                  \
    FAIL() << name                                                                        \
           << " is not set. Install OpenTofu and the Azure providers with "               \
              "`ATG_TOOLS_DIR=build/tools tests/tools/all.sh` (tests/tools/tofu.sh) and " \
              "export build/tools/tools.env (scripts/test.sh does both).";                \
  }

// The environment tofu runs in: no user configuration, no prompts, no network look-ups.
std::vector<std::string> TofuEnv(const fs::path& work) {
  std::vector<std::string> env = {"TF_CLI_CONFIG_FILE=/dev/null", "TF_IN_AUTOMATION=1",
                                  "CHECKPOINT_DISABLE=1", "HOME=" + work.string(),
                                  "TF_DATA_DIR=" + (work / ".terraform").string()};
  if (const char* path = std::getenv("PATH")) env.push_back(std::string("PATH=") + path);
  return env;
}

// Runs tofu in `dir`; the problems it reports, one line each ("" entries never).
std::vector<std::string> Judge(const std::string& tofu, const std::string& plugins,
                               const fs::path& dir) {
  std::vector<std::string> problems;
  const std::vector<std::string> env = TofuEnv(dir);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {tofu, "-chdir=" + dir.string()});
    auto r = RunProcess(args, std::chrono::minutes(4), 64 << 20, &env);
    if (!r.ok()) {
      problems.push_back("cannot run " + tofu + ": " + r.status().message());
      return ProcessResult{};
    }
    if (r->timed_out) problems.push_back("tofu " + args[2] + " timed out");
    return *r;
  };
  ProcessResult init =
      run({"init", "-input=false", "-backend=false", "-no-color", "-plugin-dir=" + plugins});
  if (init.exit_code != 0) {
    problems.push_back("tofu init failed: " + init.out + init.err);
    return problems;
  }
  ProcessResult validate = run({"validate", "-json", "-no-color"});
  auto doc = ParseJson(validate.out);
  if (!doc.ok() || !doc->is_object()) {
    problems.push_back("tofu validate printed no JSON (exit " + std::to_string(validate.exit_code) +
                       "): " + validate.out + validate.err);
  } else {
    const json::array* diags = FindArray(&doc->as_object(), "diagnostics");
    for (const json::value& d : diags ? *diags : json::array()) {
      const json::object* o = d.if_object();
      std::string where(FindString(o, "address").value_or(""));
      if (where.empty()) {
        const json::object* range = FindObject(o, "range");
        where = std::string(FindString(range, "filename").value_or("?")) + ":" +
                std::to_string(FindInt(FindObject(range, "start"), "line").value_or(0));
      }
      problems.push_back(std::string(FindString(o, "severity").value_or("?")) + " at " + where +
                         ": " + std::string(FindString(o, "summary").value_or("")) + ": " +
                         std::string(FindString(o, "detail").value_or("")));
    }
    if (validate.exit_code != 0 && (!diags || diags->empty())) {
      problems.push_back("tofu validate exited " + std::to_string(validate.exit_code));
    }
  }
  ProcessResult fmt = run({"fmt", "-check", "-recursive", "-no-color"});
  if (fmt.exit_code != 0) {
    problems.push_back("tofu fmt -check: not canonical: " + fmt.out + fmt.err);
  }
  return problems;
}

struct Config {
  std::string name;
  fs::path dir;
  std::set<std::string> types;  // lower-cased ARM types planned
};

class TofuValidateTest : public ::testing::Test {
 protected:
  static fs::path Work() {
    static TempDir dir;
    return dir.path();
  }

  // Scans `tenant` through the simulator and writes its Terraform into Work()/name.
  static Result<Config> Generate(const std::string& name, sim::SimulatorOptions sim,
                                 iac::PlanOptions plan_options, iac::EmitOptions emit = {}) {
    scan::testing::SimScan s;
    sim.throttle = sim::ThrottleMode::kOff;
    ATG_RETURN_IF_ERROR(s.Start(std::move(sim)));
    auto summary = s.Scan(s.Options());
    if (!summary.ok()) return summary.status();
    auto plan = iac::BuildPlan(*s.store, plan_options);
    if (!plan.ok()) return plan.status();
    Config c{name, Work() / name, {}};
    for (const auto& r : plan->resources) c.types.insert(ToLower(r.type));
    auto written =
        iac::GenerateFormat(*plan, "terraform", c.dir.string(), iac::WriteOptions{}, name, emit);
    if (!written.ok()) return written.status();
    return c;
  }
};

TEST_F(TofuValidateTest, EveryGeneratedConfigurationIsValidAndCanonical) {
  ATG_REQUIRE_TOFU(tofu, "ATG_TOOL_TOFU");
  ATG_REQUIRE_TOFU(plugins, "ATG_TOOL_TOFU_PLUGINS");
  std::vector<Config> configs;
  auto add = [&](Result<Config> c) {
    ASSERT_TRUE(c.ok()) << c.status().message();
    configs.push_back(std::move(*c));
  };
  // Simulated tenants: several seeds, sizes and subscription counts.
  for (auto [seed, resources, subscriptions] :
       {std::tuple{1, 400, 1}, {7, 1500, 2}, {42, 900, 3}}) {
    sim::SimulatorOptions o;
    o.generator.seed = static_cast<uint64_t>(seed);
    o.generator.resources = resources;
    o.generator.subscriptions = subscriptions;
    o.generator.users = 20;
    o.generator.groups = 5;
    add(Generate("sim-seed" + std::to_string(seed) + "-" + std::to_string(resources), o, {}));
  }
  // Azure's own recorded bodies.
  {
    scan::testing::FixtureTenant ft = scan::testing::BuildFixtureTenant();
    auto tenant = sim::TenantFromJson(json::value(ft.doc));
    ASSERT_TRUE(tenant.ok()) << tenant.status().ToString();
    sim::SimulatorOptions o;
    o.tenant = std::move(*tenant);
    add(Generate("fixture", std::move(o), {}));
  }
  // Cross-tenant: another subscription and tenant, some principals mapped, the rest inputs.
  {
    sim::SimulatorOptions o;
    o.generator.seed = 3;
    o.generator.resources = 500;
    o.generator.users = 10;
    iac::PlanOptions po;
    po.target_subscription = "11111111-2222-3333-4444-555555555555";
    po.target_tenant_id = "99999999-8888-7777-6666-555555555555";
    add(Generate("cross-tenant", std::move(o), po));
  }
  // Import blocks adopting the source tenant's resources.
  {
    sim::SimulatorOptions o;
    o.generator.seed = 5;
    o.generator.resources = 400;
    iac::EmitOptions e;
    e.import_existing = true;
    add(Generate("import", std::move(o), {}, e));
    ASSERT_TRUE(fs::exists(configs.back().dir / "imports.tf"));
  }
  // The checked-in goldens (copied: init writes into the directory).
  {
    const fs::path golden =
        fs::path(__FILE__).parent_path().parent_path() / "golden" / "iac" / "terraform";
    Config c{"golden", Work() / "golden", {}};
    fs::copy(golden, c.dir, fs::copy_options::recursive);
    configs.push_back(std::move(c));
  }

  // Together the simulated tenants plan every type the simulator generates (but OS disks,
  // which their VMs create).
  std::set<std::string> planned;
  for (const Config& c : configs) planned.insert(c.types.begin(), c.types.end());
  for (const sim::ResourceTypeInfo& t : sim::ResourceTypeCatalog()) {
    const std::string type = ToLower(t.type);
    if (type == "microsoft.authorization/roledefinitions") continue;  // built-in: skipped
    EXPECT_TRUE(planned.count(type)) << type << " is planned by none of the configurations";
  }

  const char* keep = std::getenv("ATG_TOFU_KEEP");
  for (const Config& c : configs) {
    SCOPED_TRACE(c.name);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> problems = Judge(tofu, plugins, c.dir);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("[ tofu     ] %-14s %zu problems, %.1f s\n", c.name.c_str(), problems.size(),
                seconds);
    for (size_t i = 0; i < problems.size() && i < 40; ++i) {
      ADD_FAILURE() << c.name << ": " << problems[i];
    }
    if (problems.size() > 40)
      ADD_FAILURE() << c.name << ": ... " << problems.size() - 40 << " more";
    if (keep) {  // the files, without tofu's .terraform (the providers are large)
      const fs::path to = fs::path(keep) / c.name;
      std::error_code ec;
      fs::remove_all(to, ec);
      for (auto it = fs::recursive_directory_iterator(c.dir); it != fs::end(it); ++it) {
        if (it->path().filename() == ".terraform") {
          it.disable_recursion_pending();
        } else if (it->is_regular_file()) {
          fs::create_directories(to / fs::relative(it->path(), c.dir).parent_path(), ec);
          fs::copy_file(it->path(), to / fs::relative(it->path(), c.dir), ec);
        }
      }
    }
  }
}

}  // namespace
}  // namespace atg
