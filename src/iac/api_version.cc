#include "iac/api_version.h"

#include <algorithm>

namespace atg::iac {

bool IsPreviewApiVersion(std::string_view version) {
  // GA versions are bare dates: "2024-05-01".
  return version.size() > 10;
}

namespace {

// The newest of `versions` that passes `keep`, preferring stable ones; "" when none does.
template <typename Keep>
std::string Newest(const std::vector<std::string>& versions, bool stable, Keep keep) {
  std::string best;
  for (const std::string& v : versions) {
    if (IsPreviewApiVersion(v) == stable || !keep(v)) continue;
    if (v > best) best = v;
  }
  return best;
}

}  // namespace

ApiVersionPick PickApiVersion(std::string_view type,
                              const std::vector<std::string>& tenant_versions,
                              std::string_view fallback, const AzureSchemas& schemas) {
  ApiVersionPick pick;
  const std::vector<std::string>* known = schemas.Versions(type);
  auto any = [](const std::string&) { return true; };
  std::string tenant_newest = Newest(tenant_versions, true, any);
  if (tenant_newest.empty()) tenant_newest = Newest(tenant_versions, false, any);
  if (tenant_newest.empty()) tenant_newest = std::string(fallback);
  if (!known || known->empty()) {
    pick.version = tenant_newest;
    return pick;
  }
  pick.schema_known = true;
  auto is_known = [&](const std::string& v) {
    return std::binary_search(known->begin(), known->end(), v);
  };
  pick.version = Newest(tenant_versions, true, is_known);
  if (pick.version.empty()) pick.version = Newest(tenant_versions, false, is_known);
  pick.shared = !pick.version.empty();
  if (pick.version.empty() && tenant_versions.empty()) {
    pick.version = Newest(*known, true, any);  // nothing known about the tenant: the newest
  }
  if (pick.version.empty()) {
    pick.version = Newest(*known, true, [&](const std::string& v) { return v <= tenant_newest; });
  }
  if (pick.version.empty()) {
    for (const std::string& v : *known) {
      if (!IsPreviewApiVersion(v)) {
        pick.version = v;
        break;
      }
    }
  }
  if (pick.version.empty()) pick.version = known->back();
  pick.schema = schemas.Body(type, pick.version);
  return pick;
}

}  // namespace atg::iac
