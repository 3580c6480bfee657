#include "azure/managed_identity_credential.h"

#include "azure/token_response.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

namespace {

std::string WithQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

Result<std::unique_ptr<ManagedIdentityCredential>> ManagedIdentityCredential::Create(
    ManagedIdentityCredentialOptions options, std::shared_ptr<HttpTransport> transport,
    Clock* clock) {
  RegisterSecret(options.identity_header);
  options.identity_endpoint = std::string(Trim(options.identity_endpoint));
  if (!options.identity_endpoint.empty()) {
    // The endpoint may carry a query of its own; only its scheme and host are checked here.
    std::string base = options.identity_endpoint.substr(0, options.identity_endpoint.find('?'));
    auto checked = NormalizeEndpoint("IDENTITY_ENDPOINT", base);
    if (!checked.ok()) return checked.status();
  }
  auto imds = NormalizeEndpoint("ATG_IMDS_ENDPOINT", options.imds_endpoint);
  if (!imds.ok()) return imds.status();
  options.imds_endpoint = *imds;

  AzureEndpoints endpoints;
  endpoints.imds = options.imds_endpoint;
  auto client = NewTokenClient(transport, endpoints, options.retry, clock);
  return std::unique_ptr<ManagedIdentityCredential>(new ManagedIdentityCredential(
      std::move(options), std::move(transport), std::move(client), clock));
}

ManagedIdentityCredential::ManagedIdentityCredential(ManagedIdentityCredentialOptions options,
                                                     std::shared_ptr<HttpTransport> transport,
                                                     std::unique_ptr<AzureHttpClient> client,
                                                     Clock* clock)
    : options_(std::move(options)),
      app_service_(!options_.identity_endpoint.empty() && !options_.identity_header.empty()),
      transport_(std::move(transport)),
      client_(std::move(client)),
      clock_(clock),
      cache_(clock, options_.refresh_margin) {}

std::string ManagedIdentityCredential::Source() const {
  std::string identity = options_.client_id.empty()
                             ? std::string("system-assigned identity")
                             : "user-assigned identity " + options_.client_id;
  if (app_service_) {
    return identity + " from IDENTITY_ENDPOINT " + RedactUrl(options_.identity_endpoint) +
           " (App Service form)";
  }
  return identity + " from IMDS at " + options_.imds_endpoint;
}

Result<AccessToken> ManagedIdentityCredential::GetToken(const std::string& scope) {
  return cache_.Get(scope, [this](const std::string& s) { return Fetch(s); });
}

Result<AccessToken> ManagedIdentityCredential::Fetch(const std::string& scope) {
  return app_service_ ? FetchAppService(scope) : FetchImds(scope);
}

Result<AccessToken> ManagedIdentityCredential::FetchAppService(const std::string& scope) {
  const std::string what = "getting a managed identity token for " + scope + " from " +
                           RedactUrl(options_.identity_endpoint);
  AzureRequest request;
  request.url = WithQuery(options_.identity_endpoint,
                          "api-version=2019-08-01&resource=" + UrlEncode(ResourceForScope(scope)));
  if (!options_.client_id.empty()) request.url += "&client_id=" + UrlEncode(options_.client_id);
  request.kind = ApiKind::kIdentity;
  request.authenticate = false;
  request.headers.Set("X-IDENTITY-HEADER", options_.identity_header);
  const WallTime requested_at = clock_->WallNow();
  auto response = client_->Send(request);
  if (!response.ok()) {
    const Status& s = response.status();
    if (s.code() == StatusCode::kUnauthenticated) {
      return Status::Unauthenticated(RedactSecrets(
          what + ": " + s.message() +
          " IDENTITY_HEADER does not match this environment's; it changes when the app restarts, "
          "so take both variables from the running environment."));
    }
    if (s.code() == StatusCode::kInvalidArgument && !options_.client_id.empty()) {
      return Status::FailedPrecondition(RedactSecrets(
          what + ": " + s.message() + " Check that the user-assigned identity " +
          options_.client_id + " (ATG_MANAGED_IDENTITY_CLIENT_ID or AZURE_CLIENT_ID) is " +
          "assigned to this resource."));
    }
    return Status(s.code(), RedactSecrets(what + ": " + s.message()));
  }
  return ParseTokenResponse(response->body, requested_at, what);
}

Status ManagedIdentityCredential::ProbeImds() {
  if (probe_) return *probe_;
  // No Metadata header: any HTTP answer (IMDS says 400) proves something listens there.
  HttpClientRequest probe;
  probe.url = options_.imds_endpoint + "/metadata/identity/oauth2/token";
  probe.timeout = options_.probe_timeout;
  auto answer = transport_->Send(probe);
  if (answer.ok()) {
    probe_ = Status::Ok();
  } else {
    probe_ = Status::FailedPrecondition(
        "no managed identity endpoint: IMDS at " + options_.imds_endpoint +
        " did not answer within " + std::to_string(options_.probe_timeout.count()) + " ms (" +
        answer.status().message() +
        "). ATG is not running on an Azure resource with a managed identity; use another "
        "credential, or set ATG_IMDS_ENDPOINT if IMDS lives elsewhere.");
  }
  return *probe_;
}

Result<AccessToken> ManagedIdentityCredential::FetchImds(const std::string& scope) {
  ATG_RETURN_IF_ERROR(ProbeImds());
  const std::string what =
      "getting a managed identity token for " + scope + " from IMDS at " + options_.imds_endpoint;
  AzureRequest request;
  request.url = options_.imds_endpoint +
                "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
                UrlEncode(ResourceForScope(scope));
  if (!options_.client_id.empty()) request.url += "&client_id=" + UrlEncode(options_.client_id);
  request.kind = ApiKind::kIdentity;
  request.authenticate = false;
  request.headers.Set("Metadata", "true");
  const WallTime requested_at = clock_->WallNow();
  auto response = client_->Send(request);
  if (!response.ok()) {
    const Status& s = response.status();
    // IMDS answers 400 when no identity (or not the requested one) is assigned to the VM.
    if (s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound) {
      std::string which = options_.client_id.empty()
                              ? std::string("a system-assigned identity is enabled")
                              : "the user-assigned identity " + options_.client_id + " is assigned";
      return Status::FailedPrecondition(RedactSecrets(what + ": " + s.message() + " Check that " +
                                                      which + " on this VM or node."));
    }
    return Status(s.code(), RedactSecrets(what + ": " + s.message()));
  }
  return ParseTokenResponse(response->body, requested_at, what);
}

}  // namespace atg::azure
