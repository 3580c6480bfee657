#include "graph/arm_id.h"

#include <cctype>

#include "common/strings.h"

namespace atg::graph {
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
  return Status::InvalidArgument("'" + std::string(id.substr(0, 300)) + "' is not an ARM id (" +
                                 std::string(why) +
                                 "); expected /subscriptions/{id}/resourceGroups/{name}/providers/"
                                 "{namespace}/{type}/{name}");
}

}  // namespace

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

bool LooksLikeArmId(std::string_view s) {
  if (s.size() < 12 || s.size() > 2048) return false;
  if (!StartsWithIgnoreCase(s, "/subscriptions/") && !StartsWithIgnoreCase(s, "/providers/")) {
    return false;
  }
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '?' || c == '#' || c == '"') {
      return false;
    }
  }
  return ParseArmId(s).ok();
}

namespace {

void Collect(const json::value& v, std::vector<std::string>* out, int depth) {
  if (depth > 200) return;
  switch (v.kind()) {
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (LooksLikeArmId(s)) out->push_back(NormalizeArmId(s));
      return;
    }
    case json::kind::array:
      for (const auto& e : v.get_array()) Collect(e, out, depth + 1);
      return;
    case json::kind::object:
      for (const auto& kv : v.get_object()) {
        if (LooksLikeArmId(kv.key())) out->push_back(NormalizeArmId(kv.key()));
        Collect(kv.value(), out, depth + 1);
      }
      return;
    default:
      return;
  }
}

void CollectRefs(const json::value& v, std::string& path, std::vector<ArmIdRef>* out, int depth) {
  if (depth > 200) return;
  switch (v.kind()) {
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (LooksLikeArmId(s)) out->push_back({NormalizeArmId(s), path});
      return;
    }
    case json::kind::array: {
      const size_t len = path.size();
      size_t i = 0;
      for (const auto& e : v.get_array()) {
        path += '[';
        path += std::to_string(i++);
        path += ']';
        CollectRefs(e, path, out, depth + 1);
        path.resize(len);
      }
      return;
    }
    case json::kind::object: {
      const size_t len = path.size();
      for (const auto& kv : v.get_object()) {
        if (LooksLikeArmId(kv.key())) {
          out->push_back({NormalizeArmId(kv.key()),
                          path + "[" + json::serialize(json::value(kv.key())) + "]"});
        }
        if (!path.empty()) path += '.';
        path.append(kv.key());
        CollectRefs(kv.value(), path, out, depth + 1);
        path.resize(len);
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace

void CollectArmIdRefs(const json::value& v, std::string_view base_path,
                      std::vector<ArmIdRef>* out) {
  std::string path(base_path);
  CollectRefs(v, path, out, 0);
}

void CollectArmIds(const json::value& v, std::vector<std::string>* out) { Collect(v, out, 0); }

std::vector<std::string> ArmIdAncestors(std::string_view normalized_id) {
  std::vector<std::string> out;
  std::string current(normalized_id);
  while (true) {
    auto parsed = ParseArmId(current);
    if (!parsed.ok() || parsed->parent_id.empty()) break;
    current = NormalizeArmId(parsed->parent_id);
    out.push_back(current);
  }
  return out;
}

}  // namespace atg::graph
