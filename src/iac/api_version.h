// Which api-version a planned resource is written with. A deployment needs a version that the
// target's resource provider serves, and the azapi provider validates bodies only for versions
// its schemas know; so, per resource type, the plan takes the newest stable version that both
// the scanned tenant's providers offer and the schemas (iac/azure_schema.h) know:
//  1. the newest stable version in both lists; when they share no stable version, the newest
//     preview they share (types that only ever shipped previews: diagnostic settings);
//  2. when they share none (the tenant reported only versions newer than the provider's
//     schemas), the newest stable version the schemas know that is not newer than the
//     tenant's newest, else the schemas' oldest stable one: Azure keeps serving old versions,
//     and a known one is validated; when the tenant reported nothing for the type (the scan
//     kept no list), the newest stable version the schemas know;
//  3. a type the schemas do not list keeps the tenant's newest stable version.
//
// Thread-safety: pure function.
#ifndef ATG_IAC_API_VERSION_H_
#define ATG_IAC_API_VERSION_H_

#include <string>
#include <string_view>
#include <vector>

#include "iac/azure_schema.h"

namespace atg::iac {

struct ApiVersionPick {
  std::string version;
  // The body schema of `version`, nullptr when the extract has none (type not listed, or a
  // version older than the extract's schemas): the body is then not fitted.
  const SchemaNode* schema = nullptr;
  bool schema_known = false;  // the schemas list the type (so azapi validates it)
  bool shared = false;        // `version` is one the tenant reported (rule 1)
};

// `tenant_versions`: every version the tenant's providers offer for `type` (any order, may be
// empty); `fallback`: the version to use when that list is empty and the schemas do not know
// the type (the scanner's default for the provider).
ApiVersionPick PickApiVersion(std::string_view type,
                              const std::vector<std::string>& tenant_versions,
                              std::string_view fallback, const AzureSchemas& schemas);

// True for "2021-05-01-preview", "2020-01-01-beta" and other non-GA versions.
bool IsPreviewApiVersion(std::string_view version);

}  // namespace atg::iac

#endif  // ATG_IAC_API_VERSION_H_
