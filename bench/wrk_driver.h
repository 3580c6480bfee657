// Runs wrk against a loopback URL and parses its report, for the HTTP benchmarks.
//
// Two load shapes:
//  * saturating (rate_per_second == 0): every connection sends its next request as soon as the
//    previous answer arrives, which measures the most the server can do; latency then includes
//    the queueing that any closed loop at full speed builds up.
//  * paced (rate_per_second > 0): each connection waits connections/rate seconds between
//    requests (wrk's Lua `delay()`), so the whole client offers about `rate_per_second`; this is
//    how a team's clients poll a job, and the latency is the server's at that load.
//
// Header-only so each bench/*_bench.cc stays a single-file binary. Not thread-safe; call from
// the benchmark's main thread.
#ifndef ATG_BENCH_WRK_DRIVER_H_
#define ATG_BENCH_WRK_DRIVER_H_

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <string>

#include "common/log.h"

namespace atg::bench {

inline bool OnPath(const std::string& program) {
  std::string cmd = "command -v " + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Runs `cmd` through the shell and returns what it wrote on stdout.
inline std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// False (with the reason on stderr) when wrk is missing; benchmarks then exit 0 with a note.
inline bool WrkAvailable() {
  if (OnPath("wrk")) return true;
  std::cerr << "wrk is not on PATH; install it (Debian: apt-get install wrk) to run this "
               "benchmark\n";
  return false;
}

struct WrkRun {
  std::string url;
  int connections = 64;
  int seconds = 10;
  int threads = 2;
  // 0 = saturating; otherwise the request rate the whole client aims at.
  int rate_per_second = 0;
  // Extra Lua lines (e.g. `wrk.headers["Authorization"] = ...`); may hold a secret, so the
  // script lives in `script_dir` and the report is redacted before it is printed.
  std::string lua;
  std::string script_dir;  // empty = the system temporary directory
};

struct WrkResult {
  std::string rps = "?", avg = "?", p50 = "?", p99 = "?", non2xx = "0";
  bool ok() const { return rps != "?" && non2xx == "0"; }
};

inline std::string WrkFirst(const std::string& report, const char* pattern) {
  std::smatch m;
  return std::regex_search(report, m, std::regex(pattern)) ? m[1].str() : "?";
}

// Runs wrk as `run` says, prints its (redacted) report on stdout and returns the parsed figures.
inline WrkResult Wrk(const WrkRun& run) {
  std::string lua = run.lua;
  if (run.rate_per_second > 0) {
    const double delay_ms = 1000.0 * run.connections / run.rate_per_second;
    lua += "function delay() return " + std::to_string(delay_ms) + " end\n";
  }
  std::string script_arg, cleanup;
  if (!lua.empty()) {
    const std::filesystem::path dir = run.script_dir.empty()
                                          ? std::filesystem::temp_directory_path()
                                          : std::filesystem::path(run.script_dir);
    const std::string path = (dir / ("wrk-" + std::to_string(::getpid()) + ".lua")).string();
    std::ofstream(path) << lua;
    script_arg = "-s " + path + " ";
    cleanup = path;
  }
  const std::string cmd = "wrk -t" + std::to_string(run.threads) + " -c" +
                          std::to_string(run.connections) + " -d" + std::to_string(run.seconds) +
                          "s --latency " + script_arg + run.url + " 2>&1";
  std::cerr << "running: wrk -t" << run.threads << " -c" << run.connections << " -d" << run.seconds
            << "s"
            << (run.rate_per_second > 0
                    ? " paced at " + std::to_string(run.rate_per_second) + " requests/s"
                    : std::string(" saturating"))
            << "\n";
  const std::string report = RunCommand(cmd);
  if (!cleanup.empty()) std::filesystem::remove(cleanup);
  std::cout << RedactSecrets(report);
  WrkResult r;
  r.rps = WrkFirst(report, R"(Requests/sec:\s+([0-9.]+))");
  r.avg = WrkFirst(report, R"(Latency\s+([0-9.]+\w+))");
  r.p50 = WrkFirst(report, R"(50%\s+([0-9.]+\w+))");
  r.p99 = WrkFirst(report, R"(99%\s+([0-9.]+\w+))");
  std::string non2xx = WrkFirst(report, R"(Non-2xx or 3xx responses:\s+([0-9]+))");
  r.non2xx = non2xx == "?" ? "0" : non2xx;
  return r;
}

}  // namespace atg::bench

#endif  // ATG_BENCH_WRK_DRIVER_H_
