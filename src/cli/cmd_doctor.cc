// `atg doctor`: what ATG would use (endpoints, credential, stores) and whether each works.
// Exit 0 when everything configured works, 1 when something configured fails, 2 when a setting
// is malformed. Nothing secret is ever printed: tokens, client secrets and passwords are masked
// or left out, and every line also passes through log redaction.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "azure/credential_chain.h"
#include "azure/endpoints.h"
#include "azure/http_client.h"
#include "azure/http_transport.h"
#include "azure/jwt_claims.h"
#include "cli/commands.h"
#include "cli/doctor_checks.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace atg::cli {

namespace {

struct DoctorFlags {
  bool json = false;
  int timeout_seconds = 5;
};

std::string IsoUtc(WallTime t) { return FormatRfc3339(t); }

class Report {
 public:
  void Section(const std::string& title) { text_ += "\n" + title + "\n"; }
  void Line(const std::string& label, const std::string& value) {
    text_ += fmt::format("  {:<30} {}\n", label, value);
  }
  void Problem(const std::string& p) { problems_.push_back(p); }
  void Invalid(const std::string& p) { invalid_.push_back(p); }
  void Note(const std::string& n) { notes_.push_back(n); }

  std::string text_;
  std::vector<std::string> problems_, invalid_, notes_;
};

json::array ToJson(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// The Key Vault base URL: ATG_KEY_VAULT_ENDPOINT, else https://{AZURE_KEY_VAULT_NAME}.<cloud>.
std::string KeyVaultUrl(const Settings& s, const azure::AzureEndpoints& e, std::string* source) {
  if (auto v = s.Get("ATG_KEY_VAULT_ENDPOINT"); v && !Trim(*v).empty()) {
    *source = "ATG_KEY_VAULT_ENDPOINT from " + s.SourceOf("ATG_KEY_VAULT_ENDPOINT");
    return std::string(Trim(*v));
  }
  if (auto name = s.Get("AZURE_KEY_VAULT_NAME"); name && !Trim(*name).empty()) {
    *source = "AZURE_KEY_VAULT_NAME from " + s.SourceOf("AZURE_KEY_VAULT_NAME");
    // The vault's DNS suffix follows the cloud: "https://vault.azure.net/.default" →
    // vault.azure.net.
    std::string host = e.key_vault_scope;
    if (host.starts_with("https://")) host = host.substr(8);
    host = host.substr(0, host.find('/'));
    return "https://" + std::string(Trim(*name)) + "." + host;
  }
  *source = "not configured";
  return "";
}

void CheckCredentials(const Settings& s, const azure::AzureEndpoints& endpoints,
                      const DoctorFlags& f, Report& r, json::object& out) {
  azure::CurlTransportOptions topts;
  topts.connect_timeout = std::chrono::seconds(f.timeout_seconds);
  topts.request_timeout = std::chrono::seconds(f.timeout_seconds * 3);
  auto transport = std::make_shared<azure::CurlTransport>(topts);
  std::string proxy = transport->ProxyFor(endpoints.arm);
  out["proxy"] = proxy.empty() ? json::value(nullptr) : json::value(MaskUrlPassword(proxy));
  r.Line("Proxy (ARM)", proxy.empty() ? "none (direct)" : MaskUrlPassword(proxy));

  azure::RetryOptions retry;
  retry.max_attempts = 2;
  auto chain = azure::DefaultCredentialChain::FromSettings(s, transport, Clock::Real(), retry);
  json::object creds;
  r.Section("Credentials (tried in order; the first that gets a token wins)");
  if (!chain.ok()) {
    r.Line("chain", "INVALID: " + chain.status().message());
    r.Invalid(chain.status().message());
    creds["error"] = chain.status().message();
    out["credentials"] = std::move(creds);
    return;
  }
  std::shared_ptr<azure::DefaultCredentialChain> shared(std::move(chain.value()));
  auto token = shared->GetToken(endpoints.arm_scope);
  json::array links;
  bool any_configured = false;
  for (const auto& link : shared->Describe()) {
    json::object l{{"name", link.name},
                   {"status", std::string(azure::LinkStatusName(link.status))},
                   {"reason", RedactSecrets(link.reason)},
                   {"configured", link.configured}};
    links.push_back(std::move(l));
    any_configured = any_configured || link.configured;
    r.Line(link.name,
           fmt::format("{:<9} {}", azure::LinkStatusName(link.status), RedactSecrets(link.reason)));
  }
  creds["links"] = std::move(links);
  creds["selected"] =
      shared->selected().empty() ? json::value(nullptr) : json::value(shared->selected());
  json::object arm_token{{"scope", endpoints.arm_scope}};
  if (!token.ok()) {
    std::string why = RedactSecrets(token.status().message());
    arm_token["ok"] = false;
    arm_token["error"] = why;
    creds["arm_token"] = std::move(arm_token);
    out["credentials"] = std::move(creds);
    if (any_configured || token.status().code() != StatusCode::kUnauthenticated) {
      r.Line("ARM token", "FAILED: " + why);
      r.Problem("credentials: " + why);
    } else {
      r.Line("ARM token", "none: no credential is configured or available here");
      r.Note(
          "no Azure credential is configured: set AZURE_TENANT_ID, AZURE_CLIENT_ID and "
          "AZURE_CLIENT_SECRET, use workload or managed identity, or run `az login`");
    }
    return;
  }
  auto now = std::chrono::system_clock::now();
  auto minutes_left =
      std::chrono::duration_cast<std::chrono::minutes>(token->expires_on - now).count();
  arm_token["ok"] = true;
  arm_token["credential"] = shared->selected();
  arm_token["expires_on"] = IsoUtc(token->expires_on);
  arm_token["expires_in_minutes"] = minutes_left;
  std::string who;
  if (auto claims = azure::DecodeJwtClaims(token->token); claims.ok()) {
    json::object shown;
    for (const char* key :
         {"tid", "oid", "appid", "azp", "upn", "unique_name", "idtyp", "aud", "iss"}) {
      if (auto v = FindString(&*claims, key)) shown[key] = std::string(*v);
    }
    auto get = [&](const char* k) { return std::string(FindString(&shown, k).value_or("")); };
    who = "; tenant " + get("tid") + ", principal (oid) " + get("oid");
    if (!get("appid").empty()) who += ", app " + get("appid");
    if (!get("upn").empty()) who += ", user " + get("upn");
    arm_token["claims"] = std::move(shown);
  } else {
    arm_token["claims"] = nullptr;
    who = "; the token is not a JWT, so no claims are shown";
  }
  r.Line("ARM token", "ok from " + shared->selected() + ", expires " + IsoUtc(token->expires_on) +
                          " (in " + std::to_string(minutes_left) + " min)" + who);
  creds["arm_token"] = std::move(arm_token);

  // One authenticated call proves ARM answers and the principal can read something.
  azure::AzureClientOptions copts;
  copts.retry = retry;
  azure::AzureHttpClient client(transport, shared, endpoints, copts);
  auto start = std::chrono::steady_clock::now();
  auto subs = client.GetJson(endpoints.arm + "/subscriptions?api-version=2022-12-01");
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  json::object arm;
  if (!subs.ok()) {
    std::string why = RedactSecrets(subs.status().message());
    arm["ok"] = false;
    arm["error"] = why;
    r.Line("ARM", "FAILED: " + why);
    r.Problem("ARM: " + why);
  } else {
    const json::array* value = FindArray(subs->if_object(), "value");
    size_t n = value ? value->size() : 0;
    arm["ok"] = true;
    arm["subscriptions"] = n;
    arm["latency_ms"] = ms;
    r.Line("ARM", fmt::format("reachable: GET /subscriptions lists {}{} in {:.1f} ms", n,
                              n == 1 ? " subscription" : " subscriptions", ms));
    if (n == 0) {
      r.Note("the principal sees no subscriptions: grant it Reader on the subscriptions to scan");
    }
  }
  creds["arm"] = std::move(arm);
  out["credentials"] = std::move(creds);
}

void AddStore(const std::string& label, const std::string& key, const CheckResult& c, Report& r,
              json::object& out) {
  json::object o = c.details;
  o["status"] = std::string(CheckStateName(c.state));
  o["summary"] = RedactSecrets(c.summary);
  out[key] = std::move(o);
  std::string prefix = c.state == CheckState::kFailed    ? "FAILED: "
                       : c.state == CheckState::kInvalid ? "INVALID: "
                                                         : "";
  r.Line(label, prefix + RedactSecrets(c.summary));
  if (c.state == CheckState::kFailed) r.Problem(label + ": " + RedactSecrets(c.summary));
  if (c.state == CheckState::kInvalid) r.Invalid(label + ": " + RedactSecrets(c.summary));
}

int RunDoctor(CliContext& ctx, const DoctorFlags& f) {
  SetUpCliLogging(ctx);
  const Settings& s = ctx.settings;
  for (const char* name : {"AZURE_CLIENT_SECRET", "IDENTITY_HEADER", "NEO4J_PASSWORD",
                           "REDIS_PASSWORD", "ATG_API_KEYS"}) {
    RegisterSecret(s.GetString(name, ""));
  }
  const auto timeout = std::chrono::seconds(f.timeout_seconds);
  Report r;
  json::object out;
  out["version"] = ATG_VERSION;

  r.Section("Endpoints");
  json::object eps;
  auto endpoints = azure::AzureEndpoints::FromSettings(s);
  if (!endpoints.ok()) {
    r.Line("endpoints", "INVALID: " + endpoints.status().message());
    r.Invalid(endpoints.status().message());
    eps["error"] = endpoints.status().message();
  } else {
    struct Row {
      const char* label;
      const char* key;
      const char* variable;
      std::string url;
    } rows[] = {{"ARM", "arm", "ATG_ARM_ENDPOINT", endpoints->arm},
                {"Microsoft Graph", "graph", "ATG_GRAPH_ENDPOINT", endpoints->graph},
                {"Authority", "authority", "AZURE_AUTHORITY_HOST", endpoints->authority},
                {"IMDS", "imds", "ATG_IMDS_ENDPOINT", endpoints->imds}};
    for (const Row& row : rows) {
      std::string source = s.SourceOf(row.variable);
      eps[row.key] = json::object{{"url", row.url}, {"variable", row.variable}, {"source", source}};
      r.Line(row.label, row.url + "  (" + row.variable + ": " + source + ")");
    }
    std::string kv_source;
    std::string kv = KeyVaultUrl(s, *endpoints, &kv_source);
    eps["key_vault"] = json::object{{"url", kv.empty() ? json::value(nullptr) : json::value(kv)},
                                    {"source", kv_source}};
    r.Line("Key Vault", kv.empty()
                            ? "not configured (AZURE_KEY_VAULT_NAME or ATG_KEY_VAULT_ENDPOINT)"
                            : kv + "  (" + kv_source + ")");
    eps["scopes"] = json::object{{"arm", endpoints->arm_scope},
                                 {"graph", endpoints->graph_scope},
                                 {"key_vault", endpoints->key_vault_scope},
                                 {"storage", endpoints->storage_scope}};
    r.Line("Token audiences", endpoints->arm_scope + ", " + endpoints->graph_scope + ", " +
                                  endpoints->key_vault_scope + ", " + endpoints->storage_scope);
  }
  out["endpoints"] = std::move(eps);

  // The identity variables that decide the chain, with their sources; secrets only as "set".
  r.Section("Identity settings");
  json::object identity;
  for (const char* name : {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                           "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT", "IDENTITY_HEADER",
                           "ATG_USE_MANAGED_IDENTITY", "ATG_MANAGED_IDENTITY_CLIENT_ID"}) {
    auto value = s.Get(name);
    if (!value || value->empty()) {
      identity[name] = nullptr;
      r.Line(name, "not set");
      continue;
    }
    std::string shown = Settings::IsSecretName(name) ? std::string("(set, hidden)") : *value;
    identity[name] = json::object{{"value", shown}, {"source", s.SourceOf(name)}};
    r.Line(name, shown + "  (" + s.SourceOf(name) + ")");
  }
  out["identity_settings"] = std::move(identity);
  if (endpoints.ok()) CheckCredentials(s, *endpoints, f, r, out);

  r.Section("Stores");
  AddStore("Data directory", "data_dir", CheckDataDir(s), r, out);
  AddStore("Redis", "redis", CheckRedis(s, timeout), r, out);
  AddStore("Neo4j", "neo4j", CheckNeo4j(s, timeout), r, out);

  int exit_code = !r.invalid_.empty() ? 2 : !r.problems_.empty() ? 1 : 0;
  std::string verdict = exit_code == 0 ? "ok" : exit_code == 1 ? "failed" : "invalid_settings";
  out["verdict"] = verdict;
  out["problems"] = ToJson(r.problems_);
  out["invalid_settings"] = ToJson(r.invalid_);
  out["notes"] = ToJson(r.notes_);
  out["exit_code"] = exit_code;

  if (f.json) {
    std::string text = RedactSecrets(json::serialize(out));
    std::fprintf(stdout, "%s\n", text.c_str());
  } else {
    r.Section("Verdict");
    if (exit_code == 0) {
      r.text_ += "  ready: everything configured works\n";
    }
    for (const auto& p : r.invalid_) r.text_ += "  invalid setting: " + p + "\n";
    for (const auto& p : r.problems_) r.text_ += "  problem: " + p + "\n";
    for (const auto& n : r.notes_) r.text_ += "  note: " + n + "\n";
    std::string text = RedactSecrets("atg doctor " ATG_VERSION "\n" + r.text_);
    std::fputs(text.c_str(), stdout);
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace

void AddDoctorCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<DoctorFlags>();
  auto* cmd = app.add_subcommand(
      "doctor", "Check credentials, endpoints and stores, and say what is missing");
  cmd->add_flag("--json", f->json, "Print one JSON object on stdout");
  cmd->add_option("--timeout", f->timeout_seconds, "Seconds to wait for each store")
      ->check(CLI::Range(1, 120));
  cmd->callback([&ctx, f] { ctx.exit_code = RunDoctor(ctx, *f); });
}

}  // namespace atg::cli
