#include "iac/compute_rules.h"

#include "common/strings.h"

namespace atg::iac {
namespace {

json::object* Object(json::object* o, std::string_view key) {
  if (!o) return nullptr;
  json::value* v = o->if_contains(key);
  return v ? v->if_object() : nullptr;
}
const json::object* Object(const json::object* o, std::string_view key) {
  return Object(const_cast<json::object*>(o), key);
}

// User names Azure refuses for a VM's administrator (its documented list).
bool IsReservedAdminName(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"administrator",
                                                   "admin",
                                                   "user",
                                                   "user1",
                                                   "test",
                                                   "user2",
                                                   "test1",
                                                   "user3",
                                                   "admin1",
                                                   "1",
                                                   "123",
                                                   "a",
                                                   "actuser",
                                                   "adm",
                                                   "admin2",
                                                   "aspnet",
                                                   "backup",
                                                   "console",
                                                   "david",
                                                   "guest",
                                                   "john",
                                                   "owner",
                                                   "root",
                                                   "server",
                                                   "sql",
                                                   "support",
                                                   "support_388945a0",
                                                   "sys",
                                                   "test2",
                                                   "test3",
                                                   "user4",
                                                   "user5"};
  for (std::string_view r : kReserved) {
    if (EqualsIgnoreCase(r, name)) return true;
  }
  return false;
}

// Fits osProfile.computerName and adminUsername (`windows`: a Windows profile).
void FitNames(json::object* os, bool windows, std::vector<std::string>* notes) {
  if (!os) return;
  if (auto name = FindString(os, "computerName")) {
    std::string fitted(*name);
    if (windows && fitted.size() > 15) fitted.resize(15);
    while (!fitted.empty() && (fitted.back() == '-' || fitted.back() == '.')) fitted.pop_back();
    if (fitted.empty()) {
      os->erase("computerName");
    } else if (fitted != *name) {
      notes->push_back("computer name '" + std::string(*name) + "' is not valid in Azure: '" +
                       fitted + "' is used");
      (*os)["computerName"] = fitted;
    }
  }
  if (auto user = FindString(os, "adminUsername"); user && IsReservedAdminName(*user)) {
    notes->push_back("administrator user name '" + std::string(*user) +
                     "' is reserved by Azure: 'azureuser' is used");
    (*os)["adminUsername"] = "azureuser";
  }
}

// osProfile of a VM ("properties") or a scale set ("properties.virtualMachineProfile").
void ShapeLinuxSsh(json::object* profile, std::string_view prefix,
                   std::vector<SecretSlot>* inputs) {
  json::object* os = Object(profile, "osProfile");
  json::object* linux = Object(os, "linuxConfiguration");
  if (!linux) return;
  const json::value* disabled = linux->if_contains("disablePasswordAuthentication");
  if (!disabled || !disabled->is_bool() || !disabled->get_bool()) return;
  auto user = FindString(os, "adminUsername");
  const std::string admin = user && !user->empty() ? std::string(*user) : "azureuser";
  json::object key{{"path", "/home/" + admin + "/.ssh/authorized_keys"}};
  json::object ssh;
  ssh["publicKeys"] = json::array{std::move(key)};
  (*linux)["ssh"] = std::move(ssh);
  inputs->push_back({std::string(prefix) + "osProfile.linuxConfiguration.ssh.publicKeys[0].keyData",
                     "adminSshPublicKey",
                     "SSH public key (OpenSSH format, e.g. the contents of ~/.ssh/id_ed25519.pub) "
                     "that signs in as " +
                         admin});
}

}  // namespace

std::string OwnedOsDiskId(const json::object& vm_body) {
  const json::object* os =
      Object(Object(Object(&vm_body, "properties"), "storageProfile"), "osDisk");
  auto create = FindString(os, "createOption");
  if (!create || !EqualsIgnoreCase(*create, "FromImage")) return "";
  auto id = FindString(Object(os, "managedDisk"), "id");
  return id ? std::string(*id) : "";
}

std::vector<SecretSlot> ShapeCompute(std::string_view lower_type, json::object* body,
                                     std::vector<std::string>* notes) {
  std::vector<SecretSlot> inputs;
  json::object* props = Object(body, "properties");
  if (lower_type == "microsoft.compute/virtualmachines") {
    json::object* os_profile = Object(props, "osProfile");
    auto os_type = FindString(Object(Object(props, "storageProfile"), "osDisk"), "osType");
    const bool windows = os_type ? EqualsIgnoreCase(*os_type, "Windows")
                                 : Object(os_profile, "windowsConfiguration") != nullptr;
    FitNames(os_profile, windows, notes);
    json::object* storage = Object(props, "storageProfile");
    json::object* os = Object(storage, "osDisk");
    auto create = FindString(os, "createOption");
    if (create && EqualsIgnoreCase(*create, "FromImage")) {
      if (json::object* md = Object(os, "managedDisk")) md->erase("id");
    }
    if (json::value* disks = storage ? storage->if_contains("dataDisks") : nullptr;
        disks && disks->is_array()) {
      for (json::value& d : disks->as_array()) {
        json::object* disk = d.if_object();
        if (FindString(Object(disk, "managedDisk"), "id")) (*disk)["createOption"] = "Attach";
      }
    }
    ShapeLinuxSsh(props, "properties.", &inputs);
  } else if (lower_type == "microsoft.compute/virtualmachinescalesets") {
    json::object* vm_profile = Object(props, "virtualMachineProfile");
    json::object* os_profile = Object(vm_profile, "osProfile");
    if (os_profile) {
      auto user = FindString(os_profile, "adminUsername");
      if (user && IsReservedAdminName(*user)) {
        notes->push_back("administrator user name '" + std::string(*user) +
                         "' is reserved by Azure: 'azureuser' is used");
        (*os_profile)["adminUsername"] = "azureuser";
      }
    }
    ShapeLinuxSsh(Object(props, "virtualMachineProfile"), "properties.virtualMachineProfile.",
                  &inputs);
  }
  return inputs;
}

}  // namespace atg::iac
