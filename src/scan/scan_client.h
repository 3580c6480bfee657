// Builds the AzureHttpClient a scan uses: libcurl transport, a TokenCredential, the endpoints
// from configuration (ATG_ARM_ENDPOINT, ATG_GRAPH_ENDPOINT, AZURE_AUTHORITY_HOST), and limits
// suited to a scan (many requests in flight, Azure's published rate limits on).
//
// The credential is, for now, the client secret one (AZURE_TENANT_ID, AZURE_CLIENT_ID,
// AZURE_CLIENT_SECRET); the credential chain replaces it behind the same TokenCredential.
//
// Thread-safety: reentrant; the returned client is shared by a scan's threads.
#ifndef ATG_SCAN_SCAN_CLIENT_H_
#define ATG_SCAN_SCAN_CLIENT_H_

#include <memory>
#include <string>

#include "azure/credential.h"
#include "azure/endpoints.h"
#include "azure/http_client.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::scan {

struct ScanClientConfig {
  azure::AzureEndpoints endpoints;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;  // a secret: never logged
  int max_concurrency = 64;
};

// Reads ScanClientConfig from settings; `tenant_override` (the --tenant-id flag) wins over
// AZURE_TENANT_ID. Errors name the missing or invalid variable.
Result<ScanClientConfig> ScanClientConfigFromSettings(const Settings& settings,
                                                      const std::string& tenant_override);

Result<std::unique_ptr<azure::AzureHttpClient>> MakeScanClient(const ScanClientConfig& config);

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_CLIENT_H_
