// Ingests a synthetic tenant into the SQLite graph store the way the scanner will (several
// producer threads streaming batches through one ScanSession), then reads it back (Stats and a
// full export), printing throughput and peak RSS.
//
// usage: graph_store_bench [resources=100000] [edges_per_resource=4] [producers=4] [dir]
#include <stdlib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/temp_dir.h"
#include "graph/arm_id.h"
#include "graph/export.h"
#include "graph/sqlite_graph_store.h"

namespace {

using atg::graph::Edge;
using atg::graph::MakeEdge;
using atg::graph::Node;
namespace json = boost::json;

constexpr char kTenant[] = "00000000-0000-0000-0000-00000000bench";
constexpr int kSubscriptions = 10;
constexpr int kGroupsPerSubscription = 50;

std::string Sub(int s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/subscriptions/%08d-0000-0000-0000-000000000000", s);
  return buf;
}

std::string Rg(int s, int g) { return Sub(s) + "/resourceGroups/rg-" + std::to_string(g); }

std::string ResourceId(int i) {
  int s = i % kSubscriptions, g = (i / kSubscriptions) % kGroupsPerSubscription;
  return Rg(s, g) + "/providers/Microsoft.Network/networkInterfaces/nic-" + std::to_string(i);
}

// A NIC-like body of about 2 KB, as the scanner would have parsed from ARM.
json::object Body(int i) {
  json::object b;
  b["id"] = ResourceId(i);
  b["name"] = "nic-" + std::to_string(i);
  b["type"] = "Microsoft.Network/networkInterfaces";
  b["location"] = i % 3 == 0 ? "westeurope" : "eastus";
  b["etag"] = "W/\"d94dac8a-0f93-471d-987f-c737c9afdf60\"";
  b["tags"] =
      json::object{{"env", i % 2 ? "prod" : "dev"}, {"owner", "team-" + std::to_string(i % 7)}};
  json::object ipc;
  ipc["name"] = "primary";
  ipc["id"] = ResourceId(i) + "/ipConfigurations/primary";
  ipc["properties"] = json::object{
      {"privateIPAddress", "10.0." + std::to_string(i % 250) + "." + std::to_string(i % 200)},
      {"privateIPAllocationMethod", "Dynamic"},
      {"subnet", json::object{{"id", Rg(i % kSubscriptions, 0) +
                                         "/providers/Microsoft.Network/virtualNetworks/vnet/"
                                         "subnets/default"}}},
      {"primary", true},
      {"privateIPAddressVersion", "IPv4"}};
  json::object props;
  props["provisioningState"] = "Succeeded";
  props["resourceGuid"] = "57d2bd8d-2d09-48ea-8339-d587d60b6de2";
  props["ipConfigurations"] = json::array{ipc};
  props["dnsSettings"] = json::object{
      {"dnsServers", json::array{}},
      {"internalDomainNameSuffix", "o5b2dt1j0uku5jcsy2gmvoihbb.bx.internal.cloudapp.net"}};
  props["macAddress"] = "00-0D-3A-8D-1B-30";
  props["enableAcceleratedNetworking"] = false;
  props["networkSecurityGroup"] = json::object{
      {"id", Rg(i % kSubscriptions, 0) + "/providers/Microsoft.Network/networkSecurityGroups/nsg"}};
  props["description"] = std::string(900, 'd');
  b["properties"] = std::move(props);
  return b;
}

long PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  atg::InitLogging(atg::LogFormat::kText, atg::LogLevel::kDebug);
  const int resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int edges_per = argc > 2 ? std::atoi(argv[2]) : 4;
  const int producers = argc > 3 ? std::atoi(argv[3]) : 4;
  std::string dir = argc > 4 ? argv[4] : "";
  std::optional<atg::TempDir> temp;  // when no directory is given; removed at the end
  if (dir.empty()) {
    auto made = atg::TempDir::Create("atg-bench-");
    if (!made.ok()) {
      std::fprintf(stderr, "%s\n", made.status().ToString().c_str());
      return 1;
    }
    temp = std::move(made.value());
    dir = temp->path();
  }
  atg::graph::SqliteGraphStoreOptions options;
  if (const char* mb = std::getenv("ATG_BENCH_CACHE_MB")) {
    options.writer_cache_bytes = std::atoll(mb) << 20;
  }
  auto store = atg::graph::OpenSqliteGraphStore(dir, kTenant, options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  atg::graph::ScanScope scope{kTenant, {}, {}, {}, true, true};

  for (int round = 1; round <= 2; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    auto session = (*store)->BeginScan(scope);
    if (!session.ok()) {
      std::fprintf(stderr, "%s\n", session.status().ToString().c_str());
      return 1;
    }
    std::atomic<int64_t> bytes{0};
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&, p] {
        std::vector<Node> nodes;
        std::vector<Edge> edges;
        if (p == 0) {
          for (int s = 0; s < kSubscriptions; ++s) {
            json::object sb{{"id", Sub(s)}, {"displayName", "sub " + std::to_string(s)}};
            nodes.push_back(*atg::graph::NodeFromArmResource(sb));
            edges.push_back(MakeEdge(atg::graph::TenantKey(kTenant),
                                     atg::graph::NormalizeArmId(Sub(s)), "CONTAINS"));
            for (int g = 0; g < kGroupsPerSubscription; ++g) {
              json::object rg{{"id", Rg(s, g)},
                              {"name", "rg-" + std::to_string(g)},
                              {"location", "westeurope"}};
              nodes.push_back(*atg::graph::NodeFromArmResource(rg));
              edges.push_back(MakeEdge(atg::graph::NormalizeArmId(Sub(s)),
                                       atg::graph::NormalizeArmId(Rg(s, g)), "CONTAINS"));
            }
          }
        }
        for (int i = p; i < resources; i += producers) {
          Node n = *atg::graph::NodeFromArmResource(Body(i));
          bytes += static_cast<int64_t>(n.properties.size());
          const std::string key = n.key;
          int s = i % kSubscriptions, g = (i / kSubscriptions) % kGroupsPerSubscription;
          edges.push_back(MakeEdge(atg::graph::NormalizeArmId(Rg(s, g)), key, "CONTAINS"));
          edges.push_back(MakeEdge(key, atg::graph::RegionKey(n.location), "LOCATED_IN"));
          nodes.push_back(atg::graph::RegionNode(n.location));
          for (int e = 2; e < edges_per; ++e) {
            edges.push_back(
                MakeEdge(key, atg::graph::NormalizeArmId(ResourceId((i + e * 7919) % resources)),
                         "REFERENCES"));
          }
          nodes.push_back(std::move(n));
          if (nodes.size() >= 500) {
            (void)(*session)->UpsertNodes(std::move(nodes));
            (void)(*session)->AddEdges(std::move(edges));
            nodes.clear();
            edges.clear();
          }
        }
        (void)(*session)->UpsertNodes(std::move(nodes));
        (void)(*session)->AddEdges(std::move(edges));
      });
    }
    for (auto& t : threads) t.join();
    double produced = Since(t0);
    auto summary = (*session)->Commit();
    if (!summary.ok()) {
      std::fprintf(stderr, "%s\n", summary.status().ToString().c_str());
      return 1;
    }
    double total = Since(t0);
    std::printf(
        "scan %d: %d resources (%.0f MB of bodies), %lld edges written by %d producers in "
        "%.2f s (%.2f s producing, %.2f s commit) = %.0f nodes/s; removed %lld nodes, dropped "
        "%lld dangling edges; peak RSS %ld MB\n",
        round, resources, bytes.load() / 1e6, static_cast<long long>(summary->edges_written),
        producers, total, produced, total - produced, resources / total,
        static_cast<long long>(summary->nodes_removed),
        static_cast<long long>(summary->dangling_edges_dropped), PeakRssMb());
  }

  auto t1 = std::chrono::steady_clock::now();
  auto stats = (*store)->Stats();
  if (!stats.ok()) return 1;
  std::printf("stats: %lld nodes, %lld resources, %lld edges in %.2f s\n",
              static_cast<long long>(stats->nodes), static_cast<long long>(stats->resources),
              static_cast<long long>(stats->edges), Since(t1));
  for (auto format : {atg::graph::ExportFormat::kJson, atg::graph::ExportFormat::kNdjson,
                      atg::graph::ExportFormat::kGraphml}) {
    auto t2 = std::chrono::steady_clock::now();
    std::ofstream null("/dev/null");
    auto counts = atg::graph::ExportGraph(**store, format, null);
    if (!counts.ok()) return 1;
    std::printf("export %d: %lld nodes, %lld edges in %.2f s\n", static_cast<int>(format),
                static_cast<long long>(counts->nodes), static_cast<long long>(counts->edges),
                Since(t2));
  }
  std::error_code ec;
  std::printf("database: %.0f MB; peak RSS %ld MB\n",
              std::filesystem::file_size(*atg::graph::SqliteGraphPath(dir, kTenant), ec) / 1e6,
              PeakRssMb());
  store->reset();
  return 0;
}
