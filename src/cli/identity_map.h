// The --identity-map file of `atg generate-iac`: which target-tenant object id replaces each
// source Entra object id. A JSON object whose members are either source id -> target id, or
// sections ("users", "groups", "service_principals", "managed_identities", any name) holding
// such members:
//   {"users": {"<source object id>": "<target object id>"}, "<source id>": "<target id>"}
// Ids are GUIDs; source ids are compared case-insensitively.
//
// Thread-safety: reentrant.
#ifndef ATG_CLI_IDENTITY_MAP_H_
#define ATG_CLI_IDENTITY_MAP_H_

#include <map>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace atg::cli {

// Parses a document; errors name the JSON path ("$.users[\"abc\"]: ...") and say what is
// expected. A source id mapped twice to different targets is an error.
Result<std::map<std::string, std::string>> ParseIdentityMap(const json::value& doc);

// Reads and parses the file; errors start with its path.
Result<std::map<std::string, std::string>> LoadIdentityMap(const std::string& path);

}  // namespace atg::cli

#endif  // ATG_CLI_IDENTITY_MAP_H_
