// MapContext and body paths (declared in iac/terraform_types.h).
#include <algorithm>

#include "common/strings.h"
#include "iac/terraform_types.h"

namespace atg::iac {

bool ParseBodyPath(std::string_view path, std::vector<PathSegment>* out) {
  out->clear();
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      if (out->empty()) return false;
      ++i;
    }
    if (i < path.size() && path[i] == '[') {
      if (i + 1 < path.size() && path[i + 1] == '"') {
        // A JSON string key: find its closing quote, honouring escapes.
        size_t j = i + 2;
        while (j < path.size() && path[j] != '"') j += path[j] == '\\' ? 2 : 1;
        if (j + 1 >= path.size() || path[j + 1] != ']') return false;
        auto parsed = ParseJson(path.substr(i + 1, j - i));
        if (!parsed.ok() || !parsed.value().is_string()) return false;
        PathSegment seg;
        seg.key = std::string(parsed.value().get_string());
        out->push_back(std::move(seg));
        i = j + 2;
        continue;
      }
      size_t j = path.find(']', i);
      if (j == std::string_view::npos || j == i + 1) return false;
      PathSegment seg;
      seg.is_index = true;
      for (size_t k = i + 1; k < j; ++k) {
        if (path[k] < '0' || path[k] > '9') return false;
        seg.index = seg.index * 10 + static_cast<size_t>(path[k] - '0');
      }
      out->push_back(std::move(seg));
      i = j + 1;
      continue;
    }
    size_t j = i;
    while (j < path.size() && path[j] != '.' && path[j] != '[') ++j;
    if (j == i) return false;
    PathSegment seg;
    seg.key = std::string(path.substr(i, j - i));
    out->push_back(std::move(seg));
    i = j;
  }
  return !out->empty();
}

MapContext::MapContext(const MapShared& shared, size_t index)
    : shared_(shared), index_(index), resource_(&shared.plan->resources[index]) {
  const PlannedResource& r = *resource_;
  for (const Reference& ref : r.references) {
    // Only dependencies the plan kept become references: a reference it dropped to break a
    // cycle stays a literal id, or Terraform would see the cycle.
    if (ref.target == index_ || ref.target >= shared.addresses.size() ||
        !std::binary_search(r.depends_on.begin(), r.depends_on.end(), ref.target)) {
      continue;
    }
    Override o;
    o.path = ref.path;
    o.target = ref.target;
    const std::string target = shared.addresses[ref.target].Expression();
    if (ref.suffix.empty()) {
      o.expression = target;
    } else {
      o.expression = "\"${" + target + "}";
      AppendHclTemplateText(&o.expression, ref.suffix);
      o.expression.push_back('"');
    }
    overrides_.push_back(std::move(o));
  }
  for (const Input* input : shared.inputs_of[index]) {
    Override o;
    o.path = input->path;
    o.expression = "var." + input->name;
    overrides_.push_back(std::move(o));
  }
  std::stable_sort(overrides_.begin(), overrides_.end(),
                   [](const Override& a, const Override& b) { return a.path < b.path; });
  lookup_ = [this](std::string_view path) -> const std::string* {
    Override* o = FindOverride(path);
    if (!o) return nullptr;
    o->used = true;
    if (o->target != SIZE_MAX) MarkUsed(o->target);
    return &o->expression;
  };
}

MapContext::Override* MapContext::FindOverride(std::string_view path) {
  auto it = std::lower_bound(overrides_.begin(), overrides_.end(), path,
                             [](const Override& o, std::string_view p) { return o.path < p; });
  if (it == overrides_.end() || it->path != path) return nullptr;
  return &*it;
}

void MapContext::MarkUsed(size_t target) {
  auto it = std::lower_bound(used_targets_.begin(), used_targets_.end(), target);
  if (it == used_targets_.end() || *it != target) used_targets_.insert(it, target);
}

const json::value* MapContext::Get(std::string_view path) const {
  std::vector<PathSegment> segs;
  if (!ParseBodyPath(path, &segs)) return nullptr;
  const json::value* v = nullptr;
  const json::object* obj = &resource_->body;
  for (const PathSegment& seg : segs) {
    if (seg.is_index) {
      if (!v || !v->is_array() || seg.index >= v->get_array().size()) return nullptr;
      v = &v->get_array()[seg.index];
    } else {
      if (v) obj = v->if_object();
      if (!obj) return nullptr;
      v = obj->if_contains(seg.key);
      if (!v) return nullptr;
    }
    obj = nullptr;
  }
  return v;
}

std::string_view MapContext::GetString(std::string_view path) const {
  const json::value* v = Get(path);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

bool MapContext::GetBool(std::string_view path, bool fallback) const {
  const json::value* v = Get(path);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

bool MapContext::Has(std::string_view path) const {
  const json::value* v = Get(path);
  if (v && !v->is_null()) return true;
  auto it = std::lower_bound(overrides_.begin(), overrides_.end(), path,
                             [](const Override& o, std::string_view p) { return o.path < p; });
  return it != overrides_.end() && it->path == path;
}

std::string MapContext::Expr(std::string_view path) {
  if (const std::string* e = lookup_(path)) return *e;
  const json::value* v = Get(path);
  if (!v) return "null";
  std::string out;
  HclWriter w(&out);
  std::string p(path);
  w.AppendValue(*v, &lookup_, &p);
  return out;
}

bool MapContext::Attr(HclWriter& w, std::string_view name, std::string_view path) {
  if (!Has(path)) return false;
  if (const std::string* e = lookup_(path)) {
    w.Attribute(name, *e);
    return true;
  }
  w.JsonAttribute(name, *Get(path), &lookup_, path);
  return true;
}

bool MapContext::JsonAttr(HclWriter& w, std::string_view name, std::string_view path) {
  return Attr(w, name, path);
}

std::string MapContext::IdOf(size_t target) { return AttributeOf(target, ""); }

std::string MapContext::AttributeOf(size_t target, std::string_view attribute) {
  MarkUsed(target);
  const TfAddress& a = shared_.addresses[target];
  if (attribute.empty()) return a.Expression();
  return a.type + "." + a.name + "." + std::string(attribute);
}

void MapContext::ResourceGroupName(HclWriter& w) {
  const auto& rg = shared_.resource_group_of[index_];
  if (rg) {
    w.Attribute("resource_group_name", AttributeOf(*rg, "name"));
  } else {
    w.StringAttribute("resource_group_name", resource_->resource_group);
  }
}

void MapContext::Location(HclWriter& w) {
  if (!resource_->location.empty()) w.StringAttribute("location", resource_->location);
}

void MapContext::Tags(HclWriter& w) {
  const json::value* tags = Get("tags");
  if (tags && tags->is_object() && !tags->get_object().empty()) Attr(w, "tags", "tags");
}

void MapContext::Identity(HclWriter& w) {
  std::string_view type = GetString("identity.type");
  if (type.empty() || EqualsIgnoreCase(type, "None")) return;
  w.BeginBlock("identity");
  // ARM writes "SystemAssigned,UserAssigned"; azurerm wants "SystemAssigned, UserAssigned".
  const bool system = type.find("SystemAssigned") != std::string_view::npos;
  const bool user = type.find("UserAssigned") != std::string_view::npos;
  w.StringAttribute("type", system && user ? "SystemAssigned, UserAssigned"
                            : user         ? "UserAssigned"
                                           : "SystemAssigned");
  const json::value* ids = Get("identity.userAssignedIdentities");
  if (user && ids && ids->is_object()) {
    std::string list = "[";
    bool first = true;
    for (const auto& kv : ids->get_object()) {
      if (!first) list.append(", ");
      first = false;
      const std::string path =
          "identity.userAssignedIdentities[" + json::serialize(json::value(kv.key())) + "]";
      if (const std::string* e = lookup_(path)) {
        list.append(*e);
      } else {
        AppendHclString(&list, kv.key());
      }
    }
    list.push_back(']');
    w.Attribute("identity_ids", list);
  }
  w.EndBlock();
}

std::string MapContext::PrincipalExpr(std::string_view path) {
  if (const std::string* e = lookup_(path)) return *e;
  std::string id(GetString(path));
  std::string lower = id;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto it = shared_.principal_object_ids.find(lower);
  if (it != shared_.principal_object_ids.end()) return it->second;
  return HclString(id);
}

bool MapContext::AllInputsUsed(std::string* missing) const {
  for (const Override& o : overrides_) {
    if (o.target == SIZE_MAX && !o.used) {
      *missing = o.path;
      return false;
    }
  }
  return true;
}

}  // namespace atg::iac
