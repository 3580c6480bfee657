// `atg serve`: the HTTP service (DESIGN.md §3.3; docs/api.md, docs/operations.md).
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/log.h"
#include "server/service.h"

namespace atg::cli {
namespace {

struct ServeFlags {
  std::string host;
  int port = -1;
  bool start_fresh = false;
};

int RunServe(CliContext& ctx, const ServeFlags& f) {
  LogLevel level = LogLevel::kInfo;
  std::string level_text =
      ctx.log_level.empty() ? ctx.settings.GetString("LOG_LEVEL", "info") : ctx.log_level;
  if (!ParseLogLevel(level_text, &level)) {
    std::fprintf(stderr, "atg serve: LOG_LEVEL=%s is not one of debug, info, warning, error\n",
                 level_text.c_str());
    return 2;
  }
  InitLogging(LogFormat::kJson, level);
  // Everything the service creates (job database and its WAL, graphs, artifacts, audit log,
  // directories) is readable by this user only: 0600 files, 0700 directories.
  ::umask(077);
  Settings settings = ctx.settings;
  if (f.start_fresh) settings.SetFlag("ATG_JOB_DB_START_FRESH", "true");
  if (!f.host.empty()) settings.SetFlag("ATG_SERVER_HOST", f.host);
  if (f.port >= 0) settings.SetFlag("ATG_SERVER_PORT", std::to_string(f.port));
  auto grace_s = settings.GetInt("ATG_SHUTDOWN_GRACE_SECONDS", 10, 0, 3600);
  if (!grace_s.ok()) {
    std::fprintf(stderr, "atg serve: %s\n", grace_s.status().message().c_str());
    return 2;
  }

  // Signals are taken synchronously by this thread (sigwait), so every thread the service starts
  // must inherit the blocked mask: block before creating anything.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::ServiceOverrides overrides;
  overrides.version = ATG_VERSION;
  auto service = server::Service::Create(settings, overrides);
  if (!service.ok()) {
    std::fprintf(stderr, "atg serve: %s\n", service.status().message().c_str());
    return service.status().code() == StatusCode::kInvalidArgument ? 2 : 1;
  }
  if (Status s = (*service)->Start(); !s.ok()) {
    std::fprintf(stderr, "atg serve: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("atg serve: listening on %s\n", (*service)->url().c_str());
  std::fflush(stdout);

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      // Re-read .env and the key file / Key Vault; the process environment is as it was.
      auto fresh = Settings::Load(".env");
      if (!fresh.ok()) {
        Log(LogLevel::kError, "API key reload failed; the current keys stay in force",
            {{"reason", fresh.status().message()}});
        continue;
      }
      (void)(*service)->ReloadKeys(*fresh);
      continue;
    }
    Log(LogLevel::kInfo, "shutting down",
        {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
         {"grace_seconds", std::to_string(*grace_s)}});
    (*service)->Shutdown(std::chrono::seconds(*grace_s));
    Log(LogLevel::kInfo, "stopped");
    return 0;
  }
}

}  // namespace

void AddServeCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<ServeFlags>();
  auto* cmd =
      app.add_subcommand("serve", "Run the ATG HTTP service (API keys, job queue, workers)");
  cmd->add_option("--host", f->host, "Address to listen on (env: ATG_SERVER_HOST, 127.0.0.1)");
  cmd->add_option("--port", f->port, "Port; 0 picks a free one (env: ATG_SERVER_PORT, 8000)")
      ->check(CLI::Range(0, 65535));
  cmd->add_flag("--start-fresh", f->start_fresh,
                "When the job database is damaged, keep it aside and start with an empty one "
                "(env: ATG_JOB_DB_START_FRESH)");
  cmd->callback([&ctx, f] { ctx.exit_code = RunServe(ctx, *f); });
}

}  // namespace atg::cli
