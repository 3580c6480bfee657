#include "scan/scan_ledger.h"

#include <utility>

#include "common/strings.h"

namespace atg::scan {
namespace {

bool IsStable(const std::string& version) { return version.find("preview") == std::string::npos; }

}  // namespace

ScanLedger::ScanLedger(int64_t resource_limit, bool filtered)
    : resource_limit_(resource_limit), filtered_(filtered) {}

ArmAdmission ScanLedger::AdmitArm(const graph::Node& node, const std::vector<graph::Edge>& edges,
                                  bool counts_to_limit) {
  MutexLock lock(&mu_);
  if (arm_keys_.count(node.key)) return ArmAdmission::kSeenBefore;
  if (counts_to_limit && resource_limit_ > 0) {
    if (kept_ >= resource_limit_) {
      limit_reached_ = true;
      return ArmAdmission::kOverLimit;
    }
    ++kept_;
  }
  arm_keys_.insert(node.key);
  if (node.label == graph::label::kSubscription) {
    ++counts_.subscriptions;
  } else if (node.label == graph::label::kResourceGroup) {
    ++counts_.resource_groups;
  } else {
    ++counts_.resources;
    ++counts_.by_type[node.type];
  }
  if (filtered_) {
    // Both ends: a resource's container (CONTAINS comes from it) counts as well.
    for (const auto& e : edges) {
      for (const std::string* end : {&e.from, &e.to}) {
        if (end->starts_with("/subscriptions/") && *end != node.key && !arm_keys_.count(*end)) {
          references_.insert(*end);
        }
      }
    }
  }
  return ArmAdmission::kNew;
}

bool ScanLedger::HasArm(const std::string& key) {
  MutexLock lock(&mu_);
  return arm_keys_.count(key) > 0;
}

bool ScanLedger::LimitReached() {
  MutexLock lock(&mu_);
  return limit_reached_;
}

bool ScanLedger::AdmitDirectory(graph::DirectoryKind kind, const std::string& key) {
  MutexLock lock(&mu_);
  if (!directory_keys_.insert(key).second) return false;
  switch (kind) {
    case graph::DirectoryKind::kUser:
      ++counts_.users;
      break;
    case graph::DirectoryKind::kGroup:
      ++counts_.groups;
      break;
    case graph::DirectoryKind::kServicePrincipal:
      ++counts_.service_principals;
      break;
  }
  return true;
}

std::vector<std::string> ScanLedger::TakeUnseenReferences() {
  MutexLock lock(&mu_);
  std::vector<std::string> out;
  for (const auto& ref : references_) {
    if (!arm_keys_.count(ref)) out.push_back(ref);
  }
  references_.clear();
  return out;
}

void ScanLedger::SetArmMode(const std::vector<std::string>& subscriptions) {
  MutexLock lock(&mu_);
  for (const auto& sub : subscriptions) arm_mode_subscriptions_.insert(ToLower(sub));
}

bool ScanLedger::InArmMode(std::string_view subscription) {
  std::string lower = ToLower(subscription);
  MutexLock lock(&mu_);
  return arm_mode_subscriptions_.count(lower) > 0;
}

void ScanLedger::RecordFailure(const std::string& scope, const std::string& reason) {
  MutexLock lock(&mu_);
  if (!failed_keys_.insert(ToLower(scope)).second) return;
  counts_.failed_scopes.push_back({scope, reason});
}

void ScanLedger::RecordFatal(const Status& status) {
  MutexLock lock(&mu_);
  if (fatal_.ok()) fatal_ = status;
}

Status ScanLedger::Fatal() {
  MutexLock lock(&mu_);
  return fatal_;
}

void ScanLedger::CountArmRequest(const std::string& subscription_or_tenant) {
  MutexLock lock(&mu_);
  ++counts_.tally.arm_by_subscription[subscription_or_tenant];
}

void ScanLedger::CountResourceGraphQuery() {
  MutexLock lock(&mu_);
  ++counts_.tally.resource_graph_queries;
}

void ScanLedger::CountGraphUnits(double units) {
  MutexLock lock(&mu_);
  counts_.tally.graph_resource_units += units;
}

void ScanLedger::CountUnstoredEdges(const std::vector<graph::Edge>& edges) {
  MutexLock lock(&mu_);
  counts_.edges += static_cast<int64_t>(edges.size());
  for (const auto& e : edges) ++counts_.edges_by_type[e.type];
}

void ScanLedger::MergeApiVersions(std::map<std::string, std::string> newest,
                                  std::map<std::string, std::set<std::string>> offered) {
  MutexLock lock(&mu_);
  for (auto& [type, versions] : offered) api_version_lists_[type].merge(versions);
  for (auto& [type, version] : newest) {
    std::string& slot = api_versions_[type];
    // Subscriptions may differ (registration, rollout): the newest stable one wins.
    bool new_stable = IsStable(version);
    bool old_stable = !slot.empty() && IsStable(slot);
    if (slot.empty() || (new_stable && !old_stable) ||
        (new_stable == old_stable && version > slot)) {
      slot = std::move(version);
    }
  }
}

std::optional<std::string> ScanLedger::ApiVersion(const std::string& lower_type) {
  MutexLock lock(&mu_);
  auto it = api_versions_.find(lower_type);
  if (it == api_versions_.end()) return std::nullopt;
  return it->second;
}

std::map<std::string, std::string> ScanLedger::ApiVersions() {
  MutexLock lock(&mu_);
  return api_versions_;
}

std::map<std::string, std::set<std::string>> ScanLedger::ApiVersionLists() {
  MutexLock lock(&mu_);
  return api_version_lists_;
}

void ScanLedger::SetPhase(ScanPhase phase) {
  MutexLock lock(&mu_);
  phase_ = phase;
}

LedgerCounts ScanLedger::Counts() {
  MutexLock lock(&mu_);
  LedgerCounts out = counts_;
  out.phase = phase_;
  return out;
}

}  // namespace atg::scan
