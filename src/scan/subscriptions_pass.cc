#include "scan/subscriptions_pass.h"

#include <string>
#include <utility>

#include "azure/paging.h"
#include "scan/api_versions.h"

namespace atg::scan {

Result<std::vector<json::object>> ListSubscriptions(const ScanRun& run) {
  std::vector<json::object> out;
  std::string url = run.arm + "/subscriptions?api-version=" + std::string(kSubscriptionsApiVersion);
  auto r = azure::ForEachArmPage(
      run.client, url,
      [&](const json::array& items, const json::object&) {
        run.CountArm(url);
        for (const auto& v : items) {
          if (v.is_object()) out.push_back(v.as_object());
        }
        return true;
      },
      run.stop);
  if (!r.ok()) {
    return Status(r.status().code(),
                  "listing the subscriptions failed: " + r.status().message() +
                      " (check AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET and "
                      "ATG_ARM_ENDPOINT)");
  }
  return out;
}

std::vector<json::object> ProbeSubscriptions(const ScanRun& run, std::vector<json::object> subs) {
  std::vector<char> ok(subs.size(), 0);
  for (size_t i = 0; i < subs.size(); ++i) {
    std::string sub(FindString(&subs[i], "subscriptionId").value_or(""));
    std::string url =
        run.arm + "/subscriptions/" + sub + "?api-version=" + std::string(kSubscriptionsApiVersion);
    run.pool.Submit(ArmLaneOf(url), [&run, url, sub, &ok, i] {
      if (run.Stopped()) return;
      auto r = run.client.GetJson(url, run.stop);
      run.CountArm(url);
      if (r.ok()) {
        ok[i] = 1;
      } else {
        run.Fail("/subscriptions/" + sub, r.status());
      }
    });
  }
  run.pool.WaitIdle();
  std::vector<json::object> out;
  for (size_t i = 0; i < subs.size(); ++i) {
    if (ok[i]) out.push_back(std::move(subs[i]));
  }
  return out;
}

}  // namespace atg::scan
