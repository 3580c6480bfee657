// HttpTransport: the seam between ATG's Azure clients and the network. One request in, one
// response (any status) or a network error out; no retries, no authentication, no throttling —
// those live above it in AzureHttpClient. Unit tests replace it with a fake.
//
// CurlTransport is the real implementation on libcurl.
#ifndef ATG_AZURE_HTTP_TRANSPORT_H_
#define ATG_AZURE_HTTP_TRANSPORT_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace atg::azure {

// An ordered list of header fields with case-insensitive look-up (HTTP field names are
// case-insensitive; Azure's x-ms-* headers arrive in varying case).
// Thread-safety: a value.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<std::pair<std::string, std::string>> fields)
      : fields_(fields) {}

  // The first value of `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // Replaces every field called `name` with one holding `value`.
  void Set(std::string name, std::string value);
  // Appends a field, keeping any existing ones.
  void Add(std::string name, std::string value);
  void Remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;  // absolute: scheme://host[:port]/path?query
  HttpHeaders headers;
  std::string body;
  // Total time allowed for this request; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
};

struct HttpClientResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

// Sends one HTTP request.
//
// Send returns the response for any HTTP status (4xx/5xx included). It returns an error only
// when no HTTP response was received: kUnavailable (connection refused or reset, DNS failure,
// TLS failure), kDeadlineExceeded (timed out), or kInvalidArgument (malformed URL). Error
// messages name the method and the URL with secret query values masked.
//
// Thread-safety: implementations must allow concurrent Send calls from many threads.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual Result<HttpClientResponse> Send(const HttpClientRequest& request) = 0;
};

struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  // Default total time per request (header + body), used when a request sets none.
  std::chrono::milliseconds request_timeout{120'000};
  std::string user_agent;  // empty: "atg/<version>"
  // Proxy settings. When unset, they come from the environment: for https:// URLs HTTPS_PROXY
  // then https_proxy, for http:// URLs HTTP_PROXY then http_proxy, then ALL_PROXY/all_proxy;
  // the exclusion list from NO_PROXY then no_proxy (comma-separated hosts, domain suffixes,
  // "*" for all). An empty string means "no proxy".
  std::optional<std::string> https_proxy;
  std::optional<std::string> http_proxy;
  std::optional<std::string> no_proxy;
  // Idle easy handles kept for reuse (each keeps no connections of its own: connections live in
  // a cache shared by all handles).
  size_t max_idle_handles = 64;
  // Verify TLS peers (never turn off outside tests).
  bool verify_tls = true;
};

// HttpTransport on libcurl. Easy handles are pooled and reused; all of them share one DNS cache,
// TLS session cache and connection cache (a CURLSH), so consecutive requests to the same host
// reuse a kept-alive connection whatever thread sends them. Responses with gzip/deflate content
// encoding are decoded. Redirects are not followed (Azure's long-running operations use
// Location headers that callers read).
//
// Thread-safety: Send may be called from any number of threads at once.
class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpClientResponse> Send(const HttpClientRequest& request) override;

  // The proxy this transport would use for `url` (empty: direct). Exposed for `atg doctor`.
  std::string ProxyFor(std::string_view url) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `url` with the values of query parameters that may carry secrets (sig, code, secret, token,
// key, password, assertion — by substring of the parameter name, any case) replaced by
// "[REDACTED]", as log redaction writes it.
// Used in every error message and log line that names a URL.
std::string RedactUrl(std::string_view url);

}  // namespace atg::azure

#endif  // ATG_AZURE_HTTP_TRANSPORT_H_
