// Throughput of the HTTP server core with a trivial handler, measured with wrk on loopback.
//
//   http_server_bench [seconds=10] [connections=64] [io_threads=2]
//
// Starts the server on an ephemeral port, runs wrk (bench/wrk_driver.h) against it saturating,
// prints wrk's report and a one-line summary, and stops.
#include <iostream>
#include <string>

#include "net/http_server.h"
#include "wrk_driver.h"

int main(int argc, char** argv) {
  int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  int connections = argc > 2 ? std::atoi(argv[2]) : 64;
  int io_threads = argc > 3 ? std::atoi(argv[3]) : 2;
  if (seconds < 1 || seconds > 120 || connections < 1 || io_threads < 1) {
    std::cerr << "usage: http_server_bench [seconds 1..120] [connections] [io_threads]\n";
    return 2;
  }
  if (!atg::bench::WrkAvailable()) return 0;

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
  atg::bench::WrkRun run;
  run.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/bench";
  run.connections = connections;
  run.seconds = seconds;
  atg::bench::WrkResult r = atg::bench::Wrk(run);
  server.Stop(std::chrono::milliseconds(1000));
  atg::net::ServerStats st = server.Stats();
  std::cout << "summary: io_threads=" << io_threads << " connections=" << connections
            << " requests_per_second=" << r.rps << " latency_avg=" << r.avg
            << " latency_p99=" << r.p99 << " server_requests=" << st.total_requests << "\n";
  return r.ok() ? 0 : 1;
}
