// The azurerm mapping table (iac/terraform_types.h). One small choose/render pair per ARM
// type; arguments follow the azurerm 4.x provider's documented schema.
#include "iac/terraform_types.h"

#include <algorithm>

#include "common/arm_id.h"
#include "common/strings.h"
#include "iac/terraform_values.h"

namespace atg::iac {
namespace {

using W = HclWriter;
using C = MapContext;

std::string P(std::string_view a, size_t i, std::string_view b) {
  std::string s(a);
  s.push_back('[');
  s.append(std::to_string(i));
  s.push_back(']');
  if (!b.empty()) {
    s.push_back('.');
    s.append(b);
  }
  return s;
}

size_t ArraySize(const C& c, std::string_view path) {
  const json::value* v = c.Get(path);
  return v && v->is_array() ? v->get_array().size() : 0;
}

bool NonEmptyArray(const C& c, std::string_view path) { return ArraySize(c, path) > 0; }

// `name = <count>` for a count above zero: ARM writes 0 for "not set", azurerm's validators
// start at 1.
void PositiveAttr(C& c, W& w, std::string_view name, std::string_view path) {
  const json::value* v = c.Get(path);
  if (v && v->is_number() && v->to_number<double>() >= 1) c.Attr(w, name, path);
}

bool NonEmptyObject(const C& c, std::string_view path) {
  const json::value* v = c.Get(path);
  return v && v->is_object() && !v->get_object().empty();
}

// name, resource_group_name, location: the head of most azurerm resources.
void Head(C& c, W& w, bool location = true) {
  w.StringAttribute("name", c.resource().name);
  c.ResourceGroupName(w);
  if (location) c.Location(w);
}

// The parent's `name` attribute when the parent is emitted, else the literal from the ARM name.
std::string ParentName(C& c) {
  if (c.resource().parent) return c.AttributeOf(*c.resource().parent, "name");
  const std::vector<std::string>& names = c.resource().names;
  return HclString(names.empty() ? std::string() : names.front());
}
std::string ParentId(C& c) {
  if (c.resource().parent) return c.IdOf(*c.resource().parent);
  return HclString(c.resource().parent_id);
}
std::string ScopeId(C& c) {
  if (c.resource().scope) return c.IdOf(*c.resource().scope);
  const std::string& scope = c.resource().parent_id;
  return HclString(scope.empty() ? std::string_view("/") : std::string_view(scope));
}

// "[expr, expr]" of `field` in each element of the array at `path`.
std::string ExprList(C& c, std::string_view path, std::string_view field) {
  std::string out = "[";
  const size_t n = ArraySize(c, path);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    out.append(c.Expr(P(path, i, field)));
  }
  out.push_back(']');
  return out;
}

std::string Is(const char* type) { return type; }

std::string Fallback(std::string* why, std::string reason) {
  *why = std::move(reason);
  return "";
}

// ---- Microsoft.Resources ------------------------------------------------------------------

void RenderResourceGroup(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  c.Location(w);
  c.Tags(w);
}

// ---- Microsoft.Network --------------------------------------------------------------------

std::string ChooseVnet(const C& c, std::string* why) {
  if (NonEmptyArray(c, "properties.subnets")) {
    return Fallback(why, "subnets inlined in the body are not planned as resources of their own");
  }
  if (NonEmptyArray(c, "properties.virtualNetworkPeerings")) {
    return Fallback(why, "inlined virtual network peerings");
  }
  return Is("azurerm_virtual_network");
}
void RenderVnet(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "address_space", "properties.addressSpace.addressPrefixes");
  if (NonEmptyArray(c, "properties.dhcpOptions.dnsServers")) {
    c.Attr(w, "dns_servers", "properties.dhcpOptions.dnsServers");
  }
  c.Tags(w);
}

std::string ChooseSubnet(const C& c, std::string* why) {
  if (!c.Has("properties.addressPrefix") && !c.Has("properties.addressPrefixes")) {
    return Fallback(why, "no address prefix (IPAM pool allocation)");
  }
  return Is("azurerm_subnet");
}
void RenderSubnet(C& c, W& w) {
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
    c.Attr(w, "service", P("properties.serviceEndpoints", i, "service"));
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
    const std::string d = P("properties.delegations", i, "");
    w.BeginBlock("delegation");
    c.Attr(w, "name", d + ".name");
    w.BeginBlock("service_delegation");
    c.Attr(w, "name", d + ".properties.serviceName");
    if (NonEmptyArray(c, d + ".properties.actions"))
      c.Attr(w, "actions", d + ".properties.actions");
    w.EndBlock();
    w.EndBlock();
  }
  W extra(&c.extra());
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

std::string ChooseNic(const C& c, std::string* why) {
  if (c.Has("properties.privateEndpoint.id")) {
    return Fallback(why, "network interface created and owned by a private endpoint");
  }
  if (ArraySize(c, "properties.ipConfigurations") == 0) {
    return Fallback(why, "no ip configuration");
  }
  return Is("azurerm_network_interface");
}
void RenderNic(C& c, W& w) {
  const std::string& sym = c.resource().symbol;
  Head(c, w);
  if (c.Has("properties.enableIPForwarding")) {
    c.Attr(w, "ip_forwarding_enabled", "properties.enableIPForwarding");
  }
  if (c.Has("properties.enableAcceleratedNetworking")) {
    c.Attr(w, "accelerated_networking_enabled", "properties.enableAcceleratedNetworking");
  }
  if (NonEmptyArray(c, "properties.dnsSettings.dnsServers")) {
    c.Attr(w, "dns_servers", "properties.dnsSettings.dnsServers");
  }
  W extra(&c.extra());
  const size_t n = ArraySize(c, "properties.ipConfigurations");
  for (size_t i = 0; i < n; ++i) {
    const std::string ip = P("properties.ipConfigurations", i, "");
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
                   "|" + std::string(c.GetString(P(pools, k, "id"))));
      extra.BeginBlock("resource",
                       {"azurerm_network_interface_backend_address_pool_association", assoc});
      extra.Attribute("network_interface_id", "azurerm_network_interface." + sym + ".id");
      extra.Attribute("ip_configuration_name", c.Expr(ip + ".name"));
      extra.Attribute("backend_address_pool_id", c.Expr(P(pools, k, "id")));
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

std::string ChooseNsg(const C& c, std::string* why) {
  if (NonEmptyArray(c, "properties.securityRules")) {
    return Fallback(why, "security rules inlined in the body are not planned on their own");
  }
  return Is("azurerm_network_security_group");
}
void RenderNsg(C& c, W& w) {
  Head(c, w);
  c.Tags(w);
}

// One of `single` / `plural`, whichever the rule uses (azurerm rejects both together).
void SingleOrList(C& c, W& w, const char* tf_single, const char* tf_plural,
                  const std::string& single, const std::string& plural) {
  if (NonEmptyArray(c, plural)) {
    c.Attr(w, tf_plural, plural);
  } else if (!c.GetString(single).empty() || c.Has(single)) {
    c.Attr(w, tf_single, single);
  }
}

void RenderNsgRule(C& c, W& w) {
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

std::string ChoosePublicIp(const C& c, std::string* why) {
  if (!c.Has("properties.publicIPAllocationMethod")) {
    return Fallback(why, "no allocation method");
  }
  if (c.Has("properties.publicIPPrefix.id")) return Fallback(why, "allocated from a prefix");
  return Is("azurerm_public_ip");
}
void RenderPublicIp(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "allocation_method", "properties.publicIPAllocationMethod");
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "sku_tier", "sku.tier");
  c.Attr(w, "ip_version", "properties.publicIPAddressVersion");
  c.Attr(w, "idle_timeout_in_minutes", "properties.idleTimeoutInMinutes");
  c.Attr(w, "domain_name_label", "properties.dnsSettings.domainNameLabel");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  c.Tags(w);
}

std::string ChooseFirewall(const C& c, std::string* why) {
  if (!c.Has("properties.sku.name")) return Fallback(why, "no sku");
  return Is("azurerm_firewall");
}
void RenderFirewall(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "sku_name", "properties.sku.name");
  c.Attr(w, "sku_tier", "properties.sku.tier");
  c.Attr(w, "threat_intel_mode", "properties.threatIntelMode");
  c.Attr(w, "firewall_policy_id", "properties.firewallPolicy.id");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  const size_t n = ArraySize(c, "properties.ipConfigurations");
  for (size_t i = 0; i < n; ++i) {
    const std::string ip = P("properties.ipConfigurations", i, "");
    w.BeginBlock("ip_configuration");
    c.Attr(w, "name", ip + ".name");
    c.Attr(w, "subnet_id", ip + ".properties.subnet.id");
    c.Attr(w, "public_ip_address_id", ip + ".properties.publicIPAddress.id");
    w.EndBlock();
  }
  c.Tags(w);
}

std::string ChoosePrivateEndpoint(const C& c, std::string* why) {
  const size_t auto_n = ArraySize(c, "properties.privateLinkServiceConnections");
  const size_t manual_n = ArraySize(c, "properties.manualPrivateLinkServiceConnections");
  if (auto_n + manual_n != 1) {
    return Fallback(why, "azurerm_private_endpoint holds exactly one service connection");
  }
  return Is("azurerm_private_endpoint");
}
void RenderPrivateEndpoint(C& c, W& w) {
  Head(c, w);
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

void RenderPrivateDnsZone(C& c, W& w) {
  Head(c, w, /*location=*/false);
  c.Tags(w);
}

void RenderDnsVnetLink(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("private_dns_zone_id", ParentId(c));
  c.Attr(w, "virtual_network_id", "properties.virtualNetwork.id");
  w.BoolAttribute("registration_enabled", c.GetBool("properties.registrationEnabled", false));
  c.Tags(w);
}

void RenderNetworkWatcher(C& c, W& w) {
  Head(c, w);
  c.Tags(w);
}

void RenderRouteTable(C& c, W& w) {
  Head(c, w);
  if (c.Has("properties.disableBgpRoutePropagation")) {
    w.BoolAttribute("bgp_route_propagation_enabled",
                    !c.GetBool("properties.disableBgpRoutePropagation", false));
  }
  const size_t n = ArraySize(c, "properties.routes");
  for (size_t i = 0; i < n; ++i) {
    const std::string r = P("properties.routes", i, "");
    w.BeginBlock("route");
    c.Attr(w, "name", r + ".name");
    c.Attr(w, "address_prefix", r + ".properties.addressPrefix");
    c.Attr(w, "next_hop_type", r + ".properties.nextHopType");
    c.Attr(w, "next_hop_in_ip_address", r + ".properties.nextHopIpAddress");
    w.EndBlock();
  }
  c.Tags(w);
}

// ---- Microsoft.Compute --------------------------------------------------------------------

constexpr std::string_view kAdminPassword = "properties.osProfile.adminPassword";

bool IsWindowsVm(const C& c) {
  std::string_view os = c.GetString("properties.storageProfile.osDisk.osType");
  if (!os.empty()) return EqualsIgnoreCase(os, "Windows");
  return c.Get("properties.osProfile.windowsConfiguration") != nullptr;
}

std::string ChooseVm(const C& c, std::string* why) {
  if (!EqualsIgnoreCase(c.GetString("properties.storageProfile.osDisk.createOption"),
                        "FromImage")) {
    return Fallback(why, "OS disk attached rather than created from an image");
  }
  if (!c.Has("properties.storageProfile.imageReference.id") &&
      !c.Has("properties.storageProfile.imageReference.offer")) {
    return Fallback(why, "no image reference");
  }
  if (!c.Has("properties.osProfile.adminUsername")) return Fallback(why, "no OS profile");
  const bool has_password = c.Has(kAdminPassword);
  if (IsWindowsVm(c)) {
    if (!has_password) return Fallback(why, "Windows VM without an admin password input");
    return Is("azurerm_windows_virtual_machine");
  }
  if (!has_password &&
      !NonEmptyArray(c, "properties.osProfile.linuxConfiguration.ssh.publicKeys")) {
    return Fallback(why, "Linux VM with neither an SSH key nor an admin password input");
  }
  const size_t n = ArraySize(c, "properties.storageProfile.dataDisks");
  for (size_t i = 0; i < n; ++i) {
    const std::string d = P("properties.storageProfile.dataDisks", i, "");
    if (!c.Has(d + ".managedDisk.id")) return Fallback(why, "data disk without a managed disk id");
  }
  return Is("azurerm_linux_virtual_machine");
}
void RenderVm(C& c, W& w) {
  const bool windows = IsWindowsVm(c);
  const std::string& sym = c.resource().symbol;
  Head(c, w);
  c.Attr(w, "size", "properties.hardwareProfile.vmSize");
  c.Attr(w, "computer_name", "properties.osProfile.computerName");
  c.Attr(w, "admin_username", "properties.osProfile.adminUsername");
  if (c.Has(kAdminPassword)) c.Attr(w, "admin_password", kAdminPassword);
  if (!windows) {
    w.BoolAttribute(
        "disable_password_authentication",
        c.GetBool("properties.osProfile.linuxConfiguration.disablePasswordAuthentication",
                  !c.Has(kAdminPassword)));
  }
  w.Attribute("network_interface_ids",
              ExprList(c, "properties.networkProfile.networkInterfaces", "id"));
  c.Attr(w, "availability_set_id", "properties.availabilitySet.id");
  if (NonEmptyArray(c, "zones")) w.Attribute("zone", c.Expr("zones[0]"));
  c.Attr(w, "license_type", "properties.licenseType");
  c.Attr(w, "custom_data", "properties.osProfile.customData");
  const std::string keys = "properties.osProfile.linuxConfiguration.ssh.publicKeys";
  const size_t nk = windows ? 0 : ArraySize(c, keys);
  for (size_t i = 0; i < nk; ++i) {
    w.BeginBlock("admin_ssh_key");
    c.Attr(w, "username", "properties.osProfile.adminUsername");
    c.Attr(w, "public_key", P(keys, i, "keyData"));
    w.EndBlock();
  }
  const std::string os = "properties.storageProfile.osDisk";
  w.BeginBlock("os_disk");
  c.Attr(w, "name", os + ".name");
  std::string_view caching = c.GetString(os + ".caching");
  w.StringAttribute("caching", caching.empty() ? "ReadWrite" : caching);
  std::string_view sat = c.GetString(os + ".managedDisk.storageAccountType");
  w.StringAttribute("storage_account_type", sat.empty() ? "Standard_LRS" : sat);
  c.Attr(w, "disk_size_gb", os + ".diskSizeGB");
  w.EndBlock();
  const std::string img = "properties.storageProfile.imageReference";
  if (c.Has(img + ".id")) {
    c.Attr(w, "source_image_id", img + ".id");
  } else {
    w.BeginBlock("source_image_reference");
    c.Attr(w, "publisher", img + ".publisher");
    c.Attr(w, "offer", img + ".offer");
    c.Attr(w, "sku", img + ".sku");
    std::string_view version = c.GetString(img + ".version");
    w.StringAttribute("version", version.empty() ? "latest" : version);
    w.EndBlock();
  }
  if (c.GetBool("properties.diagnosticsProfile.bootDiagnostics.enabled", false)) {
    w.BeginBlock("boot_diagnostics");
    c.Attr(w, "storage_account_uri", "properties.diagnosticsProfile.bootDiagnostics.storageUri");
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
  // Data disks are their own managed disks, attached by association resources.
  W extra(&c.extra());
  const std::string disks = "properties.storageProfile.dataDisks";
  const size_t nd = ArraySize(c, disks);
  const std::string vm =
      std::string(windows ? "azurerm_windows_virtual_machine." : "azurerm_linux_virtual_machine.") +
      sym + ".id";
  for (size_t i = 0; i < nd; ++i) {
    const std::string d = P(disks, i, "");
    extra.BlankLine();
    std::string_view disk_id = c.GetString(d + ".managedDisk.id");
    auto disk = ParseArmIdView(disk_id);
    c.Import("azurerm_virtual_machine_data_disk_attachment." + sym + "_" + std::to_string(i),
             c.resource().id + "/dataDisks/" + std::string(disk.ok() ? disk->name : disk_id));
    extra.BeginBlock("resource", {"azurerm_virtual_machine_data_disk_attachment",
                                  sym + "_" + std::to_string(i)});
    extra.Attribute("managed_disk_id", c.Expr(d + ".managedDisk.id"));
    extra.Attribute("virtual_machine_id", vm);
    extra.Attribute("lun", c.Expr(d + ".lun"));
    std::string_view dc = c.GetString(d + ".caching");
    extra.StringAttribute("caching", dc.empty() ? "None" : dc);
    extra.EndBlock();
  }
}

void RenderVmExtension(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("virtual_machine_id", ParentId(c));
  c.Attr(w, "publisher", "properties.publisher");
  c.Attr(w, "type", "properties.type");
  c.Attr(w, "type_handler_version", "properties.typeHandlerVersion");
  c.Attr(w, "auto_upgrade_minor_version", "properties.autoUpgradeMinorVersion");
  c.Attr(w, "automatic_upgrade_enabled", "properties.enableAutomaticUpgrade");
  const json::value* settings = c.Get("properties.settings");
  if (settings && settings->is_object() && !settings->get_object().empty()) {
    w.Attribute("settings", "jsonencode(" + c.Expr("properties.settings") + ")");
  }
  if (c.Has("properties.protectedSettings")) {
    w.Attribute("protected_settings", c.Expr("properties.protectedSettings"));
  }
  c.Tags(w);
}

std::string ChooseDisk(const C& c, std::string* why) {
  std::string_view create = c.GetString("properties.creationData.createOption");
  if (!EqualsIgnoreCase(create, "Empty")) {
    return Fallback(why, "managed disk created by \"" + std::string(create) +
                             "\" (azurerm_managed_disk is used for empty disks)");
  }
  return Is("azurerm_managed_disk");
}
void RenderDisk(C& c, W& w) {
  Head(c, w);
  if (!c.Attr(w, "storage_account_type", "sku.name")) {
    w.StringAttribute("storage_account_type", "Standard_LRS");  // ARM's default
  }
  w.StringAttribute("create_option", "Empty");
  c.Attr(w, "disk_size_gb", "properties.diskSizeGB");
  c.Attr(w, "os_type", "properties.osType");
  c.Attr(w, "hyper_v_generation", "properties.hyperVGeneration");
  c.Attr(w, "disk_iops_read_write", "properties.diskIOPSReadWrite");
  c.Attr(w, "disk_mbps_read_write", "properties.diskMBpsReadWrite");
  c.Attr(w, "network_access_policy", "properties.networkAccessPolicy");
  if (c.Has("properties.publicNetworkAccess")) {
    w.BoolAttribute("public_network_access_enabled",
                    EqualsIgnoreCase(c.GetString("properties.publicNetworkAccess"), "Enabled"));
  }
  if (NonEmptyArray(c, "zones")) w.Attribute("zone", c.Expr("zones[0]"));
  c.Tags(w);
}

void RenderAvailabilitySet(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "platform_fault_domain_count", "properties.platformFaultDomainCount");
  c.Attr(w, "platform_update_domain_count", "properties.platformUpdateDomainCount");
  w.BoolAttribute("managed", EqualsIgnoreCase(c.GetString("sku.name"), "Aligned"));
  c.Tags(w);
}

// ---- Storage, Key Vault -------------------------------------------------------------------

void PublicNetworkAccess(C& c, W& w, std::string_view path = "properties.publicNetworkAccess") {
  std::string_view v = c.GetString(path);
  if (!v.empty()) w.BoolAttribute("public_network_access_enabled", EqualsIgnoreCase(v, "Enabled"));
}

std::string ChooseStorage(const C& c, std::string* why) {
  std::string_view sku = c.GetString("sku.name");
  if (sku.find('_') == std::string_view::npos) return Fallback(why, "unrecognised sku");
  return Is("azurerm_storage_account");
}
void RenderStorage(C& c, W& w) {
  Head(c, w);
  std::string_view sku = c.GetString("sku.name");
  const size_t us = sku.find('_');
  w.StringAttribute("account_tier", sku.substr(0, us));
  w.StringAttribute("account_replication_type", sku.substr(us + 1));
  c.Attr(w, "account_kind", "kind");
  c.Attr(w, "access_tier", "properties.accessTier");
  c.Attr(w, "min_tls_version", "properties.minimumTlsVersion");
  c.Attr(w, "https_traffic_only_enabled", "properties.supportsHttpsTrafficOnly");
  c.Attr(w, "allow_nested_items_to_be_public", "properties.allowBlobPublicAccess");
  c.Attr(w, "shared_access_key_enabled", "properties.allowSharedKeyAccess");
  c.Attr(w, "is_hns_enabled", "properties.isHnsEnabled");
  c.Attr(w, "cross_tenant_replication_enabled", "properties.allowCrossTenantReplication");
  c.Attr(w, "default_to_oauth_authentication", "properties.defaultToOAuthAuthentication");
  PublicNetworkAccess(c, w);
  const std::string acl = "properties.networkAcls";
  if (c.Has(acl + ".defaultAction")) {
    w.BeginBlock("network_rules");
    c.Attr(w, "default_action", acl + ".defaultAction");
    std::string_view bypass = c.GetString(acl + ".bypass");
    if (!bypass.empty()) {
      std::string list = "[";
      bool first = true;
      for (const std::string& b : Split(bypass, ',')) {
        std::string t(b);
        t.erase(0, t.find_first_not_of(' '));
        t.erase(t.find_last_not_of(' ') + 1);
        if (t.empty()) continue;
        if (!first) list.append(", ");
        first = false;
        AppendHclString(&list, t);
      }
      list.push_back(']');
      w.Attribute("bypass", list);
    }
    if (NonEmptyArray(c, acl + ".ipRules")) {
      w.Attribute("ip_rules", ExprList(c, acl + ".ipRules", "value"));
    }
    if (NonEmptyArray(c, acl + ".virtualNetworkRules")) {
      w.Attribute("virtual_network_subnet_ids", ExprList(c, acl + ".virtualNetworkRules", "id"));
    }
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseKeyVault(const C& c, std::string* why) {
  if (!c.Has("properties.tenantId")) return Fallback(why, "no tenant id");
  return Is("azurerm_key_vault");
}
void RenderKeyVault(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "tenant_id", "properties.tenantId");
  std::string_view sku = c.GetString("properties.sku.name");
  w.StringAttribute("sku_name", sku.empty() ? "standard" : ToLower(sku));
  c.Attr(w, "enabled_for_deployment", "properties.enabledForDeployment");
  c.Attr(w, "enabled_for_disk_encryption", "properties.enabledForDiskEncryption");
  c.Attr(w, "enabled_for_template_deployment", "properties.enabledForTemplateDeployment");
  w.BoolAttribute("rbac_authorization_enabled",  // required by azurerm 5; ARM's default false
                  c.GetBool("properties.enableRbacAuthorization", false));
  c.Attr(w, "soft_delete_retention_days", "properties.softDeleteRetentionInDays");
  c.Attr(w, "purge_protection_enabled", "properties.enablePurgeProtection");
  PublicNetworkAccess(c, w);
  const size_t n = ArraySize(c, "properties.accessPolicies");
  for (size_t i = 0; i < n; ++i) {
    const std::string ap = P("properties.accessPolicies", i, "");
    w.BeginBlock("access_policy");
    c.Attr(w, "tenant_id", ap + ".tenantId");
    w.Attribute("object_id", c.PrincipalExpr(ap + ".objectId"));
    for (auto [tf, arm] : {std::pair{"key_permissions", "keys"},
                           {"secret_permissions", "secrets"},
                           {"certificate_permissions", "certificates"},
                           {"storage_permissions", "storage"}}) {
      // ARM accepts any case ("get", "all"); azurerm only its own spelling, no "all".
      const json::value* list = c.Get(ap + ".permissions." + arm);
      if (!list || !list->is_array() || list->get_array().empty()) continue;
      const AllowedValues& allowed = *KeyVaultPermissions(arm);
      std::vector<std::string_view> fitted;
      for (const json::value& p : list->get_array()) {
        if (!p.is_string()) continue;
        if (EqualsIgnoreCase(p.get_string(), "all")) {
          fitted.assign(allowed.begin(), allowed.end());
          break;
        }
        if (auto f = FitEnum(p.get_string(), allowed)) fitted.push_back(*f);
      }
      std::string out = "[";
      for (std::string_view f : fitted) {
        if (out.size() > 1) out.append(", ");
        AppendHclString(&out, f);
      }
      if (out.size() > 1) w.Attribute(tf, out + "]");
    }
    w.EndBlock();
  }
  c.Tags(w);
}

// ---- Microsoft.Web ------------------------------------------------------------------------

bool IsLinuxPlan(const C& c) {
  return c.GetBool("properties.reserved", false) ||
         c.GetString("kind").find("linux") != std::string_view::npos;
}

std::string ChooseServicePlan(const C& c, std::string* why) {
  if (!FitEnum(c.GetString("sku.name"), ServicePlanSkus())) {
    return Fallback(why, "sku \"" + std::string(c.GetString("sku.name")) +
                             "\" is not one azurerm_service_plan offers");
  }
  return Is("azurerm_service_plan");
}
void RenderServicePlan(C& c, W& w) {
  Head(c, w);
  w.StringAttribute("os_type", IsLinuxPlan(c) ? "Linux" : "Windows");
  w.StringAttribute("sku_name", *FitEnum(c.GetString("sku.name"), ServicePlanSkus()));
  PositiveAttr(c, w, "worker_count", "sku.capacity");
  c.Attr(w, "zone_balancing_enabled", "properties.zoneRedundant");
  c.Tags(w);
}

bool IsLinuxSite(const C& c) {
  return c.GetBool("properties.reserved", false) ||
         c.GetString("kind").find("linux") != std::string_view::npos ||
         !c.GetString("properties.siteConfig.linuxFxVersion").empty();
}

std::string ChooseSite(const C& c, std::string* why) {
  std::string_view kind = c.GetString("kind");
  if (kind.find("functionapp") != std::string_view::npos) {
    return Fallback(why, "function apps need their storage account's key");
  }
  if (!c.Has("properties.serverFarmId")) return Fallback(why, "no App Service plan");
  return Is(IsLinuxSite(c) ? "azurerm_linux_web_app" : "azurerm_windows_web_app");
}
std::string ChooseSlot(const C& c, std::string* why) {
  std::string t = ChooseSite(c, why);
  return t.empty() ? t : t + "_slot";
}

void RenderSiteBody(C& c, W& w) {
  c.Attr(w, "https_only", "properties.httpsOnly");
  c.Attr(w, "client_certificate_enabled", "properties.clientCertEnabled");
  c.Attr(w, "enabled", "properties.enabled");
  c.Attr(w, "virtual_network_subnet_id", "properties.virtualNetworkSubnetId");
  PublicNetworkAccess(c, w);
  const std::string sc = "properties.siteConfig";
  w.BeginBlock("site_config");
  c.Attr(w, "always_on", sc + ".alwaysOn");
  c.Attr(w, "http2_enabled", sc + ".http20Enabled");
  c.Attr(w, "minimum_tls_version", sc + ".minTlsVersion");
  c.Attr(w, "ftps_state", sc + ".ftpsState");
  PositiveAttr(c, w, "worker_count", sc + ".numberOfWorkers");
  w.EndBlock();
  const size_t na = ArraySize(c, sc + ".appSettings");
  if (na > 0) {
    std::string map = "{\n";
    for (size_t i = 0; i < na; ++i) {
      const std::string e = P(sc + ".appSettings", i, "");
      if (!c.Has(e + ".value")) continue;
      map.append(static_cast<size_t>(w.depth() + 1) * 2, ' ');
      AppendHclString(&map, c.GetString(e + ".name"));
      map.append(" = ");
      map.append(c.Expr(e + ".value"));
      map.push_back('\n');
    }
    map.append(static_cast<size_t>(w.depth()) * 2, ' ');
    map.push_back('}');
    w.Attribute("app_settings", map);
  }
  const size_t ncs = ArraySize(c, sc + ".connectionStrings");
  for (size_t i = 0; i < ncs; ++i) {
    const std::string e = P(sc + ".connectionStrings", i, "");
    w.BeginBlock("connection_string");
    c.Attr(w, "name", e + ".name");
    std::string_view type = c.GetString(e + ".type");
    w.StringAttribute("type", type.empty() ? "Custom" : type);
    if (c.Has(e + ".connectionString")) {
      c.Attr(w, "value", e + ".connectionString");
    } else {
      w.StringAttribute("value", "");
    }
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}
void RenderSite(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "service_plan_id", "properties.serverFarmId");
  RenderSiteBody(c, w);
}
void RenderSlot(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("app_service_id", ParentId(c));
  if (c.Has("properties.serverFarmId")) c.Attr(w, "service_plan_id", "properties.serverFarmId");
  RenderSiteBody(c, w);
}

// ---- Microsoft.Sql ------------------------------------------------------------------------

constexpr std::string_view kSqlPassword = "properties.administratorLoginPassword";

std::string ChooseSqlServer(const C& c, std::string* why) {
  const bool aad_only = c.GetBool("properties.administrators.azureADOnlyAuthentication", false);
  if (!aad_only && !c.Has(kSqlPassword)) {
    return Fallback(why, "SQL authentication without an administrator password input");
  }
  return Is("azurerm_mssql_server");
}
void RenderSqlServer(C& c, W& w) {
  Head(c, w);
  std::string_view version = c.GetString("properties.version");
  w.StringAttribute("version", version.empty() ? "12.0" : version);
  c.Attr(w, "administrator_login", "properties.administratorLogin");
  if (c.Has(kSqlPassword)) c.Attr(w, "administrator_login_password", kSqlPassword);
  c.Attr(w, "minimum_tls_version", "properties.minimalTlsVersion");
  PublicNetworkAccess(c, w);
  if (c.Has("properties.restrictOutboundNetworkAccess")) {
    w.BoolAttribute(
        "outbound_network_restriction_enabled",
        EqualsIgnoreCase(c.GetString("properties.restrictOutboundNetworkAccess"), "Enabled"));
  }
  const std::string ad = "properties.administrators";
  if (c.Has(ad + ".login") && c.Has(ad + ".sid")) {
    w.BeginBlock("azuread_administrator");
    c.Attr(w, "login_username", ad + ".login");
    w.Attribute("object_id", c.PrincipalExpr(ad + ".sid"));
    c.Attr(w, "azuread_authentication_only", ad + ".azureADOnlyAuthentication");
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

void RenderSqlDatabase(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("server_id", ParentId(c));
  const json::value* capacity = c.Get("sku.capacity");
  if (auto sku = SqlDatabaseSkuName(c.GetString("sku.name"),
                                    capacity && capacity->is_number()
                                        ? std::optional(capacity->to_number<int64_t>())
                                        : std::nullopt)) {
    w.StringAttribute("sku_name", *sku);
  }
  c.Attr(w, "collation", "properties.collation");
  const json::value* max = c.Get("properties.maxSizeBytes");
  if (max && (max->is_int64() || max->is_uint64())) {
    const int64_t bytes =
        max->is_int64() ? max->get_int64() : static_cast<int64_t>(max->get_uint64());
    w.Attribute("max_size_gb", std::to_string(bytes / (1024LL * 1024 * 1024)));
  }
  c.Attr(w, "zone_redundant", "properties.zoneRedundant");
  if (c.Has("properties.readScale")) {
    w.BoolAttribute("read_scale", EqualsIgnoreCase(c.GetString("properties.readScale"), "Enabled"));
  }
  c.Attr(w, "storage_account_type", "properties.requestedBackupStorageRedundancy");
  c.Attr(w, "auto_pause_delay_in_minutes", "properties.autoPauseDelay");
  c.Attr(w, "min_capacity", "properties.minCapacity");
  c.Attr(w, "license_type", "properties.licenseType");
  c.Attr(w, "ledger_enabled", "properties.isLedgerOn");
  c.Tags(w);
}

void RenderSqlFirewallRule(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("server_id", ParentId(c));
  c.Attr(w, "start_ip_address", "properties.startIpAddress");
  c.Attr(w, "end_ip_address", "properties.endIpAddress");
}

// ---- Containers ---------------------------------------------------------------------------

std::string ChooseAks(const C& c, std::string* why) {
  if (ArraySize(c, "properties.agentPoolProfiles") != 1) {
    return Fallback(why,
                    "more than one agent pool (azurerm puts extra pools in resources of "
                    "their own, which the plan does not hold)");
  }
  if (!c.Has("identity.type")) return Fallback(why, "service-principal cluster without identity");
  return Is("azurerm_kubernetes_cluster");
}
void RenderAks(C& c, W& w) {
  Head(c, w);
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

void RenderAcr(C& c, W& w) {
  Head(c, w);
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

std::string ChooseContainerGroup(const C& c, std::string* why) {
  if (ArraySize(c, "properties.containers") == 0) return Fallback(why, "no containers");
  if (c.Has("properties.imageRegistryCredentials")) {
    return Fallback(why, "private registry credentials");
  }
  return Is("azurerm_container_group");
}
void RenderContainerGroup(C& c, W& w) {
  Head(c, w);
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
    const std::string k = P("properties.containers", i, "");
    w.BeginBlock("container");
    c.Attr(w, "name", k + ".name");
    c.Attr(w, "image", k + ".properties.image");
    c.Attr(w, "cpu", k + ".properties.resources.requests.cpu");
    c.Attr(w, "memory", k + ".properties.resources.requests.memoryInGB");
    const size_t np = ArraySize(c, k + ".properties.ports");
    for (size_t j = 0; j < np; ++j) {
      w.BeginBlock("ports");
      c.Attr(w, "port", P(k + ".properties.ports", j, "port"));
      c.Attr(w, "protocol", P(k + ".properties.ports", j, "protocol"));
      w.EndBlock();
    }
    const size_t ne = ArraySize(c, k + ".properties.environmentVariables");
    if (ne > 0) {
      std::string map = "{\n";
      for (size_t j = 0; j < ne; ++j) {
        const std::string e = P(k + ".properties.environmentVariables", j, "");
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

// ---- Monitoring, identity -----------------------------------------------------------------

void RenderLogAnalytics(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "sku", "properties.sku.name");
  c.Attr(w, "retention_in_days", "properties.retentionInDays");
  const json::value* quota = c.Get("properties.workspaceCapping.dailyQuotaGb");
  if (quota && quota->is_number() && quota->to_number<double>() > 0) {
    c.Attr(w, "daily_quota_gb", "properties.workspaceCapping.dailyQuotaGb");
  }
  c.Attr(w, "internet_ingestion_access_type", "properties.publicNetworkAccessForIngestion");
  c.Attr(w, "internet_query_access_type", "properties.publicNetworkAccessForQuery");
  c.Tags(w);
}

void RenderAppInsights(C& c, W& w) {
  Head(c, w);
  std::string_view type = c.GetString("properties.Application_Type");
  w.StringAttribute("application_type", type.empty() ? "web" : type);
  c.Attr(w, "workspace_id", "properties.WorkspaceResourceId");
  c.Attr(w, "retention_in_days", "properties.RetentionInDays");
  if (c.Has("properties.publicNetworkAccessForIngestion")) {
    w.BoolAttribute(
        "internet_ingestion_enabled",
        EqualsIgnoreCase(c.GetString("properties.publicNetworkAccessForIngestion"), "Enabled"));
  }
  if (c.Has("properties.publicNetworkAccessForQuery")) {
    w.BoolAttribute(
        "internet_query_enabled",
        EqualsIgnoreCase(c.GetString("properties.publicNetworkAccessForQuery"), "Enabled"));
  }
  if (c.Has("properties.DisableLocalAuth")) {
    w.BoolAttribute("local_authentication_enabled",
                    !c.GetBool("properties.DisableLocalAuth", false));
  }
  c.Tags(w);
}

void RenderUserIdentity(C& c, W& w) {
  Head(c, w);
  c.Tags(w);
}

std::string ChooseDiagnostic(const C& c, std::string* why) {
  if (!c.Has("properties.workspaceId") && !c.Has("properties.storageAccountId") &&
      !c.Has("properties.eventHubAuthorizationRuleId")) {
    return Fallback(why, "no destination");
  }
  return Is("azurerm_monitor_diagnostic_setting");
}
void RenderDiagnostic(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  w.Attribute("target_resource_id", ScopeId(c));
  c.Attr(w, "log_analytics_workspace_id", "properties.workspaceId");
  c.Attr(w, "log_analytics_destination_type", "properties.logAnalyticsDestinationType");
  c.Attr(w, "storage_account_id", "properties.storageAccountId");
  c.Attr(w, "eventhub_authorization_rule_id", "properties.eventHubAuthorizationRuleId");
  c.Attr(w, "eventhub_name", "properties.eventHubName");
  const size_t nl = ArraySize(c, "properties.logs");
  for (size_t i = 0; i < nl; ++i) {
    const std::string l = P("properties.logs", i, "");
    if (!c.GetBool(l + ".enabled", true)) continue;
    w.BeginBlock("enabled_log");
    if (c.Has(l + ".categoryGroup")) {
      c.Attr(w, "category_group", l + ".categoryGroup");
    } else {
      c.Attr(w, "category", l + ".category");
    }
    w.EndBlock();
  }
  const size_t nm = ArraySize(c, "properties.metrics");
  for (size_t i = 0; i < nm; ++i) {
    const std::string m = P("properties.metrics", i, "");
    if (!c.GetBool(m + ".enabled", true)) continue;
    w.BeginBlock("enabled_metric");
    c.Attr(w, "category", m + ".category");
    w.EndBlock();
  }
}

// ---- Data and messaging -------------------------------------------------------------------

std::string ChooseCosmos(const C& c, std::string* why) {
  if (ArraySize(c, "properties.locations") == 0) return Fallback(why, "no locations");
  return Is("azurerm_cosmosdb_account");
}
void RenderCosmos(C& c, W& w) {
  Head(c, w);
  std::string_view offer = c.GetString("properties.databaseAccountOfferType");
  w.StringAttribute("offer_type", offer.empty() ? "Standard" : offer);
  std::string_view kind = c.GetString("kind");
  w.StringAttribute("kind", kind.empty() ? "GlobalDocumentDB" : kind);
  c.Attr(w, "automatic_failover_enabled", "properties.enableAutomaticFailover");
  c.Attr(w, "multiple_write_locations_enabled", "properties.enableMultipleWriteLocations");
  c.Attr(w, "is_virtual_network_filter_enabled", "properties.isVirtualNetworkFilterEnabled");
  PublicNetworkAccess(c, w);
  if (c.Has("properties.disableLocalAuth")) {
    w.BoolAttribute("local_authentication_enabled",
                    !c.GetBool("properties.disableLocalAuth", false));
  }
  const std::string cp = "properties.consistencyPolicy";
  w.BeginBlock("consistency_policy");
  std::string_view level = c.GetString(cp + ".defaultConsistencyLevel");
  w.StringAttribute("consistency_level", level.empty() ? "Session" : level);
  if (EqualsIgnoreCase(level, "BoundedStaleness")) {
    c.Attr(w, "max_interval_in_seconds", cp + ".maxIntervalInSeconds");
    c.Attr(w, "max_staleness_prefix", cp + ".maxStalenessPrefix");
  }
  w.EndBlock();
  const size_t n = ArraySize(c, "properties.locations");
  for (size_t i = 0; i < n; ++i) {
    const std::string l = P("properties.locations", i, "");
    w.BeginBlock("geo_location");
    // ARM reports display names ("North Europe"); azurerm accepts them and normalises.
    c.Attr(w, "location", l + ".locationName");
    c.Attr(w, "failover_priority", l + ".failoverPriority");
    c.Attr(w, "zone_redundant", l + ".isZoneRedundant");
    w.EndBlock();
  }
  const size_t nc = ArraySize(c, "properties.capabilities");
  for (size_t i = 0; i < nc; ++i) {
    w.BeginBlock("capabilities");
    c.Attr(w, "name", P("properties.capabilities", i, "name"));
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

void RenderServiceBus(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "sku", "sku.name");
  if (EqualsIgnoreCase(c.GetString("sku.name"), "Premium")) {
    c.Attr(w, "capacity", "sku.capacity");
    c.Attr(w, "premium_messaging_partitions", "properties.premiumMessagingPartitions");
  }
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  if (c.Has("properties.disableLocalAuth")) {
    w.BoolAttribute("local_auth_enabled", !c.GetBool("properties.disableLocalAuth", false));
  }
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

void RenderEventHub(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "capacity", "sku.capacity");
  c.Attr(w, "auto_inflate_enabled", "properties.isAutoInflateEnabled");
  if (c.GetBool("properties.isAutoInflateEnabled", false)) {
    c.Attr(w, "maximum_throughput_units", "properties.maximumThroughputUnits");
  }
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseRedis(const C& c, std::string* why) {
  if (!c.Has("properties.sku.name") || !c.Has("properties.sku.family")) {
    return Fallback(why, "no sku");
  }
  return Is("azurerm_redis_cache");
}
void RenderRedis(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "capacity", "properties.sku.capacity");
  c.Attr(w, "family", "properties.sku.family");
  c.Attr(w, "sku_name", "properties.sku.name");
  c.Attr(w, "non_ssl_port_enabled", "properties.enableNonSslPort");
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  if (auto version = RedisMajorVersion(c.GetString("properties.redisVersion"))) {
    w.StringAttribute("redis_version", *version);
  }
  PublicNetworkAccess(c, w);
  c.Attr(w, "subnet_id", "properties.subnetId");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  c.Identity(w);
  c.Tags(w);
}

void RenderRecoveryVault(C& c, W& w) {
  Head(c, w);
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "storage_mode_type", "properties.redundancySettings.standardTierStorageRedundancy");
  if (c.Has("properties.redundancySettings.crossRegionRestore")) {
    w.BoolAttribute(
        "cross_region_restore_enabled",
        EqualsIgnoreCase(c.GetString("properties.redundancySettings.crossRegionRestore"),
                         "Enabled"));
  }
  const std::string imm = "properties.securitySettings.immutabilitySettings.state";
  if (c.Has(imm)) c.Attr(w, "immutability", imm);
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseCdnProfile(const C& c, std::string* why) {
  std::string_view sku = c.GetString("sku.name");
  if (sku.find("AzureFrontDoor") != std::string_view::npos) {
    return Is("azurerm_cdn_frontdoor_profile");
  }
  return Fallback(why, "classic CDN profiles are retired in azurerm 4");
}
void RenderCdnProfile(C& c, W& w) {
  Head(c, w, /*location=*/false);
  c.Attr(w, "sku_name", "sku.name");
  c.Attr(w, "response_timeout_seconds", "properties.originResponseTimeoutSeconds");
  c.Identity(w);
  c.Tags(w);
}

// ---- Microsoft.Authorization --------------------------------------------------------------

void RenderRoleAssignment(C& c, W& w) {
  w.StringAttribute("name", c.resource().name);
  if (c.Has("properties.scope") && c.Get("properties.scope")->is_string()) {
    // A resource scope is the extended resource; a subscription scope stays literal.
    if (c.resource().scope) {
      w.Attribute("scope", c.IdOf(*c.resource().scope));
    } else {
      c.Attr(w, "scope", "properties.scope");
    }
  } else {
    w.Attribute("scope", ScopeId(c));
  }
  c.Attr(w, "role_definition_id", "properties.roleDefinitionId");
  w.Attribute("principal_id", c.PrincipalExpr("properties.principalId"));
  c.Attr(w, "principal_type", "properties.principalType");
  c.Attr(w, "description", "properties.description");
  c.Attr(w, "condition", "properties.condition");
  c.Attr(w, "condition_version", "properties.conditionVersion");
}

std::string ChooseRoleDefinition(const C& c, std::string* why) {
  if (EqualsIgnoreCase(c.GetString("properties.type"), "BuiltInRole")) {
    return Fallback(why, "built-in role definitions exist in every tenant");
  }
  return Is("azurerm_role_definition");
}
void RenderRoleDefinition(C& c, W& w) {
  w.StringAttribute("role_definition_id", c.resource().name);
  c.Attr(w, "name", "properties.roleName");
  c.Attr(w, "description", "properties.description");
  w.Attribute("scope", ScopeId(c));
  const size_t n = ArraySize(c, "properties.permissions");
  for (size_t i = 0; i < n; ++i) {
    const std::string p = P("properties.permissions", i, "");
    w.BeginBlock("permissions");
    for (auto [tf, arm] : {std::pair{"actions", "actions"},
                           {"not_actions", "notActions"},
                           {"data_actions", "dataActions"},
                           {"not_data_actions", "notDataActions"}}) {
      if (NonEmptyArray(c, p + "." + arm)) c.Attr(w, tf, p + "." + arm);
    }
    w.EndBlock();
  }
  if (NonEmptyArray(c, "properties.assignableScopes")) {
    c.Attr(w, "assignable_scopes", "properties.assignableScopes");
  }
}

// Import ids azurerm composes from more than the ARM id.
std::string RoleDefinitionImportId(const C& c) {
  const std::string& scope = c.resource().parent_id;
  return c.resource().id + "|" + (scope.empty() ? "/" : scope);
}
std::string DiagnosticImportId(const C& c) {
  return c.resource().parent_id + "|" + c.resource().name;
}

std::string Always(const char* type) { return type; }

#define ATG_FIXED(type) [](const C&, std::string*) { return Always(type); }

}  // namespace

const std::vector<TypeMapping>& TerraformTypeMappings() {
  static const std::vector<TypeMapping> kTable = [] {
    std::vector<TypeMapping> t = {
        {"microsoft.authorization/roleassignments",
         "azurerm_role_assignment",
         ATG_FIXED("azurerm_role_assignment"),
         RenderRoleAssignment,
         {"properties.principalId"}},
        {"microsoft.authorization/roledefinitions",
         "azurerm_role_definition",
         ChooseRoleDefinition,
         RenderRoleDefinition,
         {},
         "role_definition_resource_id",
         RoleDefinitionImportId},
        {"microsoft.cache/redis", "azurerm_redis_cache", ChooseRedis, RenderRedis},
        {"microsoft.cdn/profiles", "azurerm_cdn_frontdoor_profile", ChooseCdnProfile,
         RenderCdnProfile},
        {"microsoft.compute/availabilitysets", "azurerm_availability_set",
         ATG_FIXED("azurerm_availability_set"), RenderAvailabilitySet},
        {"microsoft.compute/disks", "azurerm_managed_disk", ChooseDisk, RenderDisk},
        {"microsoft.compute/virtualmachines",
         "azurerm_linux_virtual_machine / azurerm_windows_virtual_machine (+ "
         "azurerm_virtual_machine_data_disk_attachment)",
         ChooseVm,
         RenderVm,
         {kAdminPassword, "properties.osProfile.customData",
          "properties.osProfile.linuxConfiguration.ssh.publicKeys[*].keyData"}},
        {"microsoft.compute/virtualmachines/extensions",
         "azurerm_virtual_machine_extension",
         ATG_FIXED("azurerm_virtual_machine_extension"),
         RenderVmExtension,
         {"properties.protectedSettings"}},
        {"microsoft.containerinstance/containergroups", "azurerm_container_group",
         ChooseContainerGroup, RenderContainerGroup},
        {"microsoft.containerregistry/registries", "azurerm_container_registry",
         ATG_FIXED("azurerm_container_registry"), RenderAcr},
        {"microsoft.containerservice/managedclusters", "azurerm_kubernetes_cluster", ChooseAks,
         RenderAks},
        {"microsoft.documentdb/databaseaccounts", "azurerm_cosmosdb_account", ChooseCosmos,
         RenderCosmos},
        {"microsoft.eventhub/namespaces", "azurerm_eventhub_namespace",
         ATG_FIXED("azurerm_eventhub_namespace"), RenderEventHub},
        {"microsoft.insights/components", "azurerm_application_insights",
         ATG_FIXED("azurerm_application_insights"), RenderAppInsights},
        {"microsoft.insights/diagnosticsettings",
         "azurerm_monitor_diagnostic_setting",
         ChooseDiagnostic,
         RenderDiagnostic,
         {},
         "id",
         DiagnosticImportId},
        {"microsoft.keyvault/vaults",
         "azurerm_key_vault",
         ChooseKeyVault,
         RenderKeyVault,
         {"properties.accessPolicies[*].objectId"}},
        {"microsoft.managedidentity/userassignedidentities", "azurerm_user_assigned_identity",
         ATG_FIXED("azurerm_user_assigned_identity"), RenderUserIdentity},
        {"microsoft.network/azurefirewalls", "azurerm_firewall", ChooseFirewall, RenderFirewall},
        {"microsoft.network/networkinterfaces",
         "azurerm_network_interface (+ security group / backend pool associations)", ChooseNic,
         RenderNic},
        {"microsoft.network/networksecuritygroups", "azurerm_network_security_group", ChooseNsg,
         RenderNsg},
        {"microsoft.network/networksecuritygroups/securityrules", "azurerm_network_security_rule",
         ATG_FIXED("azurerm_network_security_rule"), RenderNsgRule},
        {"microsoft.network/networkwatchers", "azurerm_network_watcher",
         ATG_FIXED("azurerm_network_watcher"), RenderNetworkWatcher},
        {"microsoft.network/privatednszones", "azurerm_private_dns_zone",
         ATG_FIXED("azurerm_private_dns_zone"), RenderPrivateDnsZone},
        {"microsoft.network/privatednszones/virtualnetworklinks",
         "azurerm_private_dns_zone_virtual_network_link",
         ATG_FIXED("azurerm_private_dns_zone_virtual_network_link"), RenderDnsVnetLink},
        {"microsoft.network/privateendpoints", "azurerm_private_endpoint", ChoosePrivateEndpoint,
         RenderPrivateEndpoint},
        {"microsoft.network/publicipaddresses", "azurerm_public_ip", ChoosePublicIp,
         RenderPublicIp},
        {"microsoft.network/routetables", "azurerm_route_table", ATG_FIXED("azurerm_route_table"),
         RenderRouteTable},
        {"microsoft.network/virtualnetworks", "azurerm_virtual_network", ChooseVnet, RenderVnet},
        {"microsoft.network/virtualnetworks/subnets",
         "azurerm_subnet (+ network security group / route table associations)", ChooseSubnet,
         RenderSubnet},
        {"microsoft.operationalinsights/workspaces", "azurerm_log_analytics_workspace",
         ATG_FIXED("azurerm_log_analytics_workspace"), RenderLogAnalytics},
        {"microsoft.recoveryservices/vaults", "azurerm_recovery_services_vault",
         ATG_FIXED("azurerm_recovery_services_vault"), RenderRecoveryVault},
        {"microsoft.resources/resourcegroups", "azurerm_resource_group",
         ATG_FIXED("azurerm_resource_group"), RenderResourceGroup},
        {"microsoft.servicebus/namespaces", "azurerm_servicebus_namespace",
         ATG_FIXED("azurerm_servicebus_namespace"), RenderServiceBus},
        {"microsoft.sql/servers",
         "azurerm_mssql_server",
         ChooseSqlServer,
         RenderSqlServer,
         {kSqlPassword, "properties.administrators.sid"}},
        {"microsoft.sql/servers/databases", "azurerm_mssql_database",
         ATG_FIXED("azurerm_mssql_database"), RenderSqlDatabase},
        {"microsoft.sql/servers/firewallrules", "azurerm_mssql_firewall_rule",
         ATG_FIXED("azurerm_mssql_firewall_rule"), RenderSqlFirewallRule},
        {"microsoft.storage/storageaccounts", "azurerm_storage_account", ChooseStorage,
         RenderStorage},
        {"microsoft.web/serverfarms", "azurerm_service_plan", ChooseServicePlan, RenderServicePlan},
        {"microsoft.web/sites",
         "azurerm_linux_web_app / azurerm_windows_web_app",
         ChooseSite,
         RenderSite,
         {"properties.siteConfig.connectionStrings[*].connectionString"}},
        {"microsoft.web/sites/slots",
         "azurerm_linux_web_app_slot / azurerm_windows_web_app_slot",
         ChooseSlot,
         RenderSlot,
         {"properties.siteConfig.connectionStrings[*].connectionString"}},
    };
    std::sort(t.begin(), t.end(), [](const TypeMapping& a, const TypeMapping& b) {
      return std::string_view(a.arm_type) < std::string_view(b.arm_type);
    });
    return t;
  }();
  return kTable;
}

const TypeMapping* FindTerraformMapping(std::string_view arm_type) {
  const std::string lower = ToLower(arm_type);
  const auto& t = TerraformTypeMappings();
  auto it = std::lower_bound(
      t.begin(), t.end(), lower,
      [](const TypeMapping& m, const std::string& k) { return std::string_view(m.arm_type) < k; });
  if (it == t.end() || it->arm_type != lower) return nullptr;
  return &*it;
}

}  // namespace atg::iac
