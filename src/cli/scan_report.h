// The human-readable scan summary table, shared by `atg scan` and `atg demo`.
//
// Thread-safety: reentrant.
#ifndef ATG_CLI_SCAN_REPORT_H_
#define ATG_CLI_SCAN_REPORT_H_

#include <cstdio>
#include <optional>

#include "azure/http_client.h"
#include "graph/graph_store.h"
#include "scan/scan_summary.h"
#include "scan/scanner.h"

namespace atg::cli {

void PrintScanSummary(std::FILE* out, const scan::ScanSummary& s);

// 0 for a complete scan, 3 for a partial one (failed scopes).
int ScanExitCode(const scan::ScanSummary& s);

struct ScanRun {
  int exit_code = 1;
  std::optional<scan::ScanSummary> summary;
};

// Runs a scan with progress on stderr and SIGINT/SIGTERM as cancellation, then prints the
// summary: the JSON object alone on stdout with `json`, else the table on stdout. Errors are
// printed on stderr prefixed with `program` (exit 2 for invalid arguments, 1 otherwise).
ScanRun RunScanAndReport(azure::AzureHttpClient& client, graph::GraphStore* store,
                         const scan::ScanOptions& options, bool json, const char* program);

}  // namespace atg::cli

#endif  // ATG_CLI_SCAN_REPORT_H_
