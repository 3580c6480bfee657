// NewAzureStack: builds, from Settings, the one outbound stack a command shares between all its
// threads — endpoints, the libcurl transport, the credential chain and the AzureHttpClient.
//
// Credential: DefaultCredentialChain (credential_chain.h): client secret, workload identity,
// managed identity, Azure CLI — the first that yields a token wins. The Resource Graph bucket is
// keyed by AZURE_CLIENT_ID (when set) and the Microsoft Graph bucket by AZURE_TENANT_ID.
//
// Thread-safety: the returned objects are thread-safe (see their headers).
#ifndef ATG_AZURE_AZURE_STACK_H_
#define ATG_AZURE_AZURE_STACK_H_

#include <memory>

#include "azure/credential.h"
#include "azure/credential_chain.h"
#include "azure/endpoints.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::azure {

struct AzureStack {
  AzureEndpoints endpoints;
  std::shared_ptr<HttpTransport> transport;
  std::shared_ptr<DefaultCredentialChain> chain;  // the same object as `credential`
  std::shared_ptr<TokenCredential> credential;
  std::shared_ptr<AzureHttpClient> client;
};

// Fails with kInvalidArgument naming the variable that is missing or malformed (see
// DefaultCredentialChain::FromSettings); no secret's value ever appears in the message. A
// chain with no usable credential is not an error here: the first request says why.
Result<AzureStack> NewAzureStack(const Settings& settings, AzureClientOptions options = {},
                                 CurlTransportOptions transport_options = {});

// The same over a given transport and clock (tests, the simulator in-process).
Result<AzureStack> NewAzureStackWithTransport(const Settings& settings,
                                              std::shared_ptr<HttpTransport> transport,
                                              AzureClientOptions options = {},
                                              Clock* clock = Clock::Real());

}  // namespace atg::azure

#endif  // ATG_AZURE_AZURE_STACK_H_
