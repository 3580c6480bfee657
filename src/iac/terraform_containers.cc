// The azurerm mappings of Kubernetes clusters, container registries and container groups: one
// choose/render pair per ARM type, arguments as the azurerm 4.x provider documents them (the table:
// iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

std::string ChooseAks(const MapContext& c, std::string* why) {
  if (ArraySize(c, "properties.agentPoolProfiles") != 1) {
    return ViaAzapi(why,
                    "more than one agent pool (azurerm puts extra pools in resources of "
                    "their own, which the plan does not hold)");
  }
  if (!c.Has("identity.type")) return ViaAzapi(why, "service-principal cluster without identity");
  return AzurermType("azurerm_kubernetes_cluster");
}
void RenderAks(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "dns_prefix", "properties.dnsPrefix");
  c.Attr(w, "kubernetes_version", "properties.kubernetesVersion");
  c.Attr(w, "node_resource_group", "properties.nodeResourceGroup");
  c.Attr(w, "sku_tier", "sku.tier");
  c.Attr(w, "role_based_access_control_enabled", "properties.enableRBAC");
  c.Attr(w, "private_cluster_enabled", "properties.apiServerAccessProfile.enablePrivateCluster");
  const std::string p = "properties.agentPoolProfiles[0]";
  w.BeginBlock("default_node_pool");
  c.Attr(w, "name", p + ".name");
  c.Attr(w, "vm_size", p + ".vmSize");
  c.Attr(w, "node_count", p + ".count");
  c.Attr(w, "auto_scaling_enabled", p + ".enableAutoScaling");
  c.Attr(w, "min_count", p + ".minCount");
  c.Attr(w, "max_count", p + ".maxCount");
  c.Attr(w, "os_disk_size_gb", p + ".osDiskSizeGB");
  c.Attr(w, "os_disk_type", p + ".osDiskType");
  c.Attr(w, "os_sku", p + ".osSKU");
  c.Attr(w, "max_pods", p + ".maxPods");
  c.Attr(w, "orchestrator_version", p + ".orchestratorVersion");
  c.Attr(w, "vnet_subnet_id", p + ".vnetSubnetID");
  if (NonEmptyArray(c, p + ".availabilityZones")) c.Attr(w, "zones", p + ".availabilityZones");
  w.EndBlock();
  // Required by azurerm 5 (empty: the provider's default, manual node pools).
  w.BeginBlock("node_provisioning_profile");
  if (!c.Attr(w, "mode", "properties.nodeProvisioningProfile.mode")) {
    w.StringAttribute("mode", "Manual");  // AKS's default: node pools as listed
  }
  c.Attr(w, "default_node_pools", "properties.nodeProvisioningProfile.defaultNodePools");
  w.EndBlock();
  const std::string net = "properties.networkProfile";
  if (c.Has(net + ".networkPlugin")) {
    w.BeginBlock("network_profile");
    c.Attr(w, "network_plugin", net + ".networkPlugin");
    c.Attr(w, "network_policy", net + ".networkPolicy");
    c.Attr(w, "service_cidr", net + ".serviceCidr");
    c.Attr(w, "dns_service_ip", net + ".dnsServiceIP");
    c.Attr(w, "outbound_type", net + ".outboundType");
    c.Attr(w, "load_balancer_sku", net + ".loadBalancerSku");
    w.EndBlock();
  }
  // azurerm takes a kubelet identity only with all three of its ids and a user-assigned
  // cluster identity; otherwise AKS makes one, as it did for the source.
  const std::string kubelet = "properties.identityProfile.kubeletidentity";
  if (c.Has(kubelet + ".resourceId") && c.Has(kubelet + ".clientId") &&
      c.Has(kubelet + ".objectId") && NonEmptyObject(c, "identity.userAssignedIdentities")) {
    w.BeginBlock("kubelet_identity");
    c.Attr(w, "user_assigned_identity_id", kubelet + ".resourceId");
    c.Attr(w, "client_id", kubelet + ".clientId");
    c.Attr(w, "object_id", kubelet + ".objectId");
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

void RenderAcr(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "admin_enabled", "properties.adminUserEnabled");
  PublicNetworkAccess(c, w);
  c.Attr(w, "anonymous_pull_enabled", "properties.anonymousPullEnabled");
  c.Attr(w, "data_endpoint_enabled", "properties.dataEndpointEnabled");
  if (c.Has("properties.zoneRedundancy")) {
    w.BoolAttribute("zone_redundancy_enabled",
                    EqualsIgnoreCase(c.GetString("properties.zoneRedundancy"), "Enabled"));
  }
  c.Attr(w, "network_rule_bypass_option", "properties.networkRuleBypassOptions");
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseContainerGroup(const MapContext& c, std::string* why) {
  if (ArraySize(c, "properties.containers") == 0) return ViaAzapi(why, "no containers");
  if (c.Has("properties.imageRegistryCredentials")) {
    return ViaAzapi(why, "private registry credentials");
  }
  return AzurermType("azurerm_container_group");
}
void RenderContainerGroup(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "os_type", "properties.osType");
  c.Attr(w, "restart_policy", "properties.restartPolicy");
  c.Attr(w, "sku", "properties.sku");
  c.Attr(w, "ip_address_type", "properties.ipAddress.type");
  c.Attr(w, "dns_name_label", "properties.ipAddress.dnsNameLabel");
  if (NonEmptyArray(c, "properties.subnetIds")) {
    w.Attribute("subnet_ids", ExprList(c, "properties.subnetIds", "id"));
  }
  const size_t n = ArraySize(c, "properties.containers");
  for (size_t i = 0; i < n; ++i) {
    const std::string k = ElementPath("properties.containers", i, "");
    w.BeginBlock("container");
    c.Attr(w, "name", k + ".name");
    c.Attr(w, "image", k + ".properties.image");
    c.Attr(w, "cpu", k + ".properties.resources.requests.cpu");
    c.Attr(w, "memory", k + ".properties.resources.requests.memoryInGB");
    const size_t np = ArraySize(c, k + ".properties.ports");
    for (size_t j = 0; j < np; ++j) {
      w.BeginBlock("ports");
      c.Attr(w, "port", ElementPath(k + ".properties.ports", j, "port"));
      c.Attr(w, "protocol", ElementPath(k + ".properties.ports", j, "protocol"));
      w.EndBlock();
    }
    const size_t ne = ArraySize(c, k + ".properties.environmentVariables");
    if (ne > 0) {
      std::string map = "{\n";
      for (size_t j = 0; j < ne; ++j) {
        const std::string e = ElementPath(k + ".properties.environmentVariables", j, "");
        if (!c.Has(e + ".value")) continue;
        map.append(static_cast<size_t>(w.depth() + 1) * 2, ' ');
        AppendHclString(&map, c.GetString(e + ".name"));
        map.append(" = ");
        map.append(c.Expr(e + ".value"));
        map.push_back('\n');
      }
      map.append(static_cast<size_t>(w.depth()) * 2, ' ');
      map.push_back('}');
      w.Attribute("environment_variables", map);
    }
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

}  // namespace

void AddContainerMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(),
                {
                    {"microsoft.containerinstance/containergroups", "azurerm_container_group",
                     ChooseContainerGroup, RenderContainerGroup},
                    {"microsoft.containerregistry/registries", "azurerm_container_registry",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_container_registry"), RenderAcr},
                    {"microsoft.containerservice/managedclusters", "azurerm_kubernetes_cluster",
                     ChooseAks, RenderAks},
                });
}

}  // namespace atg::iac::terraform
