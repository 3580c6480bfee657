#include "azure/azure_cli_credential.h"

#include <cctype>

#include "azure/token_response.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/subprocess.h"

namespace atg::azure {

namespace {

// Scopes and tenant ids become command-line arguments: allow only what they are made of, so
// nothing can be taken for an option.
bool SafeArgument(std::string_view s) {
  if (s.empty() || s[0] == '-') return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != ':' && c != '/' && c != '.' &&
        c != '-' && c != '_') {
      return false;
    }
  }
  return true;
}

std::string Shorten(std::string_view text, size_t max) {
  std::string t(Trim(text));
  if (t.size() > max) t = t.substr(0, max) + "...";
  return RedactSecrets(t);
}

}  // namespace

Result<AccessToken> ParseAzureCliToken(std::string_view text, std::string_view what) {
  auto parsed = ParseJson(text);
  const json::object* obj = parsed.ok() ? parsed->if_object() : nullptr;
  auto token = FindString(obj, "accessToken");
  if (!token || token->empty()) {
    return Status::Unavailable(std::string(what) +
                               ": the Azure CLI printed no accessToken. Update the Azure CLI "
                               "(az upgrade) and run the command yourself to see what it says.");
  }
  RegisterSecret(*token);
  if (auto on = FindInt(obj, "expires_on")) {
    return AccessToken{std::string(*token), WallTime(std::chrono::seconds(*on))};
  }
  for (const char* key : {"expires_on", "expiresOn"}) {
    if (auto s = FindString(obj, key)) {
      if (auto when = ParseExpiresOn(*s)) return AccessToken{std::string(*token), *when};
      return Status::Unavailable(std::string(what) + ": cannot read the expiry \"" +
                                 std::string(*s) + "\" the Azure CLI printed.");
    }
  }
  return Status::Unavailable(std::string(what) +
                             ": the Azure CLI printed no expiry (expires_on or expiresOn).");
}

AzureCliCredential::AzureCliCredential(AzureCliCredentialOptions options, Clock* clock)
    : options_(std::move(options)), clock_(clock), cache_(clock, options_.refresh_margin) {
  program_path_ = FindOnPath(options_.program, options_.path).value_or("");
}

Result<AccessToken> AzureCliCredential::GetToken(const std::string& scope) {
  return cache_.Get(scope, [this](const std::string& s) { return Fetch(s); });
}

Result<AccessToken> AzureCliCredential::Fetch(const std::string& scope) {
  if (program_path_.empty()) {
    return Status::FailedPrecondition("the Azure CLI (" + options_.program +
                                      ") is not on PATH; install it and run `az login`, or use "
                                      "another credential.");
  }
  std::string resource = ResourceForScope(scope);
  if (!SafeArgument(resource)) {
    return Status::InvalidArgument("the scope \"" + scope +
                                   "\" cannot be passed to the Azure CLI: it holds characters "
                                   "other than letters, digits and :/._-");
  }
  std::vector<std::string> argv = {program_path_, "account", "get-access-token", "--output", "json",
                                   "--resource",  resource};
  if (!options_.tenant_id.empty()) {
    if (!SafeArgument(options_.tenant_id)) {
      return Status::InvalidArgument("AZURE_TENANT_ID \"" + options_.tenant_id +
                                     "\" is not a tenant id or domain name.");
    }
    argv.push_back("--tenant");
    argv.push_back(options_.tenant_id);
  }
  std::string command = "az account get-access-token --resource " + resource +
                        (options_.tenant_id.empty() ? "" : " --tenant " + options_.tenant_id);
  const std::string what = "getting a token for " + scope + " with `" + command + "`";
  auto run = RunProcess(argv, options_.timeout);
  if (!run.ok()) {
    return Status::FailedPrecondition(what + ": " + run.status().message() +
                                      ". Check the Azure CLI installation.");
  }
  if (run->timed_out) {
    return Status::DeadlineExceeded(what + ": the Azure CLI did not finish within " +
                                    std::to_string(options_.timeout.count() / 1000) +
                                    " s. Run the command yourself to see what it waits for.");
  }
  if (run->exit_code != 0) {
    std::string err = Shorten(run->err, 600);
    std::string lower = ToLower(err);
    if (lower.find("az login") != std::string::npos ||
        lower.find("not logged in") != std::string::npos) {
      return Status::FailedPrecondition(
          what + ": nobody is signed in to the Azure CLI (" + err + "). Run `az login`" +
          (options_.tenant_id.empty() ? std::string() : " --tenant " + options_.tenant_id) + ".");
    }
    if (err.find("AADSTS") != std::string::npos) {
      return Status::Unauthenticated(what + ": Entra ID refused: " + err);
    }
    return Status::Unavailable(what + ": az exited with status " + std::to_string(run->exit_code) +
                               ": " + err);
  }
  return ParseAzureCliToken(run->out, what);
}

}  // namespace atg::azure
