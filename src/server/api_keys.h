// API keys of `atg serve`: loaded from ATG_API_KEYS (comma-separated), ATG_API_KEYS_FILE (one
// per line, '#' comments) and/or the Key Vault secret `api-keys` (when AZURE_KEY_VAULT_NAME is
// set; ATG_KEY_VAULT_ENDPOINT overrides the vault URL), hashed with SHA-256 as soon as they are
// read. The plaintext is never kept, logged or returned; a key is known to the rest of the service
// only by its public id, "k_" + the first 12 hex digits of its digest.
//
// Thread-safety: ApiKeySet is immutable. ApiKeyRing may be read (Authenticate, Current) from
// any thread while another thread calls Replace: readers see the old or the new set, never a
// mix.
#ifndef ATG_SERVER_API_KEYS_H_
#define ATG_SERVER_API_KEYS_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/sha256.h"
#include "common/status.h"

namespace atg::server {

// Keys shorter than this are refused: an API key must not be guessable.
inline constexpr size_t kMinApiKeyLength = 32;

// Keys are stored and compared as SHA-256 digests (common/sha256.h); these names stay usable
// as server::Sha256 / server::HexEncode.
using ::atg::HexEncode;
using ::atg::Sha256;

// The public id of the key whose SHA-256 is `digest` (raw bytes): "k_" + 12 hex digits.
std::string ApiKeyId(std::string_view digest);

// Checks a key's strength: at least kMinApiKeyLength printable non-space ASCII characters and
// at least 10 distinct ones (so "aaaa..." or "1212..." are refused). The error describes the
// problem and how to make a key (`openssl rand -hex 32`), never the key.
Status CheckApiKeyStrength(std::string_view key);

struct ApiKeyRecord {
  std::string id;      // "k_..."
  std::string digest;  // raw SHA-256 of the key
};

// An immutable set of hashed keys.
class ApiKeySet {
 public:
  // Hashes `keys` (duplicates are merged). Errors: no key at all, or a weak key (the message
  // says which one by its position in `source`, e.g. "ATG_API_KEYS entry 2").
  static Result<ApiKeySet> FromKeys(const std::vector<std::pair<std::string, std::string>>& keys);

  // The id of the key `presented` when it is one of the set. Hashes `presented` once and
  // compares the digest with every key's in constant time (no early exit).
  std::optional<std::string> Authenticate(std::string_view presented) const;

  // True when some configured key appears anywhere in `text` (e.g. a client put one in a
  // header that is echoed or logged). Costs one hash per position and distinct key length, so
  // callers bound `text` first.
  bool ContainsKey(std::string_view text) const;

  const std::vector<ApiKeyRecord>& keys() const { return keys_; }

 private:
  std::vector<ApiKeyRecord> keys_;
  std::set<size_t> lengths_;  // of the configured keys (not secret: every key is >= 32)
};

// Reads the configured key sources. Each element is (key, where it came from). Errors: no
// source configured (the message says how to set one), a source that cannot be read (file
// missing, Key Vault unreachable or the secret absent). Key Vault is read with the credential
// chain of azure/azure_stack.h.
Result<std::vector<std::pair<std::string, std::string>>> ReadApiKeys(const Settings& settings);

// ReadApiKeys + ApiKeySet::FromKeys.
Result<ApiKeySet> LoadApiKeySet(const Settings& settings);

// The current key set, replaced atomically on reload (SIGHUP).
class ApiKeyRing {
 public:
  explicit ApiKeyRing(ApiKeySet initial);

  std::shared_ptr<const ApiKeySet> Current() const;
  void Replace(ApiKeySet next);

  // Current()->Authenticate(presented).
  std::optional<std::string> Authenticate(std::string_view presented) const;

 private:
  std::shared_ptr<const ApiKeySet> current_;  // accessed with std::atomic_load/store
};

}  // namespace atg::server

#endif  // ATG_SERVER_API_KEYS_H_
