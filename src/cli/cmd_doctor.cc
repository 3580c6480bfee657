#include "cli/commands.h"

namespace atg::cli {

// Filled in by the doctor work item (credentials, endpoints, stores).
void AddDoctorCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("doctor", "Check credentials, endpoints and stores");
  cmd->callback([&ctx] { ctx.exit_code = 0; });
}

}  // namespace atg::cli
