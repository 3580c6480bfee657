// The azurerm mappings of virtual machines (with data disk attachments), their extensions, managed
// disks, availability sets (Microsoft.Compute): one choose/render pair per ARM type, arguments as
// the azurerm 4.x provider documents them (the table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

constexpr std::string_view kAdminPassword = "properties.osProfile.adminPassword";

bool IsWindowsVm(const MapContext& c) {
  std::string_view os = c.GetString("properties.storageProfile.osDisk.osType");
  if (!os.empty()) return EqualsIgnoreCase(os, "Windows");
  return c.Get("properties.osProfile.windowsConfiguration") != nullptr;
}

std::string ChooseVm(const MapContext& c, std::string* why) {
  if (!EqualsIgnoreCase(c.GetString("properties.storageProfile.osDisk.createOption"),
                        "FromImage")) {
    return ViaAzapi(why, "OS disk attached rather than created from an image");
  }
  if (!c.Has("properties.storageProfile.imageReference.id") &&
      !c.Has("properties.storageProfile.imageReference.offer")) {
    return ViaAzapi(why, "no image reference");
  }
  if (!c.Has("properties.osProfile.adminUsername")) return ViaAzapi(why, "no OS profile");
  const bool has_password = c.Has(kAdminPassword);
  if (IsWindowsVm(c)) {
    if (!has_password) return ViaAzapi(why, "Windows VM without an admin password input");
    return AzurermType("azurerm_windows_virtual_machine");
  }
  if (!has_password &&
      !NonEmptyArray(c, "properties.osProfile.linuxConfiguration.ssh.publicKeys")) {
    return ViaAzapi(why, "Linux VM with neither an SSH key nor an admin password input");
  }
  const size_t n = ArraySize(c, "properties.storageProfile.dataDisks");
  for (size_t i = 0; i < n; ++i) {
    const std::string d = ElementPath("properties.storageProfile.dataDisks", i, "");
    if (!c.Has(d + ".managedDisk.id")) return ViaAzapi(why, "data disk without a managed disk id");
  }
  return AzurermType("azurerm_linux_virtual_machine");
}
void RenderVm(MapContext& c, HclWriter& w) {
  const bool windows = IsWindowsVm(c);
  const std::string& sym = c.resource().symbol;
  NameGroupLocation(c, w);
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
    c.Attr(w, "public_key", ElementPath(keys, i, "keyData"));
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
  HclWriter extra(&c.extra());
  const std::string disks = "properties.storageProfile.dataDisks";
  const size_t nd = ArraySize(c, disks);
  const std::string vm =
      std::string(windows ? "azurerm_windows_virtual_machine." : "azurerm_linux_virtual_machine.") +
      sym + ".id";
  for (size_t i = 0; i < nd; ++i) {
    const std::string d = ElementPath(disks, i, "");
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

void RenderVmExtension(MapContext& c, HclWriter& w) {
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

std::string ChooseDisk(const MapContext& c, std::string* why) {
  std::string_view create = c.GetString("properties.creationData.createOption");
  if (!EqualsIgnoreCase(create, "Empty")) {
    return ViaAzapi(why, "managed disk created by \"" + std::string(create) +
                             "\" (azurerm_managed_disk is used for empty disks)");
  }
  return AzurermType("azurerm_managed_disk");
}
void RenderDisk(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
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

void RenderAvailabilitySet(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "platform_fault_domain_count", "properties.platformFaultDomainCount");
  c.Attr(w, "platform_update_domain_count", "properties.platformUpdateDomainCount");
  w.BoolAttribute("managed", EqualsIgnoreCase(c.GetString("sku.name"), "Aligned"));
  c.Tags(w);
}

}  // namespace

void AddComputeMappings(std::vector<TypeMapping>* table) {
  table->insert(table->end(),
                {
                    {"microsoft.compute/availabilitysets", "azurerm_availability_set",
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_availability_set"), RenderAvailabilitySet},
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
                     ATG_ALWAYS_AZURERM_TYPE("azurerm_virtual_machine_extension"),
                     RenderVmExtension,
                     {"properties.protectedSettings"}},
                });
}

}  // namespace atg::iac::terraform
