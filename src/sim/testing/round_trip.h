// Test helper for the IaC round trip: compares the resources of a source tenant (the ground truth
// a template was generated from) with those of a target tenant (what a simulator holds after the
// template was deployed to it), type by type and name by name.
//
// Resources are matched on their id with the subscription left out and compared
// case-insensitively ("/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v"), so a
// tenant replicated into another subscription matches. Role assignments, whose names are GUIDs
// that a generated template may choose afresh, are matched on (scope without subscription, role
// definition name, principal id) instead.
//
// Thread-safety: pure functions.
#ifndef ATG_SIM_TESTING_ROUND_TRIP_H_
#define ATG_SIM_TESTING_ROUND_TRIP_H_

#include <set>
#include <string>
#include <vector>

#include "sim/tenant.h"

namespace atg::sim::testing {

struct RoundTripOptions {
  // Lower-case resource types left out on both sides (e.g. built-in role definitions, which no
  // template creates).
  std::set<std::string> ignore_types = {"microsoft.authorization/roledefinitions"};
  // Resource groups (lower-case names) left out on both sides with everything in them, e.g.
  // Azure-managed groups ("networkwatcherrg", "mc_*" prefixes are given as "mc_*").
  std::set<std::string> ignore_resource_groups;
  // Ids left out on both sides, in RoundTripKey form (e.g. what an IaC plan reported as
  // skipped).
  std::set<std::string> ignore_keys;
  // Also compare location, tags, sku.name and kind of matched resources and resource groups
  // (tag values that are ARM ids compared without their subscription, like the ids).
  bool compare_fields = true;
  // Resources of the target that the source does not have are a difference too.
  bool report_extra = true;
};

struct RoundTripDiff {
  std::vector<std::string> missing;     // in the source, not in the target (keys)
  std::vector<std::string> extra;       // in the target, not in the source
  std::vector<std::string> mismatched;  // "key: field source=... target=..."
  size_t matched = 0;                   // resources and resource groups found on both sides

  bool ok() const { return missing.empty() && extra.empty() && mismatched.empty(); }
  // A readable report: counts, then each difference on a line of its own (at most `limit` per
  // kind).
  std::string ToString(size_t limit = 50) const;
};

// Compares resource groups and resources of `source` with `target`.
RoundTripDiff CompareTenants(const Tenant& source, const Tenant& target,
                             const RoundTripOptions& options = {});

// The subscription-free, lower-case key a resource or resource group id is matched on.
std::string RoundTripKey(std::string_view id);

}  // namespace atg::sim::testing

#endif  // ATG_SIM_TESTING_ROUND_TRIP_H_
