#include "sim/simulator.h"

#include <atomic>
#include <mutex>
#include <set>

#include "common/base64.h"
#include "common/file.h"
#include "common/log.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "net/http_server.h"
#include "sim/arm_api.h"
#include "sim/front_door.h"
#include "sim/graph_api.h"
#include "sim/jwt.h"
#include "sim/key_vault_api.h"
#include "sim/resource_graph_api.h"
#include "sim/tenant_index.h"
#include "sim/token_service.h"

namespace atg::sim {

namespace {

Result<std::string> DerivedSecret(uint64_t seed, std::string_view tenant) {
  // Shaped like an Entra ID client secret value: 40 characters with "8Q~" after the first three.
  auto mac =
      HmacSha256("atg-simulator-client-secret", std::string(tenant) + "|" + std::to_string(seed));
  if (!mac.ok()) return mac.status();
  std::string enc = Base64UrlEncode(*mac);
  return enc.substr(0, 3) + "8Q~" + enc.substr(3, 34);
}

// Collects the first error of a series of derivations, so that they read as assignments.
class FirstError {
 public:
  std::string operator()(Result<std::string> r) {
    if (r.ok()) return std::move(r.value());
    if (status_.ok()) status_ = r.status();
    return "";
  }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

}  // namespace

Result<std::string> DerivedUuid(uint64_t seed, std::string_view label) {
  auto digest = Sha256(std::to_string(seed) + "|" + std::string(label));
  if (!digest.ok()) return digest.status();
  std::string h = HexEncode(*digest);
  // Version 4 layout so the value passes any GUID check.
  h[12] = '4';
  static constexpr char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) % 4];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

// One version of the served tenant with the handlers answering from it. A deployment builds a
// new one and swaps it in; requests in flight keep the version they started with.
struct SimulatorSnapshot {
  std::shared_ptr<const Tenant> tenant;
  std::unique_ptr<TenantIndex> index;
  std::unique_ptr<ArmApi> arm;
  std::unique_ptr<ResourceGraphApi> resource_graph;
  std::unique_ptr<GraphApi> graph;
};

struct Simulator::Impl : DeploymentRunner {
  SimulatorOptions options;
  std::shared_ptr<const Tenant> initial_tenant;
  SimulatorCredentials credentials;
  ApiOptions api;
  DeploymentStore deployments;

  mutable std::mutex served_mu;  // guards `served` (the pointer, not what it points to)
  std::shared_ptr<const SimulatorSnapshot> served;
  std::mutex deploy_mu;  // one deployment at a time

  std::unique_ptr<TokenService> tokens;
  std::unique_ptr<Throttle> throttle;
  std::unique_ptr<FaultInjector> faults;
  std::unique_ptr<KeyVaultApi> key_vault;
  std::unique_ptr<FrontDoor> door;
  // Set once the APIs know the server's URL; requests before that (none can know the port yet)
  // get a 503.
  std::atomic<const FrontDoor*> live_door{nullptr};
  std::unique_ptr<net::HttpServer> server;
  uint16_t port = 0;
  bool started = false;

  std::shared_ptr<const SimulatorSnapshot> Current() const {
    std::lock_guard<std::mutex> lock(served_mu);
    return served;
  }

  std::shared_ptr<const SimulatorSnapshot> Build(std::shared_ptr<const Tenant> tenant) {
    auto s = std::make_shared<SimulatorSnapshot>();
    s->tenant = std::move(tenant);
    s->index = std::make_unique<TenantIndex>(*s->tenant);
    s->arm = std::make_unique<ArmApi>(*s->index, api, &deployments, this);
    s->resource_graph = std::make_unique<ResourceGraphApi>(*s->index, api);
    s->graph = std::make_unique<GraphApi>(*s->index, api);
    return s;
  }

  DeploymentOutcome Run(const DeploymentTarget& target, const json::object& properties) override {
    std::lock_guard<std::mutex> deploying(deploy_mu);
    auto current = Current();
    auto next = std::make_shared<Tenant>(*current->tenant);
    DeploymentOutcome outcome = DeployTemplate(*next, target, properties);
    if (outcome.error || (outcome.created == 0 && outcome.updated == 0)) return outcome;
    auto built = Build(std::move(next));
    std::lock_guard<std::mutex> lock(served_mu);
    served = std::move(built);
    return outcome;
  }

  net::HttpResponse Serve(net::HttpRequest& request) const {
    const FrontDoor* d = live_door.load(std::memory_order_acquire);
    if (!d) return ArmError(503, "ServiceUnavailable", "The simulator is starting; retry.");
    return d->Handle(request);
  }
};

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Simulator::~Simulator() { Stop(); }

Result<std::unique_ptr<Simulator>> Simulator::Create(SimulatorOptions options) {
  ATG_RETURN_IF_ERROR(ValidateFaultRate(options.fault_rate));
  if (options.latency_ms < 0 || options.latency_ms > 600000) {
    return Status::InvalidArgument("--latency-ms must be between 0 and 600000, not " +
                                   std::to_string(options.latency_ms));
  }
  if (options.io_threads < 1 || options.io_threads > 64) {
    return Status::InvalidArgument("--io-threads must be between 1 and 64, not " +
                                   std::to_string(options.io_threads));
  }
  auto impl = std::make_unique<Impl>();
  if (options.tenant) {
    impl->initial_tenant = std::make_shared<const Tenant>(std::move(*options.tenant));
    options.tenant.reset();
  } else if (!options.tenant_file.empty()) {
    auto loaded = LoadTenantFile(options.tenant_file);
    if (!loaded.ok()) return loaded.status();
    impl->initial_tenant = std::make_shared<const Tenant>(std::move(loaded.value()));
  } else {
    auto generated = GenerateTenant(options.generator);
    if (!generated.ok()) return generated.status();
    impl->initial_tenant = std::make_shared<const Tenant>(std::move(generated.value()));
  }
  const Tenant& tenant = *impl->initial_tenant;

  SimulatorCredentials& c = impl->credentials;
  FirstError derived;
  c.tenant_id = tenant.tenant_id;
  c.client_id = options.client_id.empty()
                    ? derived(DerivedUuid(options.seed, tenant.tenant_id + "|client"))
                    : options.client_id;
  c.client_secret = options.client_secret.empty()
                        ? derived(DerivedSecret(options.seed, tenant.tenant_id))
                        : options.client_secret;
  RegisterSecret(c.client_secret);
  c.app_object_id = derived(DerivedUuid(options.seed, tenant.tenant_id + "|app-object"));
  for (const auto& sp : tenant.service_principals) {
    const json::object* o = sp.if_object();
    if (o && EqualsIgnoreCase(FindString(o, "appId").value_or(""), c.client_id)) {
      c.app_object_id = std::string(FindString(o, "id").value_or(c.app_object_id));
      break;
    }
  }
  // The managed identity: the tenant's first user-assigned identity when it has one.
  c.managed_identity_client_id =
      derived(DerivedUuid(options.seed, tenant.tenant_id + "|mi-client"));
  c.managed_identity_object_id =
      derived(DerivedUuid(options.seed, tenant.tenant_id + "|mi-object"));
  std::string first_sub;
  if (!tenant.subscriptions.empty() && tenant.subscriptions[0].is_object())
    first_sub = std::string(
        FindString(&tenant.subscriptions[0].as_object(), "subscriptionId").value_or(""));
  c.managed_identity_resource_id = "/subscriptions/" + first_sub +
                                   "/resourceGroups/atg-simulator/providers/"
                                   "Microsoft.ManagedIdentity/userAssignedIdentities/atg-scanner";
  for (const auto& r : tenant.resources) {
    const json::object* o = r.if_object();
    if (!o || !EqualsIgnoreCase(FindString(o, "type").value_or(""),
                                "Microsoft.ManagedIdentity/userAssignedIdentities"))
      continue;
    const json::object* props = FindObject(o, "properties");
    auto client = FindString(props, "clientId");
    auto principal = FindString(props, "principalId");
    if (client && principal) {
      c.managed_identity_client_id = std::string(*client);
      c.managed_identity_object_id = std::string(*principal);
      c.managed_identity_resource_id = std::string(FindString(o, "id").value_or(""));
      break;
    }
  }
  if (options.identity_header.empty()) {
    std::string digest = derived(Sha256("identity-header|" + c.client_secret));
    c.identity_header = HexEncode(digest).substr(0, 32);
  } else {
    c.identity_header = options.identity_header;
  }
  RegisterSecret(c.identity_header);

  // The federated token a workload would find in AZURE_FEDERATED_TOKEN_FILE, signed with a key
  // derived from the client secret so that nobody else can mint one.
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::string federation_key = derived(HmacSha256(c.client_secret, "federation"));
  c.federated_token =
      derived(SignJwt(json::object{{"iss", "https://oidc.atg-simulator.local/" + c.tenant_id + "/"},
                                   {"sub", "system:serviceaccount:atg:atg-scanner"},
                                   {"aud", json::array{"api://AzureADTokenExchange"}},
                                   {"iat", now},
                                   {"nbf", now},
                                   {"exp", now + 24 * 3600}},
                      federation_key, "atg-simulator-oidc"));
  if (!derived.status().ok()) {
    return derived.status().WithContext("deriving the simulator's credentials");
  }

  TokenServiceOptions t;
  t.tenant_id = c.tenant_id;
  t.client_id = c.client_id;
  t.client_secret = c.client_secret;
  t.app_object_id = c.app_object_id;
  t.managed_identity_client_id = c.managed_identity_client_id;
  t.managed_identity_object_id = c.managed_identity_object_id;
  t.managed_identity_resource_id = c.managed_identity_resource_id;
  t.identity_header = c.identity_header;
  t.federated_token = c.federated_token;
  impl->tokens = std::make_unique<TokenService>(std::move(t));

  impl->throttle = std::make_unique<Throttle>(options.throttle, options.throttle_limits);
  impl->faults = std::make_unique<FaultInjector>(options.fault_rate, options.seed);
  impl->key_vault = std::make_unique<KeyVaultApi>(options.key_vault_secrets);
  impl->options = std::move(options);
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

Status Simulator::Start() {
  Impl& s = *impl_;
  if (s.started) return Status::FailedPrecondition("the simulator is already running");
  net::ServerOptions so;
  so.host = s.options.host;
  so.port = s.options.port;
  so.io_threads = s.options.io_threads;
  so.port_advice = "choose another with --port, or --port 0 to pick a free one";
  // A local stand-in for Azure: every client is this machine, and Terraform providers keep
  // their connections for a while.
  so.max_connections_per_address = 0;
  so.idle_timeout = std::chrono::seconds(75);
  Impl* raw = impl_.get();
  s.server = std::make_unique<net::HttpServer>(
      so, [raw](net::HttpRequest& request) { return raw->Serve(request); });
  ATG_RETURN_IF_ERROR(s.server->Start());
  s.port = s.server->port();
  s.started = true;

  ApiOptions& api = s.api;
  api.forbidden_subscriptions = std::set<std::string>(s.options.forbidden_subscriptions.begin(),
                                                      s.options.forbidden_subscriptions.end());
  api.resource_graph_forbidden = s.options.resource_graph_forbidden;
  api.arm_base_url = base_url();
  api.graph_base_url = base_url();
  {
    auto built = s.Build(s.initial_tenant);
    std::lock_guard<std::mutex> lock(s.served_mu);
    s.served = std::move(built);
  }

  auto context = [](const Caller& c) { return CallerContext{c.principal_id, c.tenant_id}; };
  std::vector<Route> routes;
  routes.push_back({ApiSurface::kResourceGraph, &ResourceGraphApi::Claims,
                    [raw, context](const net::HttpRequest& r, const Caller& c) {
                      return raw->Current()->resource_graph->Handle(r, context(c));
                    }});
  routes.push_back({ApiSurface::kArm, &ArmApi::Claims,
                    [raw, context](const net::HttpRequest& r, const Caller& c) {
                      return raw->Current()->arm->Handle(r, context(c));
                    }});
  routes.push_back({ApiSurface::kGraph, &GraphApi::Claims,
                    [raw, context](const net::HttpRequest& r, const Caller& c) {
                      return raw->Current()->graph->Handle(r, context(c));
                    }});
  routes.push_back(
      {ApiSurface::kKeyVault, &KeyVaultApi::Claims,
       [raw](const net::HttpRequest& r, const Caller&) { return raw->key_vault->Handle(r); }});
  s.door = std::make_unique<FrontDoor>(s.tokens.get(), s.throttle.get(), s.faults.get(),
                                       std::move(routes),
                                       std::chrono::milliseconds(s.options.latency_ms));
  s.live_door.store(s.door.get(), std::memory_order_release);
  return Status::Ok();
}

void Simulator::Stop() {
  if (!impl_ || !impl_->started) return;
  impl_->server->Stop(std::chrono::milliseconds(2000));
  impl_->started = false;
}

uint16_t Simulator::port() const { return impl_->port; }

std::string Simulator::base_url() const {
  const std::string& host = impl_->options.host;
  bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

const Tenant& Simulator::tenant() const { return *impl_->initial_tenant; }

std::shared_ptr<const Tenant> Simulator::CurrentTenant() const {
  auto served = impl_->Current();
  return served ? served->tenant : impl_->initial_tenant;
}
const SimulatorCredentials& Simulator::credentials() const { return impl_->credentials; }
const SimulatorOptions& Simulator::options() const { return impl_->options; }

Status Simulator::WriteEnvFile(const std::string& path) const {
  if (impl_->port == 0) {
    return Status::FailedPrecondition("the simulator must be started before writing " + path);
  }
  const SimulatorCredentials& c = impl_->credentials;
  std::string url = base_url();
  std::string token_file = path + ".federated-token";
  ATG_RETURN_IF_ERROR(
      WriteFileAtomically(token_file, c.federated_token + "\n", /*owner_only=*/true));
  std::string text =
      "# Points atg at the Azure simulator (`atg simulate`). Use: source THIS_FILE\n"
      "# It holds a client secret: keep it private (mode 0600).\n"
      "export ATG_ARM_ENDPOINT=" +
      url +
      "\n"
      "export ATG_GRAPH_ENDPOINT=" +
      url +
      "\n"
      "export ATG_KEY_VAULT_ENDPOINT=" +
      url +
      "\n"
      "export ATG_IMDS_ENDPOINT=" +
      url +
      "\n"
      "export AZURE_AUTHORITY_HOST=" +
      url +
      "\n"
      "export AZURE_TENANT_ID=" +
      c.tenant_id +
      "\n"
      "export AZURE_CLIENT_ID=" +
      c.client_id +
      "\n"
      "export AZURE_CLIENT_SECRET=" +
      c.client_secret +
      "\n"
      "\n"
      "# Managed identity (App Service / Container Apps form) instead of the client secret:\n"
      "# unset AZURE_CLIENT_SECRET and AZURE_CLIENT_ID (a client id selects a user-assigned\n"
      "# identity, as in the Azure SDKs) and uncomment these two.\n"
      "# export IDENTITY_ENDPOINT=" +
      url +
      "/msi/token\n"
      "# export IDENTITY_HEADER=" +
      c.identity_header +
      "\n"
      "\n"
      "# Workload identity (federated credential) instead of the client secret:\n"
      "# unset AZURE_CLIENT_SECRET and uncomment this.\n"
      "# export AZURE_FEDERATED_TOKEN_FILE=" +
      token_file + "\n";
  return WriteFileAtomically(path, text, /*owner_only=*/true);
}

}  // namespace atg::sim
