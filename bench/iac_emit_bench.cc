// Times the ARM and Bicep emitters on a synthetic plan: N resources over G resource groups, each
// resource with a body of realistic size, a reference to the previous resource of its group, a
// cross-group reference with a suffix every tenth resource, a child every fifth and a secret
// input every hundredth.
//
// usage: iac_emit_bench [resources=100000] [groups=200]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "iac/emit.h"
#include "iac/plan_address.h"

namespace {

namespace json = boost::json;
using atg::iac::Plan;
using atg::iac::PlannedResource;

constexpr char kSub[] = "00000000-0000-0000-0000-0000000be0c4";

Plan MakePlan(size_t n, size_t groups) {
  Plan p;
  p.resources.reserve(n + groups);
  std::vector<size_t> last(groups, SIZE_MAX);
  for (size_t g = 0; g < groups; ++g) {
    PlannedResource rg;
    rg.name = "rg-" + std::to_string(g);
    rg.id = std::string("/subscriptions/") + kSub + "/resourceGroups/" + rg.name;
    rg.key = rg.id;
    rg.type = "Microsoft.Resources/resourceGroups";
    rg.api_version = "2022-09-01";
    rg.subscription_id = kSub;
    rg.location = "westeurope";
    rg.symbol = "rg_" + std::to_string(g);
    rg.is_resource_group = true;
    p.resources.push_back(std::move(rg));
  }
  for (size_t i = 0; i < n; ++i) {
    const size_t g = i % groups;
    PlannedResource r;
    const bool child = i % 5 == 4 && last[g] != SIZE_MAX &&
                       p.resources[last[g]].type == "Microsoft.Network/virtualNetworks";
    r.resource_group = "rg-" + std::to_string(g);
    r.subscription_id = kSub;
    r.api_version = "2024-07-01";
    if (child) {
      const PlannedResource& parent = p.resources[last[g]];
      r.type = "Microsoft.Network/virtualNetworks/subnets";
      r.name = "s" + std::to_string(i);
      r.id = parent.id + "/subnets/" + r.name;
      r.parent = last[g];
      r.body["properties"] = json::object{{"addressPrefix", "10.0.1.0/24"}};
    } else {
      r.type = i % 2 ? "Microsoft.Network/virtualNetworks" : "Microsoft.Network/networkInterfaces";
      r.name = "res-" + std::to_string(i);
      r.id = std::string("/subscriptions/") + kSub + "/resourceGroups/" + r.resource_group +
             "/providers/" + r.type + "/" + r.name;
      r.location = "westeurope";
      r.body["tags"] = json::object{
          {"env", "prod"}, {"owner", "team-" + std::to_string(g)}, {"cost-center", "[cc-1234]"}};
      json::object props{{"enableAcceleratedNetworking", true},
                         {"dnsSettings", json::object{{"dnsServers", json::array{"10.0.0.4"}}}},
                         {"description", std::string(300, 'x')}};
      if (last[g] != SIZE_MAX) {
        props["peer"] = json::object{{"id", p.resources[last[g]].id}};
        r.references.push_back({"properties.peer.id", last[g], ""});
      }
      if (i % 10 == 0 && i >= groups) {
        size_t other = p.resources.size() - groups + 1;  // some earlier resource elsewhere
        props["pool"] = json::object{{"id", p.resources[other].id + "/backendAddressPools/p"}};
        r.references.push_back({"properties.pool.id", other, "/backendAddressPools/p"});
        r.depends_on.push_back(other);
      }
      r.body["properties"] = std::move(props);
    }
    r.key = r.id;
    r.symbol = "r" + std::to_string(i);
    r.depends_on.push_back(g);
    if (last[g] != SIZE_MAX) r.depends_on.push_back(last[g]);
    std::sort(r.depends_on.begin(), r.depends_on.end());
    r.depends_on.erase(std::unique(r.depends_on.begin(), r.depends_on.end()), r.depends_on.end());
    std::sort(r.references.begin(), r.references.end(),
              [](const auto& a, const auto& b) { return a.path < b.path; });
    const size_t index = p.resources.size();
    if (i % 100 == 0) {
      atg::iac::Input in;
      in.name = "secret_" + std::to_string(i);
      in.secret = true;
      in.resource = index;
      in.path = "properties.secretValue";
      p.inputs.push_back(std::move(in));
    }
    if (!child) last[g] = index;
    p.resources.push_back(std::move(r));
  }
  std::sort(p.inputs.begin(), p.inputs.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (PlannedResource& r : p.resources) DeriveAddress(&r);
  return p;
}

template <typename F>
void Time(const char* name, const Plan& plan, F emit) {
  auto start = std::chrono::steady_clock::now();
  auto out = emit(plan);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!out.ok()) {
    std::fprintf(stderr, "%s failed: %s\n", name, out.status().message().c_str());
    std::exit(1);
  }
  size_t bytes = 0;
  for (const auto& f : out->files) bytes += f.content.size();
  std::printf("%-6s %zu resources -> %zu files, %.1f MB in %.2f s (%.0f resources/s), %zu notes\n",
              name, plan.resources.size(), out->files.size(), bytes / 1e6, s,
              plan.resources.size() / s, out->notes.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 100000;
  size_t groups = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
  Plan plan = MakePlan(n, groups);
  Time("arm", plan, [](const Plan& p) { return atg::iac::EmitArm(p); });
  Time("bicep", plan, [](const Plan& p) { return atg::iac::EmitBicep(p); });
  return 0;
}
