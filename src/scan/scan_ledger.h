// ScanLedger: the books of one running scan — which nodes it has seen (so a body met twice is
// written once), what it counted, which scopes failed, the requests it made by rate-limit
// scope, the provider API versions it learnt, the phase it is in and the first fatal error.
// Every pass of the scan records here and nowhere else; the summary and the progress snapshots
// are read from here.
//
// Thread-safety: every method may be called from any thread; one internal mutex guards all state
// (its use is checked by Clang's thread-safety analysis).
#ifndef ATG_SCAN_SCAN_LEDGER_H_
#define ATG_SCAN_SCAN_LEDGER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "graph/model.h"
#include "scan/scan_phase.h"
#include "scan/scan_summary.h"

namespace atg::scan {

// What the ledger says of an ARM node offered by a pass.
enum class ArmAdmission {
  kNew,         // first sighting: write it
  kSeenBefore,  // written already
  kOverLimit,   // --resource-limit is met: drop it (and stop listing)
};

// The counts a progress display or a summary needs, at one instant.
struct LedgerCounts {
  ScanPhase phase = ScanPhase::kSubscriptions;
  int64_t subscriptions = 0;
  int64_t resource_groups = 0;
  int64_t resources = 0;
  std::map<std::string, int64_t> by_type;
  int64_t users = 0;
  int64_t groups = 0;
  int64_t service_principals = 0;
  std::vector<FailedScope> failed_scopes;
  RequestTally tally;
  // Only for scans without a store (the store counts its own edges at commit).
  int64_t edges = 0;
  std::map<std::string, int64_t> edges_by_type;
};

class ScanLedger {
 public:
  // `resource_limit` (0: none) caps the top-level resources admitted with counts_to_limit;
  // `filtered` makes the ledger remember the ARM ids admitted nodes point at, for
  // TakeUnseenReferences.
  ScanLedger(int64_t resource_limit, bool filtered);

  // Records `node` (the first node of a fragment) with its fragment's `edges`. Nodes that count
  // towards the limit are refused once it is met (and LimitReached() becomes true).
  ArmAdmission AdmitArm(const graph::Node& node, const std::vector<graph::Edge>& edges,
                        bool counts_to_limit) ATG_EXCLUDES(mu_);
  // True when an ARM node with this (normalised) key was admitted.
  bool HasArm(const std::string& key) ATG_EXCLUDES(mu_);
  // True once a node that counts towards the resource limit was refused.
  bool LimitReached() ATG_EXCLUDES(mu_);

  // Records a directory object; false when its key was admitted before.
  bool AdmitDirectory(graph::DirectoryKind kind, const std::string& key) ATG_EXCLUDES(mu_);

  // Filtered scans: the ARM ids admitted nodes referenced that no admitted node has, since the
  // last call (each returned once).
  std::vector<std::string> TakeUnseenReferences() ATG_EXCLUDES(mu_);

  // Subscriptions (any case) read through ARM lists after their Resource Graph query failed.
  void SetArmMode(const std::vector<std::string>& subscriptions) ATG_EXCLUDES(mu_);
  bool InArmMode(std::string_view subscription) ATG_EXCLUDES(mu_);

  // A scope that could not be read; the first failure of a scope (any case) is kept.
  void RecordFailure(const std::string& scope, const std::string& reason) ATG_EXCLUDES(mu_);

  // The first error that makes the scan unable to go on (the store cannot be written).
  void RecordFatal(const Status& status) ATG_EXCLUDES(mu_);
  Status Fatal() ATG_EXCLUDES(mu_);

  // Logical requests by rate-limit scope, for the floor.
  void CountArmRequest(const std::string& subscription_or_tenant) ATG_EXCLUDES(mu_);
  void CountResourceGraphQuery() ATG_EXCLUDES(mu_);
  void CountGraphUnits(double units) ATG_EXCLUDES(mu_);

  // Scans without a store count the edges they would have written.
  void CountUnstoredEdges(const std::vector<graph::Edge>& edges) ATG_EXCLUDES(mu_);

  // Provider API versions (lower-cased "ns/type" -> version) learnt from one subscription;
  // across subscriptions the newest stable version wins, a preview only where nothing is stable.
  // `offered` is every version each type offers there (kept as the union over subscriptions,
  // for the IaC generator's choice of a version its schemas know too).
  void MergeApiVersions(std::map<std::string, std::string> newest,
                        std::map<std::string, std::set<std::string>> offered = {})
      ATG_EXCLUDES(mu_);
  std::optional<std::string> ApiVersion(const std::string& lower_type) ATG_EXCLUDES(mu_);
  std::map<std::string, std::string> ApiVersions() ATG_EXCLUDES(mu_);
  std::map<std::string, std::set<std::string>> ApiVersionLists() ATG_EXCLUDES(mu_);

  void SetPhase(ScanPhase phase) ATG_EXCLUDES(mu_);
  LedgerCounts Counts() ATG_EXCLUDES(mu_);

 private:
  const int64_t resource_limit_;
  const bool filtered_;

  Mutex mu_;
  ScanPhase phase_ ATG_GUARDED_BY(mu_) = ScanPhase::kSubscriptions;
  std::unordered_set<std::string> arm_keys_ ATG_GUARDED_BY(mu_);
  std::unordered_set<std::string> directory_keys_ ATG_GUARDED_BY(mu_);
  std::unordered_set<std::string> references_ ATG_GUARDED_BY(mu_);
  std::set<std::string> arm_mode_subscriptions_ ATG_GUARDED_BY(mu_);  // lower-cased
  std::set<std::string> failed_keys_ ATG_GUARDED_BY(mu_);             // lower-cased scopes
  std::map<std::string, std::string> api_versions_ ATG_GUARDED_BY(mu_);
  std::map<std::string, std::set<std::string>> api_version_lists_ ATG_GUARDED_BY(mu_);
  int64_t kept_ ATG_GUARDED_BY(mu_) = 0;
  bool limit_reached_ ATG_GUARDED_BY(mu_) = false;
  Status fatal_ ATG_GUARDED_BY(mu_);
  LedgerCounts counts_ ATG_GUARDED_BY(mu_);
};

}  // namespace atg::scan

#endif  // ATG_SCAN_SCAN_LEDGER_H_
