// Hot-path cost of the service metrics: RecordRequest (label lookup + counter + histogram) from
// several threads, a held series handle, and Render of a populated registry.
//
//   build/metrics_bench [threads] [seconds]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "server/metrics.h"

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 2;
  double seconds = argc > 2 ? std::atof(argv[2]) : 2;
  atg::server::ServiceMetrics m;
  const char* endpoints[] = {"/api/v1/jobs/{id}", "/api/v1/jobs", "/health", "/api/v1/scan"};
  auto run = [&](const char* what, auto body) {
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> ops{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t) {
      ts.emplace_back([&, t] {
        uint64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          body(t, n);
          ++n;
        }
        ops += n;
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : ts) t.join();
    std::printf("%-40s %12.0f ops/s (%d threads)\n", what, ops / seconds, threads);
  };
  run("RecordRequest (label lookup)", [&](int t, uint64_t n) {
    m.RecordRequest(endpoints[n & 3], "GET", n % 7 ? 200 : 404, 0.002);
  });
  auto& counter = m.api_requests->WithLabels({"/health", "GET", "200"});
  auto& hist = m.api_request_duration->WithLabels({"/health", "GET"});
  run("held handles (Inc + Observe)", [&](int, uint64_t) {
    counter.Inc();
    hist.Observe(0.001);
  });
  auto t0 = std::chrono::steady_clock::now();
  size_t bytes = 0;
  for (int i = 0; i < 1000; ++i) bytes += m.Render().size();
  double per = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 1000;
  std::printf("%-40s %12.1f us (%zu bytes)\n", "Render", per * 1e6, bytes / 1000);
  return 0;
}
