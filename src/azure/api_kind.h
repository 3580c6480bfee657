// ApiKind: which Azure service a request goes to. It selects the token audience, the
// client-side rate limit that applies, and the label of the request counters.
//
// Thread-safety: values and pure functions.
#ifndef ATG_AZURE_API_KIND_H_
#define ATG_AZURE_API_KIND_H_

#include <string_view>

namespace atg::azure {

enum class ApiKind {
  kArm = 0,        // Azure Resource Manager
  kResourceGraph,  // Azure Resource Graph (on the ARM endpoint)
  kGraph,          // Microsoft Graph
  kIdentity,       // Entra ID token endpoint, IMDS, App Service managed identity
  kKeyVault,       // Key Vault data plane
  kStorage,        // Blob storage data plane
};
inline constexpr int kApiKindCount = 6;

// "arm", "resource_graph", "graph", "identity", "key_vault", "storage" (metric labels).
std::string_view ApiKindName(ApiKind kind);

}  // namespace atg::azure

#endif  // ATG_AZURE_API_KIND_H_
