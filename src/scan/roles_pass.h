// Role definitions and role assignments of a subscription (one ARM list each; assignments at
// every scope below the subscription come in the same list).
//
// Thread-safety: may be called from any thread; the lists run on the pool.
#ifndef ATG_SCAN_ROLES_PASS_H_
#define ATG_SCAN_ROLES_PASS_H_

#include <string>

#include "scan/scan_run.h"

namespace atg::scan {

// The subscription's role definitions.
void SubmitRoleDefinitions(const ScanRun& run, const std::string& subscription);

// The subscription's role assignments; a filtered scan keeps only those on what it kept (or
// above it), so it must run after the resources are in.
void SubmitRoleAssignments(const ScanRun& run, const std::string& subscription);

}  // namespace atg::scan

#endif  // ATG_SCAN_ROLES_PASS_H_
