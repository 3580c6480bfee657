// Generates a 100,000-resource tenant (10 subscriptions, 20,000 users, 2,000 groups) and reports
// wall time, peak resident memory, resources by type and the tenant-file dump's time and size.
// Targets: generation under 10 s and under 1 GiB resident.
//
// Usage: sim_generate_bench [resources] [dump-path]   (a given dump path is kept)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "common/strings.h"
#include "sim/generator.h"
#include "sim/tenant.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

long PeakRssMiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  atg::sim::GeneratorOptions opt;
  opt.seed = 42;
  opt.subscriptions = 10;
  opt.resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  opt.users = 20000;
  opt.groups = 2000;
  std::string dump =
      argc > 2 ? argv[2] : (std::filesystem::temp_directory_path() / "atg_sim_bench.json").string();

  auto start = std::chrono::steady_clock::now();
  auto tenant = atg::sim::GenerateTenant(opt);
  double gen_s = Seconds(start);
  if (!tenant.ok()) {
    std::fprintf(stderr, "generation failed: %s\n", tenant.status().ToString().c_str());
    return 1;
  }
  long gen_rss = PeakRssMiB();

  std::map<std::string, int> by_type;
  for (const auto& r : tenant->resources) {
    const auto& t = r.as_object().at("type").as_string();
    ++by_type[atg::ToLower(std::string_view(t.data(), t.size()))];
  }
  std::printf(
      "generate: %d resources, %zu resource groups, %zu users, %zu groups, "
      "%zu service principals\n",
      opt.resources, tenant->resource_groups.size(), tenant->users.size(), tenant->groups.size(),
      tenant->service_principals.size());
  std::printf("generate: %.2f s wall, peak RSS %ld MiB\n", gen_s, gen_rss);
  std::printf("types: %zu\n", by_type.size());
  for (const auto& [type, n] : by_type) std::printf("  %7d  %s\n", n, type.c_str());

  start = std::chrono::steady_clock::now();
  atg::Status s = atg::sim::DumpTenantFile(*tenant, dump);
  double dump_s = Seconds(start);
  if (!s.ok()) {
    std::fprintf(stderr, "dump failed: %s\n", s.ToString().c_str());
    return 1;
  }
  auto size = std::filesystem::file_size(dump);
  std::printf("dump: %.2f s, %.1f MiB (%s)\n", dump_s, static_cast<double>(size) / 1048576.0,
              dump.c_str());

  start = std::chrono::steady_clock::now();
  auto loaded = atg::sim::LoadTenantFile(dump);
  double load_s = Seconds(start);
  if (!loaded.ok()) {
    std::fprintf(stderr, "load failed: %s\n", loaded.status().ToString().c_str());
    return 1;
  }
  std::printf("load+validate: %.2f s, round trip %s\n", load_s,
              *loaded == *tenant ? "equal" : "DIFFERENT");
  std::printf("peak RSS overall: %ld MiB\n", PeakRssMiB());
  if (argc <= 2) std::filesystem::remove(dump);  // keep a dump the caller asked for
  bool ok = gen_s < 10.0 && gen_rss < 1024 && *loaded == *tenant;
  std::printf("targets (< 10 s, < 1 GiB): %s\n", ok ? "met" : "MISSED");
  return ok ? 0 : 1;
}
