// Compute units of the generator: VMs with NICs, disks, extensions and identities,
// availability sets, AKS with its node resource group, container registries and container
// groups, in the shapes of the recorded ARM responses.
#include <string>

#include "sim/generator_impl.h"

namespace atg::sim::gen {

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
    json::object pip = PublicIpBody(rg, "pip-" + vm_name, ipconfig_id);
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
  LinkSubnet(rg, rg.subnet_app, "ipConfigurations", ipconfig_id);

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

void Builder::AvailabilitySetSingle(Rg& rg) {
  json::object as = Base(rg, "Microsoft.Compute/availabilitySets",
                         "avail-" + rg.app + "-" + rg.env + "-" + Seq(rg));
  as["sku"] = json::object{{"name", "Aligned"}};
  as["properties"] = json::object{{"platformUpdateDomainCount", 5},
                                  {"platformFaultDomainCount", 2},
                                  {"virtualMachines", json::array()}};
  Emit(std::move(as));
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

}  // namespace atg::sim::gen
