#include "iac/bicep_writer.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace atg::iac {
namespace {

// Words the Bicep grammar gives meaning to; as keys they are quoted to stay unambiguous.
constexpr std::array<std::string_view, 22> kKeywords = {
    "as",       "assert",   "existing",    "extends",  "extension", "false", "for",    "func",
    "if",       "import",   "in",          "metadata", "module",    "null",  "output", "param",
    "provider", "resource", "targetScope", "true",     "type",      "var"};

void Indent(std::string& out, int levels) { out.append(static_cast<size_t>(levels) * 2, ' '); }

void AppendDouble(std::string& out, double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) {
    out += std::to_string(static_cast<long long>(d));
    return;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  out += "json('";
  out += buf;
  out += "')";
}

}  // namespace

void AppendBicepString(std::string& out, std::string_view s) {
  out += '\'';
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '$':
        out += (i + 1 < s.size() && s[i + 1] == '{') ? "\\$" : "$";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[12];
          std::snprintf(buf, sizeof buf, "\\u{%X}", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '\'';
}

std::string BicepString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendBicepString(out, s);
  return out;
}

bool IsBicepIdentifier(std::string_view s) {
  if (s.empty()) return false;
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!alpha(s[0])) return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9')) return false;
  }
  for (std::string_view k : kKeywords) {
    if (s == k) return false;
  }
  return true;
}

namespace {

// Keywords are fine as property names (`type: 'SystemAssigned'`), literal words are quoted.
bool IsBareKey(std::string_view k) {
  if (k == "true" || k == "false" || k == "null") return false;
  if (IsBicepIdentifier(k)) return true;
  for (std::string_view kw : kKeywords) {
    if (k == kw) return true;
  }
  return false;
}

}  // namespace

std::string BicepKey(std::string_view key) {
  return IsBareKey(key) ? std::string(key) : BicepString(key);
}

void AppendBicepValue(std::string& out, const json::value& v, int indent,
                      const BicepOverrides* overrides) {
  if (overrides && !overrides->values.empty()) {
    auto it = overrides->values.find(&v);
    if (it != overrides->values.end()) {
      out += it->second;
      return;
    }
  }
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case json::kind::double_:
      AppendDouble(out, v.get_double());
      return;
    case json::kind::string: {
      const auto& s = v.get_string();
      AppendBicepString(out, std::string_view(s.data(), s.size()));
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (const auto& e : a) {
        Indent(out, indent + 1);
        AppendBicepValue(out, e, indent + 1, overrides);
        out += '\n';
      }
      Indent(out, indent);
      out += ']';
      return;
    }
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      for (const auto& kv : o) {
        Indent(out, indent + 1);
        const std::string* key = nullptr;
        if (overrides && !overrides->keys.empty()) {
          auto it = overrides->keys.find(&kv.value());
          if (it != overrides->keys.end()) key = &it->second;
        }
        if (key) {
          out += *key;
        } else {
          std::string_view k(kv.key().data(), kv.key().size());
          if (IsBareKey(k)) {
            out.append(k);
          } else {
            AppendBicepString(out, k);
          }
        }
        out += ": ";
        AppendBicepValue(out, kv.value(), indent + 1, overrides);
        out += '\n';
      }
      Indent(out, indent);
      out += '}';
      return;
    }
  }
}

}  // namespace atg::iac
