#include "iac/azure_schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "common/json.h"
#include "common/strings.h"

namespace atg::iac {

// The text of src/iac/data/azure_schemas.json (generated into the build tree by
// cmake/embed.cmake).
extern const std::string_view kAzureSchemasJson;

namespace {

Status Bad(std::string_view what) {
  return Status::InvalidArgument("the Azure schema extract is malformed: " + std::string(what));
}

std::optional<int64_t> OptInt(const json::array& a, size_t i) {
  if (i >= a.size() || !a[i].is_number()) return std::nullopt;
  return a[i].to_number<int64_t>();
}

}  // namespace

const SchemaNode::Property* SchemaNode::FindProperty(std::string_view name) const {
  auto it = std::lower_bound(properties.begin(), properties.end(), name,
                             [](const Property& p, std::string_view n) { return p.name < n; });
  if (it != properties.end() && it->name == name) return &*it;
  for (const Property& p : properties) {
    if (EqualsIgnoreCase(p.name, name)) return &p;
  }
  return nullptr;
}

bool SchemaNode::IsClosedEnum() const {
  if (kind == Kind::kLiteral) return true;
  if (kind != Kind::kUnion || members.empty()) return false;
  return std::all_of(members.begin(), members.end(),
                     [](const SchemaNode* m) { return m->kind == Kind::kLiteral; });
}

std::vector<std::string_view> SchemaNode::Literals() const {
  std::vector<std::string_view> out;
  if (kind == Kind::kLiteral) out.push_back(text);
  if (kind == Kind::kUnion) {
    for (const SchemaNode* m : members) {
      if (m->kind == Kind::kLiteral) out.push_back(m->text);
    }
  }
  return out;
}

const AzureSchemas& AzureSchemas::Embedded() {
  static const AzureSchemas* const kEmbedded = [] {
    auto parsed = Parse(kAzureSchemasJson);
    if (!parsed.ok()) {
      std::fprintf(stderr, "atg: %s\n", parsed.status().message().c_str());
      std::abort();
    }
    return parsed->release();
  }();
  return *kEmbedded;
}

Result<std::unique_ptr<AzureSchemas>> AzureSchemas::Parse(std::string_view json_text) {
  auto doc = ParseJson(json_text);
  if (!doc.ok()) return Bad(doc.status().message());
  const json::object* root = doc->if_object();
  if (!root || FindInt(root, "format").value_or(0) != 1) return Bad("not format 1");
  const json::array* names = FindArray(root, "names");
  const json::array* nodes = FindArray(root, "nodes");
  const json::object* resources = FindObject(root, "resources");
  if (!names || !nodes || !resources) return Bad("names, nodes or resources missing");

  std::unique_ptr<AzureSchemas> s(new AzureSchemas());
  s->names_.reserve(names->size());  // views into it stay valid: it never grows again
  for (const auto& n : *names) {
    if (!n.is_string()) return Bad("a name is not a string");
    s->names_.emplace_back(n.as_string());
  }
  s->nodes_.reserve(nodes->size());
  for (size_t i = 0; i < nodes->size(); ++i) s->nodes_.push_back(std::make_unique<SchemaNode>());
  auto node = [&](const json::value& v) -> const SchemaNode* {
    if (!v.is_number()) return nullptr;
    auto i = v.to_number<int64_t>();
    return i >= 0 && static_cast<size_t>(i) < s->nodes_.size() ? s->nodes_[i].get() : nullptr;
  };
  // A flat [name, node, flags, ...] list of properties, sorted by name.
  auto triples = [&](const json::value& v, std::vector<SchemaNode::Property>* out) -> bool {
    const json::array* a = v.if_array();
    if (!a || a->size() % 3 != 0) return false;
    for (size_t k = 0; k < a->size(); k += 3) {
      SchemaNode::Property p;
      if (!(*a)[k].is_number()) return false;
      auto name = (*a)[k].to_number<int64_t>();
      if (name < 0 || static_cast<size_t>(name) >= s->names_.size()) return false;
      p.name = s->names_[name];
      p.type = node((*a)[k + 1]);
      if (!p.type || !(*a)[k + 2].is_number()) return false;
      p.flags = static_cast<uint8_t>((*a)[k + 2].to_number<int64_t>());
      out->push_back(p);
    }
    std::sort(out->begin(), out->end(),
              [](const auto& x, const auto& y) { return x.name < y.name; });
    return true;
  };
  for (size_t i = 0; i < nodes->size(); ++i) {
    const json::array* a = (*nodes)[i].if_array();
    if (!a || a->empty() || !(*a)[0].is_string()) return Bad("node " + std::to_string(i));
    SchemaNode& n = *s->nodes_[i];
    const std::string_view kind = (*a)[0].as_string();
    bool ok = true;
    if (kind == "s") {
      n.kind = SchemaNode::Kind::kString;
      n.min = OptInt(*a, 1);
      n.max = OptInt(*a, 2);
      if (a->size() > 3 && (*a)[3].is_string()) n.text = std::string((*a)[3].as_string());
      n.sensitive = a->size() > 4 && (*a)[4].is_bool() && (*a)[4].as_bool();
    } else if (kind == "l") {
      n.kind = SchemaNode::Kind::kLiteral;
      ok = a->size() == 2 && (*a)[1].is_string();
      if (ok) n.text = std::string((*a)[1].as_string());
    } else if (kind == "u") {
      n.kind = SchemaNode::Kind::kUnion;
      const json::array* m = a->size() == 2 ? (*a)[1].if_array() : nullptr;
      ok = m != nullptr;
      for (size_t k = 0; ok && k < m->size(); ++k) {
        n.members.push_back(node((*m)[k]));
        ok = n.members.back() != nullptr;
      }
    } else if (kind == "o") {
      n.kind = SchemaNode::Kind::kObject;
      ok = a->size() >= 2 && triples((*a)[1], &n.properties);
      if (ok && a->size() > 2) ok = (n.additional = node((*a)[2])) != nullptr;
    } else if (kind == "d") {
      n.kind = SchemaNode::Kind::kDiscriminated;
      const json::object* v = a->size() == 4 ? (*a)[3].if_object() : nullptr;
      ok = v && (*a)[1].is_string() && triples((*a)[2], &n.properties);
      if (ok) {
        n.text = std::string((*a)[1].as_string());
        for (const auto& kv : *v) {
          n.variants.emplace_back(std::string(kv.key()), node(kv.value()));
          ok = ok && n.variants.back().second != nullptr;
        }
      }
    } else if (kind == "a") {
      n.kind = SchemaNode::Kind::kArray;
      ok = a->size() >= 2 && (n.additional = node((*a)[1])) != nullptr;
      n.min = OptInt(*a, 2);
      n.max = OptInt(*a, 3);
    } else if (kind == "i") {
      n.kind = SchemaNode::Kind::kInteger;
      n.min = OptInt(*a, 1);
      n.max = OptInt(*a, 2);
    } else if (kind == "b") {
      n.kind = SchemaNode::Kind::kBool;
    } else if (kind == "n") {
      n.kind = SchemaNode::Kind::kAny;
    } else {
      ok = false;
    }
    if (!ok) return Bad("node " + std::to_string(i) + " (" + std::string(kind) + ")");
  }
  for (const auto& kv : *resources) {
    const json::object* versions = FindObject(kv.value().if_object(), "versions");
    if (!versions) return Bad("resource " + std::string(kv.key()));
    Resource r;
    for (const auto& v : *versions) {
      r.versions.emplace_back(v.key());
      if (v.value().is_null()) continue;
      const SchemaNode* body = node(v.value());
      if (!body) return Bad("resource " + std::string(kv.key()) + " " + std::string(v.key()));
      r.bodies.emplace(std::string(v.key()), body);
    }
    std::sort(r.versions.begin(), r.versions.end());
    s->resources_.emplace(ToLower(kv.key()), std::move(r));
  }
  return s;
}

const std::vector<std::string>* AzureSchemas::Versions(std::string_view type) const {
  auto it = resources_.find(ToLower(type));
  return it == resources_.end() ? nullptr : &it->second.versions;
}

const SchemaNode* AzureSchemas::Body(std::string_view type, std::string_view api_version) const {
  auto it = resources_.find(ToLower(type));
  if (it == resources_.end()) return nullptr;
  auto b = it->second.bodies.find(api_version);
  return b == it->second.bodies.end() ? nullptr : b->second;
}

}  // namespace atg::iac
