// Compact JWTs signed with HMAC-SHA256 (HS256): what the simulator's token service issues and
// accepts: sign and verify (base64url and HMAC are common/base64.h and common/sha256.h).
//
// Thread-safety: pure functions.
#ifndef ATG_SIM_JWT_H_
#define ATG_SIM_JWT_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"

namespace atg::sim {

// "header.payload.signature" with header {"alg":"HS256","typ":"JWT","kid":kid}; kInternal when
// the HMAC cannot be computed (common/sha256.h).
Result<std::string> SignJwt(const json::object& payload, std::string_view key,
                            std::string_view kid);

// The payload of `token` when it is three base64url parts, its header names HS256 and its
// signature verifies under `key` (compared in constant time). Otherwise InvalidArgument for a
// token that is not a JWT at all, Unauthenticated for a bad signature, kInternal when the HMAC
// cannot be computed.
Result<json::object> VerifyJwt(std::string_view token, std::string_view key);

// The payload of a JWT without checking anything (to tell a malformed token from a bad one).
Result<json::object> DecodeJwtPayloadUnverified(std::string_view token);

}  // namespace atg::sim

#endif  // ATG_SIM_JWT_H_
