// DefaultCredentialChain: the Azure SDKs' DefaultAzureCredential for ATG. Several ways to get a
// token are tried in order and the first that yields one wins; it is remembered and used for
// every later request (every audience).
//
// Order (ATG_USE_MANAGED_IDENTITY=true moves managed identity to the front):
//   1. client_secret       AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET
//   2. workload_identity   AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE
//   3. managed_identity    IDENTITY_ENDPOINT + IDENTITY_HEADER, else IMDS (ATG_IMDS_ENDPOINT);
//                          a user-assigned identity by ATG_MANAGED_IDENTITY_CLIENT_ID, or by
//                          AZURE_CLIENT_ID when no client secret or federated token names an app
//   4. azure_cli           `az account get-access-token` (az on PATH)
//
// A link whose variables are absent is skipped, and says which. A link that cannot work in this
// environment (no IMDS, az not signed in, unreachable endpoint) fails and the chain moves on. A
// link that was configured and whose credentials Entra ID refused (kUnauthenticated,
// kPermissionDenied) or whose configuration is malformed (kInvalidArgument) stops the chain: a
// wrong client secret must not silently fall through to somebody's `az login`.
//
// Every link caches its tokens per audience (TokenCache) and refreshes them five minutes before
// they expire. Describe() says, for `atg doctor` and debug logs, what each link did and why.
//
// Thread-safety: GetToken and Describe may be called concurrently. The first GetToken resolves
// the chain under a lock; later calls go straight to the selected link.
#ifndef ATG_AZURE_CREDENTIAL_CHAIN_H_
#define ATG_AZURE_CREDENTIAL_CHAIN_H_

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "azure/credential.h"
#include "azure/http_transport.h"
#include "azure/retry_policy.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::azure {

enum class LinkStatus {
  kNotTried,  // configured, not asked yet (before the first GetToken)
  kSelected,  // gave a token; the chain uses it
  kSkipped,   // not configured here, or not needed because an earlier link was selected
  kFailed,    // tried and failed
};

// "not_tried", "selected", "skipped", "failed".
std::string_view LinkStatusName(LinkStatus status);

struct LinkReport {
  std::string name;  // client_secret | workload_identity | managed_identity | azure_cli
  LinkStatus status = LinkStatus::kNotTried;
  // Why it was skipped or failed, or (selected, not tried) what it uses. Never a secret.
  std::string reason;
  // True when the user set this link up (its variables are set, or ATG_USE_MANAGED_IDENTITY);
  // false for the ambient ones (IMDS probing, an az found on PATH) and for skipped links.
  bool configured = false;
};

// One way of getting tokens, as the chain holds it.
struct ChainLink {
  std::string name;
  std::shared_ptr<TokenCredential> credential;  // null: skipped, see skip_reason
  std::string skip_reason;
  std::string detail;  // what the link uses, for reports (no secrets)
  bool configured = false;
};

class DefaultCredentialChain : public TokenCredential {
 public:
  // Builds the chain from AZURE_*, IDENTITY_*, ATG_IMDS_ENDPOINT, ATG_USE_MANAGED_IDENTITY,
  // ATG_MANAGED_IDENTITY_CLIENT_ID, AZURE_AUTHORITY_HOST and PATH. Fails with kInvalidArgument
  // (naming the variable, never a secret's value) when a configured link is incomplete, e.g.
  // AZURE_CLIENT_SECRET without AZURE_CLIENT_ID, or a variable is malformed. `transport` is
  // shared by the links; `clock` must outlive the chain. `retry` governs the links' token
  // requests (`atg doctor` asks for fewer attempts).
  static Result<std::unique_ptr<DefaultCredentialChain>> FromSettings(
      const Settings& settings, std::shared_ptr<HttpTransport> transport,
      Clock* clock = Clock::Real(), RetryOptions retry = {});

  // A chain of the given links, tried in order (tests, custom chains).
  explicit DefaultCredentialChain(std::vector<ChainLink> links);

  // The selected link's token. Before a link is selected, tries the links in order (see the
  // file comment). When none yields a token the error (kUnauthenticated, or the stopping link's
  // code) lists every link and its reason.
  Result<AccessToken> GetToken(const std::string& scope) override;

  std::vector<LinkReport> Describe() const;
  // The selected link's name; empty before one is selected.
  std::string selected() const;

 private:
  struct Entry {
    ChainLink link;
    LinkReport report;
  };
  Result<AccessToken> Resolve(const std::string& scope);

  mutable std::mutex mu_;  // guards entries_[*].report and selected_; held while resolving
  std::vector<Entry> entries_;
  int selected_ = -1;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_CREDENTIAL_CHAIN_H_
