// The catalog of every environment variable `atg` reads: its name, who reads it, its default,
// whether its value is a secret, and whether `atg serve` needs it set.
//
// This table is the one place the program's settings are declared. A unit test fails when any
// source file names a variable that is not listed here, and `atg config vars --json` prints the
// table, so deployment descriptors (Dockerfile, compose file, Bicep, workflows) are checked
// against what the program really reads rather than against a list kept somewhere else.
//
// Thread-safety: the catalog is immutable static data; every function may be called from any
// thread.
#ifndef ATG_COMMON_SETTINGS_CATALOG_H_
#define ATG_COMMON_SETTINGS_CATALOG_H_

#include <span>
#include <string_view>

namespace atg {

// Who reads a variable.
enum class SettingScope {
  kGeneral,  // every command (logging, data directory)
  kServer,   // `atg serve`
  kClient,   // remote mode (`--remote`, `atg jobs`)
  kAzure,    // the Azure identity and endpoints, used by every command that talks to Azure
};

struct SettingSpec {
  std::string_view name;
  SettingScope scope;
  // The default as a person would write it; empty when there is none.
  std::string_view default_value;
  // True when the value must never be shown (logs, errors, `atg doctor`, artifacts).
  bool secret;
  // Non-empty when `atg serve` refuses to start unless at least one variable of this group is
  // set: "api-keys" (a source of API keys) or "tenant" (the tenant the service may scan).
  std::string_view required_group;
  std::string_view summary;
};

// Every variable, sorted by name.
std::span<const SettingSpec> SettingsCatalog();

// The entry for `name`, or nullptr when the program does not read such a variable.
const SettingSpec* FindSetting(std::string_view name);

// "general", "server", "client", "azure".
std::string_view SettingScopeName(SettingScope scope);

}  // namespace atg

#endif  // ATG_COMMON_SETTINGS_CATALOG_H_
