#include "iac/plan_references.h"

#include "common/arm_id.h"
#include "graph/arm_id.h"

namespace atg::iac {
namespace {

// Mirrors graph::CollectArmIdRefs (same paths), keeping the original strings.
void CollectRaw(const json::value& v, std::string& path, std::vector<RawRef>* out) {
  if (v.is_string()) {
    std::string_view s = v.as_string();
    if (graph::LooksLikeArmId(s)) out->push_back({std::string(s), path});
  } else if (v.is_array()) {
    const size_t len = path.size();
    size_t i = 0;
    for (const auto& e : v.as_array()) {
      path += '[' + std::to_string(i++) + ']';
      CollectRaw(e, path, out);
      path.resize(len);
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.as_object()) {
      const size_t len = path.size();
      if (graph::LooksLikeArmId(kv.key())) {
        out->push_back(
            {std::string(kv.key()), path + "[" + json::serialize(json::value(kv.key())) + "]"});
      }
      if (!path.empty()) path += '.';
      path.append(kv.key());
      CollectRaw(kv.value(), path, out);
      path.resize(len);
    }
  }
}

}  // namespace

void CollectRawRefs(const json::value& body, std::vector<RawRef>* out) {
  std::string path;
  CollectRaw(body, path, out);
}

std::string ReferenceSuffix(std::string_view id, std::string_view target_key) {
  std::string suffix;
  if (id.size() > target_key.size() &&
      NormalizeArmId(id).compare(0, target_key.size(), target_key) == 0) {
    suffix = std::string(id.substr(target_key.size()));
    while (!suffix.empty() && suffix.back() == '/') suffix.pop_back();
  }
  return suffix;
}

}  // namespace atg::iac
