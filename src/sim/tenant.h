// The simulated tenant: the ground truth that `atg simulate` serves and that tests compare a
// scan against. Its JSON form is the tenant file of DESIGN.md §3.5 (`--tenant-file`,
// `--dump-tenant`).
//
// Every resource is a full ARM body, keyed by its id. Child resources (subnets, VM extensions,
// SQL databases, ...) and extension resources (role assignments, diagnostic settings) are
// entries of their own.
//
// Thread-safety: a Tenant is built once and then only read; concurrent reads are safe.
#ifndef ATG_SIM_TENANT_H_
#define ATG_SIM_TENANT_H_

#include <cstdint>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace atg::sim {

struct Tenant {
  std::string tenant_id;
  json::array subscriptions;       // {"subscriptionId","displayName","state","tags"?}
  json::array resource_groups;     // {"id","name","location","tags"?,"managedBy"?}
  json::array resources;           // full ARM bodies, each with "id","name","type"
  json::array users;               // Microsoft Graph user objects
  json::array groups;              // Microsoft Graph group objects plus "members": [object ids]
  json::array service_principals;  // Microsoft Graph servicePrincipal objects

  friend bool operator==(const Tenant&, const Tenant&) = default;
};

// Validates and converts a tenant document. Errors name the JSON path of the first problem,
// e.g. "$.resources[12].id: required string is missing".
//
// What is checked: `tenant_id` is a GUID; `subscriptions`, `resource_groups` and `resources` are
// present (`users`, `groups` and `service_principals` may be left out and then are empty) and no
// other top-level field exists; every entry is an object with its required fields of the right
// JSON kind; subscription and directory object ids are GUIDs; resource group and resource ids
// are well-formed ARM ids (common/arm_id.h, below a subscription GUID) that agree with the entry's
// name and type; ids are unique (ARM ids case-insensitively); every resource's subscription and
// resource group exist; a child resource's parent and an extension resource's scope exist; group
// members name existing users, groups or service principals. Resource types need not be in the
// catalog.
Result<Tenant> TenantFromJson(const json::value& doc);
// The same, moving the arrays out of `doc` instead of copying them (for large files).
Result<Tenant> TenantFromJson(json::value&& doc);
// Reads, parses and validates a tenant file; errors start with the file's path.
Result<Tenant> LoadTenantFile(const std::string& path);

// The document form of `tenant`, fields in the order of DESIGN.md §3.5.
json::value TenantToJson(const Tenant& tenant);
// Writes the tenant file without building the whole document in memory: one entry per line,
// written through a temporary file renamed into place. The output is a deterministic function
// of `tenant`, and for a tenant that TenantFromJson accepts (every generated one is),
// LoadTenantFile(path) yields a Tenant equal to `tenant`.
Status DumpTenantFile(const Tenant& tenant, const std::string& path);

}  // namespace atg::sim

#endif  // ATG_SIM_TENANT_H_
