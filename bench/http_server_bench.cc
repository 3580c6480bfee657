// Throughput of the HTTP server core with a trivial handler, measured with wrk on loopback.
//
//   http_server_bench [seconds=10] [connections=64] [io_threads=2]
//
// Starts the server on an ephemeral port, runs `wrk -t2 -c<connections> -d<seconds>s --latency`
// against it (when wrk is on PATH), prints wrk's report and a one-line summary, and stops.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <string>

#include "net/http_server.h"

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

}  // namespace

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 64;
  int io_threads = argc > 3 ? std::atoi(argv[3]) : 2;
  if (seconds < 1 || seconds > 120 || connections < 1 || io_threads < 1) {
    std::cerr << "usage: http_server_bench [seconds 1..120] [connections] [io_threads]\n";
    return 2;
  }
  if (!OnPath("wrk")) {
    std::cerr << "wrk is not on PATH; install it (Debian: apt-get install wrk) to run this "
                 "benchmark\n";
    return 0;
  }

  atg::net::ServerOptions options;
  options.io_threads = io_threads;
  static const std::string kBody = R"({"value":"ok"})";
  atg::net::HttpServer server(options, [](atg::net::HttpRequest&) {
    atg::net::HttpResponse r;
    r.body = kBody;
    r.headers.emplace_back("Content-Type", "application/json");
    return r;
  });
  if (atg::Status s = server.Start(); !s.ok()) {
    std::cerr << "cannot start the server: " << s.ToString() << "\n";
    return 1;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/bench";
  const std::string cmd = "wrk -t2 -c" + std::to_string(connections) + " -d" +
                          std::to_string(seconds) + "s --latency " + url + " 2>&1";
  std::cerr << "running: " << cmd << "\n";
  std::string report = Run(cmd);
  server.Stop(std::chrono::milliseconds(1000));
  std::cout << report;

  std::smatch m;
  std::string rps =
      std::regex_search(report, m, std::regex(R"(Requests/sec:\s+([0-9.]+))")) ? m[1].str() : "?";
  std::string avg =
      std::regex_search(report, m, std::regex(R"(Latency\s+([0-9.]+\w+))")) ? m[1].str() : "?";
  std::string p99 =
      std::regex_search(report, m, std::regex(R"(99%\s+([0-9.]+\w+))")) ? m[1].str() : "?";
  atg::net::ServerStats st = server.Stats();
  std::cout << "summary: io_threads=" << io_threads << " connections=" << connections
            << " requests_per_second=" << rps << " latency_avg=" << avg << " latency_p99=" << p99
            << " server_requests=" << st.total_requests << "\n";
  return rps == "?" ? 1 : 0;
}
