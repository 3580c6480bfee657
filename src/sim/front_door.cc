#include "sim/front_door.h"

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::sim {

namespace {

bool IsResourceGraphPath(std::string_view path) {
  return StartsWithIgnoreCase(path, "/providers/Microsoft.ResourceGraph/");
}

// The base URL the client used to reach us, for WWW-Authenticate's authority.
std::string AuthorityOf(const net::HttpRequest& request) {
  auto host = request.Header("Host");
  return "http://" + std::string(host ? *host : std::string_view("127.0.0.1"));
}

}  // namespace

ApiSurface SurfaceOfPath(std::string_view path) {
  if (TokenService::Claims(path)) return ApiSurface::kIdentity;
  if (StartsWithIgnoreCase(path, "/v1.0/") || StartsWithIgnoreCase(path, "/beta/") ||
      EqualsIgnoreCase(path, "/v1.0") || EqualsIgnoreCase(path, "/beta"))
    return ApiSurface::kGraph;
  if (StartsWithIgnoreCase(path, "/secrets/") || EqualsIgnoreCase(path, "/secrets"))
    return ApiSurface::kKeyVault;
  if (IsResourceGraphPath(path)) return ApiSurface::kResourceGraph;
  return ApiSurface::kArm;
}

std::string_view AudienceOf(ApiSurface surface) {
  switch (surface) {
    case ApiSurface::kGraph:
      return kGraphAudience;
    case ApiSurface::kKeyVault:
      return kKeyVaultAudience;
    default:
      return kArmAudience;
  }
}

FrontDoor::FrontDoor(const TokenService* tokens, Throttle* throttle, FaultInjector* faults,
                     std::vector<Route> routes, std::chrono::milliseconds latency)
    : tokens_(tokens),
      throttle_(throttle),
      faults_(faults),
      routes_(std::move(routes)),
      latency_(latency) {}

net::HttpResponse FrontDoor::Handle(net::HttpRequest& request) const {
  ApiSurface surface = SurfaceOfPath(request.path);
  net::HttpResponse response = Dispatch(request, surface);

  std::string request_id = NewUuid();
  auto correlation = request.Header("x-ms-correlation-request-id");
  response.SetHeader("x-ms-request-id", request_id);
  response.SetHeader("x-ms-correlation-request-id",
                     correlation ? std::string(*correlation) : request_id);
  response.SetHeader("request-id", request_id);
  if (auto client_id = request.Header("client-request-id"))
    response.SetHeader("client-request-id", std::string(*client_id));
  if (auto client_id = request.Header("x-ms-client-request-id"))
    response.SetHeader("x-ms-client-request-id", std::string(*client_id));
  if (latency_ > response.delay) response.delay = latency_;
  return response;
}

net::HttpResponse FrontDoor::Dispatch(net::HttpRequest& request, ApiSurface surface) const {
  if (surface == ApiSurface::kIdentity) {
    if (auto fault = FaultInjector::Respond(faults_->Next(), surface)) return *fault;
    return tokens_->Handle(request);
  }

  std::string_view audience = AudienceOf(surface);
  TokenCheck check = tokens_->Validate(request.Header("Authorization"), audience);
  if (!check.ok()) {
    return tokens_->Unauthorized(check, surface, audience, AuthorityOf(request));
  }
  Caller caller{check.claims.oid, check.claims.tid, check.claims.appid};

  std::string_view subscription = SubscriptionOfPath(request.path);
  ThrottleDecision decision;
  switch (surface) {
    case ApiSurface::kGraph:
      decision = throttle_->Graph(caller.tenant_id, caller.app_id, GraphRequestCost(request));
      break;
    case ApiSurface::kResourceGraph:
      decision = throttle_->ResourceGraph(caller.principal_id);
      break;
    case ApiSurface::kArm:
      decision = throttle_->Arm(request.method, subscription, caller.principal_id);
      break;
    default:
      break;  // Key Vault's own limits (4,000 GETs per 10 s per vault) are not simulated.
  }
  if (!decision.allowed) {
    return Throttle::TooManyRequests(surface, decision, subscription, caller.principal_id);
  }

  net::HttpResponse response;
  if (auto fault = FaultInjector::Respond(faults_->Next(), surface)) {
    response = std::move(*fault);
  } else {
    const Route* route = nullptr;
    for (const auto& r : routes_) {
      if (r.surface == surface && r.claims(request.path)) {
        route = &r;
        break;
      }
    }
    if (route) {
      response = route->handle(request, caller);
    } else if (surface == ApiSurface::kGraph) {
      response = GraphError(400, "BadRequest",
                            "Resource not found for the segment '" + request.path + "'.");
    } else {
      response = SurfaceError(
          surface, 404, "NotFound",
          "The requested path '" + request.path + "' is not served by this simulator.");
    }
  }
  for (auto& [k, v] : decision.headers) response.SetHeader(k, v);
  return response;
}

}  // namespace atg::sim
