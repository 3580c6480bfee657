// Ingests a synthetic tenant into the Neo4j graph store the way the scanner does (several
// producer threads streaming batches through one ScanSession), twice (the second scan replaces
// the first), reads it back (Stats, every node, every edge), then empties the tenant with a
// third scan that sees nothing. Prints nodes/s and edges/s for each step.
//
// usage: neo4j_store_bench [resources=100000] [edges_per_resource=4] [producers=4]
// Neo4j from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, or else the test service's
// ATG_TEST_NEO4J_URI / _USER / _PASSWORD (tests/services/neo4j.sh).
#include <stdlib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "graph/arm_id.h"
#include "graph/neo4j_graph_store.h"

namespace {

using atg::graph::Edge;
using atg::graph::MakeEdge;
using atg::graph::Node;
namespace json = boost::json;

constexpr char kTenant[] = "00000000-0000-0000-0000-0000neo4jbch";
constexpr int kSubscriptions = 10;
constexpr int kGroupsPerSubscription = 50;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') v = std::getenv(fallback);
  return v ? v : "";
}

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

// A NIC-like body of about 2 KB, as the scanner would have parsed from ARM (the same bodies as
// graph_store_bench, so the two stores can be compared).
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

// Writes one scan: the full synthetic tenant, or nothing when `resources` is 0.
bool WriteScan(atg::graph::GraphStore& store, int round, int resources, int edges_per,
               int producers) {
  atg::graph::ScanScope scope{kTenant, {}, {}, {}, true, true};
  auto t0 = std::chrono::steady_clock::now();
  auto session = store.BeginScan(scope);
  if (!session.ok()) {
    std::fprintf(stderr, "%s\n", session.status().ToString().c_str());
    return false;
  }
  std::atomic<int64_t> bytes{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < producers && resources > 0; ++p) {
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
            json::object rg{
                {"id", Rg(s, g)}, {"name", "rg-" + std::to_string(g)}, {"location", "westeurope"}};
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
    return false;
  }
  double total = Since(t0);
  std::printf(
      "scan %d: %d resources (%.0f MB of bodies), %lld nodes and %lld edges written by %d "
      "producers in %.2f s (%.2f s producing, %.2f s commit) = %.0f nodes/s, %.0f edges/s; "
      "removed %lld nodes and %lld edges, dropped %lld dangling edges; peak RSS %ld MB\n",
      round, resources, bytes.load() / 1e6, static_cast<long long>(summary->nodes_written),
      static_cast<long long>(summary->edges_written), producers, total, produced, total - produced,
      summary->nodes_written / total, summary->edges_written / total,
      static_cast<long long>(summary->nodes_removed),
      static_cast<long long>(summary->edges_removed),
      static_cast<long long>(summary->dangling_edges_dropped), PeakRssMb());
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  atg::InitLogging(atg::LogFormat::kText, atg::LogLevel::kDebug);
  const int resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  const int edges_per = argc > 2 ? std::atoi(argv[2]) : 4;
  const int producers = argc > 3 ? std::atoi(argv[3]) : 4;
  atg::graph::Neo4jGraphStoreOptions options;
  options.uri = Env("NEO4J_URI", "ATG_TEST_NEO4J_URI");
  options.user = Env("NEO4J_USER", "ATG_TEST_NEO4J_USER");
  options.password = Env("NEO4J_PASSWORD", "ATG_TEST_NEO4J_PASSWORD");
  if (options.uri.empty()) {
    std::fprintf(stderr,
                 "set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD), or start the test service: "
                 "ATG_SERVICES_DIR=$PWD/build/services tests/services/neo4j.sh start and source "
                 "build/services/services.env\n");
    return 2;
  }
  if (options.user.empty()) options.user = "neo4j";
  auto store = atg::graph::OpenNeo4jGraphStore(kTenant, options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  for (int round = 1; round <= 2; ++round) {
    if (!WriteScan(**store, round, resources, edges_per, producers)) return 1;
  }

  auto t1 = std::chrono::steady_clock::now();
  auto stats = (*store)->Stats();
  if (!stats.ok()) {
    std::fprintf(stderr, "%s\n", stats.status().ToString().c_str());
    return 1;
  }
  std::printf("stats: %lld nodes, %lld resources, %lld edges in %.2f s\n",
              static_cast<long long>(stats->nodes), static_cast<long long>(stats->resources),
              static_cast<long long>(stats->edges), Since(t1));
  auto t2 = std::chrono::steady_clock::now();
  int64_t nodes = 0, body_bytes = 0;
  atg::Status s = (*store)->ForEachNode({}, [&](Node&& n) {
    ++nodes;
    body_bytes += static_cast<int64_t>(n.properties.size());
    return atg::Status::Ok();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  double node_seconds = Since(t2);
  std::printf("read nodes: %lld (%.0f MB of bodies) in %.2f s = %.0f nodes/s\n",
              static_cast<long long>(nodes), body_bytes / 1e6, node_seconds, nodes / node_seconds);
  auto t3 = std::chrono::steady_clock::now();
  int64_t edges = 0;
  s = (*store)->ForEachEdge({}, [&](Edge&&) {
    ++edges;
    return atg::Status::Ok();
  });
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  double edge_seconds = Since(t3);
  std::printf("read edges: %lld in %.2f s = %.0f edges/s\n", static_cast<long long>(edges),
              edge_seconds, edges / edge_seconds);
  std::fflush(stdout);
  // Leave the database as it was: a scan that sees nothing removes everything.
  if (!WriteScan(**store, 3, 0, edges_per, producers)) return 1;
  std::printf("peak RSS %ld MB\n", PeakRssMb());
  return 0;
}
