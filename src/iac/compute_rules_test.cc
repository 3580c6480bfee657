#include "iac/compute_rules.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

json::object Vm(const char* os_profile) {
  return json::parse(std::string(R"({"properties": {
      "storageProfile": {
        "osDisk": {"osType": "Linux", "createOption": "FromImage", "name": "vm1_OsDisk",
                   "managedDisk": {"storageAccountType": "Premium_LRS", "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/vm1_OsDisk"}},
        "dataDisks": [{"lun": 0, "createOption": "Empty",
                       "managedDisk": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/d0"}}]},
      "osProfile": )") +
                     os_profile + "}}")
      .as_object();
}

TEST(ComputeRules, TheVmOwnsItsOsDiskAndAttachesDataDisks) {
  json::object vm = Vm(R"({"adminUsername": "ops", "computerName": "vm1"})");
  EXPECT_EQ(OwnedOsDiskId(vm),
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/vm1_OsDisk");
  std::vector<std::string> notes;
  auto inputs = ShapeCompute("microsoft.compute/virtualmachines", &vm, &notes);
  EXPECT_TRUE(inputs.empty());
  EXPECT_TRUE(notes.empty());
  const json::object& storage = vm["properties"].as_object()["storageProfile"].as_object();
  EXPECT_EQ(json::serialize(storage.at("osDisk").at("managedDisk")),
            R"({"storageAccountType":"Premium_LRS"})");
  EXPECT_EQ(storage.at("dataDisks").at(0).at("createOption"), "Attach");
}

TEST(ComputeRules, LinuxWithKeysOnlyGetsAnSshKeyInput) {
  json::object vm = Vm(R"({"adminUsername": "ops", "linuxConfiguration": {
      "disablePasswordAuthentication": true,
      "ssh": {"publicKeys": [{"path": "/home/ops/.ssh/authorized_keys", "keyData": "ssh-rsa SOURCE"}]}}})");
  std::vector<std::string> notes;
  auto inputs = ShapeCompute("microsoft.compute/virtualmachines", &vm, &notes);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, "properties.osProfile.linuxConfiguration.ssh.publicKeys[0].keyData");
  EXPECT_EQ(inputs[0].field, "adminSshPublicKey");
  EXPECT_EQ(json::serialize(vm["properties"].at("osProfile").at("linuxConfiguration").at("ssh")),
            R"({"publicKeys":[{"path":"/home/ops/.ssh/authorized_keys"}]})");
  // A scale set's profile too.
  json::object vmss = json::parse(R"({"properties": {"virtualMachineProfile": {"osProfile": {
      "adminUsername": "root", "linuxConfiguration": {"disablePasswordAuthentication": true}}}}})")
                          .as_object();
  inputs = ShapeCompute("microsoft.compute/virtualmachinescalesets", &vmss, &notes);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path,
            "properties.virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys[0]."
            "keyData");
  EXPECT_NE(inputs[0].description.find("azureuser"), std::string::npos);  // "root" is reserved
}

TEST(ComputeRules, NamesAzureRejectsAreFittedAndNoted) {
  json::object vm = Vm(R"({"adminUsername": "admin", "computerName": "vm-pricing-stg-05",
                           "windowsConfiguration": {}})");
  vm["properties"].as_object()["storageProfile"].as_object()["osDisk"].as_object()["osType"] =
      "Windows";
  std::vector<std::string> notes;
  ShapeCompute("microsoft.compute/virtualmachines", &vm, &notes);
  const json::object& os = vm["properties"].at("osProfile").as_object();
  EXPECT_EQ(os.at("computerName"), "vm-pricing-stg");  // 15 characters, no trailing '-'
  EXPECT_EQ(os.at("adminUsername"), "azureuser");
  EXPECT_EQ(notes.size(), 2u);
}

}  // namespace
}  // namespace atg::iac
