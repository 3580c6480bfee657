#include "common/strings.h"
#include "graph/rules/rules.h"

namespace atg::graph {

Result<ArmBody> ArmBody::From(const json::object& body) {
  auto id = FindString(&body, "id");
  if (!id) return Status::InvalidArgument("ARM body has no string 'id'; cannot derive its edges");
  auto parsed = ParseArmId(*id);
  if (!parsed.ok()) return parsed.status();
  ArmBody r;
  r.body = &body;
  r.properties = FindObject(&body, "properties");
  r.key = NormalizeArmId(*id);
  auto type = FindString(&body, "type");
  r.type = ToLower(type && !type->empty() ? *type : std::string_view(parsed->type));
  r.id = std::move(parsed.value());
  return r;
}

}  // namespace atg::graph
