#include "scan/scan_phase.h"

namespace atg::scan {

std::string_view ScanPhaseName(ScanPhase phase) {
  switch (phase) {
    case ScanPhase::kSubscriptions:
      return "subscriptions";
    case ScanPhase::kResources:
      return "resources";
    case ScanPhase::kReferences:
      return "references";
    case ScanPhase::kCommit:
      return "commit";
    case ScanPhase::kDone:
      return "done";
  }
  return "unknown";
}

int ScanPhasePercent(ScanPhase phase) {
  switch (phase) {
    case ScanPhase::kSubscriptions:
      return 5;
    case ScanPhase::kResources:
      return 30;
    case ScanPhase::kReferences:
      return 80;
    case ScanPhase::kCommit:
      return 95;
    case ScanPhase::kDone:
      return 100;
  }
  return 0;
}

}  // namespace atg::scan
