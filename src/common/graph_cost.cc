#include "common/graph_cost.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "common/strings.h"

namespace atg {

namespace {

// The path of an absolute URL, or `url` itself up to its query.
std::string_view PathPart(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    url = url.substr(scheme + 3);
    size_t slash = url.find_first_of("/?#");
    if (slash == std::string_view::npos || url[slash] != '/') return "/";
    url = url.substr(slash);
  }
  return url.substr(0, url.find_first_of("?#"));
}

struct CostRule {
  std::string_view method;
  std::string_view path;  // segments; "{id}" matches any one segment
  int cost;
};

// Base request costs from Microsoft Graph's identity and access throttling table. Requests not
// listed cost 1.
constexpr CostRule kCostTable[] = {
    {"GET", "applications", 2},
    {"GET", "applications/{id}/extensionProperties", 2},
    {"GET", "contracts", 3},
    {"POST", "directoryObjects/getByIds", 3},
    {"GET", "domains/{id}/domainNameReferences", 4},
    {"POST", "getObjectsById", 3},
    {"GET", "groups/{id}/members", 3},
    {"GET", "groups/{id}/transitiveMembers", 5},
    {"POST", "isMemberOf", 4},
    {"POST", "users/{id}/checkMemberGroups", 4},
    {"POST", "users/{id}/checkMemberObjects", 4},
    {"POST", "users/{id}/getMemberGroups", 2},
    {"POST", "users/{id}/getMemberObjects", 2},
    {"GET", "users/{id}/licenseDetails", 2},
    {"GET", "users/{id}/memberOf", 2},
    {"GET", "users/{id}/ownedObjects", 2},
    {"GET", "users/{id}/transitiveMemberOf", 2},
    {"GET", "oauth2PermissionGrants", 2},
    {"GET", "oauth2PermissionGrants/{id}", 2},
    {"GET", "servicePrincipals/{id}/appRoleAssignments", 2},
    {"GET", "subscribedSkus", 3},
    {"GET", "users", 2},
};

bool Matches(const std::vector<std::string>& segments, std::string_view pattern) {
  std::vector<std::string> p = Split(pattern, '/', /*skip_empty=*/true);
  if (p.size() != segments.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != "{id}" && !EqualsIgnoreCase(p[i], segments[i])) return false;
  }
  return true;
}

}  // namespace

int GraphRequestCost(std::string_view method, std::string_view url) {
  std::string_view path = PathPart(url);
  std::vector<std::string> segments = Split(path, '/', /*skip_empty=*/true);
  for (size_t i = 0; i < segments.size(); ++i) {
    if (segments[i] == "v1.0" || segments[i] == "beta") {
      segments.erase(segments.begin(), segments.begin() + static_cast<long>(i) + 1);
      break;
    }
  }
  // A trailing type cast (".../members/microsoft.graph.user") lists the same collection.
  while (!segments.empty() && StartsWithIgnoreCase(segments.back(), "microsoft.graph.")) {
    segments.pop_back();
  }
  if (!segments.empty() && EqualsIgnoreCase(segments.front(), "me")) {
    segments.front() = "users";
    segments.insert(segments.begin() + 1, "me");
  }

  int cost = 1;
  for (const CostRule& rule : kCostTable) {
    if (EqualsIgnoreCase(rule.method, method) && Matches(segments, rule.path)) {
      cost = rule.cost;
      break;
    }
  }

  size_t q = url.find('?');
  if (q != std::string_view::npos) {
    std::string_view query = url.substr(q + 1);
    query = query.substr(0, query.find('#'));
    for (const std::string& part : Split(query, '&', /*skip_empty=*/true)) {
      size_t eq = part.find('=');
      std::string name = ToLower(UrlDecode(std::string_view(part).substr(0, eq)));
      std::string value =
          eq == std::string::npos ? "" : UrlDecode(std::string_view(part).substr(eq + 1));
      if (name == "$select") {
        cost -= 1;
      } else if (name == "$expand") {
        cost += 1;
      } else if (name == "$top") {
        int top = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), top);
        if (ec == std::errc() && p == value.data() + value.size() && top < 20) cost -= 1;
      }
    }
  }
  return std::max(cost, 1);
}

}  // namespace atg
