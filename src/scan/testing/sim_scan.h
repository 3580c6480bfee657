// Test helper: scans an in-process simulator into a SQLite graph store in a temporary
// directory, and counts the simulated tenant (the ground truth). Header-only; used only by
// tests.
#ifndef ATG_SCAN_TESTING_SIM_SCAN_H_
#define ATG_SCAN_TESTING_SIM_SCAN_H_

#include <map>
#include <memory>
#include <set>
#include <stop_token>
#include <string>

#include "azure/endpoints.h"
#include "common/strings.h"
#include "common/temp_dir.h"
#include "graph/sqlite_graph_store.h"
#include "scan/scan_client.h"
#include "scan/scanner.h"
#include "sim/simulator.h"

namespace atg::scan::testing {

struct SimScan {
  std::unique_ptr<sim::Simulator> simulator;
  std::unique_ptr<azure::AzureHttpClient> client;
  TempDir dir;
  std::unique_ptr<graph::GraphStore> store;

  // Starts the simulator (throttling off unless the options say otherwise) and opens the store.
  Status Start(sim::SimulatorOptions options) {
    auto s = sim::Simulator::Create(std::move(options));
    if (!s.ok()) return s.status();
    simulator = std::move(*s);
    ATG_RETURN_IF_ERROR(simulator->Start());
    auto endpoints = azure::AzureEndpoints::FromUrls(simulator->base_url(), simulator->base_url(),
                                                     simulator->base_url(), simulator->base_url());
    if (!endpoints.ok()) return endpoints.status();
    ScanClientConfig config;
    config.endpoints = *endpoints;
    config.tenant_id = simulator->credentials().tenant_id;
    config.client_id = simulator->credentials().client_id;
    config.client_secret = simulator->credentials().client_secret;
    auto c = MakeScanClient(config);
    if (!c.ok()) return c.status();
    client = std::move(*c);
    auto st = graph::OpenSqliteGraphStore(dir.path(), config.tenant_id);
    if (!st.ok()) return st.status();
    store = std::move(*st);
    return Status::Ok();
  }

  ScanOptions Options() const {
    ScanOptions o;
    o.tenant_id = simulator->credentials().tenant_id;
    return o;
  }

  Result<ScanSummary> Scan(ScanOptions o, std::stop_token stop = {}) {
    Scanner scanner(*client, store.get(), std::move(o));
    return scanner.Run(stop);
  }

  // Ground truth: lower-cased resource type -> count.
  std::map<std::string, int64_t> TruthByType() const {
    std::map<std::string, int64_t> m;
    for (const auto& r : simulator->tenant().resources) {
      ++m[ToLower(r.as_object().at("type").as_string())];
    }
    return m;
  }

  // Ground truth: every node key the graph must hold (ARM ids lower-cased, directory keys).
  std::set<std::string> TruthKeys() const {
    const sim::Tenant& t = simulator->tenant();
    std::set<std::string> keys;
    for (const auto& s : t.subscriptions) {
      keys.insert("/subscriptions/" + ToLower(s.as_object().at("subscriptionId").as_string()));
    }
    for (const auto& g : t.resource_groups)
      keys.insert(ToLower(g.as_object().at("id").as_string()));
    for (const auto& r : t.resources) keys.insert(ToLower(r.as_object().at("id").as_string()));
    for (const auto& u : t.users)
      keys.insert("/users/" + ToLower(u.as_object().at("id").as_string()));
    for (const auto& g : t.groups)
      keys.insert("/groups/" + ToLower(g.as_object().at("id").as_string()));
    for (const auto& p : t.service_principals) {
      keys.insert("/servicePrincipals/" + ToLower(p.as_object().at("id").as_string()));
    }
    return keys;
  }

  // Every node key in the store except tenant, tag and region nodes.
  std::set<std::string> StoredKeys() const {
    std::set<std::string> keys;
    graph::NodeFilter f;
    (void)store->ForEachNode(f, [&](graph::Node&& n) {
      if (n.label != graph::label::kTenant && n.label != graph::label::kTag &&
          n.label != graph::label::kRegion) {
        keys.insert(n.key);
      }
      return Status::Ok();
    });
    return keys;
  }
};

}  // namespace atg::scan::testing

#endif  // ATG_SCAN_TESTING_SIM_SCAN_H_
