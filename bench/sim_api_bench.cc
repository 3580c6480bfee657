// Times the simulator's API handlers on a generated tenant (default 100,000 resources in 10
// subscriptions, 20,000 users): the index build, GET of a resource by id (cold: first
// serialization; warm: cached), an ARM list page of 1,000, a Resource Graph page of 1,000, a
// Microsoft Graph page of 999, and GET-by-id throughput on two threads. Handlers only: no
// sockets, tokens or throttling.
//
// Target: a resource GET costs a few microseconds, so that the simulator serves 20,000 requests
// per second on 2 cores with room for the HTTP layer.
//
// Usage: sim_api_bench [resources]
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
#include "net/http_message.h"
#include "sim/arm_api.h"
#include "sim/generator.h"
#include "sim/graph_api.h"
#include "sim/resource_graph_api.h"
#include "sim/tenant_index.h"

namespace {

using atg::net::HttpRequest;
using atg::net::HttpResponse;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

HttpRequest Request(const std::string& method, const std::string& target, std::string body = "") {
  HttpRequest r;
  r.method = method;
  r.target = target;
  r.body = std::move(body);
  r.ParseTarget();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace atg;
  using namespace atg::sim;
  GeneratorOptions opt;
  opt.seed = 42;
  opt.subscriptions = 10;
  opt.resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  opt.users = 20000;
  opt.groups = 2000;
  auto tenant = GenerateTenant(opt);
  if (!tenant.ok()) {
    std::fprintf(stderr, "generation failed: %s\n", tenant.status().ToString().c_str());
    return 1;
  }

  double t0 = Now(), c0 = CpuNow();
  TenantIndex index(*tenant);
  std::printf("index build: %zu resources in %.3f s CPU (%.3f s wall)\n", index.resource_count(),
              CpuNow() - c0, Now() - t0);

  ApiOptions options;
  options.arm_base_url = "http://127.0.0.1:1";
  options.graph_base_url = "http://127.0.0.1:2";
  ArmApi arm(index, options);
  ResourceGraphApi arg(index, options);
  GraphApi graph(index, options);
  CallerContext caller{"00000000-0000-4000-8000-000000000001", tenant->tenant_id};

  std::vector<std::string> targets;
  targets.reserve(tenant->resources.size());
  for (const auto& r : tenant->resources) {
    targets.push_back(std::string(r.as_object().at("id").as_string()) + "?api-version=2024-07-01");
  }

  // GET by id, cold (each body serialized on first use) then warm, including request parsing.
  for (const char* phase : {"cold", "warm"}) {
    size_t bytes = 0;
    double start = CpuNow();
    for (const auto& t : targets) {
      HttpRequest req = Request("GET", t);
      HttpResponse res = arm.Handle(req, caller);
      if (res.status != 200) {
        std::fprintf(stderr, "GET %s -> %d\n", t.c_str(), res.status);
        return 1;
      }
      bytes += res.body.size();
    }
    double s = CpuNow() - start;
    std::printf("ARM GET by id (%s): %.2f us/request (%zu requests, %.0f bytes average)\n", phase,
                s * 1e6 / static_cast<double>(targets.size()), targets.size(),
                static_cast<double>(bytes) / static_cast<double>(targets.size()));
  }

  // ARM generic list, first page of 1,000 (warm).
  std::string sub(tenant->subscriptions[0].as_object().at("subscriptionId").as_string());
  std::string list = "/subscriptions/" + sub + "/resources?api-version=2021-04-01";
  {
    const int kRounds = 50;
    size_t bytes = 0;
    double start = CpuNow();
    for (int i = 0; i < kRounds; ++i) bytes = arm.Handle(Request("GET", list), caller).body.size();
    std::printf("ARM list page of 1000: %.3f ms/page (%zu bytes)\n",
                (CpuNow() - start) * 1e3 / kRounds, bytes);
  }
  // Resource Graph, page of 1,000 rows of every column.
  {
    json::object body{{"query", "Resources | order by id asc"},
                      {"options", json::object{{"$top", 1000}}}};
    std::string text = json::serialize(body);
    const int kRounds = 20;
    size_t bytes = 0;
    double start = CpuNow();
    for (int i = 0; i < kRounds; ++i) {
      bytes = arg.Handle(Request("POST",
                                 "/providers/Microsoft.ResourceGraph/resources?api-version="
                                 "2021-03-01",
                                 text),
                         caller)
                  .body.size();
    }
    std::printf("Resource Graph page of 1000: %.3f ms/page (%zu bytes)\n",
                (CpuNow() - start) * 1e3 / kRounds, bytes);
  }
  // Microsoft Graph, page of 999 users.
  {
    const int kRounds = 50;
    size_t bytes = 0;
    double start = CpuNow();
    for (int i = 0; i < kRounds; ++i) {
      bytes = graph.Handle(Request("GET", "/v1.0/users?$top=999"), caller).body.size();
    }
    std::printf("Graph page of 999 users: %.3f ms/page (%zu bytes)\n",
                (CpuNow() - start) * 1e3 / kRounds, bytes);
  }
  // Throughput of GET by id on two threads.
  {
    std::atomic<size_t> done{0};
    double start = Now();
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        size_t n = 0;
        for (size_t i = t; i < targets.size(); i += 2) {
          if (arm.Handle(Request("GET", targets[i]), caller).status == 200) ++n;
        }
        done += n;
      });
    }
    for (auto& th : threads) th.join();
    double s = Now() - start;
    std::printf("ARM GET by id on 2 threads: %.0f requests/s (wall, machine load included)\n",
                static_cast<double>(done.load()) / s);
  }
  return 0;
}
