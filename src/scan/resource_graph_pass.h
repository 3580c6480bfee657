// The Resource Graph side of a scan: resource groups and resources of the readable
// subscriptions in a few concurrent paged queries (the fast path), with a subscription batch
// whose query fails after retries read through ARM lists instead, and queries by id for the
// references a filtered scan pulls in.
//
// Thread-safety: functions may run on any pool worker, except ScanWithResourceGraph, which the
// orchestrating thread calls.
#ifndef ATG_SCAN_RESOURCE_GRAPH_PASS_H_
#define ATG_SCAN_RESOURCE_GRAPH_PASS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "scan/scan_run.h"

namespace atg::scan {

// Lists the resource groups (on this thread), then submits the resource queries to the pool.
// Returns false when Resource Graph is not usable at all (the caller lists through ARM).
bool ScanWithResourceGraph(const ScanRun& run);

// Pages one query over `subscriptions`, emitting every row; `container_rows` marks resource
// group rows (ResourceContainers), whose Resource Graph type is rewritten to ARM's.
Status RunResourceGraphQuery(const ScanRun& run, const std::string& query,
                             const std::vector<std::string>& subscriptions, bool container_rows,
                             bool counts_to_limit);

// 'text' as a KQL string literal; (`a`, `b`) as a KQL list of them.
std::string KqlQuote(std::string_view text);
std::string KqlList(const std::vector<std::string>& values);

}  // namespace atg::scan

#endif  // ATG_SCAN_RESOURCE_GRAPH_PASS_H_
