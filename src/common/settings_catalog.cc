#include "common/settings_catalog.h"

#include <algorithm>
#include <array>

namespace atg {
namespace {

using S = SettingScope;

// Sorted by name (the unit test checks it). Defaults and meanings follow docs/configuration.md,
// docs/operations/README.md and docs/client.md, which describe each variable in full.
constexpr std::array kCatalog = std::to_array<SettingSpec>({
    {"ATG_API_KEY", S::kClient, "", true, "", "API key the client presents to the service"},
    {"ATG_API_KEYS", S::kServer, "", true, "api-keys", "comma-separated API keys"},
    {"ATG_API_KEYS_FILE", S::kServer, "", false, "api-keys", "file with one API key per line"},
    {"ATG_ARM_ENDPOINT", S::kAzure, "https://management.azure.com", false, "",
     "Azure Resource Manager and Resource Graph endpoint"},
    {"ATG_ARTIFACT_BLOB_ACCOUNT", S::kServer, "", false, "", "storage account of the artifacts"},
    {"ATG_ARTIFACT_BLOB_CONTAINER", S::kServer, "artifacts", false, "",
     "blob container of the artifacts"},
    {"ATG_ARTIFACT_BLOB_ENDPOINT", S::kServer, "", false, "",
     "keep artifacts in Azure Blob Storage at this endpoint instead of ATG_DATA_DIR"},
    {"ATG_ARTIFACT_BLOB_KEY", S::kServer, "", true, "", "storage account key of the artifacts"},
    {"ATG_ARTIFACT_TTL_DAYS", S::kServer, "7", false, "", "days an artifact is kept; 0 forever"},
    {"ATG_AUDIT_LOG_FILE", S::kServer, "<ATG_DATA_DIR>/audit.log", false, "",
     "audit trail file; - for stderr"},
    {"ATG_BACKUP_BLOB_URL", S::kGeneral, "", false, "",
     "blob container or prefix URL `atg backup` and `backup prune` use when given no location"},
    {"ATG_BACKUP_DIR", S::kGeneral, "", false, "",
     "directory `atg backup` and `backup prune` use when given no location"},
    {"ATG_DATA_DIR", S::kGeneral, "$XDG_DATA_HOME/atg", false, "",
     "embedded graph and job stores, artifacts, audit log"},
    {"ATG_FALLBACK_TO_LOCAL", S::kClient, "false", false, "",
     "run locally when the service cannot be reached"},
    {"ATG_GRAPH_ENDPOINT", S::kAzure, "https://graph.microsoft.com", false, "",
     "Microsoft Graph endpoint"},
    {"ATG_GRAPH_HISTORY", S::kGeneral, "5", false, "", "complete scans kept per tenant"},
    {"ATG_IDLE_TIMEOUT_SECONDS", S::kServer, "30", false, "",
     "seconds a keep-alive connection may wait for its next request"},
    {"ATG_IMDS_ENDPOINT", S::kAzure, "http://169.254.169.254", false, "",
     "Instance Metadata Service endpoint"},
    {"ATG_JOB_DB_START_FRESH", S::kServer, "false", false, "",
     "move a damaged SQLite job database aside and start with an empty one"},
    {"ATG_JOB_LEASE_SECONDS", S::kServer, "30", false, "",
     "seconds before a dead worker's job is picked up again"},
    {"ATG_JOB_POLL_INTERVAL", S::kClient, "5", false, "", "seconds between job status polls"},
    {"ATG_JOB_RETENTION_DAYS", S::kServer, "30", false, "",
     "days a finished job is kept; 0 forever"},
    {"ATG_JOB_TIMEOUT_SECONDS", S::kServer, "21600", false, "",
     "a job running longer is failed; 0 no limit"},
    {"ATG_KEY_VAULT_ENDPOINT", S::kAzure, "https://{AZURE_KEY_VAULT_NAME}.vault.azure.net", false,
     "", "Key Vault URL (sovereign clouds, the simulator)"},
    {"ATG_MANAGED_IDENTITY_CLIENT_ID", S::kAzure, "", false, "",
     "client id of a user-assigned managed identity"},
    {"ATG_MAX_CONCURRENT_JOBS", S::kServer, "3", false, "", "workers running jobs"},
    {"ATG_MAX_CONNECTIONS", S::kServer, "4096", false, "", "open connections at most"},
    {"ATG_MAX_CONNECTIONS_PER_ADDRESS", S::kServer, "256", false, "",
     "open connections one client address may hold; 0 no limit"},
    {"ATG_MAX_INFLIGHT_BODY_BYTES", S::kServer, "67108864", false, "",
     "memory request bodies being received may claim at once; 0 no budget"},
    {"ATG_MAX_QUEUE_DEPTH", S::kServer, "100", false, "",
     "pending jobs beyond this are refused with 429; 0 unlimited"},
    {"ATG_MAX_QUEUE_DEPTH_PER_KEY", S::kServer, "ATG_MAX_QUEUE_DEPTH / keys", false, "",
     "pending jobs one API key may have; 0 no per-key limit"},
    {"ATG_MAX_REQUEST_BODY_BYTES", S::kServer, "1048576", false, "",
     "larger request bodies get 413"},
    {"ATG_RATE_LIMIT_BURST", S::kServer, "per-minute / 6", false, "", "per-key burst"},
    {"ATG_RATE_LIMIT_PER_MINUTE", S::kServer, "600", false, "",
     "per-key requests a minute; 0 no limit"},
    {"ATG_REDIS_KEY_PREFIX", S::kServer, "atg:", false, "", "namespace of every Redis key"},
    {"ATG_REMOTE_MODE", S::kClient, "false", false, "", "send commands to the service"},
    {"ATG_REQUEST_TIMEOUT", S::kClient, "300", false, "", "seconds a client request may take"},
    {"ATG_SERVER_HOST", S::kServer, "0.0.0.0", false, "", "listen address"},
    {"ATG_SERVER_PORT", S::kServer, "8000", false, "", "listen port; 0 picks a free one"},
    {"ATG_SERVER_WORKERS", S::kServer, "4", false, "", "HTTP I/O threads"},
    {"ATG_SERVICE_URL", S::kClient, "", false, "", "URL of the service"},
    {"ATG_SHUTDOWN_GRACE_SECONDS", S::kServer, "10", false, "",
     "how long SIGTERM waits for running work"},
    {"ATG_SSE_HEARTBEAT_SECONDS", S::kServer, "15", false, "",
     "heartbeat interval on idle event streams"},
    {"ATG_TARGET_SUBSCRIPTION_ID", S::kGeneral, "", false, "",
     "subscription generated IaC deploys into"},
    {"ATG_TARGET_TENANT_ID", S::kServer, "AZURE_TENANT_ID", false, "tenant",
     "the only tenant the service's jobs may work on"},
    {"ATG_TLS_CERT_FILE", S::kServer, "", false, "", "PEM certificate chain: serve HTTPS"},
    {"ATG_TLS_KEY_FILE", S::kServer, "", false, "", "PEM private key file of the certificate"},
    {"ATG_USE_MANAGED_IDENTITY", S::kAzure, "false", false, "", "try managed identity first"},
    {"AZURE_AUTHORITY_HOST", S::kAzure, "https://login.microsoftonline.com", false, "",
     "Entra ID authority"},
    {"AZURE_CLIENT_ID", S::kAzure, "", false, "", "service principal or user-assigned identity"},
    {"AZURE_CLIENT_SECRET", S::kAzure, "", true, "", "service principal secret"},
    {"AZURE_FEDERATED_TOKEN_FILE", S::kAzure, "", false, "",
     "workload identity: file holding a federated token"},
    {"AZURE_KEY_VAULT_NAME", S::kServer, "", false, "api-keys",
     "read the API keys from this vault's secret api-keys"},
    {"AZURE_STORAGE_ACCOUNT", S::kAzure, "", false, "",
     "the storage account AZURE_STORAGE_KEY belongs to (backups)"},
    {"AZURE_STORAGE_CONNECTION_STRING", S::kAzure, "", true, "",
     "storage account name and key for backups, as one string"},
    {"AZURE_STORAGE_KEY", S::kAzure, "", true, "", "Shared Key of the backup storage account"},
    {"AZURE_TENANT_ID", S::kAzure, "", false, "tenant", "tenant to scan and sign in to"},
    {"ENABLE_METRICS", S::kServer, "true", false, "", "serve /metrics"},
    {"HTTPS_PROXY", S::kAzure, "", false, "", "outbound proxy for HTTPS"},
    {"HTTP_PROXY", S::kAzure, "", false, "", "outbound proxy for HTTP"},
    {"IDENTITY_ENDPOINT", S::kAzure, "", false, "", "managed identity endpoint (App Service, ACI)"},
    {"IDENTITY_HEADER", S::kAzure, "", true, "", "managed identity endpoint secret header"},
    {"LOG_LEVEL", S::kGeneral, "info", false, "", "debug, info, warning, error"},
    {"NEO4J_PASSWORD", S::kGeneral, "", true, "", "Neo4j password"},
    {"NEO4J_PORT", S::kGeneral, "7687", false, "", "Bolt port when NEO4J_URI names none"},
    {"NEO4J_URI", S::kGeneral, "", false, "", "keep the graph in Neo4j instead of SQLite"},
    {"NEO4J_USER", S::kGeneral, "neo4j", false, "", "Neo4j user"},
    {"NO_PROXY", S::kAzure, "", false, "", "hosts reached without the proxy"},
    {"REDIS_PASSWORD", S::kServer, "", true, "", "Redis password when REDIS_URL holds none"},
    {"REDIS_URL", S::kServer, "", false, "",
     "use Redis as the job queue (a password in it is redacted)"},
    {"TMPDIR", S::kGeneral, "/tmp", false, "",
     "temporary files (SQLite, backup staging); created when missing"},
    {"XDG_DATA_HOME", S::kGeneral, "$HOME/.local/share", false, "",
     "base of the default ATG_DATA_DIR"},
});

}  // namespace

std::span<const SettingSpec> SettingsCatalog() { return kCatalog; }

const SettingSpec* FindSetting(std::string_view name) {
  auto it = std::lower_bound(kCatalog.begin(), kCatalog.end(), name,
                             [](const SettingSpec& s, std::string_view n) { return s.name < n; });
  if (it == kCatalog.end() || it->name != name) return nullptr;
  return &*it;
}

std::string_view SettingScopeName(SettingScope scope) {
  switch (scope) {
    case SettingScope::kGeneral:
      return "general";
    case SettingScope::kServer:
      return "server";
    case SettingScope::kClient:
      return "client";
    case SettingScope::kAzure:
      return "azure";
  }
  return "general";
}

}  // namespace atg
