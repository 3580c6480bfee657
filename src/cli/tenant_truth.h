// Compares a scan summary with a simulated tenant's ground truth (what `atg demo` prints and
// the scan tests check): per-type resource counts, subscriptions, resource groups, users,
// groups and service principals must be equal.
//
// Thread-safety: reentrant.
#ifndef ATG_CLI_TENANT_TRUTH_H_
#define ATG_CLI_TENANT_TRUTH_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scan/scan_summary.h"
#include "sim/tenant.h"

namespace atg::cli {

struct TenantCounts {
  int64_t subscriptions = 0;
  int64_t resource_groups = 0;
  int64_t resources = 0;
  std::map<std::string, int64_t> by_type;  // lower-cased type
  int64_t users = 0;
  int64_t groups = 0;
  int64_t service_principals = 0;
};

TenantCounts CountTenant(const sim::Tenant& tenant);
TenantCounts CountSummary(const scan::ScanSummary& summary);

// One line per difference ("microsoft.network/virtualnetworks: scanned 3, tenant has 4");
// empty when the counts are equal.
std::vector<std::string> CompareCounts(const TenantCounts& scanned, const TenantCounts& truth);

}  // namespace atg::cli

#endif  // ATG_CLI_TENANT_TRUTH_H_
