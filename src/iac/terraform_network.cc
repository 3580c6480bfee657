// The azurerm mappings of virtual networks, subnets, interfaces, security groups and rules, public
// IPs, firewalls, private endpoints and DNS zones, network watchers, route tables
// (Microsoft.Network): one choose/render pair per ARM type, arguments as the azurerm 4.x provider
// documents them (the table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

std::string ChooseVnet(const MapContext& c, std::string* why) {
  if (NonEmptyArray(c, "properties.subnets")) {
    return ViaAzapi(why, "subnets inlined in the body are not planned as resources of their own");
  }
  if (NonEmptyArray(c, "properties.virtualNetworkPeerings")) {
    return ViaAzapi(why, "inlined virtual network peerings");
  }
  return AzurermType("azurerm_virtual_network");
}
void RenderVnet(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "address_space", "properties.addressSpace.addressPrefixes");
  if (NonEmptyArray(c, "properties.dhcpOptions.dnsServers")) {
    c.Attr(w, "dns_servers", "properties.dhcpOptions.dnsServers");
  }
  c.Tags(w);
}

std::string ChooseSubnet(const MapContext& c, std::string* why) {
  if (!c.Has("properties.addressPrefix") && !c.Has("properties.addressPrefixes")) {
    return ViaAzapi(why, "no address prefix (IPAM pool allocation)");
  }
  return AzurermType("azurerm_subnet");
}
void RenderSubnet(MapContext& c, HclWriter& w) {
  const std::string& sym = c.resource().symbol;
  w.StringAttribute("name", c.resource().name);
  c.ResourceGroupName(w);
  w.Attribute("virtual_network_name", ParentName(c));
  if (c.Has("properties.addressPrefixes")) {
    c.Attr(w, "address_prefixes", "properties.addressPrefixes");
  } else {
    w.Attribute("address_prefixes", "[" + c.Expr("properties.addressPrefix") + "]");
  }
  const size_t nse = ArraySize(c, "properties.serviceEndpoints");
  for (size_t i = 0; i < nse; ++i) {
    w.BeginBlock("service_endpoint");
    c.Attr(w, "service", ElementPath("properties.serviceEndpoints", i, "service"));
    w.EndBlock();
  }
  std::string_view pe = c.GetString("properties.privateEndpointNetworkPolicies");
  if (!pe.empty()) w.StringAttribute("private_endpoint_network_policies", pe);
  std::string_view pls = c.GetString("properties.privateLinkServiceNetworkPolicies");
  if (!pls.empty()) {
    w.BoolAttribute("private_link_service_network_policies_enabled",
                    EqualsIgnoreCase(pls, "Enabled"));
  }
  const size_t n = ArraySize(c, "properties.delegations");
  for (size_t i = 0; i < n; ++i) {
    const std::string d = ElementPath("properties.delegations", i, "");
    w.BeginBlock("delegation");
    c.Attr(w, "name", d + ".name");
    w.BeginBlock("service_delegation");
    c.Attr(w, "name", d + ".properties.serviceName");
    if (NonEmptyArray(c, d + ".properties.actions"))
      c.Attr(w, "actions", d + ".properties.actions");
    w.EndBlock();
    w.EndBlock();
  }
  HclWriter extra(&c.extra());
  if (c.Has("properties.networkSecurityGroup.id")) {
    extra.BlankLine();
    c.Import("azurerm_subnet_network_security_group_association." + sym, c.resource().id);
    extra.BeginBlock("resource", {"azurerm_subnet_network_security_group_association", sym});
    extra.Attribute("subnet_id", "azurerm_subnet." + sym + ".id");
    extra.Attribute("network_security_group_id", c.Expr("properties.networkSecurityGroup.id"));
    extra.EndBlock();
  }
  if (c.Has("properties.routeTable.id")) {
    extra.BlankLine();
    c.Import("azurerm_subnet_route_table_association." + sym, c.resource().id);
    extra.BeginBlock("resource", {"azurerm_subnet_route_table_association", sym});
    extra.Attribute("subnet_id", "azurerm_subnet." + sym + ".id");
    extra.Attribute("route_table_id", c.Expr("properties.routeTable.id"));
    extra.EndBlock();
  }
}

std::string ChooseNic(const MapContext& c, std::string* why) {
  if (c.Has("properties.privateEndpoint.id")) {
    return ViaAzapi(why, "network interface created and owned by a private endpoint");
  }
  if (ArraySize(c, "properties.ipConfigurations") == 0) {
    return ViaAzapi(why, "no ip configuration");
  }
  return AzurermType("azurerm_network_interface");
}
void RenderNic(MapContext& c, HclWriter& w) {
  const std::string& sym = c.resource().symbol;
  NameGroupLocation(c, w);
  if (c.Has("properties.enableIPForwarding")) {
    c.Attr(w, "ip_forwarding_enabled", "properties.enableIPForwarding");
  }
  if (c.Has("properties.enableAcceleratedNetworking")) {
    c.Attr(w, "accelerated_networking_enabled", "properties.enableAcceleratedNetworking");
  }
  if (NonEmptyArray(c, "properties.dnsSettings.dnsServers")) {
    c.Attr(w, "dns_servers", "properties.dnsSettings.dnsServers");
  }
  HclWriter extra(&c.extra());
  const size_t n = ArraySize(c, "properties.ipConfigurations");
  for (size_t i = 0; i < n; ++i) {
    const std::string ip = ElementPath("properties.ipConfigurations", i, "");
    w.BeginBlock("ip_configuration");
    c.Attr(w, "name", ip + ".name");
    c.Attr(w, "subnet_id", ip + ".properties.subnet.id");
    std::string_view method = c.GetString(ip + ".properties.privateIPAllocationMethod");
    w.StringAttribute("private_ip_address_allocation", method.empty() ? "Dynamic" : method);
    if (EqualsIgnoreCase(method, "Static")) {
      c.Attr(w, "private_ip_address", ip + ".properties.privateIPAddress");
    }
    c.Attr(w, "private_ip_address_version", ip + ".properties.privateIPAddressVersion");
    c.Attr(w, "public_ip_address_id", ip + ".properties.publicIPAddress.id");
    c.Attr(w, "primary", ip + ".properties.primary");
    w.EndBlock();
    const std::string pools = ip + ".properties.loadBalancerBackendAddressPools";
    const size_t np = ArraySize(c, pools);
    for (size_t k = 0; k < np; ++k) {
      extra.BlankLine();
      const std::string assoc = sym + "_" + std::to_string(i) + "_" + std::to_string(k);
      c.Import("azurerm_network_interface_backend_address_pool_association." + assoc,
               c.resource().id + "/ipConfigurations/" + std::string(c.GetString(ip + ".name")) +
                   "|" + std::string(c.GetString(ElementPath(pools, k, "id"))));
      extra.BeginBlock("resource",
                       {"azurerm_network_interface_backend_address_pool_association", assoc});
      extra.Attribute("network_interface_id", "azurerm_network_interface." + sym + ".id");
      extra.Attribute("ip_configuration_name", c.Expr(ip + ".name"));
      extra.Attribute("backend_address_pool_id", c.Expr(ElementPath(pools, k, "id")));
      extra.EndBlock();
    }
  }
  c.Tags(w);
  if (c.Has("properties.networkSecurityGroup.id")) {
    extra.BlankLine();
    c.Import(
        "azurerm_network_interface_security_group_association." + sym,
        c.resource().id + "|" + std::string(c.GetString("properties.networkSecurityGroup.id")));
    extra.BeginBlock("resource", {"azurerm_network_interface_security_group_association", sym});
    extra.Attribute("network_interface_id", "azurerm_network_interface." + sym + ".id");
    extra.Attribute("network_security_group_id", c.Expr("properties.networkSecurityGroup.id"));
    extra.EndBlock();
  }
}

std::string ChooseNsg(const MapContext& c, std::string* why) {
  if (NonEmptyArray(c, "properties.securityRules")) {
    return ViaAzapi(why, "security rules inlined in the body are not planned on their own");
  }
  return AzurermType("azurerm_network_security_group");
}
void RenderNsg(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Tags(w);
}

// One of `single` / `plural`, whichever the rule uses (azurerm rejects both together).
void SingleOrList(MapContext& c, HclWriter& w, const char* tf_single, const char* tf_plural,
                  const std::string& single, const std::string& plural) {
  if (NonEmptyArray(c, plural)) {
    c.Attr(w, tf_plural, plural);
  } else if (!c.GetString(single).empty() || c.Has(single)) {
    c.Attr(w, tf_single, single);
  }
}

void RenderNsgRule(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  c.ResourceGroupName(w);
  w.Attribute("network_security_group_name", ParentName(c));
  c.Attr(w, "description", "properties.description");
  c.Attr(w, "priority", "properties.priority");
  c.Attr(w, "direction", "properties.direction");
  c.Attr(w, "access", "properties.access");
  c.Attr(w, "protocol", "properties.protocol");
  SingleOrList(c, w, "source_port_range", "source_port_ranges", "properties.sourcePortRange",
               "properties.sourcePortRanges");
  SingleOrList(c, w, "destination_port_range", "destination_port_ranges",
               "properties.destinationPortRange", "properties.destinationPortRanges");
  SingleOrList(c, w, "source_address_prefix", "source_address_prefixes",
               "properties.sourceAddressPrefix", "properties.sourceAddressPrefixes");
  SingleOrList(c, w, "destination_address_prefix", "destination_address_prefixes",
               "properties.destinationAddressPrefix", "properties.destinationAddressPrefixes");
}

std::string ChoosePublicIp(const MapContext& c, std::string* why) {
  if (!c.Has("properties.publicIPAllocationMethod")) {
    return ViaAzapi(why, "no allocation method");
  }
  if (c.Has("properties.publicIPPrefix.id")) return ViaAzapi(why, "allocated from a prefix");
  return AzurermType("azurerm_public_ip");
}
void RenderPublicIp(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "allocation_method", "properties.publicIPAllocationMethod");
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "sku_tier", "sku.tier");
  c.Attr(w, "ip_version", "properties.publicIPAddressVersion");
  c.Attr(w, "idle_timeout_in_minutes", "properties.idleTimeoutInMinutes");
  c.Attr(w, "domain_name_label", "properties.dnsSettings.domainNameLabel");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  c.Tags(w);
}

std::string ChooseFirewall(const MapContext& c, std::string* why) {
  if (!c.Has("properties.sku.name")) return ViaAzapi(why, "no sku");
  return AzurermType("azurerm_firewall");
}
void RenderFirewall(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku_name", "properties.sku.name");
  c.Attr(w, "sku_tier", "properties.sku.tier");
  c.Attr(w, "threat_intel_mode", "properties.threatIntelMode");
  c.Attr(w, "firewall_policy_id", "properties.firewallPolicy.id");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  const size_t n = ArraySize(c, "properties.ipConfigurations");
  for (size_t i = 0; i < n; ++i) {
    const std::string ip = ElementPath("properties.ipConfigurations", i, "");
    w.BeginBlock("ip_configuration");
    c.Attr(w, "name", ip + ".name");
    c.Attr(w, "subnet_id", ip + ".properties.subnet.id");
    c.Attr(w, "public_ip_address_id", ip + ".properties.publicIPAddress.id");
    w.EndBlock();
  }
  c.Tags(w);
}

std::string ChoosePrivateEndpoint(const MapContext& c, std::string* why) {
  const size_t auto_n = ArraySize(c, "properties.privateLinkServiceConnections");
  const size_t manual_n = ArraySize(c, "properties.manualPrivateLinkServiceConnections");
  if (auto_n + manual_n != 1) {
    return ViaAzapi(why, "azurerm_private_endpoint holds exactly one service connection");
  }
  return AzurermType("azurerm_private_endpoint");
}
void RenderPrivateEndpoint(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "subnet_id", "properties.subnet.id");
  c.Attr(w, "custom_network_interface_name", "properties.customNetworkInterfaceName");
  const bool manual = NonEmptyArray(c, "properties.manualPrivateLinkServiceConnections");
  const std::string conn = manual ? "properties.manualPrivateLinkServiceConnections[0]"
                                  : "properties.privateLinkServiceConnections[0]";
  w.BeginBlock("private_service_connection");
  if (!c.Attr(w, "name", conn + ".name")) w.StringAttribute("name", c.resource().name);
  c.Attr(w, "private_connection_resource_id", conn + ".properties.privateLinkServiceId");
  if (NonEmptyArray(c, conn + ".properties.groupIds")) {
    c.Attr(w, "subresource_names", conn + ".properties.groupIds");
  }
  w.BoolAttribute("is_manual_connection", manual);
  if (manual) c.Attr(w, "request_message", conn + ".properties.requestMessage");
  w.EndBlock();
  c.Tags(w);
}

void RenderPrivateDnsZone(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w, /*location=*/false);
  c.Tags(w);
}

void RenderDnsVnetLink(MapContext& c, HclWriter& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("private_dns_zone_id", ParentId(c));
  c.Attr(w, "virtual_network_id", "properties.virtualNetwork.id");
  w.BoolAttribute("registration_enabled", c.GetBool("properties.registrationEnabled", false));
  c.Tags(w);
}

void RenderNetworkWatcher(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Tags(w);
}

void RenderRouteTable(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  if (c.Has("properties.disableBgpRoutePropagation")) {
    w.BoolAttribute("bgp_route_propagation_enabled",
                    !c.GetBool("properties.disableBgpRoutePropagation", false));
  }
  const size_t n = ArraySize(c, "properties.routes");
  for (size_t i = 0; i < n; ++i) {
    const std::string r = ElementPath("properties.routes", i, "");
    w.BeginBlock("route");
    c.Attr(w, "name", r + ".name");
    c.Attr(w, "address_prefix", r + ".properties.addressPrefix");
    c.Attr(w, "next_hop_type", r + ".properties.nextHopType");
    c.Attr(w, "next_hop_in_ip_address", r + ".properties.nextHopIpAddress");
    w.EndBlock();
  }
  c.Tags(w);
}

}  // namespace

void AddNetworkMappings(std::vector<TypeMapping>* table) {
  table->insert(
      table->end(),
      {
          {"microsoft.network/azurefirewalls", "azurerm_firewall", ChooseFirewall, RenderFirewall},
          {"microsoft.network/networkinterfaces",
           "azurerm_network_interface (+ security group / backend pool associations)", ChooseNic,
           RenderNic},
          {"microsoft.network/networksecuritygroups", "azurerm_network_security_group", ChooseNsg,
           RenderNsg},
          {"microsoft.network/networksecuritygroups/securityrules", "azurerm_network_security_rule",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_network_security_rule"), RenderNsgRule},
          {"microsoft.network/networkwatchers", "azurerm_network_watcher",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_network_watcher"), RenderNetworkWatcher},
          {"microsoft.network/privatednszones", "azurerm_private_dns_zone",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_private_dns_zone"), RenderPrivateDnsZone},
          {"microsoft.network/privatednszones/virtualnetworklinks",
           "azurerm_private_dns_zone_virtual_network_link",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_private_dns_zone_virtual_network_link"),
           RenderDnsVnetLink},
          {"microsoft.network/privateendpoints", "azurerm_private_endpoint", ChoosePrivateEndpoint,
           RenderPrivateEndpoint},
          {"microsoft.network/publicipaddresses", "azurerm_public_ip", ChoosePublicIp,
           RenderPublicIp},
          {"microsoft.network/routetables", "azurerm_route_table",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_route_table"), RenderRouteTable},
          {"microsoft.network/virtualnetworks", "azurerm_virtual_network", ChooseVnet, RenderVnet},
          {"microsoft.network/virtualnetworks/subnets",
           "azurerm_subnet (+ network security group / route table associations)", ChooseSubnet,
           RenderSubnet},
      });
}

}  // namespace atg::iac::terraform
