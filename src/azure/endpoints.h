// AzureEndpoints: the base URLs and token scopes of every Azure service ATG calls, from
// configuration, so that sovereign clouds and the local simulator are one setting away.
//
//   ATG_ARM_ENDPOINT      https://management.azure.com     (ARM and Resource Graph)
//   ATG_GRAPH_ENDPOINT    https://graph.microsoft.com
//   AZURE_AUTHORITY_HOST  https://login.microsoftonline.com
//   ATG_IMDS_ENDPOINT     http://169.254.169.254
//
// Token scopes ("<audience>/.default") follow the endpoint for https endpoints on a public
// host (sovereign clouds: the audience is the endpoint). A loopback or plain-http endpoint (the
// simulator, a test server) keeps the public-cloud audiences, as Azure's own tools do against
// emulators. Key Vault's audience follows the ARM cloud (vault.azure.net, vault.usgovcloudapi.net,
// vault.azure.cn); Storage's is https://storage.azure.com everywhere.
//
// Thread-safety: a value.
#ifndef ATG_AZURE_ENDPOINTS_H_
#define ATG_AZURE_ENDPOINTS_H_

#include <string>
#include <string_view>

#include "azure/api_kind.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::azure {

struct AzureEndpoints {
  // Base URLs without a trailing slash.
  std::string arm = "https://management.azure.com";
  std::string graph = "https://graph.microsoft.com";
  std::string authority = "https://login.microsoftonline.com";
  std::string imds = "http://169.254.169.254";

  std::string arm_scope = "https://management.azure.com/.default";
  std::string graph_scope = "https://graph.microsoft.com/.default";
  std::string key_vault_scope = "https://vault.azure.net/.default";
  std::string storage_scope = "https://storage.azure.com/.default";

  // Reads the variables above. An invalid URL fails with kInvalidArgument naming the variable,
  // its source and the value.
  static Result<AzureEndpoints> FromSettings(const Settings& settings);

  // Builds the endpoints and scopes from explicit base URLs (tests, the simulator's env file).
  static Result<AzureEndpoints> FromUrls(std::string_view arm, std::string_view graph,
                                         std::string_view authority, std::string_view imds);

  // Which service `url` addresses: by the longest matching endpoint base URL, then by host
  // (*.vault.*, *.blob.*), then by path shape (/providers/Microsoft.ResourceGraph/ → Resource
  // Graph, /v1.0/ or /beta/ → Graph, /oauth2/ → identity); ARM otherwise.
  ApiKind Classify(std::string_view url) const;

  // The token scope for requests of `kind`; empty for kIdentity (no bearer token).
  std::string ScopeFor(ApiKind kind) const;
};

// Checks that `url` is an absolute http(s) URL with a host, and returns it without a trailing
// slash. Errors name `variable`.
Result<std::string> NormalizeEndpoint(std::string_view variable, std::string_view url);

// The subscription id in an ARM URL (".../subscriptions/{id}/..."), lower-cased; empty if none.
std::string SubscriptionOf(std::string_view url);

// The path of `url` (from the first '/' after the authority up to '?' or '#').
std::string_view PathOf(std::string_view url);

}  // namespace atg::azure

#endif  // ATG_AZURE_ENDPOINTS_H_
