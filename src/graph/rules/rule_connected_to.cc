#include "graph/rules/rule_util.h"
#include "graph/rules/rules.h"

namespace atg::graph {

using rules_internal::AddArmEdge;
using rules_internal::AsObject;
using rules_internal::SubId;

namespace {

void PeeringEdge(const std::string& vnet_key, const json::object* peering_props,
                 GraphFragment* out) {
  AddArmEdge(vnet_key, SubId(peering_props, "remoteVirtualNetwork"), edge::kConnectedTo, out);
}

}  // namespace

void ConnectedToRule(const ArmBody& r, GraphFragment* out) {
  if (r.type == "microsoft.network/networkinterfaces") {
    if (const json::array* configs = FindArray(r.properties, "ipConfigurations")) {
      for (const auto& c : *configs) {
        AddArmEdge(r.key, SubId(FindObject(AsObject(&c), "properties"), "subnet"),
                   edge::kConnectedTo, out);
      }
    }
  } else if (r.type == "microsoft.network/privateendpoints") {
    AddArmEdge(r.key, SubId(r.properties, "subnet"), edge::kConnectedTo, out);
    for (std::string_view list :
         {"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"}) {
      if (const json::array* conns = FindArray(r.properties, list)) {
        for (const auto& c : *conns) {
          AddArmEdge(r.key, Find(FindObject(AsObject(&c), "properties"), "privateLinkServiceId"),
                     edge::kConnectedTo, out);
        }
      }
    }
  } else if (r.type == "microsoft.network/virtualnetworks") {
    if (const json::array* peerings = FindArray(r.properties, "virtualNetworkPeerings")) {
      for (const auto& p : *peerings) {
        PeeringEdge(r.key, FindObject(AsObject(&p), "properties"), out);
      }
    }
  } else if (r.type == "microsoft.network/virtualnetworks/virtualnetworkpeerings") {
    PeeringEdge(NormalizeArmId(r.id.parent_id), r.properties, out);
  }
}

}  // namespace atg::graph
