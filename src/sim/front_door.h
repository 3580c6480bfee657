// The request pipeline in front of every simulated Azure endpoint, in the order Azure's front
// ends apply it:
//   1. identity endpoints (token, IMDS, /msi/token) go straight to the TokenService;
//   2. every other request must carry a bearer token for the audience its path implies
//      (/v1.0 and /beta: Microsoft Graph; /secrets: Key Vault; everything else ARM);
//   3. throttling (Throttle), 4. simulated faults (FaultInjector), 5. the first route whose
//      `claims` accepts the path; no route: ARM's 404;
//   6. every response gets x-ms-request-id, x-ms-correlation-request-id and request-id, the
//      throttling headers of its API, and the configured latency as `delay`.
// Faults apply to identity endpoints at the same rate as to the others.
//
// Thread-safety: Handle() may run on many server threads at once; the routes must allow that.
// The FrontDoor does not own the token service, throttle or fault injector; they must outlive it.
#ifndef ATG_SIM_FRONT_DOOR_H_
#define ATG_SIM_FRONT_DOOR_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"
#include "sim/error_shapes.h"
#include "sim/faults.h"
#include "sim/throttle.h"
#include "sim/token_service.h"

namespace atg::sim {

// Who is calling, from the validated token.
struct Caller {
  std::string principal_id;  // the token's oid
  std::string tenant_id;     // the token's tid
  std::string app_id;        // the token's appid
};

struct Route {
  ApiSurface surface = ApiSurface::kArm;
  std::function<bool(std::string_view path)> claims;
  std::function<net::HttpResponse(const net::HttpRequest&, const Caller&)> handle;
};

// The API a path belongs to (identity, Graph, Key Vault, Resource Graph or ARM).
ApiSurface SurfaceOfPath(std::string_view path);

// The audience a token must carry for a request to `surface`.
std::string_view AudienceOf(ApiSurface surface);

class FrontDoor {
 public:
  FrontDoor(const TokenService* tokens, Throttle* throttle, FaultInjector* faults,
            std::vector<Route> routes, std::chrono::milliseconds latency);

  net::HttpResponse Handle(net::HttpRequest& request) const;

 private:
  net::HttpResponse Dispatch(net::HttpRequest& request, ApiSurface surface) const;

  const TokenService* tokens_;
  Throttle* throttle_;
  FaultInjector* faults_;
  std::vector<Route> routes_;
  std::chrono::milliseconds latency_;
};

}  // namespace atg::sim

#endif  // ATG_SIM_FRONT_DOOR_H_
