// Settings: where every configurable value comes from, with one precedence for the whole
// program: command-line flag > process environment > `.env` file > built-in default.
//
// Typed getters validate and, on failure, return a Status whose message names the variable,
// the bad value (never for secret variables) and what is accepted.
//
// Thread-safety: a Settings is immutable after construction and flag setting; concurrent reads
// are safe.
#ifndef ATG_COMMON_CONFIG_H_
#define ATG_COMMON_CONFIG_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atg {

class Settings {
 public:
  // Reads `dotenv_path` if it exists (a missing file is not an error; a malformed line is,
  // naming file and line) and snapshots the process environment.
  static Result<Settings> Load(const std::string& dotenv_path = ".env");

  // Builds settings from explicit maps (tests).
  static Settings FromMaps(std::map<std::string, std::string> env,
                           std::map<std::string, std::string> dotenv);

  // Records a value given on the command line for variable `name` (highest precedence).
  void SetFlag(const std::string& name, const std::string& value);

  // The raw value and where it came from ("flag", "env", ".env"); nullopt when unset.
  std::optional<std::string> Get(std::string_view name) const;
  std::string SourceOf(std::string_view name) const;  // "flag" | "env" | ".env" | "default"

  std::string GetString(std::string_view name, std::string_view default_value) const;
  Result<int64_t> GetInt(std::string_view name, int64_t default_value, int64_t min,
                         int64_t max) const;
  Result<double> GetDouble(std::string_view name, double default_value, double min,
                           double max) const;
  // Accepts true/false, 1/0, yes/no, on/off (any case).
  Result<bool> GetBool(std::string_view name, bool default_value) const;

  // True for variable names whose values must never be shown (passwords, secrets, keys, tokens).
  static bool IsSecretName(std::string_view name);

 private:
  std::map<std::string, std::string, std::less<>> flags_;
  std::map<std::string, std::string, std::less<>> env_;
  std::map<std::string, std::string, std::less<>> dotenv_;
};

// Parses the text of a `.env` file: `KEY=value`, `export KEY=value`, comments, blank lines,
// single- or double-quoted values. `source` names the file in errors.
Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text,
                                                       std::string_view source);

}  // namespace atg

#endif  // ATG_COMMON_CONFIG_H_
