// The phases of a scan, in the order they happen, with the one name and the one rough completion
// figure each has. Progress displays (the CLI's line, the service's job progress) take both from
// here, so a phase cannot be named or weighted differently in two places.
//
// Thread-safety: constants and pure functions.
#ifndef ATG_SCAN_SCAN_PHASE_H_
#define ATG_SCAN_SCAN_PHASE_H_

#include <string_view>

namespace atg::scan {

enum class ScanPhase {
  kSubscriptions,  // listing and probing the subscriptions
  kResources,      // resources, children, diagnostic settings, roles and the directory
  kReferences,     // filtered scans: pulling in what the kept resources reference
  kCommit,         // the store switches to the new scan
  kDone,
};

// "subscriptions", "resources", "references", "commit", "done".
std::string_view ScanPhaseName(ScanPhase phase);

// How far along a scan in `phase` roughly is, 0..100 (a scan does not know its total in
// advance); 100 only for kDone. Non-decreasing in the order of the enum.
int ScanPhasePercent(ScanPhase phase);

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_PHASE_H_
