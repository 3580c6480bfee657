#include "common/config.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/strings.h"

extern char** environ;

namespace atg {

Result<std::map<std::string, std::string>> ParseDotEnv(std::string_view text,
                                                       std::string_view source) {
  std::map<std::string, std::string> out;
  int line_no = 0;
  for (const std::string& raw : Split(text, '\n')) {
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = Trim(line.substr(7));
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line_no) +
                                     ": expected KEY=value");
    }
    std::string key(Trim(line.substr(0, eq)));
    for (char c : key) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
        return Status::InvalidArgument(std::string(source) + ":" + std::to_string(line_no) +
                                       ": invalid variable name '" + key + "'");
      }
    }
    std::string_view value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    } else {
      // An unquoted value ends at " #" (inline comment).
      size_t hash = value.find(" #");
      if (hash != std::string_view::npos) value = Trim(value.substr(0, hash));
    }
    out[key] = std::string(value);
  }
  return out;
}

Result<Settings> Settings::Load(const std::string& dotenv_path) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  std::map<std::string, std::string> dotenv;
  if (!dotenv_path.empty()) {
    std::ifstream in(dotenv_path);
    if (in) {
      std::stringstream ss;
      ss << in.rdbuf();
      auto parsed = ParseDotEnv(ss.str(), dotenv_path);
      if (!parsed.ok()) return parsed.status();
      dotenv = std::move(parsed.value());
    }
  }
  return FromMaps(std::move(env), std::move(dotenv));
}

Settings Settings::FromMaps(std::map<std::string, std::string> env,
                            std::map<std::string, std::string> dotenv) {
  Settings s;
  for (auto& [k, v] : env) s.env_.emplace(k, std::move(v));
  for (auto& [k, v] : dotenv) s.dotenv_.emplace(k, std::move(v));
  return s;
}

void Settings::SetFlag(const std::string& name, const std::string& value) { flags_[name] = value; }

std::optional<std::string> Settings::Get(std::string_view name) const {
  if (auto it = flags_.find(name); it != flags_.end()) return it->second;
  if (auto it = env_.find(name); it != env_.end()) return it->second;
  if (auto it = dotenv_.find(name); it != dotenv_.end()) return it->second;
  return std::nullopt;
}

std::string Settings::SourceOf(std::string_view name) const {
  if (flags_.count(name)) return "flag";
  if (env_.count(name)) return "env";
  if (dotenv_.count(name)) return ".env";
  return "default";
}

std::string Settings::GetString(std::string_view name, std::string_view default_value) const {
  auto v = Get(name);
  return v ? *v : std::string(default_value);
}

bool Settings::IsSecretName(std::string_view name) {
  std::string n = ToLower(name);
  for (const char* word : {"secret", "password", "token", "api_key", "apikey", "key_file",
                           "connection_string", "account_key", "sas"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  // *_KEY: account and access keys (ATG_ARTIFACT_BLOB_KEY), whatever their prefix.
  return n == "atg_api_keys" || n == "identity_header" || n.ends_with("_key");
}

static std::string Shown(std::string_view name, const std::string& value) {
  return Settings::IsSecretName(name) ? std::string("(hidden)") : "'" + value + "'";
}

Result<int64_t> Settings::GetInt(std::string_view name, int64_t default_value, int64_t min,
                                 int64_t max) const {
  auto v = Get(name);
  if (!v || Trim(*v).empty()) return default_value;
  std::string t(Trim(*v));
  errno = 0;
  char* end = nullptr;
  long long n = std::strtoll(t.c_str(), &end, 10);
  if (errno != 0 || end == t.c_str() || *end != '\0') {
    return Status::InvalidArgument(std::string(name) + "=" + Shown(name, *v) + " (from " +
                                   SourceOf(name) + ") is not an integer");
  }
  if (n < min || n > max) {
    return Status::InvalidArgument(std::string(name) + "=" + Shown(name, *v) + " (from " +
                                   SourceOf(name) + ") is out of range; use " +
                                   std::to_string(min) + ".." + std::to_string(max));
  }
  return static_cast<int64_t>(n);
}

Result<double> Settings::GetDouble(std::string_view name, double default_value, double min,
                                   double max) const {
  auto v = Get(name);
  if (!v || Trim(*v).empty()) return default_value;
  std::string t(Trim(*v));
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(t.c_str(), &end);
  if (errno != 0 || end == t.c_str() || *end != '\0') {
    return Status::InvalidArgument(std::string(name) + "=" + Shown(name, *v) + " (from " +
                                   SourceOf(name) + ") is not a number");
  }
  if (d < min || d > max) {
    return Status::InvalidArgument(std::string(name) + "=" + Shown(name, *v) + " (from " +
                                   SourceOf(name) + ") is out of range; use " +
                                   std::to_string(min) + ".." + std::to_string(max));
  }
  return d;
}

Result<bool> Settings::GetBool(std::string_view name, bool default_value) const {
  auto v = Get(name);
  if (!v || Trim(*v).empty()) return default_value;
  std::string t = ToLower(Trim(*v));
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  return Status::InvalidArgument(std::string(name) + "=" + Shown(name, *v) + " (from " +
                                 SourceOf(name) + ") is not a boolean; use true or false");
}

}  // namespace atg
