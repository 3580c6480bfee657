// Networking units of the generator: VNets with subnets, NSGs with rules, public IPs,
// route tables, private endpoints with their DNS zones, load balancers, application gateways,
// firewalls and Front Door, in the shapes of the recorded ARM responses.
#include <string>
#include <vector>

#include "sim/generator_impl.h"

namespace atg::sim::gen {
namespace {

json::object SecurityRule(const std::string& nsg_id, const char* name, const char* protocol,
                          const char* port, const char* source, const char* dest,
                          const char* access, int priority, const char* direction,
                          const char* description = nullptr) {
  json::object p;
  p["provisioningState"] = "Succeeded";
  if (description) p["description"] = description;
  p["protocol"] = protocol;
  p["sourcePortRange"] = "*";
  p["destinationPortRange"] = port;
  p["sourceAddressPrefix"] = source;
  p["destinationAddressPrefix"] = dest;
  p["access"] = access;
  p["priority"] = priority;
  p["direction"] = direction;
  p["sourcePortRanges"] = json::array();
  p["destinationPortRanges"] = json::array();
  p["sourceAddressPrefixes"] = json::array();
  p["destinationAddressPrefixes"] = json::array();
  json::object r;
  r["name"] = name;
  r["id"] = nsg_id + (description ? "/defaultSecurityRules/" : "/securityRules/") + name;
  r["properties"] = std::move(p);
  return r;
}

}  // namespace

void Builder::NetworkUnit(Rg& rg) {
  EnsureWatcher(rg);
  const std::string oct = "10." + std::to_string(rg.octet) + ".";
  const std::string vnet_name = "vnet-" + rg.app + "-" + rg.env;
  const std::string vnet_id = Id(rg, "Microsoft.Network/virtualNetworks", vnet_name);
  const std::string nsg_name = "nsg-" + rg.app + "-" + rg.env;
  const std::string nsg_id = Id(rg, "Microsoft.Network/networkSecurityGroups", nsg_name);
  std::string rt_id;
  if (rng_.Percent(30)) {
    std::string rt_name = "rt-" + rg.app + "-" + rg.env;
    rt_id = Id(rg, "Microsoft.Network/routeTables", rt_name);
  }
  struct SubnetPlan {
    const char* name;
    int third_octet;
    const char* prefix_len;
    bool nsg;
    std::string* slot;
  };
  std::vector<SubnetPlan> plan = {{"snet-app", 1, "/24", true, &rg.subnet_app},
                                  {"snet-data", 2, "/24", true, &rg.subnet_data},
                                  {"snet-pe", 3, "/24", false, &rg.subnet_pe}};
  if (rng_.Percent(25)) plan.push_back({"AzureFirewallSubnet", 4, "/26", false, &rg.subnet_fw});
  if (rng_.Percent(25)) plan.push_back({"snet-appgw", 5, "/24", false, &rg.subnet_appgw});

  json::array inlined_subnets;
  json::array nsg_subnets;
  std::vector<json::object> subnet_entries;
  for (const SubnetPlan& sp : plan) {
    std::string id = vnet_id + "/subnets/" + sp.name;
    json::object p;
    p["provisioningState"] = "Succeeded";
    p["addressPrefix"] = oct + std::to_string(sp.third_octet) + ".0" + sp.prefix_len;
    if (sp.nsg) {
      p["networkSecurityGroup"] = Ref(nsg_id);
      nsg_subnets.emplace_back(Ref(id));
    }
    if (!rt_id.empty() && sp.third_octet == 1) p["routeTable"] = Ref(rt_id);
    if (sp.third_octet == 1) {
      p["serviceEndpoints"] = json::array{json::object{{"provisioningState", "Succeeded"},
                                                       {"service", "Microsoft.Storage"},
                                                       {"locations", json::array{rg.location}}}};
    }
    p["delegations"] = json::array();
    p["privateEndpointNetworkPolicies"] = sp.third_octet == 3 ? "Disabled" : "Enabled";
    p["privateLinkServiceNetworkPolicies"] = "Enabled";
    json::object s;
    s["name"] = sp.name;
    s["id"] = id;
    s["etag"] = Etag(rng_);
    s["properties"] = std::move(p);
    s["type"] = "Microsoft.Network/virtualNetworks/subnets";
    inlined_subnets.emplace_back(s);
    subnet_entries.push_back(std::move(s));
    *sp.slot = id;
  }
  json::object vnet = Base(rg, "Microsoft.Network/virtualNetworks", vnet_name);
  vnet["etag"] = Etag(rng_);
  json::object vp;
  vp["provisioningState"] = "Succeeded";
  vp["resourceGuid"] = rng_.Guid();
  vp["addressSpace"] = json::object{{"addressPrefixes", json::array{oct + "0.0/16"}}};
  vp["dhcpOptions"] = json::object{{"dnsServers", json::array()}};
  vp["subnets"] = std::move(inlined_subnets);
  vp["virtualNetworkPeerings"] = json::array();
  vp["enableDdosProtection"] = false;
  vnet["properties"] = std::move(vp);
  rg.vnet_id = vnet_id;
  rg.vnet_entry = t_.resources.size();
  Emit(std::move(vnet));
  for (size_t i = 0; i < subnet_entries.size(); ++i) {
    rg.subnet_entries[*plan[i].slot] = {t_.resources.size(), i};
    Emit(std::move(subnet_entries[i]));
  }

  // NSG with its custom rules (entries of their own and inlined) and Azure's default rules.
  static const struct {
    const char* name;
    const char* protocol;
    const char* port;
    const char* source;
    const char* access;
    int priority;
    const char* direction;
    const char* dest;
  } kRules[] = {
      {"AllowHttpsInbound", "Tcp", "443", "Internet", "Allow", 100, "Inbound", "*"},
      {"AllowSshFromBastion", "Tcp", "22", "10.250.0.0/26", "Allow", 110, "Inbound",
       "VirtualNetwork"},
      {"AllowRdpFromCorp", "Tcp", "3389", "203.0.113.0/24", "Allow", 120, "Inbound", "*"},
      {"AllowAzureMonitorOutbound", "Tcp", "443", "VirtualNetwork", "Allow", 130, "Outbound",
       "AzureMonitor"},
      {"DenyInternetInbound", "*", "*", "Internet", "Deny", 4096, "Inbound", "*"},
  };
  int rule_count = rng_.Range(2, 4);
  size_t first = rng_.Below(std::size(kRules) - static_cast<size_t>(rule_count) + 1);
  json::array inlined_rules;
  std::vector<json::object> rule_entries;
  for (int i = 0; i < rule_count; ++i) {
    const auto& r = kRules[first + static_cast<size_t>(i)];
    json::object rule = SecurityRule(nsg_id, r.name, r.protocol, r.port, r.source, r.dest, r.access,
                                     r.priority, r.direction);
    rule["etag"] = Etag(rng_);
    rule["type"] = "Microsoft.Network/networkSecurityGroups/securityRules";
    inlined_rules.emplace_back(rule);
    rule_entries.push_back(std::move(rule));
  }
  json::array defaults{
      SecurityRule(nsg_id, "AllowVnetInBound", "*", "*", "VirtualNetwork", "VirtualNetwork",
                   "Allow", 65000, "Inbound", "Allow inbound traffic from all VMs in VNET"),
      SecurityRule(nsg_id, "AllowAzureLoadBalancerInBound", "*", "*", "AzureLoadBalancer", "*",
                   "Allow", 65001, "Inbound", "Allow inbound traffic from azure load balancer"),
      SecurityRule(nsg_id, "DenyAllInBound", "*", "*", "*", "*", "Deny", 65500, "Inbound",
                   "Deny all inbound traffic"),
      SecurityRule(nsg_id, "AllowVnetOutBound", "*", "*", "VirtualNetwork", "VirtualNetwork",
                   "Allow", 65000, "Outbound",
                   "Allow outbound traffic from all VMs to all VMs in VNET"),
      SecurityRule(nsg_id, "AllowInternetOutBound", "*", "*", "*", "Internet", "Allow", 65001,
                   "Outbound", "Allow outbound traffic from all VMs to Internet"),
      SecurityRule(nsg_id, "DenyAllOutBound", "*", "*", "*", "*", "Deny", 65500, "Outbound",
                   "Deny all outbound traffic")};
  json::object nsg = Base(rg, "Microsoft.Network/networkSecurityGroups", nsg_name);
  nsg["etag"] = Etag(rng_);
  json::object np;
  np["provisioningState"] = "Succeeded";
  np["resourceGuid"] = rng_.Guid();
  np["securityRules"] = std::move(inlined_rules);
  np["defaultSecurityRules"] = std::move(defaults);
  np["subnets"] = std::move(nsg_subnets);
  nsg["properties"] = std::move(np);
  rg.nsg_id = nsg_id;
  Emit(std::move(nsg));
  for (auto& r : rule_entries) Emit(std::move(r));

  if (!rt_id.empty()) {
    std::string rt_name = "rt-" + rg.app + "-" + rg.env;
    json::object rt = Base(rg, "Microsoft.Network/routeTables", rt_name);
    rt["etag"] = Etag(rng_);
    json::object rp;
    rp["provisioningState"] = "Succeeded";
    rp["disableBgpRoutePropagation"] = false;
    rp["routes"] =
        json::array{json::object{{"name", "default-to-hub"},
                                 {"id", rt_id + "/routes/default-to-hub"},
                                 {"properties", json::object{{"provisioningState", "Succeeded"},
                                                             {"addressPrefix", "0.0.0.0/0"},
                                                             {"nextHopType", "VirtualAppliance"},
                                                             {"nextHopIpAddress", "10.250.0.4"}}}}};
    rp["subnets"] = json::array{Ref(rg.subnet_app)};
    rt["properties"] = std::move(rp);
    Emit(std::move(rt));
  }
  Diag(vnet_id, rg.sub, 30);
  Diag(nsg_id, rg.sub, 50);
}

void Builder::LinkSubnet(Rg& rg, const std::string& subnet_id, const char* property,
                         const std::string& ref) {
  auto it = rg.subnet_entries.find(subnet_id);
  if (it == rg.subnet_entries.end()) return;
  auto add = [&](json::object& subnet) {
    json::object& p = subnet["properties"].as_object();
    auto list = p.find(property);
    if (list == p.end()) list = p.emplace(property, json::array()).first;
    list->value().as_array().emplace_back(Ref(ref));
  };
  add(t_.resources[it->second.first].as_object());
  json::object& vnet = t_.resources[rg.vnet_entry].as_object();
  add(vnet["properties"].as_object()["subnets"].as_array()[it->second.second].as_object());
}

json::object Builder::PublicIpBody(Rg& rg, const std::string& name,
                                   const std::string& ip_config_id) {
  json::object o = Base(rg, "Microsoft.Network/publicIPAddresses", name);
  o["etag"] = Etag(rng_);
  o["sku"] = json::object{{"name", "Standard"}, {"tier", "Regional"}};
  if (rng_.Percent(40)) o["zones"] = json::array{"1", "2", "3"};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["resourceGuid"] = rng_.Guid();
  p["ipAddress"] = PublicIp();
  p["publicIPAddressVersion"] = "IPv4";
  p["publicIPAllocationMethod"] = "Static";
  p["idleTimeoutInMinutes"] = 4;
  p["ipTags"] = json::array();
  if (!ip_config_id.empty()) p["ipConfiguration"] = Ref(ip_config_id);
  o["properties"] = std::move(p);
  return o;
}

void Builder::PublicIpSingle(Rg& rg) {
  std::string name = "pip-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  json::object o = PublicIpBody(rg, name, "");
  std::string id(o["id"].as_string());
  Emit(std::move(o));
  Diag(id, rg.sub, 20);
}

void Builder::RouteTableSingle(Rg& rg) {
  std::string name = "rt-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  json::object rt = Base(rg, "Microsoft.Network/routeTables", name);
  rt["etag"] = Etag(rng_);
  rt["properties"] = json::object{{"provisioningState", "Succeeded"},
                                  {"resourceGuid", rng_.Guid()},
                                  {"disableBgpRoutePropagation", false},
                                  {"routes", json::array()}};
  Emit(std::move(rt));
}

std::string Builder::PlannedPrivateEndpointId(Rg& rg, const std::string& target_name) {
  return Id(rg, "Microsoft.Network/privateEndpoints", "pe-" + target_name);
}

json::array Builder::PrivateEndpointConnections(const std::string& target,
                                                const std::string& pe_id) {
  if (pe_id.empty()) return json::array();
  std::string name = pe_id.substr(pe_id.rfind('/') + 1) + "-" + Hex(8);
  return json::array{
      json::object{{"id", target + "/privateEndpointConnections/" + name},
                   {"name", name},
                   {"properties", json::object{{"privateEndpoint", Ref(pe_id)},
                                               {"privateLinkServiceConnectionState",
                                                json::object{{"status", "Approved"},
                                                             {"description", "Auto-Approved"},
                                                             {"actionsRequired", "None"}}},
                                               {"provisioningState", "Succeeded"}}}}};
}

std::string Builder::PrivateEndpoint(Rg& rg, const std::string& target,
                                     const std::string& target_name, const char* group_id,
                                     const char* zone) {
  if (rg.subnet_pe.empty()) return "";
  // The zone and its VNet link are made once per resource group and service.
  if (!rg.dns_zones.count(zone)) {
    json::object z;
    std::string zone_id = Id(rg, "Microsoft.Network/privateDnsZones", zone);
    z["id"] = zone_id;
    z["name"] = zone;
    z["type"] = "Microsoft.Network/privateDnsZones";
    z["etag"] = rng_.Guid();
    z["location"] = "global";
    z["properties"] = json::object{{"maxNumberOfRecordSets", 25000},
                                   {"maxNumberOfVirtualNetworkLinks", 1000},
                                   {"maxNumberOfVirtualNetworkLinksWithRegistration", 100},
                                   {"numberOfRecordSets", 2},
                                   {"numberOfVirtualNetworkLinks", 1},
                                   {"numberOfVirtualNetworkLinksWithRegistration", 0},
                                   {"provisioningState", "Succeeded"}};
    Emit(std::move(z));
    std::string link = "link-" + rg.app + "-" + rg.env;
    json::object l;
    l["id"] = zone_id + "/virtualNetworkLinks/" + link;
    l["name"] = link;
    l["type"] = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
    l["etag"] = "\"" + rng_.Guid() + "\"";
    l["location"] = "global";
    l["properties"] = json::object{{"virtualNetwork", Ref(rg.vnet_id)},
                                   {"registrationEnabled", false},
                                   {"virtualNetworkLinkState", "Completed"},
                                   {"provisioningState", "Succeeded"}};
    Emit(std::move(l));
    rg.dns_zones.emplace(zone, zone_id);
  }
  const std::string pe_name = "pe-" + target_name;
  const std::string pe_id = Id(rg, "Microsoft.Network/privateEndpoints", pe_name);
  const std::string nic_name = pe_name + ".nic." + rng_.Guid();
  const std::string ip = Ip(rg, 3);
  const std::string fqdn = target_name + "." + std::string(zone).substr(12);  // drop "privatelink."
  json::object nic = Base(rg, "Microsoft.Network/networkInterfaces", nic_name);
  const std::string nic_id(nic["id"].as_string());
  nic["etag"] = Etag(rng_);
  nic["properties"] = json::object{
      {"provisioningState", "Succeeded"},
      {"resourceGuid", rng_.Guid()},
      {"ipConfigurations",
       json::array{json::object{
           {"name", std::string("privateEndpointIpConfig.") + rng_.Guid()},
           {"id", nic_id + "/ipConfigurations/privateEndpointIpConfig"},
           {"properties", json::object{{"provisioningState", "Succeeded"},
                                       {"privateIPAddress", ip},
                                       {"privateIPAllocationMethod", "Dynamic"},
                                       {"subnet", Ref(rg.subnet_pe)},
                                       {"primary", true},
                                       {"privateIPAddressVersion", "IPv4"},
                                       {"privateLinkConnectionProperties",
                                        json::object{{"groupId", group_id},
                                                     {"requiredMemberName", group_id},
                                                     {"fqdns", json::array{fqdn}}}}}}}}},
      {"dnsSettings",
       json::object{{"dnsServers", json::array()}, {"appliedDnsServers", json::array()}}},
      {"enableAcceleratedNetworking", false},
      {"enableIPForwarding", false},
      {"privateEndpoint", Ref(pe_id)},
      {"nicType", "Standard"}};
  Emit(std::move(nic));
  json::object pe = Base(rg, "Microsoft.Network/privateEndpoints", pe_name);
  pe["etag"] = Etag(rng_);
  pe["properties"] = json::object{
      {"provisioningState", "Succeeded"},
      {"resourceGuid", rng_.Guid()},
      {"privateLinkServiceConnections",
       json::array{json::object{
           {"name", pe_name},
           {"id", pe_id + "/privateLinkServiceConnections/" + pe_name},
           {"properties", json::object{{"provisioningState", "Succeeded"},
                                       {"privateLinkServiceId", target},
                                       {"groupIds", json::array{group_id}},
                                       {"privateLinkServiceConnectionState",
                                        json::object{{"status", "Approved"},
                                                     {"description", "Auto-Approved"},
                                                     {"actionsRequired", "None"}}}}}}}},
      {"manualPrivateLinkServiceConnections", json::array()},
      {"subnet", Ref(rg.subnet_pe)},
      {"networkInterfaces", json::array{Ref(nic_id)}},
      {"customDnsConfigs",
       json::array{json::object{{"fqdn", fqdn}, {"ipAddresses", json::array{ip}}}}},
      {"ipConfigurations", json::array()},
      {"customNetworkInterfaceName", ""}};
  Emit(std::move(pe));
  LinkSubnet(rg, rg.subnet_pe, "ipConfigurations",
             nic_id + "/ipConfigurations/privateEndpointIpConfig");
  LinkSubnet(rg, rg.subnet_pe, "privateEndpoints", pe_id);
  return pe_id;
}

void Builder::LoadBalancerUnit(Rg& rg) {
  const std::string name = "lb-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string lb_id = Id(rg, "Microsoft.Network/loadBalancers", name);
  const bool is_public = rg.subnet_app.empty() || rng_.Percent(50);
  const std::string fe_id = lb_id + "/frontendIPConfigurations/frontend";
  const std::string pool_id = lb_id + "/backendAddressPools/backend";
  const std::string rule_id = lb_id + "/loadBalancingRules/http";
  const std::string probe_id = lb_id + "/probes/http-probe";
  std::string pip_id;
  if (is_public) {
    json::object pip = PublicIpBody(rg, "pip-" + name, fe_id);
    pip_id = std::string(pip["id"].as_string());
    Emit(std::move(pip));
  }
  json::object lb = Base(rg, "Microsoft.Network/loadBalancers", name);
  lb["etag"] = Etag(rng_);
  lb["sku"] = json::object{{"name", "Standard"}, {"tier", "Regional"}};
  json::object fe_props{{"provisioningState", "Succeeded"},
                        {"loadBalancingRules", json::array{Ref(rule_id)}}};
  if (is_public) {
    fe_props["publicIPAddress"] = Ref(pip_id);
  } else {
    fe_props["privateIPAddress"] = Ip(rg, 1);
    fe_props["privateIPAllocationMethod"] = "Dynamic";
    fe_props["subnet"] = Ref(rg.subnet_app);
  }
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["resourceGuid"] = rng_.Guid();
  p["frontendIPConfigurations"] = json::array{
      json::object{{"name", "frontend"}, {"id", fe_id}, {"properties", std::move(fe_props)}}};
  p["backendAddressPools"] = json::array{json::object{
      {"name", "backend"},
      {"id", pool_id},
      {"properties", json::object{{"provisioningState", "Succeeded"},
                                  {"loadBalancingRules", json::array{Ref(rule_id)}}}}}};
  p["loadBalancingRules"] =
      json::array{json::object{{"name", "http"},
                               {"id", rule_id},
                               {"properties", json::object{{"provisioningState", "Succeeded"},
                                                           {"frontendIPConfiguration", Ref(fe_id)},
                                                           {"backendAddressPool", Ref(pool_id)},
                                                           {"probe", Ref(probe_id)},
                                                           {"protocol", "Tcp"},
                                                           {"frontendPort", 80},
                                                           {"backendPort", 80},
                                                           {"idleTimeoutInMinutes", 4},
                                                           {"enableFloatingIP", false},
                                                           {"loadDistribution", "Default"},
                                                           {"disableOutboundSnat", false}}}}};
  p["probes"] = json::array{json::object{
      {"name", "http-probe"},
      {"id", probe_id},
      {"properties", json::object{{"provisioningState", "Succeeded"},
                                  {"protocol", "Http"},
                                  {"port", 80},
                                  {"requestPath", "/"},
                                  {"intervalInSeconds", 15},
                                  {"numberOfProbes", 2},
                                  {"loadBalancingRules", json::array{Ref(rule_id)}}}}}};
  p["inboundNatRules"] = json::array();
  p["outboundRules"] = json::array();
  lb["properties"] = std::move(p);
  Emit(std::move(lb));
  if (!is_public) LinkSubnet(rg, rg.subnet_app, "ipConfigurations", fe_id);

  if (rng_.Percent(70)) {
    std::string vmss_name = "vmss-" + rg.app + "-" + rg.env + "-" + Seq(rg);
    json::object vmss = Base(rg, "Microsoft.Compute/virtualMachineScaleSets", vmss_name);
    vmss["sku"] = json::object{
        {"name", "Standard_D2s_v5"}, {"tier", "Standard"}, {"capacity", rng_.Range(2, 6)}};
    if (rng_.Percent(50)) vmss["zones"] = json::array{"1", "2", "3"};
    json::object ipcp{{"primary", true},
                      {"privateIPAddressVersion", "IPv4"},
                      {"loadBalancerBackendAddressPools", json::array{Ref(pool_id)}}};
    if (!rg.subnet_app.empty()) ipcp["subnet"] = Ref(rg.subnet_app);
    vmss["properties"] = json::object{
        {"singlePlacementGroup", false},
        {"orchestrationMode", "Uniform"},
        {"upgradePolicy", json::object{{"mode", "Rolling"}}},
        {"virtualMachineProfile",
         json::object{
             {"osProfile", json::object{{"computerNamePrefix", vmss_name.substr(0, 9)},
                                        {"adminUsername", "azureuser"}}},
             {"storageProfile",
              json::object{
                  {"imageReference",
                   json::object{{"publisher", "canonical"},
                                {"offer", "0001-com-ubuntu-server-jammy"},
                                {"sku", "22_04-lts-gen2"},
                                {"version", "latest"}}},
                  {"osDisk", json::object{{"osType", "Linux"},
                                          {"createOption", "FromImage"},
                                          {"caching", "ReadWrite"},
                                          {"managedDisk",
                                           json::object{{"storageAccountType", "Premium_LRS"}}},
                                          {"diskSizeGB", 30}}}}},
             {"networkProfile",
              json::object{
                  {"networkInterfaceConfigurations",
                   json::array{json::object{
                       {"name", vmss_name + "-nic"},
                       {"properties", json::object{{"primary", true},
                                                   {"ipConfigurations",
                                                    json::array{json::object{
                                                        {"name", "ipconfig1"},
                                                        {"properties", std::move(ipcp)}}}}}}}}}}}}},
        {"provisioningState", "Succeeded"},
        {"overprovision", true},
        {"uniqueId", rng_.Guid()}};
    Emit(std::move(vmss));
  }
  Diag(lb_id, rg.sub, 50);
  if (!pip_id.empty()) Diag(pip_id, rg.sub, 30);
}

void Builder::AppGatewayUnit(Rg& rg) {
  const std::string name = "agw-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string id = Id(rg, "Microsoft.Network/applicationGateways", name);
  const std::string fe_id = id + "/frontendIPConfigurations/appGwPublicFrontendIp";
  const std::string port_id = id + "/frontendPorts/port_80";
  const std::string pool_id = id + "/backendAddressPools/backend";
  const std::string settings_id = id + "/backendHttpSettingsCollection/https-settings";
  const std::string listener_id = id + "/httpListeners/listener-80";
  json::object pip = PublicIpBody(rg, "pip-" + name, fe_id);
  const std::string pip_id(pip["id"].as_string());
  Emit(std::move(pip));
  json::object o = Base(rg, "Microsoft.Network/applicationGateways", name);
  o["etag"] = Etag(rng_);
  if (rng_.Percent(50)) o["zones"] = json::array{"1", "2", "3"};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["resourceGuid"] = rng_.Guid();
  p["sku"] = json::object{{"name", "WAF_v2"}, {"tier", "WAF_v2"}, {"capacity", 2}};
  p["operationalState"] = "Running";
  p["gatewayIPConfigurations"] =
      json::array{json::object{{"name", "appGatewayIpConfig"},
                               {"id", id + "/gatewayIPConfigurations/appGatewayIpConfig"},
                               {"properties", json::object{{"subnet", Ref(rg.subnet_appgw)}}}}};
  p["frontendIPConfigurations"] =
      json::array{json::object{{"name", "appGwPublicFrontendIp"},
                               {"id", fe_id},
                               {"properties", json::object{{"privateIPAllocationMethod", "Dynamic"},
                                                           {"publicIPAddress", Ref(pip_id)}}}}};
  p["frontendPorts"] = json::array{json::object{
      {"name", "port_80"}, {"id", port_id}, {"properties", json::object{{"port", 80}}}}};
  json::array backends;
  if (!rg.site_host.empty()) backends.emplace_back(json::object{{"fqdn", rg.site_host}});
  p["backendAddressPools"] = json::array{
      json::object{{"name", "backend"},
                   {"id", pool_id},
                   {"properties", json::object{{"backendAddresses", std::move(backends)}}}}};
  p["backendHttpSettingsCollection"] =
      json::array{json::object{{"name", "https-settings"},
                               {"id", settings_id},
                               {"properties", json::object{{"port", 443},
                                                           {"protocol", "Https"},
                                                           {"cookieBasedAffinity", "Disabled"},
                                                           {"pickHostNameFromBackendAddress", true},
                                                           {"requestTimeout", 20}}}}};
  p["httpListeners"] = json::array{
      json::object{{"name", "listener-80"},
                   {"id", listener_id},
                   {"properties", json::object{{"frontendIPConfiguration", Ref(fe_id)},
                                               {"frontendPort", Ref(port_id)},
                                               {"protocol", "Http"},
                                               {"requireServerNameIndication", false}}}}};
  p["requestRoutingRules"] = json::array{
      json::object{{"name", "rule1"},
                   {"id", id + "/requestRoutingRules/rule1"},
                   {"properties", json::object{{"ruleType", "Basic"},
                                               {"priority", 100},
                                               {"httpListener", Ref(listener_id)},
                                               {"backendAddressPool", Ref(pool_id)},
                                               {"backendHttpSettings", Ref(settings_id)}}}}};
  p["webApplicationFirewallConfiguration"] = json::object{{"enabled", true},
                                                          {"firewallMode", "Prevention"},
                                                          {"ruleSetType", "OWASP"},
                                                          {"ruleSetVersion", "3.2"}};
  p["enableHttp2"] = true;
  o["properties"] = std::move(p);
  Emit(std::move(o));
  LinkSubnet(rg, rg.subnet_appgw, "applicationGatewayIPConfigurations",
             id + "/gatewayIPConfigurations/appGatewayIpConfig");
  Diag(id, rg.sub, 80);
  Diag(pip_id, rg.sub, 30);
}

void Builder::FirewallUnit(Rg& rg) {
  const std::string name = "afw-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string id = Id(rg, "Microsoft.Network/azureFirewalls", name);
  const std::string ipc_id = id + "/azureFirewallIpConfigurations/ipconfig1";
  json::object pip = PublicIpBody(rg, "pip-" + name, ipc_id);
  const std::string pip_id(pip["id"].as_string());
  Emit(std::move(pip));
  json::object o = Base(rg, "Microsoft.Network/azureFirewalls", name);
  o["etag"] = Etag(rng_);
  if (rng_.Percent(50)) o["zones"] = json::array{"1", "2", "3"};
  o["properties"] = json::object{
      {"provisioningState", "Succeeded"},
      {"sku", json::object{{"name", "AZFW_VNet"}, {"tier", "Standard"}}},
      {"threatIntelMode", "Alert"},
      {"ipConfigurations",
       json::array{json::object{
           {"name", "ipconfig1"},
           {"id", ipc_id},
           {"properties",
            json::object{{"provisioningState", "Succeeded"},
                         {"privateIPAddress", "10." + std::to_string(rg.octet) + ".4.4"},
                         {"subnet", Ref(rg.subnet_fw)},
                         {"publicIPAddress", Ref(pip_id)}}}}}},
      {"applicationRuleCollections", json::array()},
      {"natRuleCollections", json::array()},
      {"networkRuleCollections",
       json::array{json::object{
           {"name", "allow-dns"},
           {"id", id + "/networkRuleCollections/allow-dns"},
           {"properties",
            json::object{
                {"provisioningState", "Succeeded"},
                {"priority", 100},
                {"action", json::object{{"type", "Allow"}}},
                {"rules", json::array{json::object{{"name", "dns"},
                                                   {"protocols", json::array{"UDP"}},
                                                   {"sourceAddresses", json::array{"10.0.0.0/8"}},
                                                   {"destinationAddresses", json::array{"*"}},
                                                   {"destinationPorts", json::array{"53"}}}}}}}}}}};
  Emit(std::move(o));
  LinkSubnet(rg, rg.subnet_fw, "ipConfigurations", ipc_id);
  Diag(id, rg.sub, 80);
  Diag(pip_id, rg.sub, 30);
}

void Builder::FrontDoorUnit(Rg& rg) {
  const std::string name = "afd-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string backend = rg.site_host.empty() ? name + "-origin.example.com" : rg.site_host;
  if (rng_.Percent(50)) {
    json::object o = Base(rg, "Microsoft.Network/frontDoors", name, false);
    o["location"] = "Global";
    const std::string id(o["id"].as_string());
    const std::string fe_id = id + "/FrontendEndpoints/" + name + "-azurefd-net";
    const std::string pool_id = id + "/BackendPools/backend";
    const std::string lb_id = id + "/LoadBalancingSettings/loadBalancingSettings-1";
    const std::string hp_id = id + "/HealthProbeSettings/healthProbeSettings-1";
    o["properties"] = json::object{
        {"provisioningState", "Succeeded"},
        {"resourceState", "Enabled"},
        {"cname", name + ".azurefd.net"},
        {"frontdoorId", rng_.Guid()},
        {"enabledState", "Enabled"},
        {"friendlyName", name},
        {"frontendEndpoints",
         json::array{json::object{
             {"id", fe_id},
             {"name", name + "-azurefd-net"},
             {"properties", json::object{{"hostName", name + ".azurefd.net"},
                                         {"sessionAffinityEnabledState", "Disabled"},
                                         {"resourceState", "Enabled"}}}}}},
        {"backendPools",
         json::array{json::object{
             {"id", pool_id},
             {"name", "backend"},
             {"properties",
              json::object{{"backends", json::array{json::object{{"address", backend},
                                                                 {"httpPort", 80},
                                                                 {"httpsPort", 443},
                                                                 {"priority", 1},
                                                                 {"weight", 50},
                                                                 {"enabledState", "Enabled"},
                                                                 {"backendHostHeader", backend}}}},
                           {"loadBalancingSettings", Ref(lb_id)},
                           {"healthProbeSettings", Ref(hp_id)}}}}}},
        {"loadBalancingSettings",
         json::array{json::object{
             {"id", lb_id},
             {"name", "loadBalancingSettings-1"},
             {"properties", json::object{{"sampleSize", 4}, {"successfulSamplesRequired", 2}}}}}},
        {"healthProbeSettings",
         json::array{json::object{
             {"id", hp_id},
             {"name", "healthProbeSettings-1"},
             {"properties",
              json::object{{"path", "/"}, {"protocol", "Https"}, {"intervalInSeconds", 30}}}}}},
        {"routingRules",
         json::array{json::object{
             {"id", id + "/RoutingRules/default"},
             {"name", "default"},
             {"properties",
              json::object{
                  {"frontendEndpoints", json::array{Ref(fe_id)}},
                  {"acceptedProtocols", json::array{"Https"}},
                  {"patternsToMatch", json::array{"/*"}},
                  {"enabledState", "Enabled"},
                  {"routeConfiguration",
                   json::object{
                       {"@odata.type",
                        "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration"},
                       {"forwardingProtocol", "HttpsOnly"},
                       {"backendPool", Ref(pool_id)}}}}}}}},
        {"backendPoolsSettings",
         json::object{{"enforceCertificateNameCheck", "Enabled"}, {"sendRecvTimeoutSeconds", 30}}}};
    Emit(std::move(o));
    Diag(id, rg.sub, 70);
  } else {
    json::object o = Base(rg, "Microsoft.Cdn/profiles", name, false);
    o["location"] = "Global";
    const std::string id(o["id"].as_string());
    o["sku"] = json::object{
        {"name", rng_.Percent(70) ? "Standard_AzureFrontDoor" : "Premium_AzureFrontDoor"}};
    o["kind"] = "frontdoor";
    o["properties"] = json::object{{"provisioningState", "Succeeded"},
                                   {"resourceState", "Active"},
                                   {"frontDoorId", rng_.Guid()},
                                   {"originResponseTimeoutSeconds", 60},
                                   {"extendedProperties", json::object()}};
    Emit(std::move(o));
    Diag(id, rg.sub, 70);
  }
}

}  // namespace atg::sim::gen
