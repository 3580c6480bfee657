#include "iac/symbols.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <vector>

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::iac {
namespace {

constexpr size_t kMaxNamePart = 40;

std::string Hash6(std::string_view key) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 6; ++i) out += kHex[(h >> (i * 4)) & 0xf];
  return out;
}

std::string Truncate(std::string s) {
  if (s.size() > kMaxNamePart) s.resize(kMaxNamePart);
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s;
}

struct Entry {
  std::string base;
  std::string qualifier;  // the resource group, snake case
  std::string key;
  std::string* symbol;
};

}  // namespace

std::string SnakeCase(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c)) {
      if (std::isupper(c) && i > 0) {
        unsigned char prev = static_cast<unsigned char>(s[i - 1]);
        bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
        if (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && next_lower)) {
          out += '_';
        }
      }
      out += static_cast<char>(std::tolower(c));
    } else {
      out += '_';
    }
  }
  std::string collapsed;
  for (char c : out) {
    if (c == '_' && (collapsed.empty() || collapsed.back() == '_')) continue;
    collapsed += c;
  }
  while (!collapsed.empty() && collapsed.back() == '_') collapsed.pop_back();
  return collapsed.empty() ? "x" : collapsed;
}

std::string ShortTypeName(std::string_view type) {
  size_t slash = type.rfind('/');
  std::string s = SnakeCase(slash == std::string_view::npos ? type : type.substr(slash + 1));
  auto ends = [&](std::string_view suf) {
    return s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (ends("sses")) {
    s.resize(s.size() - 2);
  } else if (ends("ies")) {
    s.resize(s.size() - 3);
    s += 'y';
  } else if (ends("s") && !ends("ss") && !ends("is") && !ends("us")) {
    s.pop_back();
  }
  if (s == "resource_group") s = "rg";
  return s;
}

void AssignSymbols(Plan* plan) {
  std::vector<Entry> entries;
  for (auto& r : plan->resources) {
    std::string name;
    if (r.is_resource_group) {
      name = r.name;
    } else if (r.scope) {
      const PlannedResource& scope = plan->resources[*r.scope];
      std::string own = IsGuid(r.name) ? r.name.substr(0, 8) : r.name;
      name = scope.is_resource_group ? own : scope.name + "_" + own;
    } else {
      name = IsGuid(r.name) ? r.name.substr(0, 8) : r.arm_name;
    }
    // A name that already starts with the type's short name ("rg-web" for a resource group)
    // is not prefixed twice ("rg_web", not "rg_rg_web").
    const std::string type = r.is_resource_group ? "rg" : ShortTypeName(r.type);
    const std::string own = Truncate(SnakeCase(name));
    std::string base = own == type || own.rfind(type + "_", 0) == 0 ? own : type + "_" + own;
    // A group's own name is no qualifier: colliding groups (same name, other subscription or
    // case) get the hash.
    entries.push_back({base, r.is_resource_group ? std::string() : SnakeCase(r.resource_group),
                       r.key, &r.symbol});
  }
  for (auto& p : plan->principals) {
    std::string prefix = p.kind == "service_principal" ? "sp" : p.kind;
    std::string name = p.display_name.empty() ? p.object_id.substr(0, 8) : p.display_name;
    entries.push_back({prefix + "_" + Truncate(SnakeCase(name)), "", p.key, &p.symbol});
  }
  // Round 1: the base; round 2: + resource group; round 3: + hash of the key.
  std::map<std::string, int> count;
  for (const auto& e : entries) ++count[e.base];
  std::vector<std::string> second(entries.size());
  std::map<std::string, int> count2;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    second[i] = count[e.base] == 1 || e.qualifier.empty() || e.qualifier == "x"
                    ? e.base
                    : e.base + "_" + Truncate(e.qualifier);
    ++count2[second[i]];
  }
  // A name from round 2 may equal another entry's round-1 name; count2 covers both.
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string s = count2[second[i]] == 1 ? second[i] : second[i] + "_" + Hash6(entries[i].key);
    if (s.empty() || !std::islower(static_cast<unsigned char>(s[0]))) s = "r_" + s;
    *entries[i].symbol = std::move(s);
  }
}

}  // namespace atg::iac
