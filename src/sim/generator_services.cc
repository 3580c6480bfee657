// Platform-service units of the generator: web apps, SQL, storage, key vaults, Cosmos DB,
// messaging, Redis and Recovery Services, in the shapes of the recorded ARM responses.
#include <string>
#include <vector>

#include "sim/generator_impl.h"

namespace atg::sim::gen {

void Builder::WebUnit(Rg& rg) {
  const std::string seq = Seq(rg);
  const bool linux = rng_.Percent(60);
  const std::string plan_name = "asp-" + rg.app + "-" + rg.env + "-" + seq;
  json::object plan = Base(rg, "Microsoft.Web/serverFarms", plan_name);
  plan["kind"] = linux ? "linux" : "app";
  static const struct {
    const char* name;
    const char* tier;
    const char* family;
  } kSkus[] = {{"P1v3", "PremiumV3", "Pv3"}, {"S1", "Standard", "S"}, {"B1", "Basic", "B"}};
  const auto& sku = kSkus[rng_.Below(3)];
  plan["sku"] = json::object{{"name", sku.name},
                             {"tier", sku.tier},
                             {"size", sku.name},
                             {"family", sku.family},
                             {"capacity", 1}};
  const std::string plan_id(plan["id"].as_string());
  int sites = rng_.Range(1, 2);
  plan["properties"] = json::object{{"status", "Ready"},
                                    {"maximumNumberOfWorkers", 30},
                                    {"geoRegion", RegionDisplay(rg.location)},
                                    {"numberOfSites", sites},
                                    {"reserved", linux},
                                    {"zoneRedundant", false},
                                    {"provisioningState", "Succeeded"}};
  Emit(std::move(plan));

  const std::string ai_name = "appi-" + rg.app + "-" + rg.env + "-" + seq;
  json::object ai = Base(rg, "Microsoft.Insights/components", ai_name);
  ai["kind"] = "web";
  const std::string ai_id(ai["id"].as_string());
  {
    std::string key = rng_.Guid();
    json::object p;
    p["ApplicationId"] = ai_name;
    p["AppId"] = rng_.Guid();
    p["Application_Type"] = "web";
    p["Flow_Type"] = "Bluefield";
    p["Request_Source"] = "rest";
    p["InstrumentationKey"] = key;
    p["ConnectionString"] = "InstrumentationKey=" + key + ";IngestionEndpoint=https://" +
                            rg.location + "-0.in.applicationinsights.azure.com/";
    p["CreationDate"] = rng_.Timestamp();
    p["TenantId"] = subs_[static_cast<size_t>(rg.sub)].id;
    p["provisioningState"] = "Succeeded";
    p["RetentionInDays"] = 90;
    const std::string& ws = subs_[static_cast<size_t>(rg.sub)].workspace_id;
    if (!ws.empty()) p["WorkspaceResourceId"] = ws;
    p["IngestionMode"] = ws.empty() ? "ApplicationInsights" : "LogAnalytics";
    p["publicNetworkAccessForIngestion"] = "Enabled";
    p["publicNetworkAccessForQuery"] = "Enabled";
    ai["properties"] = std::move(p);
  }
  Emit(std::move(ai));
  Diag(ai_id, rg.sub, 20);

  for (int i = 0; i < sites; ++i) {
    const std::string name = "app-" + rg.app + "-" + rg.env + "-" + Unique();
    const std::string site_id = Id(rg, "Microsoft.Web/sites", name);
    auto site_body = [&](const std::string& id, const std::string& site_name,
                         const std::string& host, const char* type) {
      json::object o;
      o["id"] = id;
      o["name"] = site_name;
      o["type"] = type;
      o["kind"] = linux ? "app,linux" : "app";
      o["location"] = RegionDisplay(rg.location);
      json::object tags;
      // How the portal links a web app to its Application Insights component.
      tags["hidden-link: /app-insights-resource-id"] = ai_id;
      tags["environment"] = rg.env;
      o["tags"] = std::move(tags);
      json::object p;
      p["name"] = site_name;
      p["state"] = "Running";
      p["hostNames"] = json::array{host};
      p["enabledHostNames"] =
          json::array{host, host.substr(0, host.find('.')) + ".scm.azurewebsites.net"};
      p["usageState"] = "Normal";
      p["availabilityState"] = "Normal";
      p["enabled"] = true;
      p["serverFarmId"] = plan_id;
      p["reserved"] = linux;
      p["httpsOnly"] = true;
      p["clientCertEnabled"] = false;
      p["defaultHostName"] = host;
      p["resourceGroup"] = rg.name;
      p["siteConfig"] =
          json::object{{"numberOfWorkers", 1},   {"linuxFxVersion", linux ? "DOTNETCORE|8.0" : ""},
                       {"alwaysOn", true},       {"http20Enabled", true},
                       {"minTlsVersion", "1.2"}, {"ftpsState", "FtpsOnly"}};
      if (!rg.subnet_app.empty()) p["virtualNetworkSubnetId"] = rg.subnet_app;
      p["outboundIpAddresses"] = PublicIp() + "," + PublicIp();
      p["publicNetworkAccess"] = "Enabled";
      p["keyVaultReferenceIdentity"] = "SystemAssigned";
      o["properties"] = std::move(p);
      o["systemData"] = SystemData();
      return o;
    };
    const std::string host = name + ".azurewebsites.net";
    json::object site = site_body(site_id, name, host, "Microsoft.Web/sites");
    Identity mi;
    bool has_mi = rng_.Percent(60);
    if (has_mi) {
      mi = SystemIdentity(site_id, name);
      site["identity"] = IdentityJson(&mi, nullptr);
    }
    Emit(std::move(site));
    rg.site_host = host;
    if (rng_.Percent(40)) {
      // ARM names a slot "{site}/{slot}".
      json::object slot =
          site_body(site_id + "/slots/staging", name + "/staging",
                    name + "-staging.azurewebsites.net", "Microsoft.Web/sites/slots");
      Emit(std::move(slot));
    }
    Diag(site_id, rg.sub, 50);
    if (has_mi && rng_.Percent(60)) {
      Principal p{mi.principal_id, "ServicePrincipal"};
      if (!rg.key_vault_id.empty()) {
        RoleAssignment(rg.key_vault_id, rg.sub, kKeyVaultSecretsUser, p);
      } else {
        RoleAssignment(rg.id, rg.sub, kReader, p);
      }
    }
  }
}

void Builder::SqlUnit(Rg& rg) {
  const std::string name = "sql-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string server_id = Id(rg, "Microsoft.Sql/servers", name);
  const bool use_pe = !rg.subnet_pe.empty() && rng_.Percent(60);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object s = Base(rg, "Microsoft.Sql/servers", name);
  s["kind"] = "v12.0";
  if (rng_.Percent(30)) {
    Identity mi = SystemIdentity(server_id, name);
    s["identity"] = IdentityJson(&mi, nullptr);
  }
  json::object p;
  p["administratorLogin"] = "sqladmin";
  p["version"] = "12.0";
  p["state"] = "Ready";
  p["fullyQualifiedDomainName"] = name + ".database.windows.net";
  p["privateEndpointConnections"] = PrivateEndpointConnections(server_id, pe_id);
  p["minimalTlsVersion"] = "1.2";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["restrictOutboundNetworkAccess"] = "Disabled";
  if (!groups_.empty()) {
    size_t g = rng_.Below(groups_.size());
    p["administrators"] = json::object{{"administratorType", "ActiveDirectory"},
                                       {"principalType", "Group"},
                                       {"login", t_.groups[g].as_object().at("displayName")},
                                       {"sid", groups_[g].id},
                                       {"tenantId", t_.tenant_id},
                                       {"azureADOnlyAuthentication", rng_.Percent(50)}};
  }
  s["properties"] = std::move(p);
  Emit(std::move(s));

  int dbs = rng_.Range(1, 3);
  std::vector<std::string> db_ids;
  for (int i = 0; i < dbs; ++i) {
    std::string db = "sqldb-" + rg.app + "-" + std::to_string(i + 1);
    json::object d;
    d["id"] = server_id + "/databases/" + db;
    d["name"] = db;
    d["type"] = "Microsoft.Sql/servers/databases";
    d["location"] = rg.location;
    bool serverless = rng_.Percent(50);
    json::object sku = serverless
                           ? json::object{{"name", "GP_S_Gen5"},
                                          {"tier", "GeneralPurpose"},
                                          {"family", "Gen5"},
                                          {"capacity", 2}}
                           : json::object{{"name", "S0"}, {"tier", "Standard"}, {"capacity", 10}};
    d["sku"] = sku;
    d["kind"] = serverless ? "v12.0,user,vcore,serverless" : "v12.0,user";
    json::object dp;
    dp["collation"] = "SQL_Latin1_General_CP1_CI_AS";
    dp["maxSizeBytes"] = serverless ? 34359738368LL : 268435456000LL;
    dp["status"] = "Online";
    dp["databaseId"] = rng_.Guid();
    dp["creationDate"] = rng_.Timestamp();
    dp["currentServiceObjectiveName"] = sku.at("name");
    dp["requestedServiceObjectiveName"] = sku.at("name");
    dp["catalogCollation"] = "SQL_Latin1_General_CP1_CI_AS";
    dp["zoneRedundant"] = false;
    dp["readScale"] = "Disabled";
    dp["currentSku"] = sku;
    dp["currentBackupStorageRedundancy"] = "Geo";
    dp["requestedBackupStorageRedundancy"] = "Geo";
    dp["isLedgerOn"] = false;
    d["properties"] = std::move(dp);
    db_ids.push_back(std::string(d["id"].as_string()));
    Emit(std::move(d));
  }
  auto rule = [&](const std::string& rule_name, const std::string& start, const std::string& end) {
    json::object r;
    r["id"] = server_id + "/firewallRules/" + rule_name;
    r["name"] = rule_name;
    r["type"] = "Microsoft.Sql/servers/firewallRules";
    r["properties"] = json::object{{"startIpAddress", start}, {"endIpAddress", end}};
    Emit(std::move(r));
  };
  rule("AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0");
  if (rng_.Percent(50)) rule("office-network", "203.0.113.0", "203.0.113.255");
  if (use_pe) PrivateEndpoint(rg, server_id, name, "sqlServer", "privatelink.database.windows.net");
  Diag(server_id, rg.sub, 30);
  for (const auto& id : db_ids) Diag(id, rg.sub, 50);
}

void Builder::StorageUnit(Rg& rg, bool allow_pe) {
  const std::string name = "st" + rg.app + rg.env + Unique();
  const std::string id = Id(rg, "Microsoft.Storage/storageAccounts", name);
  const bool use_pe = allow_pe && !rg.subnet_pe.empty() && rng_.Percent(50);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object o = Base(rg, "Microsoft.Storage/storageAccounts", name);
  o["kind"] = "StorageV2";
  static const char* kSkus[] = {"Standard_LRS", "Standard_GRS", "Standard_ZRS", "Standard_RAGRS"};
  o["sku"] = json::object{{"name", kSkus[rng_.Below(4)]}, {"tier", "Standard"}};
  if (rng_.Percent(20)) {
    Identity mi = SystemIdentity(id, name);
    o["identity"] = IdentityJson(&mi, nullptr);
  }
  std::string created = rng_.Timestamp();
  json::object p;
  p["dnsEndpointType"] = "Standard";
  p["defaultToOAuthAuthentication"] = false;
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["keyCreationTime"] = json::object{{"key1", created}, {"key2", created}};
  p["allowCrossTenantReplication"] = false;
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  p["minimumTlsVersion"] = "TLS1_2";
  p["allowBlobPublicAccess"] = false;
  p["allowSharedKeyAccess"] = rng_.Percent(60);
  p["isHnsEnabled"] = rng_.Percent(20);
  json::array vnet_rules;
  if (!rg.subnet_app.empty() && !use_pe && rng_.Percent(40)) {
    vnet_rules.emplace_back(
        json::object{{"id", rg.subnet_app}, {"action", "Allow"}, {"state", "Succeeded"}});
  }
  bool restricted = !vnet_rules.empty() || use_pe;
  p["networkAcls"] = json::object{{"bypass", "AzureServices"},
                                  {"virtualNetworkRules", std::move(vnet_rules)},
                                  {"ipRules", json::array()},
                                  {"defaultAction", restricted ? "Deny" : "Allow"}};
  p["supportsHttpsTrafficOnly"] = true;
  json::object enc{{"keyType", "Account"}, {"enabled", true}, {"lastEnabledTime", created}};
  p["encryption"] = json::object{{"services", json::object{{"file", enc}, {"blob", enc}}},
                                 {"keySource", "Microsoft.Storage"},
                                 {"requireInfrastructureEncryption", false}};
  p["accessTier"] = "Hot";
  p["provisioningState"] = "Succeeded";
  p["creationTime"] = created;
  json::object ep;
  for (const char* svc : {"dfs", "web", "blob", "queue", "table", "file"}) {
    ep[svc] = "https://" + name + "." + svc + ".core.windows.net/";
  }
  p["primaryEndpoints"] = std::move(ep);
  p["primaryLocation"] = rg.location;
  p["statusOfPrimary"] = "available";
  o["properties"] = std::move(p);
  Emit(std::move(o));
  rg.storage_id = id;
  if (use_pe) PrivateEndpoint(rg, id, name, "blob", "privatelink.blob.core.windows.net");
  Diag(id, rg.sub, 40);
}

void Builder::KeyVaultUnit(Rg& rg, bool allow_pe) {
  const std::string name = "kv-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string id = Id(rg, "Microsoft.KeyVault/vaults", name);
  const bool use_pe = allow_pe && !rg.subnet_pe.empty() && rng_.Percent(50);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  const bool rbac = rng_.Percent(60);
  json::object o = Base(rg, "Microsoft.KeyVault/vaults", name);
  json::object p;
  p["sku"] = json::object{{"family", "A"}, {"name", rng_.Percent(80) ? "standard" : "premium"}};
  p["tenantId"] = t_.tenant_id;
  json::array policies;
  if (!rbac) {
    int n = rng_.Range(1, 3);
    for (int i = 0; i < n; ++i) {
      const Principal* who = AnyPrincipal();
      if (!who) break;
      policies.emplace_back(json::object{
          {"tenantId", t_.tenant_id},
          {"objectId", who->id},
          {"permissions", json::object{{"keys", json::array{"get", "list"}},
                                       {"secrets", json::array{"get", "list"}},
                                       {"certificates", json::array{"get", "list"}}}}});
    }
  }
  p["accessPolicies"] = std::move(policies);
  p["enabledForDeployment"] = false;
  p["enabledForDiskEncryption"] = rng_.Percent(20);
  p["enabledForTemplateDeployment"] = false;
  p["enableSoftDelete"] = true;
  p["softDeleteRetentionInDays"] = 90;
  p["enableRbacAuthorization"] = rbac;
  if (rng_.Percent(50)) p["enablePurgeProtection"] = true;
  p["vaultUri"] = "https://" + name + ".vault.azure.net/";
  p["provisioningState"] = "Succeeded";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  o["properties"] = std::move(p);
  Emit(std::move(o));
  rg.key_vault_id = id;
  if (use_pe) PrivateEndpoint(rg, id, name, "vault", "privatelink.vaultcore.azure.net");
  Diag(id, rg.sub, 80);
  if (rbac) {
    if (const Principal* who = GroupOrUser()) {
      RoleAssignment(id, rg.sub, kKeyVaultAdministrator, *who);
    }
    if (rng_.Percent(50)) {
      if (const Principal* who = AnyPrincipal()) {
        RoleAssignment(id, rg.sub, kKeyVaultSecretsUser, *who);
      }
    }
  }
}

void Builder::CosmosUnit(Rg& rg) {
  const std::string name = "cosmos-" + rg.app + "-" + rg.env + "-" + Unique();
  const std::string id = Id(rg, "Microsoft.DocumentDB/databaseAccounts", name);
  const bool use_pe = !rg.subnet_pe.empty() && rng_.Percent(60);
  const std::string pe_id = use_pe ? PlannedPrivateEndpointId(rg, name) : "";
  json::object o = Base(rg, "Microsoft.DocumentDB/databaseAccounts", name);
  o["kind"] = "GlobalDocumentDB";
  if (rng_.Percent(30)) {
    Identity mi = SystemIdentity(id, name);
    o["identity"] = IdentityJson(&mi, nullptr);
  }
  const std::string display = RegionDisplay(rg.location);
  const std::string endpoint = "https://" + name + "-" + rg.location + ".documents.azure.com:443/";
  json::object loc{{"id", name + "-" + rg.location}, {"locationName", display},
                   {"documentEndpoint", endpoint},   {"provisioningState", "Succeeded"},
                   {"failoverPriority", 0},          {"isZoneRedundant", false}};
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["documentEndpoint"] = "https://" + name + ".documents.azure.com:443/";
  p["publicNetworkAccess"] = use_pe ? "Disabled" : "Enabled";
  p["enableAutomaticFailover"] = false;
  p["enableMultipleWriteLocations"] = false;
  p["isVirtualNetworkFilterEnabled"] = false;
  p["virtualNetworkRules"] = json::array();
  p["databaseAccountOfferType"] = "Standard";
  p["disableKeyBasedMetadataWriteAccess"] = false;
  p["consistencyPolicy"] = json::object{{"defaultConsistencyLevel", "Session"},
                                        {"maxIntervalInSeconds", 5},
                                        {"maxStalenessPrefix", 100}};
  p["locations"] = json::array{loc};
  p["writeLocations"] = json::array{loc};
  p["readLocations"] = json::array{loc};
  p["failoverPolicies"] = json::array{json::object{
      {"id", name + "-" + rg.location}, {"locationName", display}, {"failoverPriority", 0}}};
  p["capabilities"] = json::array();
  p["ipRules"] = json::array();
  p["backupPolicy"] =
      json::object{{"type", "Periodic"},
                   {"periodicModeProperties", json::object{{"backupIntervalInMinutes", 240},
                                                           {"backupRetentionIntervalInHours", 8},
                                                           {"backupStorageRedundancy", "Geo"}}}};
  p["privateEndpointConnections"] = PrivateEndpointConnections(id, pe_id);
  p["minimalTlsVersion"] = "Tls12";
  p["disableLocalAuth"] = false;
  p["createMode"] = "Default";
  p["instanceId"] = rng_.Guid();
  o["properties"] = std::move(p);
  Emit(std::move(o));
  if (use_pe) PrivateEndpoint(rg, id, name, "Sql", "privatelink.documents.azure.com");
  Diag(id, rg.sub, 60);
}

void Builder::MessagingUnit(Rg& rg, bool service_bus) {
  const std::string name =
      (service_bus ? "sb-" : "evhns-") + rg.app + "-" + rg.env + "-" + Unique();
  const char* type =
      service_bus ? "Microsoft.ServiceBus/namespaces" : "Microsoft.EventHub/namespaces";
  json::object o = Base(rg, type, name);
  const std::string id(o["id"].as_string());
  o["sku"] = service_bus
                 ? json::object{{"name", "Standard"}, {"tier", "Standard"}}
                 : json::object{{"name", "Standard"}, {"tier", "Standard"}, {"capacity", 1}};
  std::string when = rng_.Timestamp();
  json::object p;
  p["minimumTlsVersion"] = "1.2";
  p["provisioningState"] = "Succeeded";
  p["status"] = "Active";
  p["createdAt"] = when;
  p["updatedAt"] = when;
  p["serviceBusEndpoint"] = "https://" + name + ".servicebus.windows.net:443/";
  p["metricId"] = subs_[static_cast<size_t>(rg.sub)].id + ":" + name;
  p["zoneRedundant"] = false;
  p["disableLocalAuth"] = false;
  p["publicNetworkAccess"] = "Enabled";
  p["privateEndpointConnections"] = json::array();
  if (!service_bus) {
    p["kafkaEnabled"] = true;
    p["isAutoInflateEnabled"] = false;
    p["maximumThroughputUnits"] = 0;
  }
  o["properties"] = std::move(p);
  Emit(std::move(o));
  Diag(id, rg.sub, 70);
}

void Builder::RedisUnit(Rg& rg) {
  const std::string name = "redis-" + rg.app + "-" + rg.env + "-" + Unique();
  json::object o = Base(rg, "Microsoft.Cache/Redis", name);
  const std::string id(o["id"].as_string());
  json::object p;
  p["provisioningState"] = "Succeeded";
  p["redisVersion"] = "6.0";
  p["sku"] = json::object{{"name", "Standard"}, {"family", "C"}, {"capacity", 1}};
  p["enableNonSslPort"] = false;
  p["minimumTlsVersion"] = "1.2";
  p["publicNetworkAccess"] = "Enabled";
  p["redisConfiguration"] = json::object{{"maxclients", "1000"},
                                         {"maxmemory-reserved", "125"},
                                         {"maxfragmentationmemory-reserved", "125"},
                                         {"maxmemory-delta", "125"}};
  p["accessKeys"] = nullptr;
  p["hostName"] = name + ".redis.cache.windows.net";
  p["port"] = 6379;
  p["sslPort"] = 6380;
  p["linkedServers"] = json::array();
  p["instances"] = json::array{json::object{{"sslPort", 15000}, {"isMaster", true}},
                               json::object{{"sslPort", 15001}, {"isMaster", false}}};
  p["privateEndpointConnections"] = json::array();
  o["properties"] = std::move(p);
  Emit(std::move(o));
  Diag(id, rg.sub, 50);
}

void Builder::RecoveryVaultUnit(Rg& rg) {
  const std::string name = "rsv-" + rg.app + "-" + rg.env + "-" + Seq(rg);
  json::object o = Base(rg, "Microsoft.RecoveryServices/vaults", name);
  const std::string id(o["id"].as_string());
  o["etag"] = "W/\"datetime'" + rng_.Timestamp() + "'\"";
  o["sku"] = json::object{{"name", "RS0"}, {"tier", "Standard"}};
  o["properties"] = json::object{
      {"provisioningState", "Succeeded"},
      {"privateEndpointStateForBackup", "None"},
      {"privateEndpointStateForSiteRecovery", "None"},
      {"publicNetworkAccess", "Enabled"},
      {"redundancySettings", json::object{{"standardTierStorageRedundancy", "GeoRedundant"},
                                          {"crossRegionRestore", "Disabled"}}},
      {"securitySettings",
       json::object{{"immutabilitySettings", json::object{{"state", "Disabled"}}},
                    {"softDeleteSettings", json::object{{"softDeleteState", "Enabled"},
                                                        {"softDeleteRetentionPeriodInDays", 14}}}}},
      {"secureScore", "None"}};
  Emit(std::move(o));
  Diag(id, rg.sub, 60);
}

}  // namespace atg::sim::gen
