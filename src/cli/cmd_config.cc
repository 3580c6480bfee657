#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/json.h"
#include "common/settings_catalog.h"

namespace atg::cli {

void AddConfigCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("config", "What atg can be configured with");
  cmd->require_subcommand(1);
  auto* vars =
      cmd->add_subcommand("vars", "List every environment variable atg reads (never their values)");
  auto json_out = std::make_shared<bool>(false);
  auto scope = std::make_shared<std::string>();
  vars->add_flag("--json", *json_out, "Print one JSON array on stdout");
  vars->add_option("--scope", *scope, "Only general|server|client|azure variables")
      ->check(CLI::IsMember({"general", "server", "client", "azure"}));
  vars->callback([&ctx, json_out, scope] {
    json::array rows;
    for (const SettingSpec& s : SettingsCatalog()) {
      if (!scope->empty() && SettingScopeName(s.scope) != *scope) continue;
      if (*json_out) {
        rows.push_back(json::object{{"name", s.name},
                                    {"scope", SettingScopeName(s.scope)},
                                    {"default", s.default_value},
                                    {"secret", s.secret},
                                    {"required_group", s.required_group},
                                    {"summary", s.summary}});
      } else {
        std::printf("%-32s %-8s %-6s %-9s %s\n", std::string(s.name).c_str(),
                    std::string(SettingScopeName(s.scope)).c_str(), s.secret ? "secret" : "",
                    std::string(s.required_group).c_str(), std::string(s.summary).c_str());
      }
    }
    if (*json_out) std::printf("%s\n", json::serialize(rows).c_str());
    ctx.exit_code = 0;
  });
}

}  // namespace atg::cli
