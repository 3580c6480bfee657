#include "sim/key_vault_api.h"

#include "common/log.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "sim/error_shapes.h"
#include "sim/jwt.h"

namespace atg::sim {

namespace {

// Key Vault's secrets carry created/updated times; a fixed instant keeps responses stable.
constexpr int64_t kCreated = 1767225600;  // 2026-01-01T00:00:00Z

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 127) return false;
  for (char c : name) {
    bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    if (!ok) return false;
  }
  return true;
}

json::object Attributes() {
  return json::object{{"enabled", true},
                      {"created", kCreated},
                      {"updated", kCreated},
                      {"recoveryLevel", "Recoverable+Purgeable"},
                      {"recoverableDays", 90}};
}

std::string VaultUrl(const net::HttpRequest& request) {
  auto host = request.Header("Host");
  return "http://" + std::string(host ? *host : std::string_view("127.0.0.1"));
}

}  // namespace

Result<std::pair<std::string, std::string>> ParseKeyVaultSecretFlag(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || !ValidName(text.substr(0, eq))) {
    return Status::InvalidArgument(
        "--kv-secret must be NAME=VALUE with NAME made of 1-127 letters, digits and '-'");
  }
  return std::make_pair(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
}

KeyVaultApi::KeyVaultApi(std::map<std::string, std::string> secrets) {
  for (auto& [name, value] : secrets) {
    RegisterSecret(value);
    names_[ToLower(name)] = name;
    secrets_[ToLower(name)] = std::move(value);
  }
}

bool KeyVaultApi::Claims(std::string_view path) {
  return EqualsIgnoreCase(path, "/secrets") || StartsWithIgnoreCase(path, "/secrets/");
}

net::HttpResponse KeyVaultApi::Handle(const net::HttpRequest& request) const {
  if (!request.Query("api-version")) {
    return KeyVaultError(400, "BadParameter",
                         "The request URI contains an invalid or missing api-version. Use "
                         "api-version=7.4.");
  }
  if (request.method != "GET") {
    return KeyVaultError(405, "BadParameter",
                         "The simulator's Key Vault only serves GET on secrets.");
  }
  std::string vault = VaultUrl(request);
  auto parts = Split(request.path, '/', /*skip_empty=*/true);  // "secrets", name, version?
  if (parts.size() == 1) {
    json::array items;
    for (const auto& [key, value] : secrets_) {
      items.push_back(
          json::object{{"id", vault + "/secrets/" + names_.at(key)}, {"attributes", Attributes()}});
    }
    return net::HttpResponse::Json(
        200, json::object{{"value", std::move(items)}, {"nextLink", nullptr}});
  }
  if (parts.size() > 3) {
    return KeyVaultError(404, "NotFound", "The requested path is not a secret.");
  }
  auto it = secrets_.find(ToLower(parts[1]));
  // The version is a stable function of the secret, so every read names the same version.
  std::string version;
  if (it != secrets_.end()) {
    auto digest = Sha256(it->first + "\n" + it->second);
    if (!digest.ok()) return KeyVaultError(500, "InternalError", digest.status().message());
    version = HexEncode(*digest).substr(0, 32);
  }
  if (it == secrets_.end() || (parts.size() == 3 && !EqualsIgnoreCase(parts[2], version))) {
    return KeyVaultError(404, "SecretNotFound",
                         "A secret with (name/id) " + parts[1] +
                             " was not found in this key vault. If you recently deleted this "
                             "secret you may be able to recover it using the correct recovery "
                             "command. For help resolving this issue, please see "
                             "https://go.microsoft.com/fwlink/?linkid=2125182");
  }
  json::object body{{"value", it->second},
                    {"id", vault + "/secrets/" + names_.at(it->first) + "/" + version},
                    {"attributes", Attributes()},
                    {"tags", json::object{}}};
  return net::HttpResponse::Json(200, body);
}

}  // namespace atg::sim
