// `atg simulate`: serve a simulated Azure tenant on loopback until SIGINT/SIGTERM.
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/log.h"
#include "sim/faults.h"
#include "sim/key_vault_api.h"
#include "sim/simulator.h"
#include "sim/throttle.h"

namespace atg::cli {

namespace {

struct SimulateFlags {
  sim::SimulatorOptions options;
  std::string throttle = "realistic";
  std::string dump_tenant;
  std::string env_file;
  std::vector<std::string> kv_secrets;
  int port = 0;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "atg simulate: %s\n", message.c_str());
  return 2;
}

int RunSimulate(CliContext& ctx, SimulateFlags& f) {
  SetUpCliLogging(ctx);
  sim::SimulatorOptions& o = f.options;
  if (!o.client_secret.empty()) RegisterSecret(o.client_secret);
  auto mode = sim::ParseThrottleMode(f.throttle);
  if (!mode.ok()) return UsageError(mode.status().message());
  o.throttle = *mode;
  if (Status s = sim::ValidateFaultRate(o.fault_rate); !s.ok()) return UsageError(s.message());
  for (const auto& flag : f.kv_secrets) {
    auto kv = sim::ParseKeyVaultSecretFlag(flag);
    if (!kv.ok()) return UsageError(kv.status().message());
    RegisterSecret(kv->second);
    o.key_vault_secrets[kv->first] = kv->second;
  }
  o.port = static_cast<uint16_t>(f.port);
  o.seed = o.generator.seed;

  // Signals are blocked before any server thread exists, so that every thread inherits the mask
  // and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto created = sim::Simulator::Create(o);
  if (!created.ok()) {
    std::fprintf(stderr, "atg simulate: %s\n", created.status().message().c_str());
    return created.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  sim::Simulator& simulator = **created;
  const sim::Tenant& tenant = simulator.tenant();
  if (!f.dump_tenant.empty()) {
    if (Status s = sim::DumpTenantFile(tenant, f.dump_tenant); !s.ok()) {
      std::fprintf(stderr, "atg simulate: --dump-tenant: %s\n", s.message().c_str());
      return 1;
    }
  }
  if (Status s = simulator.Start(); !s.ok()) {
    std::fprintf(stderr, "atg simulate: cannot listen on %s:%d: %s\n", o.host.c_str(), f.port,
                 s.message().c_str());
    return 1;
  }
  if (!f.env_file.empty()) {
    if (Status s = simulator.WriteEnvFile(f.env_file); !s.ok()) {
      std::fprintf(stderr, "atg simulate: --env-file: %s\n", s.message().c_str());
      simulator.Stop();
      return 1;
    }
  }
  std::fprintf(stderr,
               "atg simulate: listening on %s (tenant %s, %zu resources, %zu subscriptions, %zu "
               "users, %zu groups, %zu service principals; throttle %s, fault rate %g, latency "
               "%d ms)\n",
               simulator.base_url().c_str(), tenant.tenant_id.c_str(), tenant.resources.size(),
               tenant.subscriptions.size(), tenant.users.size(), tenant.groups.size(),
               tenant.service_principals.size(), f.throttle.c_str(), o.fault_rate, o.latency_ms);
  std::fprintf(stdout, "%s\n", simulator.base_url().c_str());
  std::fflush(stdout);
  std::fflush(stderr);

  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
  }
  LogInfo("atg simulate: received {}, stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  simulator.Stop();
  return 0;
}

}  // namespace

void AddSimulateCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<SimulateFlags>();
  sim::SimulatorOptions& o = f->options;
  auto* cmd = app.add_subcommand("simulate", "Serve a simulated Azure tenant on loopback");
  cmd->add_option("--host", o.host, "Address to listen on");
  cmd->add_option("--port", f->port, "Port (0 picks a free one; it is printed)")
      ->check(CLI::Range(0, 65535));
  auto* subs =
      cmd->add_option("--subscriptions", o.generator.subscriptions, "Subscriptions to generate")
          ->check(CLI::Range(1, 10000));
  auto* res = cmd->add_option("--resources", o.generator.resources, "ARM resources to generate")
                  ->check(CLI::Range(0, 10000000));
  auto* users = cmd->add_option("--users", o.generator.users, "Users to generate")
                    ->check(CLI::Range(0, 10000000));
  auto* groups = cmd->add_option("--groups", o.generator.groups, "Groups to generate")
                     ->check(CLI::Range(0, 10000000));
  auto* sps = cmd->add_option("--service-principals", o.generator.service_principals,
                              "Service principals to generate")
                  ->check(CLI::Range(0, 10000000));
  auto* tid =
      cmd->add_option("--tenant-id", o.generator.tenant_id, "Tenant id of the generated tenant");
  cmd->add_option("--seed", o.generator.seed, "Seed for the tenant, credentials and faults");
  // A tenant file fixes the tenant; generator flags next to it would silently do nothing.
  cmd->add_option("--tenant-file", o.tenant_file, "Serve this tenant file instead of generating")
      ->excludes(subs)
      ->excludes(res)
      ->excludes(users)
      ->excludes(groups)
      ->excludes(sps)
      ->excludes(tid);
  cmd->add_option("--dump-tenant", f->dump_tenant, "Write the served tenant to this file");
  cmd->add_option("--latency-ms", o.latency_ms, "Delay every response by this much")
      ->check(CLI::Range(0, 600000));
  cmd->add_option("--throttle", f->throttle, "realistic|off");
  cmd->add_option("--fault-rate", o.fault_rate, "Fraction of requests that fail (0..1)");
  cmd->add_option("--env-file", f->env_file, "Write the variables that point atg here");
  cmd->add_option("--forbid-subscription", o.forbidden_subscriptions,
                  "ARM answers 403 for this subscription (repeatable)");
  cmd->add_flag("--no-resource-graph", o.resource_graph_forbidden,
                "Resource Graph answers 403 (the caller lacks access)");
  cmd->add_option("--client-id", o.client_id, "The app id that may use client credentials");
  cmd->add_option("--client-secret", o.client_secret, "Its secret (default: derived from seed)");
  cmd->add_option("--kv-secret", f->kv_secrets, "NAME=VALUE served at /secrets/NAME (repeatable)");
  cmd->add_option("--io-threads", o.io_threads, "Server I/O threads")->check(CLI::Range(1, 64));
  cmd->callback([&ctx, f] { ctx.exit_code = RunSimulate(ctx, *f); });
}

}  // namespace atg::cli
