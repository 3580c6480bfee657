#include "graph/rules/rule_util.h"
#include "graph/rules/rules.h"

namespace atg::graph {

using rules_internal::AddArmEdge;
using rules_internal::AsObject;
using rules_internal::SubId;

void UsesRule(const ArmBody& r, GraphFragment* out) {
  if (r.type != "microsoft.compute/virtualmachines") return;
  if (const json::array* nics =
          FindArray(FindObject(r.properties, "networkProfile"), "networkInterfaces")) {
    for (const auto& nic : *nics) AddArmEdge(r.key, Find(AsObject(&nic), "id"), edge::kUses, out);
  }
  const json::object* storage = FindObject(r.properties, "storageProfile");
  AddArmEdge(r.key, SubId(FindObject(storage, "osDisk"), "managedDisk"), edge::kUses, out);
  if (const json::array* disks = FindArray(storage, "dataDisks")) {
    for (const auto& d : *disks)
      AddArmEdge(r.key, SubId(AsObject(&d), "managedDisk"), edge::kUses, out);
  }
}

}  // namespace atg::graph
