#include "azure/credential_chain.h"

#include "azure/azure_cli_credential.h"
#include "azure/client_secret_credential.h"
#include "azure/endpoints.h"
#include "azure/managed_identity_credential.h"
#include "azure/workload_identity_credential.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

std::string_view LinkStatusName(LinkStatus status) {
  switch (status) {
    case LinkStatus::kNotTried:
      return "not_tried";
    case LinkStatus::kSelected:
      return "selected";
    case LinkStatus::kSkipped:
      return "skipped";
    case LinkStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

namespace {

// Errors that mean "this credential was presented and refused" or "its configuration is wrong":
// the chain stops rather than trying the next identity.
bool StopsTheChain(StatusCode code) {
  return code == StatusCode::kUnauthenticated || code == StatusCode::kPermissionDenied ||
         code == StatusCode::kInvalidArgument;
}

ChainLink Skipped(std::string name, std::string reason) {
  ChainLink link;
  link.name = std::move(name);
  link.skip_reason = std::move(reason);
  return link;
}

}  // namespace

Result<std::unique_ptr<DefaultCredentialChain>> DefaultCredentialChain::FromSettings(
    const Settings& settings, std::shared_ptr<HttpTransport> transport, Clock* clock,
    RetryOptions retry) {
  auto endpoints = AzureEndpoints::FromSettings(settings);
  if (!endpoints.ok()) return endpoints.status();
  auto use_mi = settings.GetBool("ATG_USE_MANAGED_IDENTITY", false);
  if (!use_mi.ok()) return use_mi.status();
  auto get = [&](std::string_view name) { return std::string(Trim(settings.GetString(name, ""))); };
  const std::string tenant = get("AZURE_TENANT_ID");
  const std::string client = get("AZURE_CLIENT_ID");
  const std::string secret = settings.GetString("AZURE_CLIENT_SECRET", "");
  const std::string token_file = get("AZURE_FEDERATED_TOKEN_FILE");
  RegisterSecret(secret);
  auto with_source = [&](const Status& s) {
    // Name where the offending variable came from.
    const std::string& m = s.message();
    std::string variable = m.substr(0, m.find(' '));
    if (variable.find('_') == std::string::npos || settings.SourceOf(variable) == "default") {
      return s;
    }
    return Status(s.code(), m + " (" + variable + ": " + settings.SourceOf(variable) + ")");
  };

  ChainLink secret_link;
  if (secret.empty()) {
    secret_link = Skipped("client_secret", "AZURE_CLIENT_SECRET is not set");
  } else {
    ClientSecretCredentialOptions o;
    o.tenant_id = tenant;
    o.client_id = client;
    o.client_secret = secret;
    o.authority = endpoints->authority;
    o.retry = retry;
    auto c = ClientSecretCredential::Create(o, transport, clock);
    if (!c.ok()) return with_source(c.status());
    secret_link.name = "client_secret";
    secret_link.credential = std::move(c.value());
    secret_link.detail = "app " + client + " in tenant " + tenant + " with AZURE_CLIENT_SECRET (" +
                         settings.SourceOf("AZURE_CLIENT_SECRET") + ") at " + endpoints->authority;
    secret_link.configured = true;
  }

  ChainLink workload_link;
  if (token_file.empty()) {
    workload_link = Skipped("workload_identity", "AZURE_FEDERATED_TOKEN_FILE is not set");
  } else {
    WorkloadIdentityCredentialOptions o;
    o.tenant_id = tenant;
    o.client_id = client;
    o.token_file = token_file;
    o.authority = endpoints->authority;
    o.retry = retry;
    auto c = WorkloadIdentityCredential::Create(o, transport, clock);
    if (!c.ok()) return with_source(c.status());
    workload_link.name = "workload_identity";
    workload_link.credential = std::move(c.value());
    workload_link.detail = "app " + client + " in tenant " + tenant + " with the federated token " +
                           token_file + " at " + endpoints->authority;
    workload_link.configured = true;
  }

  ChainLink mi_link;
  {
    ManagedIdentityCredentialOptions o;
    o.identity_endpoint = get("IDENTITY_ENDPOINT");
    o.identity_header = settings.GetString("IDENTITY_HEADER", "");
    o.imds_endpoint = endpoints->imds;
    o.retry = retry;
    o.client_id = get("ATG_MANAGED_IDENTITY_CLIENT_ID");
    // AZURE_CLIENT_ID names the app registration when a secret or federated token is set.
    if (o.client_id.empty() && secret.empty() && token_file.empty()) o.client_id = client;
    auto c = ManagedIdentityCredential::Create(o, transport, clock);
    if (!c.ok()) return with_source(c.status());
    mi_link.name = "managed_identity";
    mi_link.detail = (*c)->Source();
    if (!o.identity_endpoint.empty() && o.identity_header.empty()) {
      mi_link.detail += " (IDENTITY_ENDPOINT is set without IDENTITY_HEADER, so it is not used)";
    }
    mi_link.configured = *use_mi || !o.identity_endpoint.empty();
    mi_link.credential = std::move(c.value());
  }

  ChainLink cli_link;
  {
    AzureCliCredentialOptions o;
    o.path = settings.GetString("PATH", "/usr/local/bin:/usr/bin:/bin");
    o.tenant_id = tenant;
    auto c = std::make_shared<AzureCliCredential>(o, clock);
    if (c->program_path().empty()) {
      cli_link = Skipped("azure_cli", "the Azure CLI (az) is not on PATH");
    } else {
      cli_link.name = "azure_cli";
      cli_link.detail = "the account signed in to " + c->program_path() +
                        (tenant.empty() ? std::string() : " for tenant " + tenant);
      cli_link.credential = std::move(c);
    }
  }

  std::vector<ChainLink> links;
  links.push_back(std::move(secret_link));
  links.push_back(std::move(workload_link));
  // ATG_USE_MANAGED_IDENTITY puts the managed identity first; otherwise it follows the
  // credentials configured by variables.
  links.insert(*use_mi ? links.begin() : links.end(), std::move(mi_link));
  links.push_back(std::move(cli_link));
  return std::make_unique<DefaultCredentialChain>(std::move(links));
}

DefaultCredentialChain::DefaultCredentialChain(std::vector<ChainLink> links) {
  for (ChainLink& link : links) {
    Entry e;
    e.report.name = link.name;
    if (link.credential) {
      e.report.status = LinkStatus::kNotTried;
      e.report.reason = link.detail;
      e.report.configured = link.configured;
    } else {
      e.report.status = LinkStatus::kSkipped;
      e.report.reason = link.skip_reason;
    }
    e.link = std::move(link);
    entries_.push_back(std::move(e));
  }
}

Result<AccessToken> DefaultCredentialChain::GetToken(const std::string& scope) {
  std::shared_ptr<TokenCredential> chosen;
  {
    std::lock_guard lock(mu_);
    if (selected_ < 0) return Resolve(scope);
    chosen = entries_[selected_].link.credential;
  }
  return chosen->GetToken(scope);
}

Result<AccessToken> DefaultCredentialChain::Resolve(const std::string& scope) {
  std::vector<std::string> history;
  auto finish_rest = [&](size_t from, const std::string& why) {
    for (size_t j = from; j < entries_.size(); ++j) {
      Entry& later = entries_[j];
      if (!later.link.credential) continue;
      later.report.status = LinkStatus::kSkipped;
      later.report.reason = "not tried: " + why + " (it would use " + later.link.detail + ")";
      LogDebug("credential chain: {} skipped: {}", later.report.name, later.report.reason);
    }
  };
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    if (!e.link.credential) {
      LogDebug("credential chain: {} skipped: {}", e.report.name, e.report.reason);
      history.push_back(e.report.name + " skipped: " + e.report.reason);
      continue;
    }
    auto token = e.link.credential->GetToken(scope);
    if (token.ok()) {
      selected_ = static_cast<int>(i);
      e.report.status = LinkStatus::kSelected;
      e.report.reason = e.link.detail;
      LogDebug("credential chain: {} selected: {}", e.report.name, e.report.reason);
      finish_rest(i + 1, e.report.name + " was selected first");
      return token;
    }
    e.report.status = LinkStatus::kFailed;
    e.report.reason = RedactSecrets(token.status().message());
    LogDebug("credential chain: {} failed: {}", e.report.name, e.report.reason);
    history.push_back(e.report.name + " failed: " + e.report.reason);
    if (StopsTheChain(token.status().code())) {
      finish_rest(i + 1, e.report.name + " is configured and failed, which stops the chain");
      return Status(token.status().code(),
                    "the " + e.report.name +
                        " credential is configured but could not get a token: " + e.report.reason +
                        " Fix or unset its variables; the credentials after it "
                        "are not tried.");
    }
  }
  return Status::Unauthenticated(
      "no credential could get a token for " + scope + ": " + Join(history, "; ") +
      ". Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or "
      "AZURE_FEDERATED_TOKEN_FILE), run on Azure with a managed identity, or run `az login`; "
      "`atg doctor` shows the details.");
}

std::vector<LinkReport> DefaultCredentialChain::Describe() const {
  std::lock_guard lock(mu_);
  std::vector<LinkReport> out;
  for (const Entry& e : entries_) out.push_back(e.report);
  return out;
}

std::string DefaultCredentialChain::selected() const {
  std::lock_guard lock(mu_);
  return selected_ < 0 ? std::string() : entries_[selected_].report.name;
}

}  // namespace atg::azure
