#include "iac/plan_rewrite.h"

#include <string>
#include <utility>

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::iac {
namespace {

// A principal id field a deployment sets (role assignments, access policies, SQL admins).
bool IsPrincipalField(std::string_view key) {
  return EqualsIgnoreCase(key, "principalId") || EqualsIgnoreCase(key, "objectId") ||
         EqualsIgnoreCase(key, "sid");
}

void RewriteValue(json::value& v, std::string_view key, const Rewriter& rw, std::string& path,
                  std::vector<UnmappedSlot>* unmapped) {
  if (v.is_string()) {
    std::string s(v.as_string());
    std::string lower = ToLower(s);
    if (IsGuid(lower)) {
      if (rw.identity_map != nullptr) {
        if (auto it = rw.identity_map->find(lower); it != rw.identity_map->end()) {
          v = it->second;
          return;
        }
      }
      if (rw.cross_tenant && EqualsIgnoreCase(key, "tenantId") && lower == rw.source_tenant) {
        v = rw.target_tenant;
        return;
      }
      if (rw.cross_tenant && IsPrincipalField(key)) {
        unmapped->push_back({path, std::string(key), lower});
        return;
      }
    }
    if (rw.RewritesSubscriptions() &&
        RewriteSubscriptions(&s, rw.source_subscriptions, rw.target_subscription)) {
      v = s;
    }
    return;
  }
  if (v.is_array()) {
    const size_t len = path.size();
    size_t i = 0;
    for (auto& e : v.as_array()) {
      path += '[' + std::to_string(i++) + ']';
      RewriteValue(e, key, rw, path, unmapped);
      path.resize(len);
    }
    return;
  }
  if (!v.is_object()) return;
  auto& obj = v.as_object();
  // Keys may be ids too (user-assigned identities): rebuild the object when one changes.
  bool key_changed = false;
  if (rw.RewritesSubscriptions()) {
    for (const auto& kv : obj) {
      std::string k(kv.key());
      if (RewriteSubscriptions(&k, rw.source_subscriptions, rw.target_subscription)) {
        key_changed = true;
        break;
      }
    }
  }
  if (key_changed) {
    json::object rebuilt;
    for (auto& kv : obj) {
      std::string k(kv.key());
      RewriteSubscriptions(&k, rw.source_subscriptions, rw.target_subscription);
      rebuilt[k] = std::move(kv.value());
    }
    obj = std::move(rebuilt);
  }
  for (auto& kv : obj) {
    const size_t len = path.size();
    if (!path.empty()) path += '.';
    path.append(kv.key());
    RewriteValue(kv.value(), kv.key(), rw, path, unmapped);
    path.resize(len);
  }
}

}  // namespace

bool RewriteSubscriptions(std::string* s, const std::unordered_set<std::string>& sources,
                          const std::string& target) {
  static constexpr std::string_view kPrefix = "/subscriptions/";
  bool changed = false;
  size_t pos = 0;
  while (true) {
    std::string lower = ToLower(*s);
    pos = lower.find(kPrefix, pos);
    if (pos == std::string::npos) break;
    size_t start = pos + kPrefix.size();
    size_t end = lower.find('/', start);
    if (end == std::string::npos) end = lower.size();
    if (sources.count(lower.substr(start, end - start)) > 0) {
      s->replace(start, end - start, target);
      changed = true;
      pos = start + target.size();
    } else {
      pos = end;
    }
  }
  return changed;
}

void RewriteBody(const Rewriter& rw, json::value* body, std::vector<UnmappedSlot>* unmapped) {
  std::string path;
  RewriteValue(*body, "", rw, path, unmapped);
  if (json::object* o = body->if_object()) {
    for (const UnmappedSlot& u : *unmapped) RemoveAtPath(*o, u.path);
  }
}

void RemoveAtPath(json::object& body, std::string_view path) {
  json::value* cur = nullptr;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos || cur == nullptr || !cur->is_array()) return;
      size_t idx = std::stoul(std::string(path.substr(i + 1, close - i - 1)));
      if (idx >= cur->as_array().size()) return;
      cur = &cur->as_array()[idx];
      i = close + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    std::string key(path.substr(i, end - i));
    json::object* obj = cur == nullptr ? &body : cur->if_object();
    if (obj == nullptr) return;
    if (end == path.size()) {
      obj->erase(key);
      return;
    }
    cur = obj->if_contains(key);
    if (cur == nullptr) return;
    i = end;
  }
}

}  // namespace atg::iac
