#include "iac/schema_fit.h"

#include <charconv>
#include <cmath>

#include "common/strings.h"

namespace atg::iac {
namespace {

using Kind = SchemaNode::Kind;

enum class Verdict { kKeep, kRemove };

bool IsEmpty(const json::value& v) {
  return v.is_null() || (v.is_string() && v.get_string().empty()) ||
         (v.is_object() && v.get_object().empty()) || (v.is_array() && v.get_array().empty());
}

class Fitter {
 public:
  explicit Fitter(FitResult* r) : r_(r) {}

  // Fits `v` (at `path`) to `n`; kRemove when the value cannot stay.
  Verdict Fit(const SchemaNode& n, json::value& v, std::string& path, bool map_value = false) {
    if (v.is_null()) {
      ++r_->empty_removed;
      return Verdict::kRemove;
    }
    switch (n.kind) {
      case Kind::kAny:
        return Verdict::kKeep;
      case Kind::kObject:
      case Kind::kDiscriminated:
        return FitObject(n, v, path);
      case Kind::kArray:
        return FitArray(n, v, path);
      case Kind::kString:
        return FitString(n, v, map_value);
      case Kind::kLiteral:
      case Kind::kUnion:
        return FitUnion(n, v, path, map_value);
      case Kind::kInteger:
        return FitInteger(n, v);
      case Kind::kBool:
        return FitBool(v);
    }
    return Verdict::kKeep;
  }

  Verdict FitObject(const SchemaNode& n, json::value& v, std::string& path, bool root = false) {
    json::object* o = v.if_object();
    if (!o) return Invalid();
    if (o->empty()) return Verdict::kKeep;  // {} as Azure wrote it (e.g. extension settings)
    // A discriminated object: the variant named by the discriminator adds its properties.
    const SchemaNode* variant = nullptr;
    if (n.kind == Kind::kDiscriminated) {
      json::value* d = nullptr;
      for (auto& kv : *o) {
        if (EqualsIgnoreCase(kv.key(), n.text)) d = &kv.value();
      }
      if (d && d->is_string()) {
        for (const auto& [name, node] : n.variants) {
          if (!EqualsIgnoreCase(name, d->get_string())) continue;
          variant = node;
          if (name != d->get_string()) {  // the validator looks the variant up as written
            *d = name;
            ++r_->renamed;
          }
        }
      }
      // No variant: nothing a deployment would accept (the root keeps its base properties).
      if (!variant && !root) return Invalid();
    }
    json::object fitted;
    fitted.reserve(o->size());
    for (auto& kv : *o) {
      const size_t len = path.size();
      if (!path.empty()) path.push_back('.');
      path.append(kv.key());
      const SchemaNode::Property* p = n.FindProperty(kv.key());
      if (!p && variant) p = variant->FindProperty(kv.key());
      if (p) {
        if (p->read_only() && !p->required()) {
          ++r_->read_only_removed;
        } else {
          if (p->name != kv.key()) ++r_->renamed;
          Verdict verdict = Fit(*p->type, kv.value(), path);
          if (verdict == Verdict::kKeep || p->required()) {
            fitted[p->name] = std::move(kv.value());
          }
        }
      } else if (n.kind == Kind::kObject && n.additional) {
        if (Fit(*n.additional, kv.value(), path, /*map_value=*/true) == Verdict::kKeep) {
          fitted[kv.key()] = std::move(kv.value());
        }
      } else if (IsEmpty(kv.value())) {
        ++r_->empty_removed;  // Resource Graph's blank columns ("kind": "", "managedBy": "")
      } else {
        r_->unknown_removed.push_back(path);
      }
      path.resize(len);
    }
    *o = std::move(fitted);
    if (o->empty()) {
      ++r_->empty_removed;
      return Verdict::kRemove;
    }
    return Verdict::kKeep;
  }

  Verdict FitArray(const SchemaNode& n, json::value& v, std::string& path) {
    json::array* a = v.if_array();
    if (!a) return Invalid();
    json::array fitted;
    const size_t len = path.size();
    for (auto& e : *a) {
      path.append("[" + std::to_string(fitted.size()) + "]");
      if (!n.additional || Fit(*n.additional, e, path) == Verdict::kKeep) {
        fitted.push_back(std::move(e));
      }
      path.resize(len);
    }
    *a = std::move(fitted);
    const auto size = static_cast<int64_t>(a->size());
    if ((n.min && size < *n.min) || (n.max && size > *n.max)) return Invalid();
    return Verdict::kKeep;
  }

  Verdict FitString(const SchemaNode& n, json::value& v, bool map_value) {
    if (v.is_int64() || v.is_uint64()) {
      v = v.is_int64() ? std::to_string(v.get_int64()) : std::to_string(v.get_uint64());
    } else if (v.is_bool()) {
      v = v.get_bool() ? "true" : "false";
    } else if (!v.is_string()) {
      return Invalid();
    }
    if (v.get_string().empty() && !map_value) {
      ++r_->empty_removed;
      return Verdict::kRemove;
    }
    const auto size = static_cast<int64_t>(v.get_string().size());
    if ((n.min && size < *n.min) || (n.max && size > *n.max)) return Invalid();
    return Verdict::kKeep;
  }

  Verdict FitUnion(const SchemaNode& n, json::value& v, std::string& path, bool map_value) {
    if (v.is_string()) {
      if (v.get_string().empty() && !map_value) {
        ++r_->empty_removed;
        return Verdict::kRemove;
      }
      for (std::string_view lit : n.Literals()) {
        if (lit == v.get_string()) return Verdict::kKeep;
      }
      for (std::string_view lit : n.Literals()) {
        if (EqualsIgnoreCase(lit, v.get_string())) {
          v = lit;
          ++r_->renamed;
          return Verdict::kKeep;
        }
      }
    }
    if (n.kind == Kind::kLiteral) return Invalid();
    // Any other member whose kind the value has (an open string, an object shape, ...).
    for (const SchemaNode* m : n.members) {
      const bool fits =
          (m->kind == Kind::kString && v.is_string()) ||
          (m->kind == Kind::kInteger && v.is_number()) || (m->kind == Kind::kBool && v.is_bool()) ||
          ((m->kind == Kind::kObject || m->kind == Kind::kDiscriminated) && v.is_object()) ||
          (m->kind == Kind::kArray && v.is_array()) || m->kind == Kind::kAny;
      if (fits) return Fit(*m, v, path, map_value);
    }
    return Invalid();
  }

  Verdict FitInteger(const SchemaNode& n, json::value& v) {
    int64_t i = 0;
    if (v.is_int64()) {
      i = v.get_int64();
    } else if (v.is_uint64()) {
      if (v.get_uint64() > static_cast<uint64_t>(INT64_MAX)) return Invalid();
      i = static_cast<int64_t>(v.get_uint64());
    } else if (v.is_double()) {
      // azapi does not check fractional numbers (bicep-types models some floats as integers).
      return Verdict::kKeep;
    } else if (v.is_string()) {
      std::string_view s = v.get_string();
      auto res = std::from_chars(s.data(), s.data() + s.size(), i);
      if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return Invalid();
      v = i;
    } else {
      return Invalid();
    }
    if ((n.min && i < *n.min) || (n.max && i > *n.max)) return Invalid();
    return Verdict::kKeep;
  }

  Verdict FitBool(json::value& v) {
    if (v.is_bool()) return Verdict::kKeep;
    if (v.is_string() &&
        (EqualsIgnoreCase(v.get_string(), "true") || EqualsIgnoreCase(v.get_string(), "false"))) {
      v = EqualsIgnoreCase(v.get_string(), "true");
      return Verdict::kKeep;
    }
    return Invalid();
  }

 private:
  Verdict Invalid() {
    ++r_->invalid_removed;
    return Verdict::kRemove;
  }

  FitResult* r_;
};

}  // namespace

FitResult FitBody(const SchemaNode& schema, json::object* body) {
  FitResult r;
  Fitter f(&r);
  json::value v(std::move(*body));
  std::string path;
  // The root is never removed, even when everything in it was.
  f.FitObject(schema, v, path, /*root=*/true);
  *body = std::move(v.as_object());
  return r;
}

void FitNotes::Add(std::string_view type, std::string_view api_version, const FitResult& r) {
  ++fitted_;
  totals_.read_only_removed += r.read_only_removed;
  totals_.renamed += r.renamed;
  totals_.empty_removed += r.empty_removed;
  totals_.invalid_removed += r.invalid_removed;
  if (r.unknown_removed.empty()) return;
  auto& paths = unknown_[std::string(type) + "@" + std::string(api_version)];
  for (const std::string& p : r.unknown_removed) {
    std::string folded;
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i] == '[' && i + 1 < p.size() && p[i + 1] >= '0' && p[i + 1] <= '9') {
        size_t close = p.find(']', i);
        if (close != std::string::npos) {
          folded.append("[*]");
          i = close;
          continue;
        }
      }
      folded.push_back(p[i]);
    }
    ++paths[folded];
  }
}

void FitNotes::NotFitted(std::string_view type, std::string_view api_version, bool listed) {
  ++not_fitted_[std::string(type) + "@" + std::string(api_version) +
                (listed ? "" : " (type not in the embedded schemas)")];
}

std::vector<std::string> FitNotes::Lines() const {
  std::vector<std::string> out;
  if (fitted_ > 0) {
    out.push_back(std::to_string(fitted_) +
                  " resource bodies were fitted to the Azure schema of their api-version: " +
                  std::to_string(totals_.read_only_removed) + " read-only properties removed, " +
                  std::to_string(totals_.empty_removed) + " empty values removed, " +
                  std::to_string(totals_.renamed) + " names or enum values respelled, " +
                  std::to_string(totals_.invalid_removed) + " invalid values removed");
  }
  for (const auto& [what, paths] : unknown_) {
    std::string line = "properties the schema of " + what + " does not define were removed:";
    bool first = true;
    for (const auto& [path, n] : paths) {
      line += (first ? " " : ", ") + path + " (" + std::to_string(n) + ")";
      first = false;
    }
    out.push_back(std::move(line));
  }
  for (const auto& [what, n] : not_fitted_) {
    out.push_back(std::to_string(n) + " x " + what +
                  ": written without a schema to fit the body to (read-only rules only)");
  }
  return out;
}

}  // namespace atg::iac
