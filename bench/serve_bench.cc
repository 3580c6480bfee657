// Throughput of `atg serve` on loopback, measured with wrk: the job status route (auth by
// SHA-256 of the bearer key, per-key rate-limit bookkeeping off, audit line per request, a job
// store read) and the unauthenticated /health.
//
//   serve_bench [seconds=10] [connections=256] [io_threads=2]
//
// Targets on a 2-core machine: GET /api/v1/jobs/{id} >= 5,000 requests/s with p99 < 10 ms;
// GET /health >= 20,000 requests/s.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <string>

#include "common/json.h"
#include "common/log.h"
#include "server/service.h"

namespace {

bool OnPath(const std::string& program) {
  std::string cmd = "command -v " + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

struct WrkResult {
  std::string rps = "?", p99 = "?", non2xx = "0";
};

WrkResult Wrk(const std::string& url, const std::string& script, int connections, int seconds) {
  std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" + std::to_string(seconds) +
                    "s --latency " + (script.empty() ? "" : "-s " + script + " ") + url + " 2>&1";
  std::string report = Run(cmd);
  std::cout << atg::RedactSecrets(report);
  WrkResult r;
  std::smatch m;
  if (std::regex_search(report, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) r.rps = m[1];
  if (std::regex_search(report, m, std::regex(R"(99%\s+([0-9.]+\w+))"))) r.p99 = m[1];
  if (std::regex_search(report, m, std::regex(R"(Non-2xx or 3xx responses:\s+([0-9]+))")))
    r.non2xx = m[1];
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 256;
  int io_threads = argc > 3 ? std::atoi(argv[3]) : 2;
  if (seconds < 1 || seconds > 120 || connections < 1 || io_threads < 1) {
    std::cerr << "usage: serve_bench [seconds 1..120] [connections] [io_threads]\n";
    return 2;
  }
  if (!OnPath("wrk")) {
    std::cerr << "wrk is not on PATH; install it (Debian: apt-get install wrk) to run this "
                 "benchmark\n";
    return 0;
  }
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
      {"ATG_SERVER_WORKERS", std::to_string(io_threads)},
      {"ATG_MAX_CONCURRENT_JOBS", "0"},
      {"ATG_RATE_LIMIT_PER_MINUTE", "0"}};
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
  std::string created =
      Run("curl -s -X POST -H 'Authorization: Bearer " + key +
          "' -H 'Content-Type: application/json' -d '{}' " + base + "/api/v1/scan");
  auto parsed = atg::ParseJson(created);
  std::string id;
  if (parsed.ok() && parsed->is_object())
    id = std::string(atg::FindString(&parsed->as_object(), "job_id").value_or(""));
  if (id.empty()) {
    std::cerr << "could not create a job: " << atg::RedactSecrets(created) << "\n";
    return 1;
  }
  const std::string script = (dir / "auth.lua").string();
  std::ofstream(script) << "wrk.headers[\"Authorization\"] = \"Bearer " << key << "\"\n";

  std::cerr << "GET /api/v1/jobs/{id}: wrk -t2 -c" << connections << " -d" << seconds << "s\n";
  WrkResult job = Wrk(base + "/api/v1/jobs/" + id, script, connections, seconds);
  std::cerr << "GET /health: wrk -t2 -c" << connections << " -d" << seconds << "s\n";
  WrkResult health = Wrk(base + "/health", "", connections, seconds);
  (*service)->Shutdown(std::chrono::seconds(2));
  std::filesystem::remove_all(dir);
  std::cout << "summary: io_threads=" << io_threads << " connections=" << connections
            << " job_status_rps=" << job.rps << " job_status_p99=" << job.p99
            << " job_status_non_2xx=" << job.non2xx << " health_rps=" << health.rps
            << " health_p99=" << health.p99 << " health_non_2xx=" << health.non2xx << "\n";
  return job.rps == "?" || health.rps == "?" || job.non2xx != "0" || health.non2xx != "0" ? 1 : 0;
}
