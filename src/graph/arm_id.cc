#include "graph/arm_id.h"

#include <cctype>

#include "common/strings.h"

namespace atg::graph {
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
