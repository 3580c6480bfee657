#include "common/arm_id.h"

#include "common/strings.h"

namespace atg {
namespace {

// Splits "/a/b/c" into {"a","b","c"}; false on an empty inner segment or a missing leading '/'.
bool SplitPath(std::string_view id, std::vector<std::string_view>* segs) {
  if (id.empty() || id.front() != '/') return false;
  id.remove_prefix(1);
  if (!id.empty() && id.back() == '/') id.remove_suffix(1);
  if (id.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t slash = id.find('/', start);
    std::string_view seg =
        id.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (seg.empty()) return false;
    segs->push_back(seg);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

std::string JoinPrefix(const std::vector<std::string_view>& segs, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += '/';
    out.append(segs[i]);
  }
  return out;
}

Status NotAnArmId(std::string_view id, std::string_view why) {
  return Status::InvalidArgument("'" + std::string(id.substr(0, 300)) +
                                 "' is not a well-formed ARM id: " + std::string(why) +
                                 " (expected /subscriptions/{id}[/resourceGroups/{name}]"
                                 "[/providers/{Namespace}/{type}/{name}...])");
}

}  // namespace

bool ArmId::is_subscription() const {
  return EqualsIgnoreCase(type, "Microsoft.Resources/subscriptions");
}

bool ArmId::is_resource_group() const {
  return EqualsIgnoreCase(type, "Microsoft.Resources/resourceGroups");
}

Result<ArmId> ParseArmId(std::string_view id) {
  std::vector<std::string_view> segs;
  if (!SplitPath(id, &segs)) return NotAnArmId(id, "empty path segment or no leading '/'");
  ArmId out;
  size_t i = 0;
  const size_t n = segs.size();
  if (EqualsIgnoreCase(segs[0], "subscriptions")) {
    if (n < 2) return NotAnArmId(id, "no subscription id");
    out.subscription_id = std::string(segs[1]);
    i = 2;
    if (n == 2) {
      out.type = "Microsoft.Resources/subscriptions";
      out.name = out.subscription_id;
      out.names = {out.name};
      return out;
    }
    if (EqualsIgnoreCase(segs[2], "resourceGroups")) {
      if (n < 4) return NotAnArmId(id, "no resource group name");
      out.resource_group = std::string(segs[3]);
      i = 4;
      if (n == 4) {
        out.type = "Microsoft.Resources/resourceGroups";
        out.name = out.resource_group;
        out.names = {out.name};
        out.parent_id = JoinPrefix(segs, 2);
        return out;
      }
    }
  } else if (!EqualsIgnoreCase(segs[0], "providers")) {
    return NotAnArmId(id, "does not start with /subscriptions or /providers");
  }
  // The last "providers" segment that is followed by a namespace and type/name pairs.
  size_t p = n;
  for (size_t k = n; k-- > i;) {
    if (EqualsIgnoreCase(segs[k], "providers") && n - k >= 4 && (n - k - 2) % 2 == 0) {
      p = k;
      break;
    }
  }
  if (p == n) return NotAnArmId(id, "no /providers/{namespace}/{type}/{name} part");
  if (!EqualsIgnoreCase(segs[i], "providers")) {
    return NotAnArmId(id, "unexpected segment '" + std::string(segs[i]) + "'");
  }
  out.type = std::string(segs[p + 1]);
  for (size_t k = p + 2; k < n; k += 2) {
    out.type += '/';
    out.type.append(segs[k]);
    out.names.emplace_back(segs[k + 1]);
  }
  out.name = out.names.back();
  if (p > i) out.extension_scope = JoinPrefix(segs, p);
  out.parent_id = out.names.size() > 1 ? JoinPrefix(segs, n - 2) : JoinPrefix(segs, p);
  return out;
}

std::string NormalizeArmId(std::string_view id) {
  while (id.size() > 1 && id.back() == '/') id.remove_suffix(1);
  return ToLower(id);
}

bool IsGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace atg
