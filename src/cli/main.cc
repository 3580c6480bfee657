// atg: Azure Tenant Grapher.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/commands.h"
#include "common/log.h"

namespace {

// SQLite (statement journals, large sorts) and `atg backup` (staging) write temporary files under
// $TMPDIR. The image runs on a read-only root filesystem and points TMPDIR into the data volume,
// which starts empty: create the directory, owner-only, before anything needs it. A TMPDIR that
// cannot be created is reported by the first writer with its own context.
void EnsureTempDir() {
  const char* dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') return;
  if (::mkdir(dir, 0700) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "atg: warning: cannot create TMPDIR: %s\n", std::strerror(errno));
  }
}

}  // namespace

int main(int argc, char** argv) {
  EnsureTempDir();
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
