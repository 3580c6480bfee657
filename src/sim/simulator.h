// The Azure simulator: one HTTP server on loopback that serves, for one simulated tenant, the
// identity endpoints (Entra ID token, IMDS, App Service managed identity), ARM, Resource Graph,
// Microsoft Graph and a Key Vault secrets endpoint, behind the FrontDoor pipeline (bearer-token
// validation, Azure's throttling, simulated faults and latency). `atg simulate` runs one; tests
// and `atg demo` run one in-process on a free port.
//
// Usage:
//   auto sim = Simulator::Create(options);      // builds or loads the tenant
//   ATG_RETURN_IF_ERROR((*sim)->Start());       // binds and serves
//   (*sim)->base_url();                         // "http://127.0.0.1:PORT"
//   (*sim)->Stop();
//
// Thread-safety: Create/Start/Stop/WriteEnvFile from one controlling thread; the accessors may be
// called from any thread once Start has returned. Requests are served on the server's I/O
// threads.
#ifndef ATG_SIM_SIMULATOR_H_
#define ATG_SIM_SIMULATOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sim/generator.h"
#include "sim/tenant.h"
#include "sim/throttle.h"

namespace atg::sim {

struct SimulatorOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port; port() tells which
  int io_threads = 2;

  // The tenant: `tenant` when set (in-process callers), else `tenant_file` when not empty, else
  // generated from `generator`.
  std::optional<Tenant> tenant;
  std::string tenant_file;
  GeneratorOptions generator;

  int latency_ms = 0;
  ThrottleMode throttle = ThrottleMode::kRealistic;
  // Azure's published limits by default; tests shrink them to provoke 429 storms quickly.
  ThrottleLimits throttle_limits;
  double fault_rate = 0;  // 0..1
  uint64_t seed = 1;      // drives faults and the derived credentials below

  std::vector<std::string> forbidden_subscriptions;  // ARM answers 403 for these
  bool resource_graph_forbidden = false;             // Resource Graph answers 403

  // The app allowed to use client credentials. Empty values are derived from the tenant id and
  // `seed`, so the same seed gives the same credentials.
  std::string client_id;
  std::string client_secret;
  // The X-IDENTITY-HEADER of the App Service managed-identity endpoint; empty: derived.
  std::string identity_header;
  // Secrets served at /secrets/{name} (Key Vault data plane).
  std::map<std::string, std::string> key_vault_secrets;
};

// The credentials and identities a simulator accepts (what WriteEnvFile writes).
struct SimulatorCredentials {
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;
  std::string app_object_id;
  std::string managed_identity_client_id;
  std::string managed_identity_object_id;
  std::string managed_identity_resource_id;
  std::string identity_header;
  std::string federated_token;
};

class Simulator {
 public:
  // Builds the tenant (generated, loaded or given) and everything but the listening socket.
  // Errors: InvalidArgument for bad options or a bad tenant file (the message names the file and
  // the JSON path of the problem).
  static Result<std::unique_ptr<Simulator>> Create(SimulatorOptions options);
  ~Simulator();

  // Binds host:port and starts serving. Fails (Unavailable/IoError) when the port is taken.
  Status Start();
  // Stops accepting, lets in-flight requests finish (up to a short grace), joins the threads.
  // Idempotent; the destructor calls it.
  void Stop();

  uint16_t port() const;
  std::string base_url() const;  // "http://HOST:PORT"
  // The tenant as created (generated, loaded or given); template deployments do not change it.
  const Tenant& tenant() const;
  // The tenant as served now, template deployments included. Each deployment swaps in a new
  // snapshot (copy-on-write: the tenant is copied and re-indexed, so a deployment into a large
  // tenant costs about as much as building it); the returned one stays valid while held.
  std::shared_ptr<const Tenant> CurrentTenant() const;
  const SimulatorCredentials& credentials() const;
  const SimulatorOptions& options() const;

  // Writes the environment file that points atg at this simulator (ATG_*_ENDPOINT,
  // AZURE_AUTHORITY_HOST, AZURE_TENANT_ID/CLIENT_ID/CLIENT_SECRET, and, commented out, the
  // managed-identity and workload-identity alternatives), mode 0600, and the federated token
  // next to it ("<path>.federated-token", also 0600). Start must have succeeded.
  Status WriteEnvFile(const std::string& path) const;

 private:
  struct Impl;
  explicit Simulator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A UUID derived from (seed, label): stable across runs, distinct per label. kInternal when
// SHA-256 fails (common/sha256.h).
Result<std::string> DerivedUuid(uint64_t seed, std::string_view label);

}  // namespace atg::sim

#endif  // ATG_SIM_SIMULATOR_H_
