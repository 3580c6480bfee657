#include "server/api_keys.h"

#include <atomic>
#include <fstream>
#include <set>
#include <sstream>

#include "azure/azure_stack.h"
#include "common/json.h"
#include "common/strings.h"

namespace atg::server {
namespace {

constexpr char kHowToSet[] =
    "set ATG_API_KEYS to a comma-separated list of keys, ATG_API_KEYS_FILE to a file with one key "
    "per line, or AZURE_KEY_VAULT_NAME to a vault holding the secret `api-keys` "
    "(make a key with `openssl rand -hex 32`)";

// The Key Vault base URL: ATG_KEY_VAULT_ENDPOINT, else https://{AZURE_KEY_VAULT_NAME}.<suffix>
// where the suffix follows the cloud of the Key Vault token scope.
std::string KeyVaultUrl(const Settings& s, const azure::AzureEndpoints& e) {
  if (auto v = s.Get("ATG_KEY_VAULT_ENDPOINT"); v && !Trim(*v).empty()) {
    std::string url(Trim(*v));
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
  }
  std::string host = e.key_vault_scope;
  if (host.starts_with("https://")) host = host.substr(8);
  host = host.substr(0, host.find('/'));
  return "https://" + std::string(Trim(s.GetString("AZURE_KEY_VAULT_NAME", ""))) + "." + host;
}

void AddList(std::string_view text, char sep, const std::string& source,
             std::vector<std::pair<std::string, std::string>>* out) {
  int n = 0;
  for (const std::string& part : Split(text, sep)) {
    std::string_view key = Trim(part);
    if (key.empty()) continue;
    out->emplace_back(std::string(key), source + " entry " + std::to_string(++n));
  }
}

Status ReadKeysFile(const std::string& path,
                    std::vector<std::pair<std::string, std::string>>* out) {
  std::ifstream in(path);
  if (!in) {
    return Status(StatusCode::kNotFound, "ATG_API_KEYS_FILE: cannot read " + path +
                                             ": check the path and that the service may read it");
  }
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view key = Trim(line);
    if (key.empty() || key.front() == '#') continue;
    out->emplace_back(std::string(key), "ATG_API_KEYS_FILE line " + std::to_string(lineno));
  }
  return Status::Ok();
}

Status ReadKeyVault(const Settings& settings,
                    std::vector<std::pair<std::string, std::string>>* out) {
  auto stack = azure::NewAzureStack(settings);
  if (!stack.ok()) {
    return Status(stack.status().code(),
                  "reading API keys from Key Vault: " + stack.status().message());
  }
  azure::AzureRequest req;
  req.url = KeyVaultUrl(settings, stack->endpoints) + "/secrets/api-keys?api-version=7.4";
  req.kind = azure::ApiKind::kKeyVault;
  req.timeout = std::chrono::seconds(30);
  auto resp = stack->client->Send(req);
  if (!resp.ok()) {
    return Status(StatusCode::kUnavailable, "reading the secret `api-keys` from Key Vault (" +
                                                req.url + ") failed: " + resp.status().message());
  }
  if (resp->status != 200) {
    return Status(StatusCode::kUnavailable,
                  "reading the secret `api-keys` from Key Vault (" + req.url + ") answered HTTP " +
                      std::to_string(resp->status) +
                      ": check that the secret exists and that the service identity may get "
                      "secrets");
  }
  auto doc = ParseJson(resp->body);
  const json::object* obj = doc.ok() ? doc->if_object() : nullptr;
  auto value = FindString(obj, "value");
  if (!value) {
    return Status(StatusCode::kUnavailable,
                  "the Key Vault secret `api-keys` has no string `value`");
  }
  std::string text(*value);
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ',';
  AddList(text, ',', "Key Vault secret api-keys", out);
  return Status::Ok();
}

}  // namespace

std::string ApiKeyId(std::string_view digest) { return "k_" + HexEncode(digest).substr(0, 12); }

Status CheckApiKeyStrength(std::string_view key) {
  if (key.size() < kMinApiKeyLength) {
    return Status(StatusCode::kInvalidArgument,
                  "is " + std::to_string(key.size()) + " characters long; API keys need at least " +
                      std::to_string(kMinApiKeyLength) + " (make one with `openssl rand -hex 32`)");
  }
  std::set<char> distinct;
  for (char c : key) {
    if (c <= ' ' || c > '~') {
      return Status(StatusCode::kInvalidArgument,
                    "contains a space, control or non-ASCII character; use printable ASCII only "
                    "(make one with `openssl rand -hex 32`)");
    }
    distinct.insert(c);
  }
  if (distinct.size() < 10) {
    return Status(StatusCode::kInvalidArgument,
                  "uses only " + std::to_string(distinct.size()) +
                      " distinct characters and is too easy to guess (make one with `openssl "
                      "rand -hex 32`)");
  }
  return Status::Ok();
}

Result<ApiKeySet> ApiKeySet::FromKeys(
    const std::vector<std::pair<std::string, std::string>>& keys) {
  ApiKeySet set;
  std::set<std::string> seen;
  for (const auto& [key, source] : keys) {
    if (Status s = CheckApiKeyStrength(key); !s.ok()) {
      return Status(StatusCode::kInvalidArgument, "API key from " + source + " " + s.message());
    }
    auto hashed = Sha256(key);
    if (!hashed.ok()) return hashed.status().WithContext("hashing the API key from " + source);
    std::string digest = std::move(hashed.value());
    if (!seen.insert(digest).second) continue;
    set.keys_.push_back({ApiKeyId(digest), std::move(digest)});
    set.lengths_.insert(key.size());
  }
  if (set.keys_.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("no API key is configured: ") + kHowToSet);
  }
  return set;
}

std::optional<std::string> ApiKeySet::Authenticate(std::string_view presented) const {
  if (presented.empty()) return std::nullopt;
  auto hashed = Sha256(presented);
  if (!hashed.ok()) return std::nullopt;  // fails closed: no digest, no key
  const std::string& digest = hashed.value();
  const ApiKeyRecord* found = nullptr;
  for (const ApiKeyRecord& k : keys_) {
    if (ConstantTimeEquals(k.digest, digest) && found == nullptr) found = &k;
  }
  if (found == nullptr) return std::nullopt;
  return found->id;
}

bool ApiKeySet::ContainsKey(std::string_view text) const {
  for (size_t length : lengths_) {
    for (size_t at = 0; at + length <= text.size(); ++at) {
      if (Authenticate(text.substr(at, length))) return true;
    }
  }
  return false;
}

Result<std::vector<std::pair<std::string, std::string>>> ReadApiKeys(const Settings& settings) {
  std::vector<std::pair<std::string, std::string>> keys;
  bool configured = false;
  if (auto v = settings.Get("ATG_API_KEYS"); v && !Trim(*v).empty()) {
    configured = true;
    AddList(*v, ',', "ATG_API_KEYS", &keys);
  }
  if (auto v = settings.Get("ATG_API_KEYS_FILE"); v && !Trim(*v).empty()) {
    configured = true;
    ATG_RETURN_IF_ERROR(ReadKeysFile(std::string(Trim(*v)), &keys));
  }
  // The vault is read when it is named; ATG_KEY_VAULT_ENDPOINT only says where it is.
  if (auto v = settings.Get("AZURE_KEY_VAULT_NAME"); v && !Trim(*v).empty()) {
    configured = true;
    ATG_RETURN_IF_ERROR(ReadKeyVault(settings, &keys));
  }
  if (!configured) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("no API key is configured: ") + kHowToSet);
  }
  return keys;
}

Result<ApiKeySet> LoadApiKeySet(const Settings& settings) {
  auto keys = ReadApiKeys(settings);
  if (!keys.ok()) return keys.status();
  return ApiKeySet::FromKeys(*keys);
}

ApiKeyRing::ApiKeyRing(ApiKeySet initial)
    : current_(std::make_shared<const ApiKeySet>(std::move(initial))) {}

std::shared_ptr<const ApiKeySet> ApiKeyRing::Current() const { return std::atomic_load(&current_); }

void ApiKeyRing::Replace(ApiKeySet next) {
  std::atomic_store(&current_, std::shared_ptr<const ApiKeySet>(
                                   std::make_shared<const ApiKeySet>(std::move(next))));
}

std::optional<std::string> ApiKeyRing::Authenticate(std::string_view presented) const {
  return Current()->Authenticate(presented);
}

}  // namespace atg::server
