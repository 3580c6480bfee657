// atg: Azure Tenant Grapher.
#include <cstdio>

#include "cli/commands.h"
#include "common/log.h"

int main(int argc, char** argv) {
  auto settings = atg::Settings::Load(".env");
  if (!settings.ok()) {
    std::fprintf(stderr, "atg: %s\n", settings.status().message().c_str());
    return 2;
  }
  atg::cli::CliContext ctx{std::move(settings.value())};

  CLI::App app{"atg - Azure Tenant Grapher: scan an Azure tenant into a graph and generate IaC"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--log-level", ctx.log_level, "debug|info|warning|error (env: LOG_LEVEL)");

  atg::cli::AddVersionCommand(app, ctx);
  atg::cli::AddDoctorCommand(app, ctx);
  atg::cli::AddSimulateCommand(app, ctx);
  atg::cli::AddGraphCommand(app, ctx);
  atg::cli::AddScanCommand(app, ctx);
  atg::cli::AddDemoCommand(app, ctx);
  atg::cli::AddGenerateIacCommand(app, ctx);
  atg::cli::AddServeCommand(app, ctx);
  atg::cli::AddJobsCommand(app, ctx);
  atg::cli::AddConfigCommand(app, ctx);
  atg::cli::AddBackupCommand(app, ctx);
  atg::cli::AddRestoreCommand(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}
