// Running a command's work on the ATG service (`--remote` or ATG_REMOTE_MODE=true): submit the
// job, follow its progress on stderr, and report the result exactly as the local command would
// (the same JSON summary on stdout with --json, the same exit codes). SIGINT/SIGTERM while
// waiting cancel the remote job.
//
// Thread-safety: called from the CLI's main thread.
#ifndef ATG_CLI_REMOTE_RUN_H_
#define ATG_CLI_REMOTE_RUN_H_

#include <functional>
#include <string>

#include "cli/commands.h"
#include "common/json.h"

namespace atg::cli {

struct RemoteRun {
  std::string kind;   // "scan" | "generate-iac"
  json::object body;  // the request body: the command's flags
  bool json = false;
  const char* program = "atg";
  // Called with the completed job's id and result to finish the command (e.g. download and
  // unpack IaC output); returns the exit code. Empty: print the result and exit 0 (3 for a
  // scan with failed scopes).
  std::function<int(const std::string& job_id, const json::object& result)> on_completed;
};

// The exit code, or -1 when the service could not be reached and ATG_FALLBACK_TO_LOCAL=true:
// the caller then runs the work locally.
int RunRemote(CliContext& ctx, const RemoteRun& run);

}  // namespace atg::cli

#endif  // ATG_CLI_REMOTE_RUN_H_
