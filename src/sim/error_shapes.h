// Error responses in the exact wire shapes of each Azure surface the simulator imitates, so that
// clients are tested against what Azure really sends:
//   ARM and Resource Graph: {"error":{"code","message"[,"details"]}}
//   Microsoft Graph:        {"error":{"code","message","innerError":{"date","request-id",...}}}
//   Entra ID token endpoint: {"error","error_description":"AADSTSnnn: ...","error_codes",...}
//   Key Vault data plane:   {"error":{"code","message"}}
//
// Thread-safety: pure functions.
#ifndef ATG_SIM_ERROR_SHAPES_H_
#define ATG_SIM_ERROR_SHAPES_H_

#include <string>
#include <string_view>

#include "net/http_message.h"
#include "sim/api_common.h"  // ArmError, GraphError

namespace atg::sim {

// Which Azure service a request is addressed to; it decides error shapes, token audiences and
// throttling rules.
enum class ApiSurface { kIdentity, kArm, kResourceGraph, kGraph, kKeyVault };

std::string_view ApiSurfaceName(ApiSurface surface);  // "identity", "arm", ...

// A random version-4 UUID (request ids, trace ids).
std::string NewUuid();

// The current UTC time as Azure writes it in error bodies: "2026-11-27T03:04:05Z".
std::string UtcTimestamp();

// `aadsts` is the numeric AADSTS code; the description is prefixed "AADSTS<n>: " and followed by
// the trace/correlation lines Entra ID appends.
net::HttpResponse AadError(int status, std::string_view error, int aadsts,
                           std::string_view description);
net::HttpResponse KeyVaultError(int status, std::string_view code, std::string_view message);

// The error in the shape of `surface` (identity uses AAD's shape with `code` as its "error").
net::HttpResponse SurfaceError(ApiSurface surface, int status, std::string_view code,
                               std::string_view message);

}  // namespace atg::sim

#endif  // ATG_SIM_ERROR_SHAPES_H_
