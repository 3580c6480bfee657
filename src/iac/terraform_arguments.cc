#include "iac/terraform_arguments.h"

#include <utility>

#include "common/strings.h"

namespace atg::iac::terraform {

std::string ElementPath(std::string_view a, size_t i, std::string_view b) {
  std::string s(a);
  s.push_back('[');
  s.append(std::to_string(i));
  s.push_back(']');
  if (!b.empty()) {
    s.push_back('.');
    s.append(b);
  }
  return s;
}

size_t ArraySize(const MapContext& c, std::string_view path) {
  const json::value* v = c.Get(path);
  return v && v->is_array() ? v->get_array().size() : 0;
}

bool NonEmptyArray(const MapContext& c, std::string_view path) { return ArraySize(c, path) > 0; }

void PositiveAttr(MapContext& c, HclWriter& w, std::string_view name, std::string_view path) {
  const json::value* v = c.Get(path);
  if (v && v->is_number() && v->to_number<double>() >= 1) c.Attr(w, name, path);
}

bool NonEmptyObject(const MapContext& c, std::string_view path) {
  const json::value* v = c.Get(path);
  return v && v->is_object() && !v->get_object().empty();
}

void NameGroupLocation(MapContext& c, HclWriter& w, bool location) {
  w.StringAttribute("name", c.resource().name);
  c.ResourceGroupName(w);
  if (location) c.Location(w);
}

std::string ParentName(MapContext& c) {
  if (c.resource().parent) return c.AttributeOf(*c.resource().parent, "name");
  const std::vector<std::string>& names = c.resource().names;
  return HclString(names.empty() ? std::string() : names.front());
}
std::string ParentId(MapContext& c) {
  if (c.resource().parent) return c.IdOf(*c.resource().parent);
  return HclString(c.resource().parent_id);
}
std::string ScopeId(MapContext& c) {
  if (c.resource().scope) return c.IdOf(*c.resource().scope);
  const std::string& scope = c.resource().parent_id;
  return HclString(scope.empty() ? std::string_view("/") : std::string_view(scope));
}

std::string ExprList(MapContext& c, std::string_view path, std::string_view field) {
  std::string out = "[";
  const size_t n = ArraySize(c, path);
  for (size_t i = 0; i < n; ++i) {
    if (i) out.append(", ");
    out.append(c.Expr(ElementPath(path, i, field)));
  }
  out.push_back(']');
  return out;
}

std::string AzurermType(const char* type) { return type; }

std::string ViaAzapi(std::string* why, std::string reason) {
  *why = std::move(reason);
  return "";
}

void PublicNetworkAccess(MapContext& c, HclWriter& w, std::string_view path) {
  std::string_view v = c.GetString(path);
  if (!v.empty()) w.BoolAttribute("public_network_access_enabled", EqualsIgnoreCase(v, "Enabled"));
}

}  // namespace atg::iac::terraform
