// The OAuth 2.0 client-credentials token request (RFC 6749 §4.4) that both the client-secret
// and the workload-identity credential send to Entra ID (or the simulator):
//   POST {authority}/{tenant}/oauth2/v2.0/token
//   Content-Type: application/x-www-form-urlencoded
//   grant_type=client_credentials&client_id=..&<proof>&scope=..
// where <proof> is client_secret=.. or, for a federated token (RFC 7523),
// client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=..
//
// The secret and the assertion never appear in an error message: they are scrubbed from every
// message built here (registered or not), and every registered secret is redacted as well.
//
// Thread-safety: reentrant functions; RequestClientCredentialsToken is as thread-safe as the
// AzureHttpClient it is given.
#ifndef ATG_AZURE_TOKEN_REQUEST_H_
#define ATG_AZURE_TOKEN_REQUEST_H_

#include <string>
#include <string_view>

#include "azure/credential.h"
#include "azure/http_client.h"
#include "common/clock.h"
#include "common/status.h"

namespace atg::azure {

struct ClientCredentialsRequest {
  std::string authority;  // "https://login.microsoftonline.com" (AZURE_AUTHORITY_HOST), normalized
  std::string tenant_id;
  std::string client_id;
  // A v2 scope ("https://management.azure.com/.default") or the audience alone
  // ("https://management.azure.com"), which is turned into its /.default scope.
  std::string scope;
  // The proof of identity: exactly one of the two is set. Both are secrets.
  std::string client_secret;
  std::string client_assertion;  // a signed JWT, e.g. the AKS service-account token
};

// The scope for an audience: "https://graph.microsoft.com" →
// "https://graph.microsoft.com/.default". A scope that already ends in "/.default" (any case) is
// returned unchanged. The inverse of ResourceForScope (token_response.h).
std::string ScopeForAudience(std::string_view audience_or_scope);

// "{authority}/{tenant, URL-encoded}/oauth2/v2.0/token".
std::string TokenEndpointUrl(std::string_view authority, std::string_view tenant_id);

// The form body of `request`, every value URL-encoded.
std::string ClientCredentialsForm(const ClientCredentialsRequest& request);

// Sends `request` with `client` and reads the answer (ParseTokenResponse). Errors:
// kInvalidArgument when the request holds neither or both proofs (a bug in the caller);
// kUnauthenticated when Entra ID refuses the credentials (400/401); else the transport's or
// Azure's code. Messages begin with "getting a token for scope <scope> as client <client id> in
// tenant <tenant>" and hold neither the secret nor the assertion.
Result<AccessToken> RequestClientCredentialsToken(AzureHttpClient& client, Clock* clock,
                                                  const ClientCredentialsRequest& request);

// The checks both credentials make on their settings at construction: kInvalidArgument naming
// AZURE_TENANT_ID or AZURE_CLIENT_ID when empty (saying `credential` needs it), or a bad
// AZURE_AUTHORITY_HOST. On success `*authority` is normalized.
Status CheckClientCredentialsSettings(std::string_view credential, std::string_view tenant_id,
                                      std::string_view client_id, std::string* authority);

}  // namespace atg::azure

#endif  // ATG_AZURE_TOKEN_REQUEST_H_
