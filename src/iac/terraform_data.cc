// The azurerm mappings of Cosmos DB, Service Bus, Event Hubs, Redis, Recovery Services vaults and
// CDN / Front Door profiles: one choose/render pair per ARM type, arguments as the azurerm 4.x
// provider documents them (the table: iac/terraform_types.h).
#include "iac/terraform_arguments.h"

namespace atg::iac::terraform {
namespace {

std::string ChooseCosmos(const MapContext& c, std::string* why) {
  if (ArraySize(c, "properties.locations") == 0) return ViaAzapi(why, "no locations");
  return AzurermType("azurerm_cosmosdb_account");
}
void RenderCosmos(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  std::string_view offer = c.GetString("properties.databaseAccountOfferType");
  w.StringAttribute("offer_type", offer.empty() ? "Standard" : offer);
  std::string_view kind = c.GetString("kind");
  w.StringAttribute("kind", kind.empty() ? "GlobalDocumentDB" : kind);
  c.Attr(w, "automatic_failover_enabled", "properties.enableAutomaticFailover");
  c.Attr(w, "multiple_write_locations_enabled", "properties.enableMultipleWriteLocations");
  c.Attr(w, "is_virtual_network_filter_enabled", "properties.isVirtualNetworkFilterEnabled");
  PublicNetworkAccess(c, w);
  if (c.Has("properties.disableLocalAuth")) {
    w.BoolAttribute("local_authentication_enabled",
                    !c.GetBool("properties.disableLocalAuth", false));
  }
  const std::string cp = "properties.consistencyPolicy";
  w.BeginBlock("consistency_policy");
  std::string_view level = c.GetString(cp + ".defaultConsistencyLevel");
  w.StringAttribute("consistency_level", level.empty() ? "Session" : level);
  if (EqualsIgnoreCase(level, "BoundedStaleness")) {
    c.Attr(w, "max_interval_in_seconds", cp + ".maxIntervalInSeconds");
    c.Attr(w, "max_staleness_prefix", cp + ".maxStalenessPrefix");
  }
  w.EndBlock();
  const size_t n = ArraySize(c, "properties.locations");
  for (size_t i = 0; i < n; ++i) {
    const std::string l = ElementPath("properties.locations", i, "");
    w.BeginBlock("geo_location");
    // ARM reports display names ("North Europe"); azurerm accepts them and normalises.
    c.Attr(w, "location", l + ".locationName");
    c.Attr(w, "failover_priority", l + ".failoverPriority");
    c.Attr(w, "zone_redundant", l + ".isZoneRedundant");
    w.EndBlock();
  }
  const size_t nc = ArraySize(c, "properties.capabilities");
  for (size_t i = 0; i < nc; ++i) {
    w.BeginBlock("capabilities");
    c.Attr(w, "name", ElementPath("properties.capabilities", i, "name"));
    w.EndBlock();
  }
  c.Identity(w);
  c.Tags(w);
}

void RenderServiceBus(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku", "sku.name");
  if (EqualsIgnoreCase(c.GetString("sku.name"), "Premium")) {
    c.Attr(w, "capacity", "sku.capacity");
    c.Attr(w, "premium_messaging_partitions", "properties.premiumMessagingPartitions");
  }
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  if (c.Has("properties.disableLocalAuth")) {
    w.BoolAttribute("local_auth_enabled", !c.GetBool("properties.disableLocalAuth", false));
  }
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

void RenderEventHub(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "capacity", "sku.capacity");
  c.Attr(w, "auto_inflate_enabled", "properties.isAutoInflateEnabled");
  if (c.GetBool("properties.isAutoInflateEnabled", false)) {
    c.Attr(w, "maximum_throughput_units", "properties.maximumThroughputUnits");
  }
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseRedis(const MapContext& c, std::string* why) {
  if (!c.Has("properties.sku.name") || !c.Has("properties.sku.family")) {
    return ViaAzapi(why, "no sku");
  }
  return AzurermType("azurerm_redis_cache");
}
void RenderRedis(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "capacity", "properties.sku.capacity");
  c.Attr(w, "family", "properties.sku.family");
  c.Attr(w, "sku_name", "properties.sku.name");
  c.Attr(w, "non_ssl_port_enabled", "properties.enableNonSslPort");
  c.Attr(w, "minimum_tls_version", "properties.minimumTlsVersion");
  if (auto version = RedisMajorVersion(c.GetString("properties.redisVersion"))) {
    w.StringAttribute("redis_version", *version);
  }
  PublicNetworkAccess(c, w);
  c.Attr(w, "subnet_id", "properties.subnetId");
  if (NonEmptyArray(c, "zones")) c.Attr(w, "zones", "zones");
  c.Identity(w);
  c.Tags(w);
}

void RenderRecoveryVault(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w);
  c.Attr(w, "sku", "sku.name");
  c.Attr(w, "storage_mode_type", "properties.redundancySettings.standardTierStorageRedundancy");
  if (c.Has("properties.redundancySettings.crossRegionRestore")) {
    w.BoolAttribute(
        "cross_region_restore_enabled",
        EqualsIgnoreCase(c.GetString("properties.redundancySettings.crossRegionRestore"),
                         "Enabled"));
  }
  const std::string imm = "properties.securitySettings.immutabilitySettings.state";
  if (c.Has(imm)) c.Attr(w, "immutability", imm);
  PublicNetworkAccess(c, w);
  c.Identity(w);
  c.Tags(w);
}

std::string ChooseCdnProfile(const MapContext& c, std::string* why) {
  std::string_view sku = c.GetString("sku.name");
  if (sku.find("AzureFrontDoor") != std::string_view::npos) {
    return AzurermType("azurerm_cdn_frontdoor_profile");
  }
  return ViaAzapi(why, "classic CDN profiles are retired in azurerm 4");
}
void RenderCdnProfile(MapContext& c, HclWriter& w) {
  NameGroupLocation(c, w, /*location=*/false);
  c.Attr(w, "sku_name", "sku.name");
  c.Attr(w, "response_timeout_seconds", "properties.originResponseTimeoutSeconds");
  c.Identity(w);
  c.Tags(w);
}

}  // namespace

void AddDataAndMessagingMappings(std::vector<TypeMapping>* table) {
  table->insert(
      table->end(),
      {
          {"microsoft.cache/redis", "azurerm_redis_cache", ChooseRedis, RenderRedis},
          {"microsoft.cdn/profiles", "azurerm_cdn_frontdoor_profile", ChooseCdnProfile,
           RenderCdnProfile},
          {"microsoft.documentdb/databaseaccounts", "azurerm_cosmosdb_account", ChooseCosmos,
           RenderCosmos},
          {"microsoft.eventhub/namespaces", "azurerm_eventhub_namespace",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_eventhub_namespace"), RenderEventHub},
          {"microsoft.recoveryservices/vaults", "azurerm_recovery_services_vault",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_recovery_services_vault"), RenderRecoveryVault},
          {"microsoft.servicebus/namespaces", "azurerm_servicebus_namespace",
           ATG_ALWAYS_AZURERM_TYPE("azurerm_servicebus_namespace"), RenderServiceBus},
      });
}

}  // namespace atg::iac::terraform
