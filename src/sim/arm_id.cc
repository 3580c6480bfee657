#include "sim/arm_id.h"

#include <vector>

#include "common/strings.h"

namespace atg::sim {

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

Result<ArmId> ParseArmId(std::string_view id) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("'" + std::string(id) + "' is not a well-formed ARM id: " + why +
                                   " (expected /subscriptions/{guid}[/resourceGroups/{name}]"
                                   "[/providers/{Namespace}/{type}/{name}...])");
  };
  if (id.empty() || id[0] != '/') return bad("it does not start with '/'");
  // Segment texts and their byte offsets in `id` (offset of the '/' before each).
  std::vector<std::string_view> seg;
  std::vector<size_t> at;
  size_t pos = 0;
  while (pos < id.size()) {
    size_t next = id.find('/', pos + 1);
    if (next == std::string_view::npos) next = id.size();
    std::string_view s = id.substr(pos + 1, next - pos - 1);
    if (s.empty()) return bad("it has an empty segment at byte " + std::to_string(pos + 1));
    seg.push_back(s);
    at.push_back(pos);
    pos = next;
  }
  const size_t n = seg.size();
  if (n < 2 || !EqualsIgnoreCase(seg[0], "subscriptions")) {
    return bad("it does not start with /subscriptions/{guid}");
  }
  if (!IsGuid(seg[1])) return bad("'" + std::string(seg[1]) + "' is not a subscription GUID");
  ArmId out;
  out.subscription_id = seg[1];
  out.name = seg[1];
  size_t i = 2;
  if (i < n && EqualsIgnoreCase(seg[i], "resourceGroups")) {
    if (i + 1 >= n) return bad("'resourceGroups' is not followed by a name");
    out.resource_group = seg[i + 1];
    out.name = seg[i + 1];
    i += 2;
  }
  int sections = 0;
  while (i < n) {
    if (!EqualsIgnoreCase(seg[i], "providers")) {
      return bad("expected 'providers' at segment " + std::to_string(i + 1) + ", found '" +
                 std::string(seg[i]) + "'");
    }
    if (i + 3 >= n) return bad("'providers' must be followed by {Namespace}/{type}/{name}");
    const size_t section_start = i;
    std::string type(seg[i + 1]);
    size_t j = i + 2;
    size_t pairs = 0;
    size_t last_pair = j;
    while (j < n && !EqualsIgnoreCase(seg[j], "providers")) {
      if (j + 1 >= n) return bad("type '" + std::string(seg[j]) + "' has no name after it");
      type += '/';
      type += seg[j];
      last_pair = j;
      j += 2;
      ++pairs;
    }
    if (pairs == 0) return bad("a provider section has no {type}/{name}");
    ++sections;
    out.type = std::move(type);
    out.name = seg[last_pair + 1];
    out.scope = id.substr(0, at[section_start]);
    out.scope_is_resource = sections > 1;
    out.parent = pairs > 1 ? id.substr(0, at[last_pair]) : std::string_view();
    i = j;
  }
  return out;
}

}  // namespace atg::sim
