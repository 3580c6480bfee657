// The workload units of the generator: bodies in the shapes of the recorded ARM responses
// (shared/azure-fixtures), wired to each other by id.
#include <string>

#include "sim/generator_impl.h"

namespace atg::sim::gen {
namespace {

json::object Ref(const std::string& id) { return json::object{{"id", id}}; }

std::string Etag(Rng& rng) { return "W/\"" + rng.Guid() + "\""; }

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
  Emit(std::move(vnet));
  for (auto& s : subnet_entries) Emit(std::move(s));

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

static json::object MakePublicIp(Builder& b, Rg& rg, const std::string& name,
                                 const std::string& ip_config_id) {
  json::object o = b.Base(rg, "Microsoft.Network/publicIPAddresses", name);
  o["etag"] = Etag(b.rng_);
  o["sku"] = json::object{{"name", "Standard"}, {"tier", "Regional"}};
  if (b.rng_.Percent(40)) o["zones"] = json::array{"1", "2", "3"};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["resourceGuid"] = b.rng_.Guid();
  p["ipAddress"] = b.PublicIp();
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
  json::object o = MakePublicIp(*this, rg, name, "");
  std::string id(o["id"].as_string());
  Emit(std::move(o));
  Diag(id, rg.sub, 20);
}

void Builder::VmUnit(Rg& rg) {
  const bool linux = rng_.Percent(70);
  const std::string vm_name = "vm-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string vm_id = Id(rg, "Microsoft.Compute/virtualMachines", vm_name);
  const std::string nic_name = "nic-" + vm_name;
  const std::string nic_id = Id(rg, "Microsoft.Network/networkInterfaces", nic_name);
  const std::string ipconfig_id = nic_id + "/ipConfigurations/ipconfig1";
  const char* size = linux ? "Standard_D2s_v5" : "Standard_D4s_v5";
  const char* zone = rng_.Percent(40) ? (rng_.Percent(50) ? "1" : "2") : nullptr;

  std::string pip_id;
  if (rng_.Percent(30)) {
    json::object pip = MakePublicIp(*this, rg, "pip-" + vm_name, ipconfig_id);
    pip_id = std::string(pip["id"].as_string());
    Emit(std::move(pip));
  }
  // NIC -> subnet (+ public IP, NSG), and back to the VM as ARM reports it.
  json::object nic = Base(rg, "Microsoft.Network/networkInterfaces", nic_name);
  nic["etag"] = Etag(rng_);
  json::object ipp;
  ipp["provisioningState"] = "Succeeded";
  ipp["privateIPAddress"] = Ip(rg, 1);
  ipp["privateIPAllocationMethod"] = "Dynamic";
  if (!pip_id.empty()) ipp["publicIPAddress"] = Ref(pip_id);
  ipp["subnet"] = Ref(rg.subnet_app);
  ipp["primary"] = true;
  ipp["privateIPAddressVersion"] = "IPv4";
  json::object np;
  np["provisioningState"] = "Succeeded";
  np["resourceGuid"] = rng_.Guid();
  np["ipConfigurations"] =
      json::array{json::object{{"name", "ipconfig1"},
                               {"id", ipconfig_id},
                               {"etag", Etag(rng_)},
                               {"type", "Microsoft.Network/networkInterfaces/ipConfigurations"},
                               {"properties", std::move(ipp)}}};
  np["dnsSettings"] =
      json::object{{"dnsServers", json::array()}, {"appliedDnsServers", json::array()}};
  np["macAddress"] = "00-0D-3A-" + Hex(2) + "-" + Hex(2) + "-" + Hex(2);
  np["enableAcceleratedNetworking"] = true;
  np["enableIPForwarding"] = false;
  if (!rg.nsg_id.empty() && rng_.Percent(30)) np["networkSecurityGroup"] = Ref(rg.nsg_id);
  np["primary"] = true;
  np["virtualMachine"] = Ref(vm_id);
  np["nicType"] = "Standard";
  nic["properties"] = std::move(np);
  Emit(std::move(nic));

  // Disks: the OS disk and up to two data disks, managed by the VM.
  auto disk = [&](const std::string& name, bool os, int size_gb) {
    json::object d = Base(rg, "Microsoft.Compute/disks", name);
    d["managedBy"] = vm_id;
    d["sku"] = json::object{{"name", "Premium_LRS"}, {"tier", "Premium"}};
    if (zone) d["zones"] = json::array{zone};
    json::object p;
    if (os) {
      p["osType"] = linux ? "Linux" : "Windows";
      p["hyperVGeneration"] = "V2";
      p["creationData"] = json::object{{"createOption", "FromImage"}};
    } else {
      p["creationData"] = json::object{{"createOption", "Empty"}};
    }
    p["diskSizeGB"] = size_gb;
    p["diskIOPSReadWrite"] = size_gb >= 256 ? 1100 : 500;
    p["diskMBpsReadWrite"] = size_gb >= 256 ? 125 : 100;
    p["encryption"] = json::object{{"type", "EncryptionAtRestWithPlatformKey"}};
    p["networkAccessPolicy"] = "AllowAll";
    p["publicNetworkAccess"] = "Enabled";
    p["timeCreated"] = rng_.Timestamp();
    p["provisioningState"] = "Succeeded";
    p["diskState"] = "Attached";
    p["diskSizeBytes"] = static_cast<int64_t>(size_gb) * 1073741824LL;
    p["uniqueId"] = rng_.Guid();
    p["tier"] = size_gb >= 256 ? "P15" : "P10";
    d["properties"] = std::move(p);
    std::string id(d["id"].as_string());
    Emit(std::move(d));
    return id;
  };
  const int os_gb = linux ? 30 : 127;
  const std::string os_disk_name = vm_name + "_OsDisk_1_" + Hex(32);
  const std::string os_disk_id = disk(os_disk_name, true, os_gb);
  json::array data_disks;
  int data_count = rng_.Range(0, 2);
  for (int lun = 0; lun < data_count; ++lun) {
    std::string name = vm_name + "-datadisk-0" + std::to_string(lun);
    int gb = rng_.Percent(50) ? 128 : 512;
    std::string id = disk(name, false, gb);
    data_disks.emplace_back(json::object{
        {"lun", lun},
        {"name", name},
        {"createOption", "Attach"},
        {"caching", "ReadOnly"},
        {"writeAcceleratorEnabled", false},
        {"managedDisk", json::object{{"storageAccountType", "Premium_LRS"}, {"id", id}}},
        {"deleteOption", "Detach"},
        {"diskSizeGB", gb},
        {"toBeDetached", false}});
  }

  // Identity: system-assigned, user-assigned or both (or none).
  int kind = static_cast<int>(rng_.Below(4));  // 0 none, 1 system, 2 user, 3 both
  Identity system, user;
  if (kind == 2 || kind == 3) user = Uami(rg, "id-" + vm_name);
  if (kind == 1 || kind == 3) system = SystemIdentity(vm_id, vm_name);

  std::string avset_id;
  if (rng_.Percent(15)) {
    std::string name = "avail-" + vm_name;
    json::object as = Base(rg, "Microsoft.Compute/availabilitySets", name);
    as["sku"] = json::object{{"name", "Aligned"}};
    as["properties"] = json::object{{"platformUpdateDomainCount", 5},
                                    {"platformFaultDomainCount", 2},
                                    {"virtualMachines", json::array{Ref(vm_id)}}};
    avset_id = std::string(as["id"].as_string());
    Emit(std::move(as));
    zone = nullptr;  // availability sets and zones exclude each other
  }

  json::object vm = Base(rg, "Microsoft.Compute/virtualMachines", vm_name);
  if (kind != 0) {
    vm["identity"] = IdentityJson(kind == 1 || kind == 3 ? &system : nullptr,
                                  kind == 2 || kind == 3 ? &user : nullptr);
  }
  if (zone) vm["zones"] = json::array{zone};
  json::object p;
  p["vmId"] = rng_.Guid();
  if (!avset_id.empty()) p["availabilitySet"] = Ref(avset_id);
  p["hardwareProfile"] = json::object{{"vmSize", size}};
  json::object image = linux ? json::object{{"publisher", "canonical"},
                                            {"offer", "0001-com-ubuntu-server-jammy"},
                                            {"sku", "22_04-lts-gen2"},
                                            {"version", "latest"},
                                            {"exactVersion", "22.04.202404080"}}
                             : json::object{{"publisher", "MicrosoftWindowsServer"},
                                            {"offer", "WindowsServer"},
                                            {"sku", "2022-datacenter-azure-edition"},
                                            {"version", "latest"},
                                            {"exactVersion", "20348.2402.240405"}};
  p["storageProfile"] = json::object{
      {"imageReference", std::move(image)},
      {"osDisk", json::object{{"osType", linux ? "Linux" : "Windows"},
                              {"name", os_disk_name},
                              {"createOption", "FromImage"},
                              {"caching", "ReadWrite"},
                              {"managedDisk", json::object{{"storageAccountType", "Premium_LRS"},
                                                           {"id", os_disk_id}}},
                              {"deleteOption", "Delete"},
                              {"diskSizeGB", os_gb}}},
      {"dataDisks", std::move(data_disks)},
      {"diskControllerType", "SCSI"}};
  json::object os;
  os["computerName"] = vm_name.size() > 15 && !linux ? vm_name.substr(0, 15) : vm_name;
  os["adminUsername"] = "azureuser";
  if (linux) {
    os["linuxConfiguration"] = json::object{
        {"disablePasswordAuthentication", true},
        {"provisionVMAgent", true},
        {"patchSettings",
         json::object{{"patchMode", "ImageDefault"}, {"assessmentMode", "ImageDefault"}}}};
  } else {
    os["windowsConfiguration"] = json::object{
        {"provisionVMAgent", true},
        {"enableAutomaticUpdates", true},
        {"patchSettings",
         json::object{{"patchMode", "AutomaticByOS"}, {"assessmentMode", "ImageDefault"}}}};
  }
  os["secrets"] = json::array();
  os["allowExtensionOperations"] = true;
  os["requireGuestProvisionSignal"] = true;
  p["osProfile"] = std::move(os);
  p["networkProfile"] = json::object{
      {"networkInterfaces",
       json::array{json::object{{"id", nic_id},
                                {"properties", json::object{{"deleteOption", "Delete"}}}}}}};
  p["diagnosticsProfile"] = json::object{{"bootDiagnostics", json::object{{"enabled", true}}}};
  p["provisioningState"] = "Succeeded";
  p["timeCreated"] = rng_.Timestamp();
  vm["properties"] = std::move(p);
  Emit(std::move(vm));

  // Extensions: the monitoring agent, sometimes one more.
  auto extension = [&](const char* name, const char* publisher, const char* type,
                       const char* version) {
    json::object e;
    e["name"] = name;
    e["id"] = vm_id + "/extensions/" + name;
    e["type"] = "Microsoft.Compute/virtualMachines/extensions";
    e["location"] = rg.location;
    e["properties"] = json::object{{"autoUpgradeMinorVersion", true},
                                   {"enableAutomaticUpgrade", true},
                                   {"provisioningState", "Succeeded"},
                                   {"publisher", publisher},
                                   {"type", type},
                                   {"typeHandlerVersion", version},
                                   {"settings", json::object()}};
    Emit(std::move(e));
  };
  if (linux) {
    extension("AzureMonitorLinuxAgent", "Microsoft.Azure.Monitor", "AzureMonitorLinuxAgent",
              "1.29");
    if (rng_.Percent(50)) {
      extension("CustomScript", "Microsoft.Azure.Extensions", "CustomScript", "2.1");
    }
  } else {
    extension("AzureMonitorWindowsAgent", "Microsoft.Azure.Monitor", "AzureMonitorWindowsAgent",
              "1.22");
    if (rng_.Percent(50)) {
      extension("IaaSAntimalware", "Microsoft.Azure.Security", "IaaSAntimalware", "1.3");
    }
  }
  const Identity* who = kind == 2 || kind == 3 ? &user : kind == 1 ? &system : nullptr;
  if (who && rng_.Percent(50)) {
    Principal p{who->principal_id, "ServicePrincipal"};
    if (!rg.storage_id.empty()) {
      RoleAssignment(rg.storage_id, rg.sub, kStorageBlobDataReader, p);
    } else {
      RoleAssignment(rg.id, rg.sub, kReader, p);
    }
  }
}

void Builder::WebUnit(Rg& rg) {
  const std::string seq = Seq(rg);
  const bool linux = rng_.Percent(60);
  const std::string plan_name = "asp-" + rg.app + "-" + rg.env + "-" + seq;
  json::object plan = Base(rg, "Microsoft.Web/serverFarms", plan_name);
  plan["kind"] = linux ? "linux" : "app";
  static const struct {
    const char* name;
    const char* tier;
    const char* family;
  } kSkus[] = {{"P1v3", "PremiumV3", "Pv3"}, {"S1", "Standard", "S"}, {"B1", "Basic", "B"}};
  const auto& sku = kSkus[rng_.Below(3)];
  plan["sku"] = json::object{{"name", sku.name},
                             {"tier", sku.tier},
                             {"size", sku.name},
                             {"family", sku.family},
                             {"capacity", 1}};
  const std::string plan_id(plan["id"].as_string());
  int sites = rng_.Range(1, 2);
  plan["properties"] = json::object{{"status", "Ready"},
                                    {"maximumNumberOfWorkers", 30},
                                    {"geoRegion", RegionDisplay(rg.location)},
                                    {"numberOfSites", sites},
                                    {"reserved", linux},
                                    {"zoneRedundant", false},
                                    {"provisioningState", "Succeeded"}};
  Emit(std::move(plan));

  const std::string ai_name = "appi-" + rg.app + "-" + rg.env + "-" + seq;
  json::object ai = Base(rg, "Microsoft.Insights/components", ai_name);
  ai["kind"] = "web";
  const std::string ai_id(ai["id"].as_string());
  {
    std::string key = rng_.Guid();
    json::object p;
    p["ApplicationId"] = ai_name;
    p["AppId"] = rng_.Guid();
    p["Application_Type"] = "web";
    p["Flow_Type"] = "Bluefield";
    p["Request_Source"] = "rest";
    p["InstrumentationKey"] = key;
    p["ConnectionString"] = "InstrumentationKey=" + key + ";IngestionEndpoint=https://" +
                            rg.location + "-0.in.applicationinsights.azure.com/";
    p["CreationDate"] = rng_.Timestamp();
    p["TenantId"] = subs_[static_cast<size_t>(rg.sub)].id;
    p["provisioningState"] = "Succeeded";
    p["RetentionInDays"] = 90;
    const std::string& ws = subs_[static_cast<size_t>(rg.sub)].workspace_id;
    if (!ws.empty()) p["WorkspaceResourceId"] = ws;
    p["IngestionMode"] = ws.empty() ? "ApplicationInsights" : "LogAnalytics";
    p["publicNetworkAccessForIngestion"] = "Enabled";
    p["publicNetworkAccessForQuery"] = "Enabled";
    ai["properties"] = std::move(p);
  }
  Emit(std::move(ai));
  Diag(ai_id, rg.sub, 20);

  for (int i = 0; i < sites; ++i) {
    const std::string name = "app-" + rg.app + "-" + rg.env + "-" + Unique();
    const std::string site_id = Id(rg, "Microsoft.Web/sites", name);
    auto site_body = [&](const std::string& id, const std::string& site_name,
                         const std::string& host, const char* type) {
      json::object o;
      o["id"] = id;
      o["name"] = site_name;
      o["type"] = type;
      o["kind"] = linux ? "app,linux" : "app";
      o["location"] = RegionDisplay(rg.location);
      json::object tags;
      // How the portal links a web app to its Application Insights component.
      tags["hidden-link: /app-insights-resource-id"] = ai_id;
      tags["environment"] = rg.env;
      o["tags"] = std::move(tags);
      json::object p;
      p["name"] = site_name;
      p["state"] = "Running";
      p["hostNames"] = json::array{host};
      p["enabledHostNames"] =
          json::array{host, host.substr(0, host.find('.')) + ".scm.azurewebsites.net"};
      p["usageState"] = "Normal";
      p["availabilityState"] = "Normal";
      p["enabled"] = true;
      p["serverFarmId"] = plan_id;
      p["reserved"] = linux;
      p["httpsOnly"] = true;
      p["clientCertEnabled"] = false;
      p["defaultHostName"] = host;
      p["resourceGroup"] = rg.name;
      p["siteConfig"] =
          json::object{{"numberOfWorkers", 1},   {"linuxFxVersion", linux ? "DOTNETCORE|8.0" : ""},
                       {"alwaysOn", true},       {"http20Enabled", true},
                       {"minTlsVersion", "1.2"}, {"ftpsState", "FtpsOnly"}};
      if (!rg.subnet_app.empty()) p["virtualNetworkSubnetId"] = rg.subnet_app;
      p["outboundIpAddresses"] = PublicIp() + "," + PublicIp();
      p["publicNetworkAccess"] = "Enabled";
      p["keyVaultReferenceIdentity"] = "SystemAssigned";
      o["properties"] = std::move(p);
      o["systemData"] = SystemData();
      return o;
    };
    const std::string host = name + ".azurewebsites.net";
    json::object site = site_body(site_id, name, host, "Microsoft.Web/sites");
    Identity mi;
    bool has_mi = rng_.Percent(60);
    if (has_mi) {
      mi = SystemIdentity(site_id, name);
      site["identity"] = IdentityJson(&mi, nullptr);
    }
    Emit(std::move(site));
    rg.site_host = host;
    if (rng_.Percent(40)) {
      // ARM names a slot "{site}/{slot}".
      json::object slot =
          site_body(site_id + "/slots/staging", name + "/staging",
                    name + "-staging.azurewebsites.net", "Microsoft.Web/sites/slots");
      Emit(std::move(slot));
    }
    Diag(site_id, rg.sub, 50);
    if (has_mi && rng_.Percent(60)) {
      Principal p{mi.principal_id, "ServicePrincipal"};
      if (!rg.key_vault_id.empty()) {
        RoleAssignment(rg.key_vault_id, rg.sub, kKeyVaultSecretsUser, p);
      } else {
        RoleAssignment(rg.id, rg.sub, kReader, p);
      }
    }
  }
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
  return pe_id;
}

void Builder::SqlUnit(Rg& rg) {
  const std::string name = "sql-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string server_id = Id(rg, "Microsoft.Sql/servers", name);
  const bool use_pe = !rg.subnet_pe.empty() && rng_.Percent(60);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object s = Base(rg, "Microsoft.Sql/servers", name);
  s["kind"] = "v12.0";
  if (rng_.Percent(30)) {
    Identity mi = SystemIdentity(server_id, name);
    s["identity"] = IdentityJson(&mi, nullptr);
  }
  json::object p;
  p["administratorLogin"] = "sqladmin";
  p["version"] = "12.0";
  p["state"] = "Ready";
  p["fullyQualifiedDomainName"] = name + ".database.windows.net";
  p["privateEndpointConnections"] = PrivateEndpointConnections(server_id, pe_id);
  p["minimalTlsVersion"] = "1.2";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["restrictOutboundNetworkAccess"] = "Disabled";
  if (!groups_.empty()) {
    size_t g = rng_.Below(groups_.size());
    p["administrators"] = json::object{{"administratorType", "ActiveDirectory"},
                                       {"principalType", "Group"},
                                       {"login", t_.groups[g].as_object().at("displayName")},
                                       {"sid", groups_[g].id},
                                       {"tenantId", t_.tenant_id},
                                       {"azureADOnlyAuthentication", rng_.Percent(50)}};
  }
  s["properties"] = std::move(p);
  Emit(std::move(s));

  int dbs = rng_.Range(1, 3);
  std::vector<std::string> db_ids;
  for (int i = 0; i < dbs; ++i) {
    std::string db = "sqldb-" + rg.app + "-" + std::to_string(i + 1);
    json::object d;
    d["id"] = server_id + "/databases/" + db;
    d["name"] = db;
    d["type"] = "Microsoft.Sql/servers/databases";
    d["location"] = rg.location;
    bool serverless = rng_.Percent(50);
    json::object sku = serverless
                           ? json::object{{"name", "GP_S_Gen5"},
                                          {"tier", "GeneralPurpose"},
                                          {"family", "Gen5"},
                                          {"capacity", 2}}
                           : json::object{{"name", "S0"}, {"tier", "Standard"}, {"capacity", 10}};
    d["sku"] = sku;
    d["kind"] = serverless ? "v12.0,user,vcore,serverless" : "v12.0,user";
    json::object dp;
    dp["collation"] = "SQL_Latin1_General_CP1_CI_AS";
    dp["maxSizeBytes"] = serverless ? 34359738368LL : 268435456000LL;
    dp["status"] = "Online";
    dp["databaseId"] = rng_.Guid();
    dp["creationDate"] = rng_.Timestamp();
    dp["currentServiceObjectiveName"] = sku.at("name");
    dp["requestedServiceObjectiveName"] = sku.at("name");
    dp["catalogCollation"] = "SQL_Latin1_General_CP1_CI_AS";
    dp["zoneRedundant"] = false;
    dp["readScale"] = "Disabled";
    dp["currentSku"] = sku;
    dp["currentBackupStorageRedundancy"] = "Geo";
    dp["requestedBackupStorageRedundancy"] = "Geo";
    dp["isLedgerOn"] = false;
    d["properties"] = std::move(dp);
    db_ids.push_back(std::string(d["id"].as_string()));
    Emit(std::move(d));
  }
  auto rule = [&](const std::string& rule_name, const std::string& start, const std::string& end) {
    json::object r;
    r["id"] = server_id + "/firewallRules/" + rule_name;
    r["name"] = rule_name;
    r["type"] = "Microsoft.Sql/servers/firewallRules";
    r["properties"] = json::object{{"startIpAddress", start}, {"endIpAddress", end}};
    Emit(std::move(r));
  };
  rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0");
  if (rng_.Percent(50)) rule("office-network", "203.0.113.0", "203.0.113.255");
  if (use_pe) PrivateEndpoint(rg, server_id, name, "sqlServer", "privatelink.database.windows.net");
  Diag(server_id, rg.sub, 30);
  for (const auto& id : db_ids) Diag(id, rg.sub, 50);
}

void Builder::AksUnit(Rg& rg) {
  const std::string name = "aks-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string aks_id = Id(rg, "Microsoft.ContainerService/managedClusters", name);
  Sub& sub = subs_[static_cast<size_t>(rg.sub)];
  // The node resource group AKS creates and manages.
  Rg mc;
  mc.sub = rg.sub;
  mc.app = rg.app;
  mc.env = rg.env;
  mc.location = rg.location;
  mc.name = "MC_" + rg.name + "_" + name + "_" + rg.location;
  mc.id = sub.path + "/resourceGroups/" + mc.name;
  sub.rg_names.insert(mc.name);
  t_.resource_groups.emplace_back(json::object{
      {"id", mc.id}, {"name", mc.name}, {"location", mc.location}, {"managedBy", aks_id}});
  Identity control;
  bool user_control = rng_.Percent(60);
  if (user_control) control = Uami(rg, "id-" + name);
  Identity kubelet = Uami(mc, name + "-agentpool");

  const std::string pool = "nodepool1";
  const std::string vmss_name =
      "aks-" + pool + "-" + std::to_string(10000000 + rng_.Below(89999999)) + "-vmss";
  json::object vmss = Base(mc, "Microsoft.Compute/virtualMachineScaleSets", vmss_name);
  const int nodes = rng_.Range(2, 5);
  vmss["sku"] =
      json::object{{"name", "Standard_D4s_v5"}, {"tier", "Standard"}, {"capacity", nodes}};
  vmss["identity"] = IdentityJson(nullptr, &kubelet);
  json::object ipc{
      {"name", "ipconfig1"},
      {"properties", json::object{{"primary", true}, {"privateIPAddressVersion", "IPv4"}}}};
  if (!rg.subnet_app.empty()) {
    ipc["properties"].as_object()["subnet"] = Ref(rg.subnet_app);
  }
  vmss["properties"] = json::object{
      {"singlePlacementGroup", false},
      {"orchestrationMode", "Uniform"},
      {"upgradePolicy", json::object{{"mode", "Manual"}}},
      {"virtualMachineProfile",
       json::object{
           {"osProfile", json::object{{"computerNamePrefix", vmss_name},
                                      {"adminUsername", "azureuser"},
                                      {"linuxConfiguration",
                                       json::object{{"disablePasswordAuthentication", true}}}}},
           {"storageProfile",
            json::object{{"osDisk", json::object{{"osType", "Linux"},
                                                 {"createOption", "FromImage"},
                                                 {"caching", "ReadOnly"},
                                                 {"managedDisk", json::object{{"storageAccountType",
                                                                               "Premium_LRS"}}},
                                                 {"diskSizeGB", 128}}}}},
           {"networkProfile",
            json::object{
                {"networkInterfaceConfigurations",
                 json::array{json::object{
                     {"name", vmss_name},
                     {"properties", json::object{{"primary", true},
                                                 {"enableAcceleratedNetworking", true},
                                                 {"ipConfigurations", json::array{ipc}}}}}}}}}}},
      {"provisioningState", "Succeeded"},
      {"overprovision", false},
      {"uniqueId", rng_.Guid()}};
  Emit(std::move(vmss));

  json::object aks = Base(rg, "Microsoft.ContainerService/managedClusters", name);
  Identity system;
  if (user_control) {
    aks["identity"] = IdentityJson(nullptr, &control);
  } else {
    system = SystemIdentity(aks_id, name);
    aks["identity"] = IdentityJson(&system, nullptr);
  }
  aks["sku"] = json::object{{"name", "Base"}, {"tier", rg.env == "prod" ? "Standard" : "Free"}};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["powerState"] = json::object{{"code", "Running"}};
  p["kubernetesVersion"] = "1.29.7";
  p["currentKubernetesVersion"] = "1.29.7";
  p["dnsPrefix"] = name + "-dns";
  p["fqdn"] = name + "-dns-" + Hex(8) + ".hcp." + rg.location + ".azmk8s.io";
  p["azurePortalFQDN"] = name + "-dns-" + Hex(8) + ".portal.hcp." + rg.location + ".azmk8s.io";
  json::object pool_profile{{"name", pool},
                            {"count", nodes},
                            {"vmSize", "Standard_D4s_v5"},
                            {"osDiskSizeGB", 128},
                            {"osDiskType", "Managed"},
                            {"kubeletDiskType", "OS"},
                            {"maxPods", 110},
                            {"type", "VirtualMachineScaleSets"},
                            {"enableAutoScaling", false},
                            {"provisioningState", "Succeeded"},
                            {"powerState", json::object{{"code", "Running"}}},
                            {"orchestratorVersion", "1.29.7"},
                            {"mode", "System"},
                            {"osType", "Linux"},
                            {"osSKU", "Ubuntu"},
                            {"nodeImageVersion", "AKSUbuntu-2204gen2containerd-202407.29.0"},
                            {"enableFIPS", false}};
  if (!rg.subnet_app.empty()) pool_profile["vnetSubnetID"] = rg.subnet_app;
  p["agentPoolProfiles"] = json::array{std::move(pool_profile)};
  p["servicePrincipalProfile"] = json::object{{"clientId", "msi"}};
  p["nodeResourceGroup"] = mc.name;
  p["enableRBAC"] = true;
  p["networkProfile"] =
      json::object{{"networkPlugin", "azure"},       {"networkPolicy", "calico"},
                   {"serviceCidr", "10.0.0.0/16"},   {"dnsServiceIP", "10.0.0.10"},
                   {"outboundType", "loadBalancer"}, {"loadBalancerSku", "Standard"}};
  if (!groups_.empty()) {
    p["aadProfile"] =
        json::object{{"managed", true},
                     {"enableAzureRBAC", true},
                     {"adminGroupObjectIDs", json::array{groups_[rng_.Below(groups_.size())].id}},
                     {"tenantID", t_.tenant_id}};
  }
  p["identityProfile"] =
      json::object{{"kubeletidentity", json::object{{"resourceId", kubelet.id},
                                                    {"clientId", kubelet.client_id},
                                                    {"objectId", kubelet.principal_id}}}};
  if (!sub.workspace_id.empty()) {
    p["addonProfiles"] = json::object{
        {"omsagent", json::object{{"enabled", true},
                                  {"config", json::object{{"logAnalyticsWorkspaceResourceID",
                                                           sub.workspace_id}}}}}};
  }
  p["maxAgentPools"] = 100;
  p["disableLocalAccounts"] = true;
  p["oidcIssuerProfile"] = json::object{{"enabled", true}};
  aks["properties"] = std::move(p);
  Emit(std::move(aks));

  if (rng_.Percent(70)) {
    std::string acr_name = "acr" + rg.app + rg.env + Unique();
    json::object acr = Base(rg, "Microsoft.ContainerRegistry/registries", acr_name);
    acr["sku"] = json::object{{"name", "Premium"}, {"tier", "Premium"}};
    acr["properties"] = json::object{{"loginServer", acr_name + ".azurecr.io"},
                                     {"creationDate", rng_.Timestamp()},
                                     {"provisioningState", "Succeeded"},
                                     {"adminUserEnabled", false},
                                     {"publicNetworkAccess", "Enabled"},
                                     {"networkRuleBypassOptions", "AzureServices"},
                                     {"zoneRedundancy", "Disabled"},
                                     {"anonymousPullEnabled", false},
                                     {"dataEndpointEnabled", false}};
    std::string acr_id(acr["id"].as_string());
    Emit(std::move(acr));
    RoleAssignment(acr_id, rg.sub, kAcrPull, Principal{kubelet.principal_id, "ServicePrincipal"});
    Diag(acr_id, rg.sub, 40);
  }
  Diag(aks_id, rg.sub, 60);
}

void Builder::AcrSingle(Rg& rg) {
  std::string acr_name = "acr" + rg.app + rg.env + Unique();
  json::object acr = Base(rg, "Microsoft.ContainerRegistry/registries", acr_name);
  acr["sku"] = json::object{{"name", "Standard"}, {"tier", "Standard"}};
  acr["properties"] = json::object{
      {"loginServer", acr_name + ".azurecr.io"}, {"creationDate", rng_.Timestamp()},
      {"provisioningState", "Succeeded"},        {"adminUserEnabled", rng_.Percent(20)},
      {"publicNetworkAccess", "Enabled"},        {"zoneRedundancy", "Disabled"}};
  std::string id(acr["id"].as_string());
  Emit(std::move(acr));
  Diag(id, rg.sub, 30);
}

void Builder::StorageUnit(Rg& rg, bool allow_pe) {
  const std::string name = "st" + rg.app + rg.env + Unique();
  const std::string id = Id(rg, "Microsoft.Storage/storageAccounts", name);
  const bool use_pe = allow_pe && !rg.subnet_pe.empty() && rng_.Percent(50);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object o = Base(rg, "Microsoft.Storage/storageAccounts", name);
  o["kind"] = "StorageV2";
  static const char* kSkus[] = {"Standard_LRS", "Standard_GRS", "Standard_ZRS", "Standard_RAGRS"};
  o["sku"] = json::object{{"name", kSkus[rng_.Below(4)]}, {"tier", "Standard"}};
  if (rng_.Percent(20)) {
    Identity mi = SystemIdentity(id, name);
    o["identity"] = IdentityJson(&mi, nullptr);
  }
  std::string created = rng_.Timestamp();
  json::object p;
  p["dnsEndpointType"] = "Standard";
  p["defaultToOAuthAuthentication"] = false;
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["keyCreationTime"] = json::object{{"key1", created}, {"key2", created}};
  p["allowCrossTenantReplication"] = false;
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  p["minimumTlsVersion"] = "TLS1_2";
  p["allowBlobPublicAccess"] = false;
  p["allowSharedKeyAccess"] = rng_.Percent(60);
  p["isHnsEnabled"] = rng_.Percent(20);
  json::array vnet_rules;
  if (!rg.subnet_app.empty() && !use_pe && rng_.Percent(40)) {
    vnet_rules.emplace_back(
        json::object{{"id", rg.subnet_app}, {"action", "Allow"}, {"state", "Succeeded"}});
  }
  bool restricted = !vnet_rules.empty() || use_pe;
  p["networkAcls"] = json::object{{"bypass", "AzureServices"},
                                  {"virtualNetworkRules", std::move(vnet_rules)},
                                  {"ipRules", json::array()},
                                  {"defaultAction", restricted ? "Deny" : "Allow"}};
  p["supportsHttpsTrafficOnly"] = true;
  json::object enc{{"keyType", "Account"}, {"enabled", true}, {"lastEnabledTime", created}};
  p["encryption"] = json::object{{"services", json::object{{"file", enc}, {"blob", enc}}},
                                 {"keySource", "Microsoft.Storage"},
                                 {"requireInfrastructureEncryption", false}};
  p["accessTier"] = "Hot";
  p["provisioningState"] = "Succeeded";
  p["creationTime"] = created;
  json::object ep;
  for (const char* svc : {"dfs", "web", "blob", "queue", "table", "file"}) {
    ep[svc] = "https://" + name + "." + svc + ".core.windows.net/";
  }
  p["primaryEndpoints"] = std::move(ep);
  p["primaryLocation"] = rg.location;
  p["statusOfPrimary"] = "available";
  o["properties"] = std::move(p);
  Emit(std::move(o));
  rg.storage_id = id;
  if (use_pe) PrivateEndpoint(rg, id, name, "blob", "privatelink.blob.core.windows.net");
  Diag(id, rg.sub, 40);
}

void Builder::KeyVaultUnit(Rg& rg, bool allow_pe) {
  const std::string name = "kv-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string id = Id(rg, "Microsoft.KeyVault/vaults", name);
  const bool use_pe = allow_pe && !rg.subnet_pe.empty() && rng_.Percent(50);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  const bool rbac = rng_.Percent(60);
  json::object o = Base(rg, "Microsoft.KeyVault/vaults", name);
  json::object p;
  p["sku"] = json::object{{"family", "A"}, {"name", rng_.Percent(80) ? "standard" : "premium"}};
  p["tenantId"] = t_.tenant_id;
  json::array policies;
  if (!rbac) {
    int n = rng_.Range(1, 3);
    for (int i = 0; i < n; ++i) {
      const Principal* who = AnyPrincipal();
      if (!who) break;
      policies.emplace_back(json::object{
          {"tenantId", t_.tenant_id},
          {"objectId", who->id},
          {"permissions", json::object{{"keys", json::array{"get", "list"}},
                                       {"secrets", json::array{"get", "list"}},
                                       {"certificates", json::array{"get", "list"}}}}});
    }
  }
  p["accessPolicies"] = std::move(policies);
  p["enabledForDeployment"] = false;
  p["enabledForDiskEncryption"] = rng_.Percent(20);
  p["enabledForTemplateDeployment"] = false;
  p["enableSoftDelete"] = true;
  p["softDeleteRetentionInDays"] = 90;
  p["enableRbacAuthorization"] = rbac;
  if (rng_.Percent(50)) p["enablePurgeProtection"] = true;
  p["vaultUri"] = "https://" + name + ".vault.azure.net/";
  p["provisioningState"] = "Succeeded";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  o["properties"] = std::move(p);
  Emit(std::move(o));
  rg.key_vault_id = id;
  if (use_pe) PrivateEndpoint(rg, id, name, "vault", "privatelink.vaultcore.azure.net");
  Diag(id, rg.sub, 80);
  if (rbac) {
    if (const Principal* who = GroupOrUser()) {
      RoleAssignment(id, rg.sub, kKeyVaultAdministrator, *who);
    }
    if (rng_.Percent(50)) {
      if (const Principal* who = AnyPrincipal()) {
        RoleAssignment(id, rg.sub, kKeyVaultSecretsUser, *who);
      }
    }
  }
}

void Builder::CosmosUnit(Rg& rg) {
  const std::string name = "cosmos-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string id = Id(rg, "Microsoft.DocumentDB/databaseAccounts", name);
  const bool use_pe = !rg.subnet_pe.empty() && rng_.Percent(60);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object o = Base(rg, "Microsoft.DocumentDB/databaseAccounts", name);
  o["kind"] = "GlobalDocumentDB";
  if (rng_.Percent(30)) {
    Identity mi = SystemIdentity(id, name);
    o["identity"] = IdentityJson(&mi, nullptr);
  }
  const std::string display = RegionDisplay(rg.location);
  const std::string endpoint = "https://" + name + "-" + rg.location + ".documents.azure.com:443/";
  json::object loc{{"id", name + "-" + rg.location}, {"locationName", display},
                   {"documentEndpoint", endpoint},   {"provisioningState", "Succeeded"},
                   {"failoverPriority", 0},          {"isZoneRedundant", false}};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["documentEndpoint"] = "https://" + name + ".documents.azure.com:443/";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["enableAutomaticFailover"] = false;
  p["enableMultipleWriteLocations"] = false;
  p["isVirtualNetworkFilterEnabled"] = false;
  p["virtualNetworkRules"] = json::array();
  p["databaseAccountOfferType"] = "Standard";
  p["disableKeyBasedMetadataWriteAccess"] = false;
  p["consistencyPolicy"] = json::object{{"defaultConsistencyLevel", "Session"},
                                        {"maxIntervalInSeconds", 5},
                                        {"maxStalenessPrefix", 100}};
  p["locations"] = json::array{loc};
  p["writeLocations"] = json::array{loc};
  p["readLocations"] = json::array{loc};
  p["failoverPolicies"] = json::array{json::object{
      {"id", name + "-" + rg.location}, {"locationName", display}, {"failoverPriority", 0}}};
  p["capabilities"] = json::array();
  p["ipRules"] = json::array();
  p["backupPolicy"] =
      json::object{{"type", "Periodic"},
                   {"periodicModeProperties", json::object{{"backupIntervalInMinutes", 240},
                                                           {"backupRetentionIntervalInHours", 8},
                                                           {"backupStorageRedundancy", "Geo"}}}};
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  p["minimalTlsVersion"] = "Tls12";
  p["disableLocalAuth"] = false;
  p["createMode"] = "Default";
  p["instanceId"] = rng_.Guid();
  o["properties"] = std::move(p);
  Emit(std::move(o));
  if (use_pe) PrivateEndpoint(rg, id, name, "Sql", "privatelink.documents.azure.com");
  Diag(id, rg.sub, 60);
}

void Builder::MessagingUnit(Rg& rg, bool service_bus) {
  const std::string name =
      (service_bus ? "sb-" : "evhns-") + rg.app + "-" + rg.env + "-" + Unique();
  const char* type =
      service_bus ? "Microsoft.ServiceBus/namespaces" : "Microsoft.EventHub/namespaces";
  json::object o = Base(rg, type, name);
  const std::string id(o["id"].as_string());
  o["sku"] = service_bus
                 ? json::object{{"name", "Standard"}, {"tier", "Standard"}}
                 : json::object{{"name", "Standard"}, {"tier", "Standard"}, {"capacity", 1}};
  std::string when = rng_.Timestamp();
  json::object p;
  p["minimumTlsVersion"] = "1.2";
  p["provisioningState"] = "Succeeded";
  p["status"] = "Active";
  p["createdAt"] = when;
  p["updatedAt"] = when;
  p["serviceBusEndpoint"] = "https://" + name + ".servicebus.windows.net:443/";
  p["metricId"] = subs_[static_cast<size_t>(rg.sub)].id + ":" + name;
  p["zoneRedundant"] = false;
  p["disableLocalAuth"] = false;
  p["publicNetworkAccess"] = "Enabled";
  p["privateEndpointConnections"] = json::array();
  if (!service_bus) {
    p["kafkaEnabled"] = true;
    p["isAutoInflateEnabled"] = false;
    p["maximumThroughputUnits"] = 0;
  }
  o["properties"] = std::move(p);
  Emit(std::move(o));
  Diag(id, rg.sub, 70);
}

void Builder::RedisUnit(Rg& rg) {
  const std::string name = "redis-" + rg.app + "-" + rg.env + "-" + Unique();
  json::object o = Base(rg, "Microsoft.Cache/Redis", name);
  const std::string id(o["id"].as_string());
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["redisVersion"] = "6.0";
  p["sku"] = json::object{{"name", "Standard"}, {"family", "C"}, {"capacity", 1}};
  p["enableNonSslPort"] = false;
  p["minimumTlsVersion"] = "1.2";
  p["publicNetworkAccess"] = "Enabled";
  p["redisConfiguration"] = json::object{{"maxclients", "1000"},
                                         {"maxmemory-reserved", "125"},
                                         {"maxfragmentationmemory-reserved", "125"},
                                         {"maxmemory-delta", "125"}};
  p["accessKeys"] = nullptr;
  p["hostName"] = name + ".redis.cache.windows.net";
  p["port"] = 6379;
  p["sslPort"] = 6380;
  p["linkedServers"] = json::array();
  p["instances"] = json::array{json::object{{"sslPort", 15000}, {"isMaster", true}},
                               json::object{{"sslPort", 15001}, {"isMaster", false}}};
  p["privateEndpointConnections"] = json::array();
  o["properties"] = std::move(p);
  Emit(std::move(o));
  Diag(id, rg.sub, 50);
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
    json::object pip = MakePublicIp(*this, rg, "pip-" + name, fe_id);
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
  json::object pip = MakePublicIp(*this, rg, "pip-" + name, fe_id);
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
  Diag(id, rg.sub, 80);
  Diag(pip_id, rg.sub, 30);
}

void Builder::FirewallUnit(Rg& rg) {
  const std::string name = "afw-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  const std::string id = Id(rg, "Microsoft.Network/azureFirewalls", name);
  const std::string ipc_id = id + "/azureFirewallIpConfigurations/ipconfig1";
  json::object pip = MakePublicIp(*this, rg, "pip-" + name, ipc_id);
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
  Diag(id, rg.sub, 80);
  Diag(pip_id, rg.sub, 30);
}

void Builder::ContainerGroupUnit(Rg& rg) {
  const std::string name = "ci-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  json::object o = Base(rg, "Microsoft.ContainerInstance/containerGroups", name);
  o["properties"] = json::object{
      {"sku", "Standard"},
      {"provisioningState", "Succeeded"},
      {"containers",
       json::array{json::object{
           {"name", rg.app},
           {"properties",
            json::object{{"image", "mcr.microsoft.com/azuredocs/aci-helloworld:latest"},
                         {"ports", json::array{json::object{{"port", 80}, {"protocol", "TCP"}}}},
                         {"environmentVariables", json::array()},
                         {"resources", json::object{{"requests", json::object{{"memoryInGB", 1.5},
                                                                              {"cpu", 1.0}}}}}}}}}},
      {"restartPolicy", "Always"},
      {"ipAddress",
       json::object{{"ports", json::array{json::object{{"port", 80}, {"protocol", "TCP"}}}},
                    {"ip", PublicIp()},
                    {"type", "Public"}}},
      {"osType", "Linux"},
      {"instanceView", json::object{{"state", "Running"}}}};
  Emit(std::move(o));
}

void Builder::RecoveryVaultUnit(Rg& rg) {
  const std::string name = "rsv-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  json::object o = Base(rg, "Microsoft.RecoveryServices/vaults", name);
  const std::string id(o["id"].as_string());
  o["etag"] = "W/\"datetime'" + rng_.Timestamp() + "'\"";
  o["sku"] = json::object{{"name", "RS0"}, {"tier", "Standard"}};
  o["properties"] = json::object{
      {"provisioningState", "Succeeded"},
      {"privateEndpointStateForBackup", "None"},
      {"privateEndpointStateForSiteRecovery", "None"},
      {"publicNetworkAccess", "Enabled"},
      {"redundancySettings", json::object{{"standardTierStorageRedundancy", "GeoRedundant"},
                                          {"crossRegionRestore", "Disabled"}}},
      {"securitySettings",
       json::object{{"immutabilitySettings", json::object{{"state", "Disabled"}}},
                    {"softDeleteSettings", json::object{{"softDeleteState", "Enabled"},
                                                        {"softDeleteRetentionPeriodInDays", 14}}}}},
      {"secureScore", "None"}};
  Emit(std::move(o));
  Diag(id, rg.sub, 60);
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

void Builder::AvailabilitySetSingle(Rg& rg) {
  json::object as = Base(rg, "Microsoft.Compute/availabilitySets",
                         "avail-" + rg.app + "-" + rg.env + "-" + Seq(rg));
  as["sku"] = json::object{{"name", "Aligned"}};
  as["properties"] = json::object{{"platformUpdateDomainCount", 5},
                                  {"platformFaultDomainCount", 2},
                                  {"virtualMachines", json::array()}};
  Emit(std::move(as));
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

}  // namespace atg::sim::gen
