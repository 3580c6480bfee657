// Reading the claims of an access token for reports (`atg doctor`: which tenant and principal a
// credential signs in as). The signature is not verified: the claims are shown, never trusted.
//
// Thread-safety: reentrant.
#ifndef ATG_AZURE_JWT_CLAIMS_H_
#define ATG_AZURE_JWT_CLAIMS_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace atg::azure {

// The payload of a JWT ("header.payload.signature") as a JSON object. kInvalidArgument when the
// token is not a JWT (opaque tokens are legal); the message never holds the token.
Result<json::object> DecodeJwtClaims(std::string_view token);

}  // namespace atg::azure

#endif  // ATG_AZURE_JWT_CLAIMS_H_
