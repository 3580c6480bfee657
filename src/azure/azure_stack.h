// NewAzureStack: builds, from Settings, the one outbound stack a command shares between all its
// threads — endpoints, the libcurl transport, the credential and the AzureHttpClient.
//
// Credential today: a client secret (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET,
// AZURE_AUTHORITY_HOST). The Resource Graph bucket is keyed by the client id and the Microsoft
// Graph bucket by the tenant id.
//
// Thread-safety: the returned objects are thread-safe (see their headers).
#ifndef ATG_AZURE_AZURE_STACK_H_
#define ATG_AZURE_AZURE_STACK_H_

#include <memory>

#include "azure/credential.h"
#include "azure/endpoints.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::azure {

struct AzureStack {
  AzureEndpoints endpoints;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<TokenCredential> credential;
  std::shared_ptr<AzureHttpClient> client;
};

// Fails with kInvalidArgument naming the variable that is missing or malformed; the client
// secret's value never appears in the message.
Result<AzureStack> NewAzureStack(const Settings& settings, AzureClientOptions options = {},
                                 CurlTransportOptions transport_options = {});

}  // namespace atg::azure

#endif  // ATG_AZURE_AZURE_STACK_H_
