// The azurerm mapping table by area: each iac/terraform_<area>.cc appends its rows; the table
// (iac/terraform_types.h TerraformTypeMappings) is their union, sorted by ARM type.
//
// Thread-safety: called once, under the table's static initialisation.
#ifndef ATG_IAC_TERRAFORM_AREAS_H_
#define ATG_IAC_TERRAFORM_AREAS_H_

#include <vector>

#include "iac/terraform_types.h"

namespace atg::iac::terraform {

// Resource groups, role assignments and role definitions (Microsoft.Resources,
// Microsoft.Authorization).
void AddResourcesMappings(std::vector<TypeMapping>* table);

// Virtual networks, subnets, interfaces, security groups and rules, public IPs, firewalls, private
// endpoints and DNS zones, network watchers, route tables (Microsoft.Network).
void AddNetworkMappings(std::vector<TypeMapping>* table);

// Virtual machines (with data disk attachments), their extensions, managed disks, availability sets
// (Microsoft.Compute).
void AddComputeMappings(std::vector<TypeMapping>* table);

// Storage accounts (Microsoft.Storage) and key vaults (Microsoft.KeyVault).
void AddStorageMappings(std::vector<TypeMapping>* table);

// Service plans, web apps and their slots (Microsoft.Web).
void AddWebMappings(std::vector<TypeMapping>* table);

// SQL servers, databases and firewall rules (Microsoft.Sql).
void AddSqlMappings(std::vector<TypeMapping>* table);

// Kubernetes clusters, container registries and container groups.
void AddContainerMappings(std::vector<TypeMapping>* table);

// Log Analytics workspaces, Application Insights, diagnostic settings
// (Microsoft.OperationalInsights, Microsoft.Insights) and user-assigned identities
// (Microsoft.ManagedIdentity).
void AddMonitoringMappings(std::vector<TypeMapping>* table);

// Cosmos DB, Service Bus, Event Hubs, Redis, Recovery Services vaults and CDN / Front Door
// profiles.
void AddDataAndMessagingMappings(std::vector<TypeMapping>* table);

}  // namespace atg::iac::terraform

#endif  // ATG_IAC_TERRAFORM_AREAS_H_
