// The Azure resource schemas that the generated IaC is fitted to: the bicep-types schemas the
// azapi Terraform provider embeds and validates every `body` against, in the compact extract
// src/iac/data/azure_schemas.json (made by scripts/extract_azure_schemas.py from the provider's
// sources, compiled into the binary). For each listed resource type it knows every api-version
// the provider knows, and the body schema of each recent stable one.
//
// Thread-safety: AzureSchemas::Embedded() is built once (thread-safe static) and immutable;
// every method is const and safe from any thread. Nodes live as long as their AzureSchemas.
#ifndef ATG_IAC_AZURE_SCHEMA_H_
#define ATG_IAC_AZURE_SCHEMA_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg::iac {

// One node of a schema graph (graphs are cyclic: a subnet's security group lists subnets).
struct SchemaNode {
  enum class Kind {
    kString,
    kLiteral,
    kUnion,
    kObject,
    kDiscriminated,
    kArray,
    kInteger,
    kBool,
    kAny
  };
  // Property flags, as bicep-types writes them.
  static constexpr uint8_t kRequired = 1;
  static constexpr uint8_t kReadOnly = 2;
  static constexpr uint8_t kWriteOnly = 4;
  static constexpr uint8_t kDeployTimeConstant = 8;

  struct Property {
    std::string_view name;
    const SchemaNode* type = nullptr;
    uint8_t flags = 0;
    bool required() const { return flags & kRequired; }
    bool read_only() const { return flags & kReadOnly; }
  };

  Kind kind = Kind::kAny;
  // kLiteral: the value; kString: the pattern (RE2 syntax, "" for none); kDiscriminated: the
  // discriminator property.
  std::string text;
  // kString / kArray: length bounds; kInteger: value bounds.
  std::optional<int64_t> min, max;
  bool sensitive = false;                  // kString: a secret (passwords, keys)
  std::vector<const SchemaNode*> members;  // kUnion
  std::vector<Property> properties;        // kObject, kDiscriminated (base): sorted by name
  // kObject: the type of properties not listed (maps such as tags), nullptr when none may be
  // added; kArray: the item type.
  const SchemaNode* additional = nullptr;
  // kDiscriminated: discriminator value -> the object of that variant.
  std::vector<std::pair<std::string, const SchemaNode*>> variants;

  // The listed property called `name` (exact, then case-insensitive), or nullptr.
  const Property* FindProperty(std::string_view name) const;
  // kLiteral, or a kUnion whose members are all literals: a closed set of strings.
  bool IsClosedEnum() const;
  // The literal values of a kLiteral or kUnion (empty for other kinds).
  std::vector<std::string_view> Literals() const;
};

class AzureSchemas {
 public:
  // The extract compiled into atg. Aborts the process if it does not parse (a build defect).
  static const AzureSchemas& Embedded();
  // Parses an extract in the format scripts/extract_azure_schemas.py writes (for tests).
  static Result<std::unique_ptr<AzureSchemas>> Parse(std::string_view json_text);

  // Every api-version the provider knows for `type` (ARM type, any case), ascending; nullptr
  // when the extract does not list the type.
  const std::vector<std::string>* Versions(std::string_view type) const;
  // The body schema (a kObject or kDiscriminated node: name, location, tags, sku, properties,
  // ...) of `type` at `api_version`; nullptr when the extract has none for that pair.
  const SchemaNode* Body(std::string_view type, std::string_view api_version) const;
  // True when the extract lists `type` (its versions are known, whether or not a schema is).
  bool Knows(std::string_view type) const { return Versions(type) != nullptr; }

  AzureSchemas(const AzureSchemas&) = delete;
  AzureSchemas& operator=(const AzureSchemas&) = delete;

 private:
  AzureSchemas() = default;
  struct Resource {
    std::vector<std::string> versions;
    std::map<std::string, const SchemaNode*, std::less<>> bodies;
  };
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<SchemaNode>> nodes_;
  std::map<std::string, Resource, std::less<>> resources_;  // by lower-cased type
};

}  // namespace atg::iac

#endif  // ATG_IAC_AZURE_SCHEMA_H_
