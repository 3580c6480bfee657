// The Entra ID directory: users, groups with their complete member lists, service principals,
// each list paged on its own pool lane, members past Microsoft Graph's expansion cap read in
// JSON batches.
//
// Thread-safety: may be called from any thread; the lists run on the pool.
#ifndef ATG_SCAN_DIRECTORY_PASS_H_
#define ATG_SCAN_DIRECTORY_PASS_H_

#include "scan/scan_run.h"

namespace atg::scan {

// Submits the three directory lists.
void SubmitDirectory(const ScanRun& run);

}  // namespace atg::scan

#endif  // ATG_SCAN_DIRECTORY_PASS_H_
