// A Key Vault secrets endpoint (data plane, api-version 7.x) serving secrets configured on the
// simulator (`--kv-secret NAME=VALUE`), so that services reading their configuration from Key
// Vault are tested offline.
//   GET /secrets/{name}[/{version}]  → {"value","id","attributes":{...}}
//   GET /secrets                     → {"value":[{"id","attributes"}],"nextLink":null}
// Unknown names answer 404 SecretNotFound as Key Vault does.
//
// Thread-safety: immutable after construction; Handle() may run on any thread.
#ifndef ATG_SIM_KEY_VAULT_API_H_
#define ATG_SIM_KEY_VAULT_API_H_

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "net/http_message.h"

namespace atg::sim {

class KeyVaultApi {
 public:
  // `secrets` maps secret names to values; the values are registered for log redaction.
  explicit KeyVaultApi(std::map<std::string, std::string> secrets);

  static bool Claims(std::string_view path);
  net::HttpResponse Handle(const net::HttpRequest& request) const;

 private:
  std::map<std::string, std::string> secrets_;  // keys lower-cased: names are case-insensitive
  std::map<std::string, std::string> names_;    // lower-cased → as configured
};

// Parses "NAME=VALUE" (a --kv-secret flag). Names are 1-127 of [0-9a-zA-Z-], as Key Vault allows.
Result<std::pair<std::string, std::string>> ParseKeyVaultSecretFlag(std::string_view text);

}  // namespace atg::sim

#endif  // ATG_SIM_KEY_VAULT_API_H_
