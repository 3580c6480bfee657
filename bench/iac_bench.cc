// Times the IaC generator on a large graph: BuildPlan, then each format's Emit + write, with the
// process's peak RSS after each step.
//
// The graph is built once, in a child process (so its memory does not count towards the
// generator's peak): the simulator's generator makes the tenant, and its bodies go through the
// same relationship rules the scanner applies (graph/rules BuildArmFragment and
// BuildDirectoryFragment) into a SQLite store, without HTTP. The store is reused when DIR
// already holds it.
//
// usage: iac_bench [resources=100000] [dir=/tmp/atg-iac-bench] [formats=terraform,bicep,arm]
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/strings.h"
#include "graph/rules/rules.h"
#include "graph/sqlite_graph_store.h"
#include "iac/emit.h"
#include "iac/output_writer.h"
#include "iac/plan.h"
#include "iac/report.h"
#include "sim/generator.h"

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int BuildGraph(int resources, const std::string& dir) {
  auto t0 = Clock::now();
  atg::sim::GeneratorOptions g;
  g.seed = 42;
  g.resources = resources;
  g.subscriptions = std::max(1, resources / 10000);
  g.users = resources / 20;
  g.groups = resources / 200;
  auto tenant = atg::sim::GenerateTenant(g);
  if (!tenant.ok()) {
    std::fprintf(stderr, "generate: %s\n", tenant.status().message().c_str());
    return 1;
  }
  auto store = atg::graph::OpenSqliteGraphStore(dir, tenant->tenant_id);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.status().message().c_str());
    return 1;
  }
  atg::graph::ScanScope scope;
  scope.tenant_id = tenant->tenant_id;
  auto session = (*store)->BeginScan(scope);
  if (!session.ok()) return 1;
  atg::graph::RuleContext ctx;
  ctx.tenant_id = tenant->tenant_id;
  auto add_arm = [&](json::object body) {
    auto f = atg::graph::BuildArmFragment(body, ctx);
    if (f.ok()) (void)(*session)->Add(std::move(*f));
  };
  for (const auto& s : tenant->subscriptions) {
    json::object b = s.as_object();
    b["id"] = "/subscriptions/" + std::string(b.at("subscriptionId").as_string());
    add_arm(std::move(b));
  }
  for (const auto& rg : tenant->resource_groups) {
    json::object b = rg.as_object();
    b["type"] = "Microsoft.Resources/resourceGroups";
    add_arm(std::move(b));
  }
  for (const auto& r : tenant->resources) add_arm(r.as_object());
  auto dir_add = [&](atg::graph::DirectoryKind kind, const json::array& items) {
    for (const auto& v : items) {
      auto f = atg::graph::BuildDirectoryFragment(kind, v.as_object(), ctx);
      if (f.ok()) (void)(*session)->Add(std::move(*f));
    }
  };
  dir_add(atg::graph::DirectoryKind::kUser, tenant->users);
  dir_add(atg::graph::DirectoryKind::kGroup, tenant->groups);
  dir_add(atg::graph::DirectoryKind::kServicePrincipal, tenant->service_principals);
  auto c = (*session)->Commit();
  if (!c.ok()) {
    std::fprintf(stderr, "commit: %s\n", c.status().message().c_str());
    return 1;
  }
  std::printf("graph: %d resources, tenant %s, built in %.1f s\n", resources,
              tenant->tenant_id.c_str(), Since(t0));
  std::FILE* f = std::fopen((dir + "/tenant-id").c_str(), "w");
  if (f != nullptr) {
    std::fprintf(f, "%s", tenant->tenant_id.c_str());
    std::fclose(f);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  atg::InitLogging(atg::LogFormat::kText, atg::LogLevel::kWarning);
  int resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  std::string dir = argc > 2 ? argv[2] : "/tmp/atg-iac-bench";
  std::string formats = argc > 3 ? argv[3] : "terraform,bicep,arm";
  std::string graph_dir = dir + "/graph-" + std::to_string(resources);
  if (!std::filesystem::exists(graph_dir + "/tenant-id")) {
    std::filesystem::create_directories(graph_dir);
    pid_t pid = fork();
    if (pid == 0) _exit(BuildGraph(resources, graph_dir));
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  std::string tenant;
  {
    std::FILE* f = std::fopen((graph_dir + "/tenant-id").c_str(), "r");
    char buf[128] = {0};
    if (f == nullptr || std::fgets(buf, sizeof buf, f) == nullptr) return 1;
    std::fclose(f);
    tenant = buf;
  }
  auto store = atg::graph::OpenSqliteGraphStore(graph_dir, tenant);
  if (!store.ok()) {
    std::fprintf(stderr, "store: %s\n", store.status().message().c_str());
    return 1;
  }
  auto t0 = Clock::now();
  auto plan = atg::iac::BuildPlan(**store, {});
  if (!plan.ok()) {
    std::fprintf(stderr, "plan: %s\n", plan.status().message().c_str());
    return 1;
  }
  std::printf(
      "BuildPlan: %.2f s, %zu resources, %zu principals, %zu skipped, %zu inputs, %zu broken "
      "cycles; peak RSS %.0f MiB\n",
      Since(t0), plan->resources.size(), plan->principals.size(), plan->skipped.size(),
      plan->inputs.size(), plan->broken_cycles.size(), PeakRssMiB());
  for (const std::string& format : atg::Split(formats, ',', true)) {
    auto t1 = Clock::now();
    auto emitted = format == "terraform" ? atg::iac::EmitTerraform(*plan)
                   : format == "bicep"   ? atg::iac::EmitBicep(*plan)
                                         : atg::iac::EmitArm(*plan);
    if (!emitted.ok()) {
      std::fprintf(stderr, "%s: %s\n", format.c_str(), emitted.status().message().c_str());
      continue;
    }
    double emit_s = Since(t1);
    auto files = emitted->files;
    files.push_back({"README.md", atg::iac::RenderReport(*plan, format, *emitted)});
    size_t bytes = 0;
    for (const auto& f : files) bytes += f.content.size();
    auto t2 = Clock::now();
    atg::iac::WriteOptions wo;
    wo.force = true;
    atg::Status w = atg::iac::WriteOutput(dir + "/out-" + format, files, wo);
    if (!w.ok()) std::fprintf(stderr, "%s: %s\n", format.c_str(), w.message().c_str());
    std::printf(
        "%s: emit %.2f s + write %.2f s (%zu files, %.1f MiB); plan+emit+write %.2f s; "
        "peak RSS %.0f MiB\n",
        format.c_str(), emit_s, Since(t2), files.size(), bytes / 1048576.0, Since(t0),
        PeakRssMiB());
  }
  return 0;
}
