// Reading the answers of the places tokens come from: Entra ID's token endpoint, IMDS, the App
// Service managed-identity endpoint and `az account get-access-token`, which each write the
// expiry their own way.
//
// Thread-safety: reentrant functions.
#ifndef ATG_AZURE_TOKEN_RESPONSE_H_
#define ATG_AZURE_TOKEN_RESPONSE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "azure/credential.h"
#include "azure/http_client.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"

namespace atg::azure {

// An absolute expiry as the endpoints write it: seconds since the Unix epoch (a number or a
// string of digits), ISO 8601 with an offset or Z ("2026-01-01T10:00:00Z"), App Service's
// "11/15/2019 10:00:00 PM +00:00", or the Azure CLI's local time "2026-01-01 10:00:00.000000"
// (interpreted in the machine's time zone, as the CLI writes it). nullopt when unreadable.
std::optional<WallTime> ParseExpiresOn(std::string_view text);

// The access token and its expiry from a JSON token answer. The expiry comes from
// `expires_in` (seconds after `requested_at`, number or string) when present, else from
// `expires_on` (see ParseExpiresOn), else one hour. A missing token is kUnavailable; the
// message begins with `what` and never holds the body (it may hold a token).
Result<AccessToken> ParseTokenResponse(std::string_view body, WallTime requested_at,
                                       std::string_view what);

// The small unauthenticated client a credential asks for its tokens with: the credential's
// endpoints (authority or IMDS), its retry options, a few requests in flight at most.
std::unique_ptr<AzureHttpClient> NewTokenClient(std::shared_ptr<HttpTransport> transport,
                                                AzureEndpoints endpoints, const RetryOptions& retry,
                                                Clock* clock);

// The resource URI for a v2 scope ("https://management.azure.com/.default" →
// "https://management.azure.com"), as IMDS, App Service and the Azure CLI want it. The inverse
// is ScopeForAudience (token_request.h).
std::string ResourceForScope(std::string_view scope);

}  // namespace atg::azure

#endif  // ATG_AZURE_TOKEN_RESPONSE_H_
