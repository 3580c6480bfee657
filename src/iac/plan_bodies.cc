#include "iac/plan_bodies.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "common/arm_id.h"
#include "common/arm_types.h"
#include "common/strings.h"
#include "iac/api_version.h"
#include "iac/azure_schema.h"
#include "iac/compute_rules.h"
#include "iac/readonly_rules.h"
#include "iac/secret_rules.h"

namespace atg::iac {
namespace {

// The top-level fields of an ARM body that a deployment sets.
constexpr std::string_view kDeployableFields[] = {
    "sku",   "kind",      "identity",         "plan",       "tags",
    "zones", "managedBy", "extendedLocation", "properties",
};

}  // namespace

BodyStage::BodyStage(const PlanGraph& graph) : graph_(graph) {}

Status BodyStage::Prepare(Candidate* c) {
  if (c->prepared) return Status::Ok();
  c->prepared = true;
  auto parsed = c->node.Properties();
  if (!parsed.ok()) return parsed.status();
  json::object full = parsed->is_object() ? std::move(parsed->as_object()) : json::object{};
  // The id keeps Azure's casing of the type; Resource Graph lower-cases body.type.
  auto id = ParseArmId(c->node.original_id);
  auto t = FindString(&full, "type");
  if (id.ok() && EqualsIgnoreCase(id->type, c->node.type)) {
    c->type = id->type;
  } else if (t && !t->empty()) {
    c->type = std::string(*t);
  } else {
    c->type = c->node.type;
  }
  for (std::string_view f : kDeployableFields) {
    if (auto* v = full.if_contains(f); v != nullptr && !v->is_null()) c->body[f] = std::move(*v);
  }
  RemoveReadOnly(c->node.type, &c->body);
  const AzureSchemas& schemas = AzureSchemas::Embedded();
  const ApiVersionPick pick = PickApiVersion(c->type, graph_.TenantApiVersions(c->node.type),
                                             DefaultApiVersion(c->node.type), schemas);
  c->api_version = pick.version;
  if (pick.schema) {
    const SchemaNode::Property* location = pick.schema->FindProperty("location");
    c->location_settable = location && !location->read_only();
    fit_notes_.Add(c->type, pick.version, FitBody(*pick.schema, &c->body));
  } else {
    fit_notes_.NotFitted(c->type, pick.version, pick.schema_known);
  }
  std::vector<std::string> compute_notes;
  c->public_inputs = ShapeCompute(c->node.type, &c->body, &compute_notes);
  for (const std::string& n : compute_notes) {
    shape_notes_.push_back(c->node.original_id + ": " + n);
  }
  c->secrets = ExtractSecrets(c->node.type, &c->body);
  CollectRawRefs(c->body, &c->refs);
  return Status::Ok();
}

std::vector<std::string> BodyStage::Notes() const {
  std::vector<std::string> out = fit_notes_.Lines();
  std::vector<std::string> shape = shape_notes_;
  std::sort(shape.begin(), shape.end());
  out.insert(out.end(), shape.begin(), shape.end());
  return out;
}

void RemoveInlinedChildren(Candidate* c, const std::function<bool(const std::string&)>& emitted) {
  for (const ChildList* cl : ChildListsOf(c->node.type)) {
    if (cl->inlined_property.empty()) continue;
    json::object* props =
        c->body.if_contains("properties") != nullptr ? c->body["properties"].if_object() : nullptr;
    if (props == nullptr) continue;
    json::value* arr = props->if_contains(cl->inlined_property);
    if (arr == nullptr || !arr->is_array()) continue;
    json::array rest;
    for (auto& e : arr->as_array()) {
      auto id = FindString(e.if_object(), "id");
      if (id && emitted(NormalizeArmId(*id))) continue;
      rest.push_back(std::move(e));
    }
    if (rest.empty()) {
      props->erase(cl->inlined_property);
    } else {
      *arr = std::move(rest);
    }
    c->refs.clear();
    CollectRawRefs(c->body, &c->refs);
  }
}

}  // namespace atg::iac
