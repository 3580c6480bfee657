// Turning a failed Azure response into a Status a person can act on.
//
// Understands the error envelopes Azure uses:
//   ARM, Resource Graph, Microsoft Graph, Key Vault: {"error":{"code","message",...}}
//   older ARM resource providers:                    {"code","message"}
//   Entra ID token endpoint:                         {"error":"invalid_client",
//                                                     "error_description":"AADSTS7000215: ..."}
// The message holds the method, the URL (secret query values masked), the HTTP status, Azure's
// error code and message, how many attempts were made when more than one, and what to do.
//
// Status codes: 400 kInvalidArgument, 401 kUnauthenticated, 403 kPermissionDenied, 404
// kNotFound, 408/504 kDeadlineExceeded, 409/412 kFailedPrecondition, 429 kResourceExhausted,
// other 5xx kUnavailable, other 4xx kInvalidArgument.
//
// Thread-safety: pure functions.
#ifndef ATG_AZURE_AZURE_ERROR_H_
#define ATG_AZURE_AZURE_ERROR_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace atg::azure {

struct AzureErrorInfo {
  std::string code;     // e.g. "AuthorizationFailed"; empty when the body had none
  std::string message;  // Azure's message, or the start of a non-JSON body
};

// Extracts Azure's code and message from an error body.
AzureErrorInfo ParseAzureError(std::string_view body);

Status StatusFromHttpError(std::string_view method, std::string_view url, int http_status,
                           std::string_view body, int attempts);

}  // namespace atg::azure

#endif  // ATG_AZURE_AZURE_ERROR_H_
