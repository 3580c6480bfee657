// Shared pieces of the simulator's Azure API handlers (ARM, Resource Graph, Microsoft Graph):
// the caller context and options the front door passes in, Azure's error envelopes, opaque
// paging tokens and small path helpers.
//
// Thread-safety: values and reentrant functions.
#ifndef ATG_SIM_API_COMMON_H_
#define ATG_SIM_API_COMMON_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "net/http_message.h"

namespace atg::sim {

// Who is calling, as established by the front door from the bearer token.
struct CallerContext {
  std::string principal_id;
  std::string tenant_id;
};

struct ApiOptions {
  // Lower-case subscription ids. ARM answers 403 AuthorizationFailed for anything under them;
  // Resource Graph silently omits them (as Azure does for subscriptions the caller cannot read).
  std::set<std::string> forbidden_subscriptions;
  // Resource Graph answers 403, so a scanner has to fall back to ARM list calls.
  bool resource_graph_forbidden = false;
  // Base URLs used to build nextLink / @odata.nextLink, e.g. "http://127.0.0.1:PORT".
  std::string arm_base_url;
  std::string graph_base_url;
};

// ARM's error envelope: {"error":{"code","message"}}.
net::HttpResponse ArmError(int status, std::string_view code, std::string_view message);

// Microsoft Graph's error envelope: {"error":{"code","message","innerError":{date,request-id,
// client-request-id}}}.
net::HttpResponse GraphError(int status, std::string_view code, std::string_view message);

// A response whose body is already serialized JSON.
net::HttpResponse JsonText(int status, std::string body);

// Opaque paging tokens: an offset plus a fingerprint of the query they belong to, so a token
// presented with another query is rejected rather than silently mis-paging.
std::string MakeSkipToken(uint64_t offset, uint64_t fingerprint);
// nullopt when the token is malformed or belongs to another query.
std::optional<uint64_t> ParseSkipToken(std::string_view token, uint64_t fingerprint);

// FNV-1a, 64 bits: stable across runs (fingerprints, template hashes).
uint64_t Fnv1a64(std::string_view data, uint64_t seed = 14695981039346656037ull);

// A version-4-shaped GUID that is a function of `seed` alone (ARM's guid() and the ids of
// deployed resources are deterministic too): two FNV-1a hashes laid out as 8-4-4-4-12 hex.
std::string StableGuid(std::string_view seed);

// Path segments without empty pieces: "/a//b/" -> {"a","b"}.
std::vector<std::string_view> PathSegments(std::string_view path);

// Appends `value` to `out` as a JSON string literal, escaped as Boost.JSON's serializer does.
void AppendJsonString(std::string& out, std::string_view value);

// Appends `v` serialized, without an intermediate string.
void AppendJson(std::string& out, const json::value& v);

// Percent-encodes a query value for a next link (keeps it readable: only what must be encoded).
std::string EncodeQueryValue(std::string_view v);

}  // namespace atg::sim

#endif  // ATG_SIM_API_COMMON_H_
