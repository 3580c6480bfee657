#include "sim/error_shapes.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/random.h"
#include "common/time_format.h"

namespace atg::sim {

std::string_view ApiSurfaceName(ApiSurface surface) {
  switch (surface) {
    case ApiSurface::kIdentity:
      return "identity";
    case ApiSurface::kArm:
      return "arm";
    case ApiSurface::kResourceGraph:
      return "resource_graph";
    case ApiSurface::kGraph:
      return "graph";
    case ApiSurface::kKeyVault:
      return "key_vault";
  }
  return "unknown";
}

std::string NewUuid() {
  std::string bytes = RandomBytes(16);
  auto* b = reinterpret_cast<unsigned char*>(bytes.data());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string UtcTimestamp() { return FormatRfc3339(std::chrono::system_clock::now()); }

net::HttpResponse AadError(int status, std::string_view error, int aadsts,
                           std::string_view description) {
  std::string trace = NewUuid();
  std::string correlation = NewUuid();
  std::string ts = UtcTimestamp();
  std::string text = "AADSTS" + std::to_string(aadsts) + ": " + std::string(description) +
                     "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + correlation +
                     "\r\nTimestamp: " + ts;
  json::object body{
      {"error", error},
      {"error_description", text},
      {"error_codes", json::array{aadsts}},
      {"timestamp", ts},
      {"trace_id", trace},
      {"correlation_id", correlation},
      {"error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(aadsts)}};
  return net::HttpResponse::Json(status, body);
}

net::HttpResponse KeyVaultError(int status, std::string_view code, std::string_view message) {
  return ArmError(status, code, message);
}

net::HttpResponse SurfaceError(ApiSurface surface, int status, std::string_view code,
                               std::string_view message) {
  switch (surface) {
    case ApiSurface::kIdentity: {
      // Entra ID reports server-side trouble as these two OAuth errors.
      int aadsts = status == 503 ? 90033 : 50000;
      std::string_view error = status == 503 ? "temporarily_unavailable" : "server_error";
      return AadError(status, error, aadsts, message);
    }
    case ApiSurface::kGraph:
      return GraphError(status, code, message);
    case ApiSurface::kKeyVault:
      return KeyVaultError(status, code, message);
    case ApiSurface::kArm:
    case ApiSurface::kResourceGraph:
      break;
  }
  return ArmError(status, code, message);
}

}  // namespace atg::sim
