#include "azure/http_transport.h"

#include <curl/curl.h>

#include <array>
#include <cstdlib>
#include <mutex>

#include "common/strings.h"

namespace atg::azure {

// ---------------------------------------------------------------------------------------------
// HttpHeaders

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void HttpHeaders::Set(std::string name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
}

// ---------------------------------------------------------------------------------------------
// RedactUrl

namespace {

bool IsSecretParameter(std::string_view name) {
  std::string lower = ToLower(UrlDecode(name));
  for (std::string_view s :
       {"sig", "code", "secret", "token", "key", "password", "assertion", "credential"}) {
    if (lower.find(s) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  size_t q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  std::string_view query = url.substr(q + 1);
  std::string_view fragment;
  if (size_t h = query.find('#'); h != std::string_view::npos) {
    fragment = query.substr(h);
    query = query.substr(0, h);
  }
  std::string out(url.substr(0, q + 1));
  bool first = true;
  for (const std::string& part : Split(query, '&')) {
    if (!first) out += '&';
    first = false;
    size_t eq = part.find('=');
    if (eq != std::string::npos && IsSecretParameter(std::string_view(part).substr(0, eq))) {
      out += part.substr(0, eq + 1);
      out += "[REDACTED]";
    } else {
      out += part;
    }
  }
  out += fragment;
  return out;
}

// ---------------------------------------------------------------------------------------------
// CurlTransport

namespace {

void EnsureCurlGlobalInit() {
  // curl_global_init is not thread-safe and must run once per process before any other call.
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

std::optional<std::string> GetEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

std::string FirstEnv(std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (auto v = GetEnv(n); v.has_value()) return *v;
  }
  return "";
}

std::string_view HostOf(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  std::string_view rest = url.substr(start);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return rest.substr(1, rest.find(']') - 1);
  return rest.substr(0, rest.find(':'));
}

bool NoProxyMatches(std::string_view no_proxy, std::string_view host) {
  for (const std::string& raw : Split(no_proxy, ',', /*skip_empty=*/true)) {
    std::string_view entry = Trim(raw);
    if (entry == "*") return true;
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (entry.empty()) continue;
    if (EqualsIgnoreCase(host, entry)) return true;
    if (host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
        EqualsIgnoreCase(host.substr(host.size() - entry.size()), entry)) {
      return true;
    }
  }
  return false;
}

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<HttpHeaders*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue or a proxy's CONNECT reply): start over.
    *headers = HttpHeaders();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    headers->Add(std::string(Trim(line.substr(0, colon))),
                 std::string(Trim(line.substr(colon + 1))));
  }
  return size * n;
}

Status CurlError(CURLcode code, const char* errbuf, const HttpClientRequest& request) {
  std::string detail = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);
  std::string what = request.method + " " + RedactUrl(request.url);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::DeadlineExceeded(what + " timed out: " + detail +
                                      ". Check network latency and the endpoint, or raise the "
                                      "request timeout.");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Status::InvalidArgument(what + " has an unusable URL: " + detail +
                                     ". Check the endpoint variables (ATG_ARM_ENDPOINT, ...).");
    default:
      return Status::Unavailable(what + " failed before any HTTP response: " + detail +
                                 " (curl error " + std::to_string(static_cast<int>(code)) +
                                 "). Check network connectivity, the endpoint, and the proxy "
                                 "settings (HTTPS_PROXY, NO_PROXY).");
  }
}

}  // namespace

struct CurlTransport::Impl {
  CurlTransportOptions options;
  std::string https_proxy;
  std::string http_proxy;
  std::string no_proxy;

  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;

  std::mutex pool_mu;
  std::vector<CURL*> idle;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[data].unlock();
  }

  CURL* Take() {
    {
      std::lock_guard lock(pool_mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }

  void Give(CURL* h) {
    {
      std::lock_guard lock(pool_mu);
      if (idle.size() < options.max_idle_handles) {
        idle.push_back(h);
        return;
      }
    }
    curl_easy_cleanup(h);
  }

  std::string ProxyFor(std::string_view url) const {
    if (!no_proxy.empty() && NoProxyMatches(no_proxy, HostOf(url))) return "";
    return StartsWithIgnoreCase(url, "https:") ? https_proxy : http_proxy;
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options) : impl_(std::make_unique<Impl>()) {
  EnsureCurlGlobalInit();
  impl_->options = std::move(options);
  if (impl_->options.user_agent.empty()) impl_->options.user_agent = "atg/" ATG_VERSION;
  const auto& o = impl_->options;
  std::string all = FirstEnv({"ALL_PROXY", "all_proxy"});
  impl_->https_proxy = o.https_proxy.value_or(FirstEnv({"HTTPS_PROXY", "https_proxy"}));
  if (!o.https_proxy.has_value() && impl_->https_proxy.empty()) impl_->https_proxy = all;
  impl_->http_proxy = o.http_proxy.value_or(FirstEnv({"HTTP_PROXY", "http_proxy"}));
  if (!o.http_proxy.has_value() && impl_->http_proxy.empty()) impl_->http_proxy = all;
  impl_->no_proxy = o.no_proxy.value_or(FirstEnv({"NO_PROXY", "no_proxy"}));

  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
}

CurlTransport::~CurlTransport() {
  // Easy handles first: the share cannot be cleaned up while handles still use it.
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  impl_->idle.clear();
  curl_share_cleanup(impl_->share);
}

std::string CurlTransport::ProxyFor(std::string_view url) const { return impl_->ProxyFor(url); }

Result<HttpClientResponse> CurlTransport::Send(const HttpClientRequest& request) {
  CURL* h = impl_->Take();
  if (h == nullptr) return Status::Internal("libcurl could not create a handle (out of memory?)");
  const CurlTransportOptions& o = impl_->options;

  HttpClientResponse response;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : request.headers.fields()) {
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    headers = curl_slist_append(headers, line.c_str());
  }
  // Never wait for "100 Continue": Azure answers at once and the pause costs a round trip.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_reset(h);  // options only; cached connections and sessions stay
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  auto timeout = request.timeout.count() > 0 ? request.timeout : o.request_timeout;
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(h, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
  // Set explicitly (an empty string disables any proxy) so that what ProxyFor reports is what
  // libcurl does, whatever its own environment handling.
  std::string proxy =
      StartsWithIgnoreCase(request.url, "https:") ? impl_->https_proxy : impl_->http_proxy;
  curl_easy_setopt(h, CURLOPT_PROXY, proxy.c_str());
  curl_easy_setopt(h, CURLOPT_NOPROXY, impl_->no_proxy.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);

  if (request.method == "GET") {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    if (request.method != "POST") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (request.method == "POST" || !request.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    }
  }

  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // The handle must not keep pointers into this frame.
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(headers);
  Status error = rc == CURLE_OK ? Status::Ok() : CurlError(rc, errbuf, request);
  impl_->Give(h);
  if (!error.ok()) return error;
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace atg::azure
