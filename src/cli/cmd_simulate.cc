#include "cli/commands.h"

namespace atg::cli {

void AddSimulateCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("simulate", "Serve a simulated Azure tenant on loopback");
  cmd->callback([&ctx] { ctx.exit_code = 1; });
}

}  // namespace atg::cli
