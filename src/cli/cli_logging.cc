#include "cli/commands.h"
#include "common/log.h"

namespace atg::cli {

void SetUpCliLogging(const CliContext& ctx) {
  std::string text =
      ctx.log_level.empty() ? ctx.settings.GetString("LOG_LEVEL", "info") : ctx.log_level;
  LogLevel level = LogLevel::kInfo;
  if (!ParseLogLevel(text, &level)) level = LogLevel::kInfo;
  InitLogging(LogFormat::kText, level);
}

}  // namespace atg::cli
