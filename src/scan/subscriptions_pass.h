// The first pass of a scan: the subscriptions the principal can list, and which of them it can
// really read.
//
// Thread-safety: called by the orchestrating thread; probes run on the pool.
#ifndef ATG_SCAN_SUBSCRIPTIONS_PASS_H_
#define ATG_SCAN_SUBSCRIPTIONS_PASS_H_

#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "scan/scan_run.h"

namespace atg::scan {

// Every subscription body the principal can list. Fails (with what to check) when not even the
// list can be read: bad credentials, wrong endpoint, no network.
Result<std::vector<json::object>> ListSubscriptions(const ScanRun& run);

// Reads each subscription once and returns those that answered; the others are failed scopes.
std::vector<json::object> ProbeSubscriptions(const ScanRun& run,
                                             std::vector<json::object> subscriptions);

}  // namespace atg::scan

#endif  // ATG_SCAN_SUBSCRIPTIONS_PASS_H_
