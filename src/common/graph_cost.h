// The cost, in Microsoft Graph resource units (RU), of an identity-and-access request, as
// Microsoft Graph's throttling documentation ("Identity and access service limits") defines it:
// a base cost per operation and path (a table kept as data in graph_cost.cc), then
//   $select  -1,  $expand  +1,  $top below 20  -1,  never below 1.
// Paths under me/ cost the same as under users/{id}/. The client's rate limiter (azure/) and the
// simulator's throttle (sim/) both price requests here, so they cannot disagree.
//
// Thread-safety: pure functions.
#ifndef ATG_COMMON_GRAPH_COST_H_
#define ATG_COMMON_GRAPH_COST_H_

#include <string_view>

namespace atg {

// `url` is absolute or a path; a version segment (/v1.0/, /beta/) and anything before it is
// ignored, so a Graph endpoint mounted under a prefix works too.
int GraphRequestCost(std::string_view method, std::string_view url);

}  // namespace atg

#endif  // ATG_COMMON_GRAPH_COST_H_
