// The sub-commands of `atg`. Each Add*Command registers one sub-command on the CLI11 app; its
// callback stores the process exit code in `ctx.exit_code` (0 ok, 1 failed, 2 usage, 3 partial).
//
// Thread-safety: called once from main before parsing.
#ifndef ATG_CLI_COMMANDS_H_
#define ATG_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "common/config.h"

namespace atg::cli {

struct CliContext {
  Settings settings;
  int exit_code = 0;
  std::string log_level = "";  // --log-level, empty means LOG_LEVEL or "info"
};

// Applies --log-level / LOG_LEVEL to text logging on stderr.
void SetUpCliLogging(const CliContext& ctx);

void AddVersionCommand(CLI::App& app, CliContext& ctx);
void AddDoctorCommand(CLI::App& app, CliContext& ctx);
void AddSimulateCommand(CLI::App& app, CliContext& ctx);
void AddGraphCommand(CLI::App& app, CliContext& ctx);
// `atg graph history` and `atg graph diff`, under the `graph` command.
void AddGraphHistoryCommands(CLI::App* graph, CliContext& ctx);
// `atg graph show`, `neighbors` and `path`, under the `graph` command.
void AddGraphReadCommands(CLI::App* graph, CliContext& ctx);
void AddScanCommand(CLI::App& app, CliContext& ctx);
void AddDemoCommand(CLI::App& app, CliContext& ctx);
void AddGenerateIacCommand(CLI::App& app, CliContext& ctx);
void AddServeCommand(CLI::App& app, CliContext& ctx);
void AddJobsCommand(CLI::App& app, CliContext& ctx);
void AddConfigCommand(CLI::App& app, CliContext& ctx);
void AddBackupCommand(CLI::App& app, CliContext& ctx);
void AddRestoreCommand(CLI::App& app, CliContext& ctx);

}  // namespace atg::cli

#endif  // ATG_CLI_COMMANDS_H_
