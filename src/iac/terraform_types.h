// The azurerm mapping: for each ARM type the Terraform emitter knows, which azurerm resource it
// becomes and how its arguments come from the planned body. Types without a mapping, and
// resources a mapping cannot express faithfully, are written as azapi_resource instead, so
// every planned resource is emitted and none is emitted wrong.
//
// A mapping reads the body only through a MapContext, which turns every value into the right
// expression: a Terraform reference where the plan has a Reference at that path, `var.<input>`
// where it has an Input, and an escaped literal otherwise. The context records which
// references and inputs a mapping used, so the emitter knows which dependencies are already
// implied and which inputs a mapping left out (a reason to fall back to azapi).
//
// Thread-safety: the mapping table is immutable static data; a MapContext belongs to one thread.
#ifndef ATG_IAC_TERRAFORM_TYPES_H_
#define ATG_IAC_TERRAFORM_TYPES_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "iac/hcl_writer.h"
#include "iac/plan.h"

namespace atg::iac {

// Where a planned resource or principal went in the Terraform configuration.
struct TfAddress {
  std::string type;          // e.g. "azurerm_virtual_network", "azapi_resource", "azuread_user"
  std::string name;          // the plan's symbol
  std::string id_attribute;  // the attribute that holds the ARM id / object id
  std::string Expression() const { return type + "." + name + "." + id_attribute; }
};

// What a mapping needs to know about the rest of the plan, shared by all resources.
struct MapShared {
  const Plan* plan = nullptr;
  std::vector<TfAddress> addresses;  // per Plan::resources index
  // Per resource index: the index of its resource group's entry, when the plan has one.
  std::vector<std::optional<size_t>> resource_group_of;
  // Per resource index: its inputs.
  std::vector<std::vector<const Input*>> inputs_of;
  // Lower-cased source object id -> expression for the object id of an emitted principal.
  std::map<std::string, std::string> principal_object_ids;
};

class MapContext {
 public:
  MapContext(const MapShared& shared, size_t index);

  const PlannedResource& resource() const { return *resource_; }
  const Plan& plan() const { return *shared_.plan; }

  // The value at `path` in the body (graph::ArmIdRef::path syntax), or nullptr.
  const json::value* Get(std::string_view path) const;
  std::string_view GetString(std::string_view path) const;  // "" when absent or not a string
  bool GetBool(std::string_view path, bool fallback) const;
  // True when the body has a non-null value there, or an input is planned there.
  bool Has(std::string_view path) const;

  // The HCL expression for the value at `path`: a reference, `var.x`, or the literal.
  // Precondition: Has(path).
  std::string Expr(std::string_view path);
  // `name = Expr(path)` when Has(path); returns whether it wrote.
  bool Attr(HclWriter& w, std::string_view name, std::string_view path);
  // `name = <value at path>` as an HCL map/list/value with references substituted.
  bool JsonAttr(HclWriter& w, std::string_view name, std::string_view path);
  // The lookup that substitutes references and inputs, for HclWriter::JsonAttribute.
  const ExpressionLookup& lookup() const { return lookup_; }

  // Expressions naming other emitted resources; they count as used references.
  std::string IdOf(size_t target);
  std::string AttributeOf(size_t target, std::string_view attribute);
  // `resource_group_name = ...`: a reference to the group's block when it is emitted.
  void ResourceGroupName(HclWriter& w);
  // `location = ...` when the resource has one.
  void Location(HclWriter& w);
  void Tags(HclWriter& w);
  // An `identity { type, identity_ids }` block from the body's ARM identity, when present.
  void Identity(HclWriter& w);
  // The object id of a principal: a reference to its azuread_* block when emitted, the
  // literal otherwise. `path` holds the source object id in the body.
  std::string PrincipalExpr(std::string_view path);

  // Blocks that belong to this resource but are resources of their own (associations).
  std::string& extra() { return extra_; }
  // Records the import id of an extra block (`address` = "type.name"), for --import.
  void Import(std::string address, std::string id) {
    imports_.emplace_back(std::move(address), std::move(id));
  }
  const std::vector<std::pair<std::string, std::string>>& imports() const { return imports_; }

  // Targets whose references were written, and inputs that were used.
  const std::vector<size_t>& used_targets() const { return used_targets_; }
  bool AllInputsUsed(std::string* missing) const;
  // The inputs planned for this resource.
  const std::vector<const Input*>& inputs() const { return shared_.inputs_of[index_]; }

 private:
  struct Override {
    std::string path;
    std::string expression;
    size_t target = SIZE_MAX;  // SIZE_MAX for an input
    bool used = false;
  };
  Override* FindOverride(std::string_view path);
  void MarkUsed(size_t target);

  const MapShared& shared_;
  size_t index_;
  const PlannedResource* resource_;
  std::vector<Override> overrides_;  // sorted by path
  std::vector<size_t> used_targets_;
  ExpressionLookup lookup_;
  std::string extra_;
  std::vector<std::pair<std::string, std::string>> imports_;
};

struct TypeMapping {
  const char* arm_type;  // lower-cased ARM type
  // What the docs list: the azurerm resource type(s) it maps to, for the report and docs.
  const char* terraform_types;
  // Chooses the azurerm type for this resource, or returns "" with *why set when the resource
  // must go through azapi_resource.
  std::string (*choose)(const MapContext& ctx, std::string* why);
  // Writes the arguments inside the resource block (and any extra blocks into ctx.extra()).
  void (*render)(MapContext& ctx, HclWriter& w);
  // Body paths of the inputs the mapping writes ("[*]" matches any array index); an input
  // anywhere else sends the resource through azapi_resource, so that no input is ever dropped.
  std::vector<std::string_view> input_paths = {};
  const char* id_attribute = "id";
  // The id `terraform import` takes for the main block, when it is not the ARM id.
  std::string (*import_id)(const MapContext& ctx) = nullptr;
};

// The whole table, sorted by arm_type.
const std::vector<TypeMapping>& TerraformTypeMappings();
// Case-insensitive; nullptr when the type has no azurerm mapping.
const TypeMapping* FindTerraformMapping(std::string_view arm_type);

// Parses a body path into its segments: member names and, for "[n]", array indexes; for
// `["key"]` the decoded key. False when the path is malformed.
struct PathSegment {
  std::string key;
  size_t index = 0;
  bool is_index = false;
};
bool ParseBodyPath(std::string_view path, std::vector<PathSegment>* out);

}  // namespace atg::iac

#endif  // ATG_IAC_TERRAFORM_TYPES_H_
