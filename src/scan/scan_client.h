// Builds the AzureHttpClient a scan uses: libcurl transport, a TokenCredential, the endpoints
// from configuration (ATG_ARM_ENDPOINT, ATG_GRAPH_ENDPOINT, AZURE_AUTHORITY_HOST), and limits
// suited to a scan (many requests in flight, Azure's published rate limits on).
//
// For callers that hold explicit client-secret credentials (`atg demo`, tests and benchmarks
// against an in-process simulator). `atg scan` uses azure::NewAzureStack, whose credential is the
// full chain.
//
// Thread-safety: reentrant; the returned client is shared by a scan's threads.
#ifndef ATG_SCAN_SCAN_CLIENT_H_
#define ATG_SCAN_SCAN_CLIENT_H_

#include <memory>
#include <string>

#include "azure/credential.h"
#include "azure/endpoints.h"
#include "azure/http_client.h"
#include "common/status.h"

namespace atg::scan {

struct ScanClientConfig {
  azure::AzureEndpoints endpoints;
  std::string tenant_id;
  std::string client_id;
  std::string client_secret;  // a secret: never logged
  int max_concurrency = 64;
};

Result<std::unique_ptr<azure::AzureHttpClient>> MakeScanClient(const ScanClientConfig& config);

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_CLIENT_H_
