#include "sim/testing/round_trip.h"

#include <map>

#include "common/json.h"
#include "common/strings.h"

namespace atg::sim::testing {

namespace {

struct Entry {
  const json::object* body = nullptr;
  std::string label;  // type/name for messages
};

bool IgnoredGroup(const std::string& rg_lower, const RoundTripOptions& o) {
  for (const auto& pattern : o.ignore_resource_groups) {
    if (!pattern.empty() && pattern.back() == '*') {
      if (rg_lower.rfind(pattern.substr(0, pattern.size() - 1), 0) == 0) return true;
    } else if (rg_lower == pattern) {
      return true;
    }
  }
  return false;
}

// "rg" (lower-case) of an id, or "".
std::string GroupOf(std::string_view id) {
  std::string lower = ToLower(id);
  size_t at = lower.find("/resourcegroups/");
  if (at == std::string::npos) return "";
  size_t b = at + 16;
  size_t e = lower.find('/', b);
  return lower.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

std::string LastSegment(std::string_view s) {
  size_t slash = s.rfind('/');
  return ToLower(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

std::map<std::string, Entry> Index(const Tenant& t, const RoundTripOptions& o) {
  std::map<std::string, Entry> out;
  for (const auto& g : t.resource_groups) {
    const json::object* b = g.if_object();
    std::string id(FindString(b, "id").value_or(""));
    if (IgnoredGroup(GroupOf(id), o) || o.ignore_keys.count(RoundTripKey(id))) continue;
    out[RoundTripKey(id)] = {b,
                             "resource group " + std::string(FindString(b, "name").value_or(""))};
  }
  for (const auto& r : t.resources) {
    const json::object* b = r.if_object();
    std::string id(FindString(b, "id").value_or(""));
    std::string type(FindString(b, "type").value_or(""));
    std::string key = RoundTripKey(id);
    if (o.ignore_types.count(ToLower(type)) || IgnoredGroup(GroupOf(id), o) ||
        o.ignore_keys.count(key))
      continue;
    if (EqualsIgnoreCase(type, "Microsoft.Authorization/roleAssignments")) {
      const json::object* p = FindObject(b, "properties");
      std::string lower = ToLower(id);
      std::string scope =
          RoundTripKey(id.substr(0, lower.rfind("/providers/microsoft.authorization")));
      key = scope + "|roleassignment|" +
            LastSegment(FindString(p, "roleDefinitionId").value_or("")) + "|" +
            ToLower(FindString(p, "principalId").value_or(""));
    }
    out[key] = {b, type + " " + id.substr(id.rfind('/') + 1)};
  }
  return out;
}

std::string Text(const json::value* v) {
  if (v == nullptr || v->is_null()) return "(none)";
  return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
}

void CompareFields(const std::string& key, const json::object* a, const json::object* b,
                   std::vector<std::string>& out) {
  auto loc = [](const json::object* o) {
    std::string l = ToLower(FindString(o, "location").value_or(""));
    std::string squashed;
    for (char c : l)
      if (c != ' ') squashed += c;
    return squashed;
  };
  if (loc(a) != loc(b)) {
    out.push_back(key + ": location source=" + loc(a) + " target=" + loc(b));
  }
  const json::value* ta = Find(a, "tags");
  const json::value* tb = Find(b, "tags");
  bool a_empty = ta == nullptr || ta->is_null() || (ta->is_object() && ta->as_object().empty());
  bool b_empty = tb == nullptr || tb->is_null() || (tb->is_object() && tb->as_object().empty());
  // Tag values that hold ARM ids (App Service's "hidden-link:" tags) point into the target's
  // subscription after a replication: compare them without it.
  auto normalized = [](const json::value* tags) {
    json::object out;
    if (tags == nullptr || !tags->is_object()) return out;
    for (const auto& kv : tags->as_object()) {
      const json::value& v = kv.value();
      if (v.is_string() && StartsWithIgnoreCase(v.as_string(), "/subscriptions/")) {
        out[kv.key()] = RoundTripKey(v.as_string());
      } else {
        out[kv.key()] = v;
      }
    }
    return out;
  };
  if (!(a_empty && b_empty) && (a_empty != b_empty || normalized(ta) != normalized(tb))) {
    out.push_back(key + ": tags source=" + Text(ta) + " target=" + Text(tb));
  }
  auto sku = [](const json::object* o) {
    return ToLower(FindString(FindObject(o, "sku"), "name").value_or(""));
  };
  if (sku(a) != sku(b)) out.push_back(key + ": sku.name source=" + sku(a) + " target=" + sku(b));
  auto kind = [](const json::object* o) { return ToLower(FindString(o, "kind").value_or("")); };
  if (kind(a) != kind(b)) out.push_back(key + ": kind source=" + kind(a) + " target=" + kind(b));
}

}  // namespace

std::string RoundTripKey(std::string_view id) {
  std::string lower = ToLower(id);
  if (lower.rfind("/subscriptions/", 0) == 0) {
    size_t end = lower.find('/', 15);
    lower = end == std::string::npos ? "" : lower.substr(end);
  }
  return lower;
}

RoundTripDiff CompareTenants(const Tenant& source, const Tenant& target,
                             const RoundTripOptions& options) {
  RoundTripDiff d;
  auto src = Index(source, options);
  auto dst = Index(target, options);
  for (const auto& [key, e] : src) {
    auto it = dst.find(key);
    if (it == dst.end()) {
      d.missing.push_back(key + " (" + e.label + ")");
      continue;
    }
    ++d.matched;
    if (options.compare_fields) CompareFields(key, e.body, it->second.body, d.mismatched);
  }
  if (options.report_extra) {
    for (const auto& [key, e] : dst) {
      if (!src.count(key)) d.extra.push_back(key + " (" + e.label + ")");
    }
  }
  return d;
}

std::string RoundTripDiff::ToString(size_t limit) const {
  std::string out = std::to_string(matched) + " matched, " + std::to_string(missing.size()) +
                    " missing in the target, " + std::to_string(extra.size()) +
                    " extra in the target, " + std::to_string(mismatched.size()) +
                    " field differences\n";
  auto section = [&](const char* title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += title;
    out += ":\n";
    for (size_t i = 0; i < items.size() && i < limit; ++i) out += "  " + items[i] + "\n";
    if (items.size() > limit)
      out += "  ... and " + std::to_string(items.size() - limit) + " more\n";
  };
  section("missing", missing);
  section("extra", extra);
  section("mismatched", mismatched);
  return out;
}

}  // namespace atg::sim::testing
