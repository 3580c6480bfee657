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
};

// Validates and converts a tenant document. Errors name the JSON path of the first problem,
// e.g. "$.resources[12].id: required string is missing".
Result<Tenant> TenantFromJson(const json::value& doc);
Result<Tenant> LoadTenantFile(const std::string& path);

json::value TenantToJson(const Tenant& tenant);
Status DumpTenantFile(const Tenant& tenant, const std::string& path);

}  // namespace atg::sim

#endif  // ATG_SIM_TENANT_H_
