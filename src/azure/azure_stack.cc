#include "azure/azure_stack.h"

#include "common/strings.h"

namespace atg::azure {

Result<AzureStack> NewAzureStack(const Settings& settings, AzureClientOptions options,
                                 CurlTransportOptions transport_options) {
  // Endpoints first, so that a malformed endpoint is reported before anything is built.
  auto endpoints = AzureEndpoints::FromSettings(settings);
  if (!endpoints.ok()) return endpoints.status();
  return NewAzureStackWithTransport(
      settings, std::make_shared<CurlTransport>(std::move(transport_options)), std::move(options));
}

Result<AzureStack> NewAzureStackWithTransport(const Settings& settings,
                                              std::shared_ptr<HttpTransport> transport,
                                              AzureClientOptions options, Clock* clock) {
  AzureStack stack;
  auto endpoints = AzureEndpoints::FromSettings(settings);
  if (!endpoints.ok()) return endpoints.status();
  stack.endpoints = *endpoints;
  stack.transport = std::move(transport);
  auto chain =
      DefaultCredentialChain::FromSettings(settings, stack.transport, clock, options.retry);
  if (!chain.ok()) return chain.status();
  stack.chain = std::shared_ptr<DefaultCredentialChain>(std::move(chain.value()));
  stack.credential = stack.chain;

  std::string tenant(Trim(settings.GetString("AZURE_TENANT_ID", "")));
  std::string client(Trim(settings.GetString("AZURE_CLIENT_ID", "")));
  if (options.tenant_id == "default" && !tenant.empty()) options.tenant_id = tenant;
  if (options.principal_id == "default" && !client.empty()) options.principal_id = client;
  stack.client = std::make_shared<AzureHttpClient>(stack.transport, stack.credential,
                                                   stack.endpoints, std::move(options), clock);
  return stack;
}

}  // namespace atg::azure
