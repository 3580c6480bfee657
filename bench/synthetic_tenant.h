// A synthetic tenant for the graph benchmarks: subscriptions, resource groups and NIC-like
// resources of about 2 KB each, with containment, region and reference edges, written through
// a ScanSession by several producer threads as the scanner would. Header-only, benches only.
#ifndef ATG_BENCH_SYNTHETIC_TENANT_H_
#define ATG_BENCH_SYNTHETIC_TENANT_H_

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "graph/arm_id.h"
#include "graph/graph_store.h"

namespace atg::bench {

inline constexpr int kSubscriptions = 10;
inline constexpr int kGroupsPerSubscription = 50;

inline std::string Sub(int s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/subscriptions/%08d-0000-0000-0000-000000000000", s);
  return buf;
}

inline std::string Rg(int s, int g) { return Sub(s) + "/resourceGroups/rg-" + std::to_string(g); }

inline std::string ResourceId(int i) {
  int s = i % kSubscriptions, g = (i / kSubscriptions) % kGroupsPerSubscription;
  return Rg(s, g) + "/providers/Microsoft.Network/networkInterfaces/nic-" + std::to_string(i);
}

// A NIC-like body of about 2 KB; `revision` changes its provisioning detail (a drifted body).
inline json::object Body(int i, int revision = 0) {
  json::object b;
  b["id"] = ResourceId(i);
  b["name"] = "nic-" + std::to_string(i);
  b["type"] = "Microsoft.Network/networkInterfaces";
  b["location"] = i % 3 == 0 ? "westeurope" : "eastus";
  b["etag"] = "W/\"d94dac8a-0f93-471d-987f-c737c9afdf60-" + std::to_string(revision) + "\"";
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
  props["macAddress"] = "00-0D-3A-8D-1B-30";
  props["enableAcceleratedNetworking"] = revision % 2 == 1;
  props["networkSecurityGroup"] = json::object{
      {"id", Rg(i % kSubscriptions, 0) + "/providers/Microsoft.Network/networkSecurityGroups/nsg"}};
  // Ids and hashes, as real bodies are full of, so that the archive compresses like a real one.
  std::string noise;
  uint64_t x = 0x9e3779b97f4a7c15ull * static_cast<uint64_t>(i + 1) + revision;
  for (int k = 0; k < 12; ++k) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx-", static_cast<unsigned long long>(x));
    noise += buf;
  }
  props["description"] = noise + std::string(700, 'd');
  b["properties"] = std::move(props);
  return b;
}

// Writes one full scan of `resources` resources; resource i gets revision `revision` when
// `changed(i)`, else 0. Returns the commit's error, if any.
template <typename Changed>
Status WriteSyntheticScan(graph::GraphStore& store, int resources, int edges_per, int producers,
                          int revision, Changed changed) {
  const std::string tenant = store.tenant_id();
  auto session = store.BeginScan(graph::ScanScope{tenant, {}, {}, {}, true, true});
  if (!session.ok()) return session.status();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      std::vector<graph::Node> nodes;
      std::vector<graph::Edge> edges;
      if (p == 0) {
        for (int s = 0; s < kSubscriptions; ++s) {
          json::object sb{{"id", Sub(s)}, {"displayName", "sub " + std::to_string(s)}};
          nodes.push_back(*graph::NodeFromArmResource(sb));
          edges.push_back(
              graph::MakeEdge(graph::TenantKey(tenant), graph::NormalizeArmId(Sub(s)), "CONTAINS"));
          for (int g = 0; g < kGroupsPerSubscription; ++g) {
            json::object rg{
                {"id", Rg(s, g)}, {"name", "rg-" + std::to_string(g)}, {"location", "westeurope"}};
            nodes.push_back(*graph::NodeFromArmResource(rg));
            edges.push_back(graph::MakeEdge(graph::NormalizeArmId(Sub(s)),
                                            graph::NormalizeArmId(Rg(s, g)), "CONTAINS"));
          }
        }
      }
      for (int i = p; i < resources; i += producers) {
        graph::Node n = *graph::NodeFromArmResource(Body(i, changed(i) ? revision : 0));
        const std::string key = n.key;
        int s = i % kSubscriptions, g = (i / kSubscriptions) % kGroupsPerSubscription;
        edges.push_back(graph::MakeEdge(graph::NormalizeArmId(Rg(s, g)), key, "CONTAINS"));
        edges.push_back(graph::MakeEdge(key, graph::RegionKey(n.location), "LOCATED_IN"));
        nodes.push_back(graph::RegionNode(n.location));
        for (int e = 2; e < edges_per; ++e) {
          edges.push_back(graph::MakeEdge(
              key, graph::NormalizeArmId(ResourceId((i + e * 7919) % resources)), "REFERENCES"));
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
  auto summary = (*session)->Commit();
  return summary.ok() ? Status::Ok() : summary.status();
}

}  // namespace atg::bench

#endif  // ATG_BENCH_SYNTHETIC_TENANT_H_
