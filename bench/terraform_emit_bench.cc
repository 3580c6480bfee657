// Emits Terraform for a synthetic plan of realistic resources (network, VMs, storage, key
// vaults, role assignments, an azapi-only type), printing time, output size and peak RSS.
//
// usage: terraform_emit_bench [resources=100000]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "iac/emit.h"
#include "iac/plan.h"
#include "iac/plan_address.h"

namespace {

using atg::iac::Plan;
using atg::iac::PlannedResource;
namespace json = boost::json;

constexpr char kSub[] = "00000000-0000-0000-0000-0000000000be";

size_t Add(Plan* plan, const std::string& type, const std::string& arm_name, const std::string& rg,
           const std::string& symbol, const char* body) {
  PlannedResource r;
  r.type = type;
  r.api_version = "2023-09-01";
  r.arm_name = arm_name;
  r.name = arm_name.substr(arm_name.rfind('/') + 1);
  r.subscription_id = kSub;
  r.is_resource_group = type == "Microsoft.Resources/resourceGroups";
  r.resource_group = r.is_resource_group ? "" : rg;
  r.id = "/subscriptions/" + std::string(kSub) + "/resourceGroups/" + rg +
         (r.is_resource_group ? "" : "/providers/" + type + "/" + arm_name);
  r.key = r.id;
  r.location = "westeurope";
  r.symbol = symbol;
  r.body = json::parse(body).as_object();
  plan->resources.push_back(std::move(r));
  return plan->resources.size() - 1;
}

void Ref(Plan* plan, size_t from, const char* path, size_t to, const char* suffix = "") {
  plan->resources[from].references.push_back({path, to, suffix});
  plan->resources[from].depends_on.push_back(to);
}

Plan MakePlan(int resources) {
  Plan plan;
  plan.source_tenant_id = plan.target_tenant_id = "00000000-0000-0000-0000-0000000000aa";
  for (int g = 0; static_cast<int>(plan.resources.size()) < resources; ++g) {
    const std::string rg = "rg-app-" + std::to_string(g);
    const std::string s = std::to_string(g);
    size_t rgi = Add(&plan, "Microsoft.Resources/resourceGroups", rg, rg, "rg_" + s,
                     R"({"tags":{"environment":"prod","owner":"team-a"}})");
    size_t nsg = Add(&plan, "Microsoft.Network/networkSecurityGroups", "nsg", rg, "nsg_" + s,
                     R"({"tags":{"environment":"prod"}})");
    size_t vnet = Add(&plan, "Microsoft.Network/virtualNetworks", "vnet", rg, "vnet_" + s,
                      R"({"properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}})");
    size_t subnet =
        Add(&plan, "Microsoft.Network/virtualNetworks/subnets", "vnet/app", rg, "subnet_" + s,
            R"({"properties":{"addressPrefix":"10.0.1.0/24","networkSecurityGroup":
                            {"id":"x"},"serviceEndpoints":[{"service":"Microsoft.Storage"}]}})");
    plan.resources[subnet].parent = vnet;
    size_t nic = Add(&plan, "Microsoft.Network/networkInterfaces", "nic", rg, "nic_" + s,
                     R"({"properties":{"ipConfigurations":[{"name":"ipconfig1","properties":{
                         "privateIPAllocationMethod":"Dynamic","subnet":{"id":"x"}}}]}})");
    size_t vm = Add(&plan, "Microsoft.Compute/virtualMachines", "vm", rg, "vm_" + s,
                    R"({"properties":{"hardwareProfile":{"vmSize":"Standard_D4s_v5"},
                        "storageProfile":{"imageReference":{"publisher":"Canonical",
                        "offer":"ubuntu-24_04-lts","sku":"server","version":"latest"},
                        "osDisk":{"osType":"Linux","createOption":"FromImage","caching":
                        "ReadWrite","managedDisk":{"storageAccountType":"Premium_LRS"}}},
                        "osProfile":{"computerName":"vm","adminUsername":"azureuser",
                        "linuxConfiguration":{"disablePasswordAuthentication":true,"ssh":
                        {"publicKeys":[{"path":"/home/azureuser/.ssh/authorized_keys",
                        "keyData":"ssh-rsa AAAAB3NzaC1yc2E"}]}}},
                        "networkProfile":{"networkInterfaces":[{"id":"x"}]}},
                        "tags":{"environment":"prod"}})");
    Add(&plan, "Microsoft.Storage/storageAccounts", "st" + s, rg, "st_" + s,
        R"({"sku":{"name":"Standard_LRS"},"kind":"StorageV2","properties":{
            "minimumTlsVersion":"TLS1_2","allowBlobPublicAccess":false,"networkAcls":{
            "bypass":"AzureServices","defaultAction":"Deny","ipRules":[],
            "virtualNetworkRules":[]}}})");
    Add(&plan, "Microsoft.KeyVault/vaults", "kv" + s, rg, "kv_" + s,
        R"({"properties":{"tenantId":"00000000-0000-0000-0000-0000000000aa","sku":{"family":"A",
            "name":"standard"},"enableRbacAuthorization":true,"softDeleteRetentionInDays":90}})");
    size_t lb = Add(&plan, "Microsoft.Network/loadBalancers", "lb", rg, "lb_" + s,
                    R"({"sku":{"name":"Standard"},"properties":{"frontendIPConfigurations":[
                        {"name":"fe","properties":{"subnet":{"id":"x"}}}],
                        "backendAddressPools":[{"name":"pool"}]}})");
    size_t ra = Add(
        &plan, "Microsoft.Authorization/roleAssignments", "ra" + s, rg, "ra_" + s,
        R"({"properties":{"roleDefinitionId":"/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
                        "principalId":"11111111-1111-1111-1111-111111111111",
                        "principalType":"Group"}})");
    plan.resources[ra].scope = vm;
    for (size_t i : {nsg, vnet, nic, vm, lb}) plan.resources[i].depends_on.push_back(rgi);
    Ref(&plan, subnet, "properties.networkSecurityGroup.id", nsg);
    plan.resources[subnet].depends_on.push_back(vnet);
    Ref(&plan, nic, "properties.ipConfigurations[0].properties.subnet.id", subnet);
    Ref(&plan, vm, "properties.networkProfile.networkInterfaces[0].id", nic);
    Ref(&plan, lb, "properties.frontendIPConfigurations[0].properties.subnet.id", subnet);
    plan.resources[ra].depends_on.push_back(vm);
  }
  for (auto& r : plan.resources) std::sort(r.depends_on.begin(), r.depends_on.end());
  for (PlannedResource& r : plan.resources) DeriveAddress(&r);
  return plan;
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  const int resources = argc > 1 ? std::atoi(argv[1]) : 100000;
  Plan plan = MakePlan(resources);
  const long rss_plan = PeakRssMb();
  const auto start = std::chrono::steady_clock::now();
  auto emitted = atg::iac::EmitTerraform(plan);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!emitted.ok()) {
    std::fprintf(stderr, "emit failed: %s\n", emitted.status().ToString().c_str());
    return 1;
  }
  size_t bytes = 0;
  for (const auto& f : emitted.value().files) bytes += f.content.size();
  std::printf(
      "resources=%zu files=%zu output_mb=%.1f emit_seconds=%.3f resources_per_second=%.0f "
      "peak_rss_mb=%ld (plan alone %ld)\n",
      plan.resources.size(), emitted.value().files.size(), bytes / 1e6, seconds,
      plan.resources.size() / seconds, PeakRssMb(), rss_plan);
  return 0;
}
