#include "azure/azure_stack.h"

#include "azure/client_secret_credential.h"

namespace atg::azure {

Result<AzureStack> NewAzureStack(const Settings& settings, AzureClientOptions options,
                                 CurlTransportOptions transport_options) {
  AzureStack stack;
  auto endpoints = AzureEndpoints::FromSettings(settings);
  if (!endpoints.ok()) return endpoints.status();
  stack.endpoints = *endpoints;
  stack.transport = std::make_shared<CurlTransport>(std::move(transport_options));

  ClientSecretCredentialOptions c;
  c.tenant_id = settings.GetString("AZURE_TENANT_ID", "");
  c.client_id = settings.GetString("AZURE_CLIENT_ID", "");
  c.client_secret = settings.GetString("AZURE_CLIENT_SECRET", "");
  c.authority = stack.endpoints.authority;
  c.retry = options.retry;
  auto credential = ClientSecretCredential::Create(c, stack.transport);
  if (!credential.ok()) return credential.status();
  stack.credential = std::shared_ptr<TokenCredential>(std::move(credential.value()));

  if (options.tenant_id == "default") options.tenant_id = c.tenant_id;
  if (options.principal_id == "default") options.principal_id = c.client_id;
  stack.client = std::make_shared<AzureHttpClient>(stack.transport, stack.credential,
                                                   stack.endpoints, std::move(options));
  return stack;
}

}  // namespace atg::azure
