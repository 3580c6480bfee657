#include "scan/scan_client.h"

#include "azure/client_secret_credential.h"
#include "azure/http_transport.h"

namespace atg::scan {

Result<std::unique_ptr<azure::AzureHttpClient>> MakeScanClient(const ScanClientConfig& config) {
  auto transport = std::make_shared<azure::CurlTransport>();
  azure::ClientSecretCredentialOptions co;
  co.tenant_id = config.tenant_id;
  co.client_id = config.client_id;
  co.client_secret = config.client_secret;
  co.authority = config.endpoints.authority;
  auto credential = azure::ClientSecretCredential::Create(co, transport);
  if (!credential.ok()) return credential.status();
  azure::AzureClientOptions options;
  options.max_concurrency = config.max_concurrency;
  options.principal_id = config.client_id.empty() ? "default" : config.client_id;
  options.tenant_id = config.tenant_id;
  std::shared_ptr<azure::TokenCredential> shared(std::move(*credential));
  return std::make_unique<azure::AzureHttpClient>(transport, shared, config.endpoints, options);
}

}  // namespace atg::scan
