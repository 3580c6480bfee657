// The plan's cross-tenant stage: ids moved to --target-subscription, the source tenant id to
// --target-tenant-id, principal ids through --identity-map; a principal id the map does not
// cover while a target tenant is set is cut out of the body and becomes an input.
//
// Thread-safety: a Rewriter is a value; the functions are reentrant.
#ifndef ATG_IAC_PLAN_REWRITE_H_
#define ATG_IAC_PLAN_REWRITE_H_

#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/json.h"

namespace atg::iac {

// Replaces every "/subscriptions/{source}" (any case) in `s` whose source (lower-cased) is in
// `sources` by "/subscriptions/{target}". True when something changed.
bool RewriteSubscriptions(std::string* s, const std::unordered_set<std::string>& sources,
                          const std::string& target);

struct Rewriter {
  std::unordered_set<std::string> source_subscriptions;  // lower-cased
  std::string target_subscription;                       // "" keeps the source subscriptions
  std::string source_tenant;                             // lower-cased
  std::string target_tenant;
  const std::map<std::string, std::string>* identity_map = nullptr;  // lower-cased source ids
  bool cross_tenant = false;  // a target tenant other than the source is set

  bool RewritesSubscriptions() const { return !target_subscription.empty(); }
  // Anything to do for a body at all.
  bool Active() const {
    return RewritesSubscriptions() || cross_tenant ||
           (identity_map != nullptr && !identity_map->empty());
  }

  // `id` in the target subscription.
  std::string Id(std::string id) const {
    if (RewritesSubscriptions())
      RewriteSubscriptions(&id, source_subscriptions, target_subscription);
    return id;
  }
};

// A principal id the identity map does not cover, cut out of a body.
struct UnmappedSlot {
  std::string path;       // body path (graph::ArmIdRef::path syntax)
  std::string field;      // principalId, objectId or sid
  std::string source_id;  // lower-cased
};

// Rewrites `body` in place (strings and id-shaped object keys) and lists the unmapped principal
// ids, which are removed from the body.
void RewriteBody(const Rewriter& rw, json::value* body, std::vector<UnmappedSlot>* unmapped);

// Removes the value at a concrete path made of '.' keys and [n] indexes (no id keys); a path
// that names nothing is ignored.
void RemoveAtPath(json::object& body, std::string_view path);

}  // namespace atg::iac

#endif  // ATG_IAC_PLAN_REWRITE_H_
