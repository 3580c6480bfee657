// Throughput and latency of `atg serve` on loopback, measured with wrk: the job status route
// (auth by SHA-256 of the bearer key, per-key rate-limit bookkeeping off, audit line per
// request, a job store read) and the unauthenticated /health.
//
//   serve_bench [seconds=10] [connections=256] [io_threads=0 (the service default)]
//               [paced_rate=10000]
//
// Three runs: the job route saturating (the most it serves; latency includes the queue a
// closed loop at full speed builds), the job route paced at `paced_rate` requests/s over the same
// connections (latency at a load above the target), and /health saturating.
// Targets on a 2-core machine, wrk sharing the cores: GET /api/v1/jobs/{id} >= 5,000
// requests/s with p99 < 10 ms; GET /health >= 20,000 requests/s.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "common/json.h"
#include "common/log.h"
#include "server/service.h"
#include "wrk_driver.h"

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 256;
  int io_threads = argc > 3 ? std::atoi(argv[3]) : 0;
  int paced_rate = argc > 4 ? std::atoi(argv[4]) : 10000;
  if (seconds < 1 || seconds > 120 || connections < 1 || io_threads < 0 || paced_rate < 1) {
    std::cerr << "usage: serve_bench [seconds 1..120] [connections] [io_threads, 0 = default] "
                 "[paced_rate]\n";
    return 2;
  }
  if (!atg::bench::WrkAvailable()) return 0;
  atg::InitLogging(atg::LogFormat::kJson, atg::LogLevel::kWarning);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("atg-serve-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string key = "bench-" + std::to_string(getpid()) + "-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  atg::RegisterSecret(key);
  std::map<std::string, std::string> env = {
      {"ATG_API_KEYS", key},
      {"ATG_TARGET_TENANT_ID", "11111111-2222-3333-4444-555555555555"},
      {"ATG_DATA_DIR", dir.string()},
      {"ATG_SERVER_HOST", "127.0.0.1"},
      {"ATG_SERVER_PORT", "0"},
      {"ATG_MAX_CONCURRENT_JOBS", "0"},
      {"ATG_RATE_LIMIT_PER_MINUTE", "0"},
      // wrk is one client address.
      {"ATG_MAX_CONNECTIONS_PER_ADDRESS", "0"}};
  if (io_threads > 0) env["ATG_SERVER_WORKERS"] = std::to_string(io_threads);
  auto service = atg::server::Service::Create(atg::Settings::FromMaps(env, {}));
  if (!service.ok()) {
    std::cerr << "cannot create the service: " << service.status().message() << "\n";
    return 1;
  }
  if (atg::Status s = (*service)->Start(); !s.ok()) {
    std::cerr << "cannot start the service: " << s.message() << "\n";
    return 1;
  }
  const std::string base = (*service)->url();
  std::string created = atg::bench::RunCommand("curl -s -X POST -H 'Authorization: Bearer " + key +
                                               "' -H 'Content-Type: application/json' -d '{}' " +
                                               base + "/api/v1/scan");
  auto parsed = atg::ParseJson(created);
  std::string id;
  if (parsed.ok() && parsed->is_object())
    id = std::string(atg::FindString(&parsed->as_object(), "job_id").value_or(""));
  if (id.empty()) {
    std::cerr << "could not create a job: " << atg::RedactSecrets(created) << "\n";
    return 1;
  }
  atg::bench::WrkRun job_run;
  job_run.url = base + "/api/v1/jobs/" + id;
  job_run.connections = connections;
  job_run.seconds = seconds;
  job_run.lua = "wrk.headers[\"Authorization\"] = \"Bearer " + key + "\"\n";
  job_run.script_dir = dir.string();
  std::cerr << "GET /api/v1/jobs/{id}\n";
  atg::bench::WrkResult job = atg::bench::Wrk(job_run);
  job_run.rate_per_second = paced_rate;
  atg::bench::WrkResult paced = atg::bench::Wrk(job_run);
  std::cerr << "GET /health\n";
  atg::bench::WrkRun health_run;
  health_run.url = base + "/health";
  health_run.connections = connections;
  health_run.seconds = seconds;
  atg::bench::WrkResult health = atg::bench::Wrk(health_run);
  (*service)->Shutdown(std::chrono::seconds(2));
  std::filesystem::remove_all(dir);
  std::cout << "summary: io_threads=" << (io_threads > 0 ? std::to_string(io_threads) : "default")
            << " connections=" << connections << " job_status_rps=" << job.rps
            << " job_status_p99=" << job.p99 << " paced_offered_rps=" << paced_rate
            << " paced_rps=" << paced.rps << " paced_p50=" << paced.p50
            << " paced_p99=" << paced.p99 << " health_rps=" << health.rps
            << " health_p99=" << health.p99 << " non_2xx=" << job.non2xx << "/" << paced.non2xx
            << "/" << health.non2xx << "\n";
  return job.ok() && paced.ok() && health.ok() ? 0 : 1;
}
