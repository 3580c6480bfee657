#include "iac/schema_fit.h"

#include <gtest/gtest.h>

#include "iac/api_version.h"
#include "iac/azure_schema.h"
#include "sim/catalog.h"

namespace atg::iac {
namespace {

// A small extract in the format scripts/extract_azure_schemas.py writes: a "widget" type whose
// body has a read-only property, a closed and an open enum, tags (a map), an integer with
// bounds and a discriminated "rule".
constexpr char kExtract[] = R"({"format": 1, "source": "test",
"resources": {
"microsoft.test/widgets": {"versions": {"2019-01-01": null, "2023-01-01": 0, "2024-01-01": 0,
                                        "2025-01-01-preview": 0}},
"microsoft.test/previews": {"versions": {"2021-01-01-preview": 0, "2022-01-01-preview": 0}}},
"names": ["name", "location", "tags", "sku", "properties", "kind", "tier", "state", "count",
          "mode", "rules", "type", "port", "path", "readOnlyThing", "id"],
"nodes": [
["o", [0, 1, 1, 1, 1, 0, 2, 2, 0, 3, 3, 0, 4, 4, 0, 5, 1, 0]],
["s"],
["o", [], 1],
["o", [6, 1, 2, 0, 1, 0]],
["o", [7, 5, 0, 8, 8, 0, 9, 6, 0, 10, 9, 0, 14, 1, 2, 15, 1, 0]],
["u", [10, 11]],
["u", [7, 12, 1]],
["l", "Get"],
["i", 1, 10],
["a", 13],
["l", "Enabled"],
["l", "Disabled"],
["l", "x"],
["d", "type", [], {"Tcp": 14, "Http": 15}],
["o", [11, 1, 0, 12, 16, 0]],
["o", [11, 1, 0, 13, 1, 0]],
["i"]
]})";

const AzureSchemas& Schemas() {
  static const auto* s = AzureSchemas::Parse(kExtract)->release();
  return *s;
}

json::object Parse(const char* text) { return json::parse(text).as_object(); }

TEST(SchemaFit, RemovesReadOnlyUnknownAndEmptyAndRespellsEnums) {
  const SchemaNode* schema = Schemas().Body("Microsoft.Test/widgets", "2024-01-01");
  ASSERT_NE(schema, nullptr);
  json::object body = Parse(R"({
    "sku": {"name": "Standard", "tier": "Standard"},
    "kind": "",
    "managedBy": "",
    "extendedThing": {"a": 1},
    "tags": {"env": "", "owner": "ops"},
    "properties": {"State": "enabled", "mode": "custom", "count": 0, "readOnlyThing": "x",
                   "provisioningState": "Succeeded", "id": null,
                   "rules": [{"type": "tcp", "port": "8080"}, {"type": "Http", "path": "/"},
                             {"type": "Udp"}]}})");
  FitResult r = FitBody(*schema, &body);
  EXPECT_EQ(json::serialize(body),
            R"({"sku":{"name":"Standard"},"tags":{"env":"","owner":"ops"},)"
            R"("properties":{"state":"Enabled","mode":"custom",)"
            R"("rules":[{"type":"Tcp","port":8080},{"type":"Http","path":"/"}]}})");
  EXPECT_EQ(r.read_only_removed, 2u);  // sku.tier, readOnlyThing
  EXPECT_EQ(r.unknown_removed,
            (std::vector<std::string>{"extendedThing", "properties.provisioningState"}));
  EXPECT_GE(r.renamed, 3u);          // State, enabled, tcp
  EXPECT_EQ(r.invalid_removed, 2u);  // count 0 (bounds 1..10), the Udp rule
  EXPECT_GE(r.empty_removed, 3u);    // kind "", managedBy "" (not even in the schema), id null
}

TEST(ApiVersion, NewestStableBothKnowThenFallbacks) {
  const AzureSchemas& s = Schemas();
  // Shared: the newest stable one both know, not the tenant's newer unknown one.
  ApiVersionPick p =
      PickApiVersion("microsoft.test/widgets", {"2023-01-01", "2026-01-01"}, "2020-01-01", s);
  EXPECT_EQ(p.version, "2023-01-01");
  EXPECT_TRUE(p.shared);
  EXPECT_NE(p.schema, nullptr);
  // Nothing shared: the newest known not newer than the tenant's newest.
  p = PickApiVersion("microsoft.test/widgets", {"2023-06-01"}, "", s);
  EXPECT_EQ(p.version, "2023-01-01");
  EXPECT_FALSE(p.shared);
  // The tenant said nothing: the newest stable known.
  p = PickApiVersion("microsoft.test/widgets", {}, "2019-01-01", s);
  EXPECT_EQ(p.version, "2024-01-01");
  // Previews only when nothing stable is shared.
  p = PickApiVersion("microsoft.test/previews", {"2022-01-01-preview"}, "", s);
  EXPECT_EQ(p.version, "2022-01-01-preview");
  // Types the schemas do not list keep the tenant's newest stable version.
  p = PickApiVersion("microsoft.other/things", {"2021-01-01", "2022-01-01-preview"}, "x", s);
  EXPECT_EQ(p.version, "2021-01-01");
  EXPECT_FALSE(p.schema_known);
  EXPECT_EQ(p.schema, nullptr);
}

TEST(AzureSchemasTest, TheEmbeddedExtractKnowsEverySimulatedType) {
  const AzureSchemas& s = AzureSchemas::Embedded();
  for (const sim::ResourceTypeInfo& t : sim::ResourceTypeCatalog()) {
    ASSERT_TRUE(s.Knows(t.type)) << t.type;
    ApiVersionPick p = PickApiVersion(t.type, t.api_versions, "", s);
    EXPECT_NE(p.schema, nullptr) << t.type << "@" << p.version;
  }
  EXPECT_TRUE(s.Knows("Microsoft.Resources/resourceGroups"));
  EXPECT_FALSE(AzureSchemas::Parse("{\"format\": 2}").ok());
}

}  // namespace
}  // namespace atg::iac
