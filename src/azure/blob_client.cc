#include "azure/blob_client.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "azure/credential_chain.h"
#include "azure/storage_shared_key.h"
#include "common/base64.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {
namespace {

constexpr const char* kVersion = "2021-08-06";
constexpr const char* kScope = "https://storage.azure.com/.default";
constexpr size_t kDownloadPiece = 8 << 20;

// The text of the first <tag>...</tag> in `xml` at or after `from`; "" when absent.
std::string_view XmlText(std::string_view xml, std::string_view tag, size_t from = 0,
                         size_t* end = nullptr) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t a = xml.find(open, from);
  if (a == std::string_view::npos) return {};
  a += open.size();
  size_t b = xml.find(close, a);
  if (b == std::string_view::npos) return {};
  if (end) *end = b + close.size();
  return xml.substr(a, b - a);
}

std::string XmlUnescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    std::string_view ent = s.substr(i, semi == std::string_view::npos ? 0 : semi - i + 1);
    if (ent == "&amp;")
      out += '&';
    else if (ent == "&lt;")
      out += '<';
    else if (ent == "&gt;")
      out += '>';
    else if (ent == "&quot;")
      out += '"';
    else if (ent == "&apos;")
      out += '\'';
    else {
      out += s[i];
      continue;
    }
    i = semi;
  }
  return out;
}

// Percent-encodes a blob name for the URL path; '/' stays a separator.
std::string EncodePath(std::string_view name) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool ValidContainer(std::string_view c) {
  if (c.size() < 3 || c.size() > 63 || c.front() == '-' || c.back() == '-') return false;
  for (char ch : c) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
  }
  return c.find("--") == std::string_view::npos;
}

// "AccountName=x;AccountKey=y;..." -> the value of `key`.
std::string ConnectionStringValue(std::string_view cs, std::string_view key) {
  for (std::string_view part : Split(cs, ';')) {
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && EqualsIgnoreCase(Trim(part.substr(0, eq)), key)) {
      return std::string(Trim(part.substr(eq + 1)));
    }
  }
  return "";
}

}  // namespace

std::string BlobUrl::Display() const {
  std::string s = origin + base_path + "/" + container;
  if (!name.empty()) s += "/" + name;
  return s;
}

std::string BlobUrl::DisplayOf(std::string_view blob) const {
  return origin + base_path + "/" + container + "/" + std::string(blob);
}

Result<BlobUrl> ParseBlobUrl(std::string_view url) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        "'" + RedactUrl(url) + "' is not a blob URL (" + std::string(why) +
        "); expected https://<account>.blob.core.windows.net/<container>/<name>, a "
        "container URL ending in '/', or the emulator's http://127.0.0.1:10000/<account>/...");
  };
  BlobUrl out;
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return bad("no scheme");
  std::string_view s = url.substr(0, scheme);
  if (s != "https" && s != "http")
    return bad("the scheme must be https (or http for the emulator)");
  std::string_view rest = url.substr(scheme + 3);
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    out.sas = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  std::string_view host_port = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (host_port.empty()) return bad("no host");
  out.origin = std::string(s) + "://" + std::string(host_port);
  std::string_view host = host_port.substr(
      0, host_port.rfind(':') == std::string_view::npos ? host_port.size() : host_port.rfind(':'));
  size_t blob_label = host.find(".blob.");
  std::vector<std::string> segs;
  {
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string_view::npos) end = path.size();
      segs.push_back(UrlDecode(path.substr(start, end - start)));
      start = end + 1;
    }
  }
  size_t i = 0;
  if (blob_label != std::string_view::npos) {
    out.account = std::string(host.substr(0, blob_label));
  } else {
    if (segs.empty() || segs[0].empty()) return bad("no account in the path");
    out.account = segs[0];
    out.base_path = "/" + segs[0];
    i = 1;
  }
  if (i >= segs.size() || segs[i].empty()) return bad("no container");
  out.container = segs[i++];
  if (!ValidContainer(out.container)) {
    return bad("container '" + out.container + "' is not 3-63 lower-case letters, digits, '-'");
  }
  for (; i < segs.size(); ++i) {
    out.name += segs[i];
    if (i + 1 < segs.size()) out.name += "/";
  }
  for (std::string_view part : Split(out.name, '/')) {
    if (part == "..") return bad("'..' in the blob name");
  }
  if (out.account.empty()) return bad("no account");
  return out;
}

struct BlobClient::Impl {
  enum class Auth { kSas, kSharedKey, kBearer } auth = Auth::kBearer;
  BlobUrl url;
  std::string key;  // shared key (a secret)
  BlobClientOptions options;
  std::unique_ptr<RetryPolicy> retry;

  std::string Path(std::string_view blob) const {
    std::string p = url.base_path + "/" + url.container;
    if (!blob.empty()) p += "/" + EncodePath(blob);
    return p;
  }

  Status Refused(const std::string& what, const HttpClientResponse& r) const {
    std::string code(XmlText(r.body, "Code"));
    std::string detail = "HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code);
    std::string hint;
    switch (auth) {
      case Auth::kSas:
        hint = "check that the SAS in the URL is valid, unexpired and grants this operation";
        break;
      case Auth::kSharedKey:
        hint = "check AZURE_STORAGE_KEY (or AZURE_STORAGE_CONNECTION_STRING) for account " +
               url.account;
        break;
      case Auth::kBearer:
        hint =
            "give the identity atg runs as the Storage Blob Data Contributor role on the "
            "container (or set AZURE_STORAGE_KEY)";
        break;
    }
    std::string msg = what + " was refused by Blob storage (" + detail + "); " + hint;
    return r.status == 401 ? Status::Unauthenticated(msg) : Status::PermissionDenied(msg);
  }

  Status Unexpected(const std::string& what, const HttpClientResponse& r) const {
    if (r.status == 401 || r.status == 403) return Refused(what, r);
    std::string code(XmlText(r.body, "Code"));
    std::string msg =
        what + " failed: HTTP " + std::to_string(r.status) + (code.empty() ? "" : " " + code);
    if (code == "ContainerNotFound") {
      return Status::NotFound(what + " failed: container " + url.container +
                              " does not exist in storage account " + url.account +
                              "; create it first (az storage container create --name " +
                              url.container + ")");
    }
    if (r.status == 404) return Status::NotFound(msg);
    return Status::Unavailable(msg);
  }

  // One request with retries; any HTTP status comes back as a response.
  Result<HttpClientResponse> Send(const std::string& method, std::string_view blob,
                                  std::vector<std::pair<std::string, std::string>> query,
                                  std::vector<std::pair<std::string, std::string>> headers = {},
                                  std::string body = {}) {
    const std::string path = Path(blob);
    for (int attempt = 1;; ++attempt) {
      SharedKeyRequest req;
      req.method = method;
      req.path = path;
      req.query = query;
      req.headers = headers;
      req.headers.push_back({"x-ms-date", StorageDate(std::chrono::system_clock::now())});
      req.headers.push_back({"x-ms-version", kVersion});
      if (method == "PUT") {
        req.headers.push_back({"Content-Length", std::to_string(body.size())});
        // libcurl would otherwise add a form content type, which the signature does not cover.
        if (!body.empty()) req.headers.push_back({"Content-Type", "application/octet-stream"});
      }
      HttpClientRequest http;
      http.method = method;
      http.url = url.origin + path;
      std::string q;
      for (const auto& [k, v] : query) q += (q.empty() ? "" : "&") + k + "=" + UrlEncode(v);
      if (auth == Auth::kSas) q += (q.empty() ? "" : "&") + url.sas;
      if (!q.empty()) http.url += "?" + q;
      for (const auto& [k, v] : req.headers) http.headers.Add(k, v);
      if (auth == Auth::kSharedKey) {
        auto a = SharedKeyAuthorization(url.account, key, req);
        if (!a.ok()) return a.status();
        http.headers.Add("Authorization", *a);
      } else if (auth == Auth::kBearer) {
        auto token = options.credential->GetToken(kScope);
        if (!token.ok()) {
          return Status(token.status().code(),
                        "no token for Blob storage (" + token.status().message() +
                            "); set AZURE_STORAGE_KEY, put a SAS in the URL, or configure a "
                            "managed identity (ATG_USE_MANAGED_IDENTITY=true)");
        }
        http.headers.Add("Authorization", "Bearer " + token->token);
      }
      http.body = body;
      auto r = options.transport->Send(http);
      const HttpClientResponse* resp = r.ok() ? &r.value() : nullptr;
      if (retry->ShouldRetry(attempt, resp, r.ok() ? Status::Ok() : r.status())) {
        auto wait = retry->Delay(attempt, resp, std::chrono::system_clock::now());
        LogDebug("blob {} {}: retrying in {} ms", method, url.DisplayOf(blob),
                 std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
        std::this_thread::sleep_for(wait);
        continue;
      }
      if (!r.ok()) {
        return Status(r.status().code(),
                      method + " " + url.DisplayOf(blob) + ": " + r.status().message());
      }
      return r;
    }
  }

  static BlobItem ItemFromHeaders(std::string name, const HttpClientResponse& r) {
    BlobItem item;
    item.name = std::move(name);
    item.size = std::strtoull(std::string(r.headers.Get("Content-Length").value_or("0")).c_str(),
                              nullptr, 10);
    for (const auto& [k, v] : r.headers.fields()) {
      std::string lower = ToLower(k);
      if (lower.starts_with("x-ms-meta-")) item.metadata[lower.substr(10)] = v;
    }
    return item;
  }
};

BlobClient::BlobClient(BlobUrl url, std::unique_ptr<Impl> impl)
    : url_(std::move(url)), impl_(std::move(impl)) {}
BlobClient::~BlobClient() = default;

std::string_view BlobClient::auth() const {
  switch (impl_->auth) {
    case Impl::Auth::kSas:
      return "sas";
    case Impl::Auth::kSharedKey:
      return "shared_key";
    case Impl::Auth::kBearer:
      return "bearer";
  }
  return "";
}

Result<std::unique_ptr<BlobClient>> BlobClient::Create(const BlobUrl& url, const Settings& settings,
                                                       BlobClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->url = url;
  if (!options.transport) options.transport = std::make_shared<CurlTransport>();
  std::string key = settings.GetString("AZURE_STORAGE_KEY", "");
  std::string key_account = settings.GetString("AZURE_STORAGE_ACCOUNT", "");
  if (key.empty()) {
    std::string cs = settings.GetString("AZURE_STORAGE_CONNECTION_STRING", "");
    if (!cs.empty()) {
      RegisterSecret(cs);
      key = ConnectionStringValue(cs, "AccountKey");
      key_account = ConnectionStringValue(cs, "AccountName");
    }
  }
  if (!url.sas.empty()) {
    RegisterSecret(url.sas);
    impl->auth = Impl::Auth::kSas;
  } else if (!key.empty()) {
    RegisterSecret(key);
    if (!key_account.empty() && !EqualsIgnoreCase(key_account, url.account)) {
      return Status::InvalidArgument(
          "the storage key given (AZURE_STORAGE_KEY / AZURE_STORAGE_CONNECTION_STRING) is for "
          "account " +
          key_account + ", but the URL names account " + url.account);
    }
    impl->auth = Impl::Auth::kSharedKey;
    impl->key = std::move(key);
  } else {
    impl->auth = Impl::Auth::kBearer;
    if (!options.credential) {
      auto chain = DefaultCredentialChain::FromSettings(settings, options.transport);
      if (!chain.ok()) return chain.status();
      options.credential = std::shared_ptr<TokenCredential>(std::move(chain.value()));
    }
  }
  impl->retry = std::make_unique<RetryPolicy>(options.retry);
  impl->options = std::move(options);
  return std::unique_ptr<BlobClient>(new BlobClient(url, std::move(impl)));
}

Status BlobClient::Upload(const std::string& blob, const std::string& path,
                          const std::map<std::string, std::string>& metadata) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + " does not exist");
    return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError("cannot read " + path + ": " + ec.message());
  const size_t block = std::max<size_t>(impl_->options.block_size, 1);
  const uint64_t blocks = std::max<uint64_t>(1, (size + block - 1) / block);
  if (blocks > 50000) {
    return Status::InvalidArgument(path + " needs more than 50,000 blocks of " +
                                   std::to_string(block) + " bytes; use larger blocks");
  }
  std::vector<std::pair<std::string, std::string>> meta;
  for (const auto& [k, v] : metadata) meta.push_back({"x-ms-meta-" + k, v});
  meta.push_back({"x-ms-blob-content-type", "application/zstd"});
  auto read_block = [&](uint64_t i, std::string* out) -> Status {
    const uint64_t off = i * block;
    out->resize(static_cast<size_t>(std::min<uint64_t>(block, size - std::min(size, off))));
    size_t got = 0;
    while (got < out->size()) {
      ssize_t n = ::pread(fd, out->data() + got, out->size() - got, static_cast<off_t>(off + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::IoError("reading " + path + " failed");
      got += static_cast<size_t>(n);
    }
    return Status::Ok();
  };
  const std::string what = "uploading " + url_.DisplayOf(blob);
  if (blocks == 1) {
    std::string body;
    ATG_RETURN_IF_ERROR(read_block(0, &body));
    auto headers = meta;
    headers.push_back({"x-ms-blob-type", "BlockBlob"});
    auto r = impl_->Send("PUT", blob, {}, headers, std::move(body));
    if (!r.ok()) return r.status();
    if (r->status != 201) return impl_->Unexpected(what, *r);
    return Status::Ok();
  }
  auto block_id = [](uint64_t i) {
    char id[32];
    std::snprintf(id, sizeof id, "atg-block-%010llu", static_cast<unsigned long long>(i));
    return Base64Encode(id);
  };
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  Status failure;
  auto worker = [&] {
    std::string body;
    while (true) {
      {
        std::lock_guard lk(mu);
        if (!failure.ok()) return;
      }
      const uint64_t i = next.fetch_add(1);
      if (i >= blocks) return;
      Status s = read_block(i, &body);
      if (s.ok()) {
        auto r = impl_->Send("PUT", blob, {{"comp", "block"}, {"blockid", block_id(i)}}, {}, body);
        if (!r.ok()) {
          s = r.status();
        } else if (r->status != 201) {
          s = impl_->Unexpected(what, *r);
        }
      }
      if (!s.ok()) {
        std::lock_guard lk(mu);
        if (failure.ok()) failure = s;
        return;
      }
    }
  };
  const int threads =
      static_cast<int>(std::min<uint64_t>(blocks, std::max(1, impl_->options.upload_threads)));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (!failure.ok()) return failure;
  std::string list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (uint64_t i = 0; i < blocks; ++i) list += "<Latest>" + block_id(i) + "</Latest>";
  list += "</BlockList>";
  auto r = impl_->Send("PUT", blob, {{"comp", "blocklist"}}, meta, std::move(list));
  if (!r.ok()) return r.status();
  if (r->status != 201)
    return impl_->Unexpected("committing the blocks of " + url_.DisplayOf(blob), *r);
  return Status::Ok();
}

Result<BlobItem> BlobClient::Properties(const std::string& blob) {
  auto r = impl_->Send("HEAD", blob, {});
  if (!r.ok()) return r.status();
  if (r->status == 404) {
    return Status::NotFound("there is no blob " + url_.DisplayOf(blob));
  }
  if (r->status != 200) return impl_->Unexpected("reading " + url_.DisplayOf(blob), *r);
  return Impl::ItemFromHeaders(blob, *r);
}

Result<BlobItem> BlobClient::Download(const std::string& blob, const std::string& path) {
  auto item = Properties(blob);
  if (!item.ok()) return item.status();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  Status s;
  for (uint64_t off = 0; off < item->size && s.ok();) {
    const uint64_t last = std::min<uint64_t>(item->size, off + kDownloadPiece) - 1;
    auto r =
        impl_->Send("GET", blob, {},
                    {{"x-ms-range", "bytes=" + std::to_string(off) + "-" + std::to_string(last)}});
    if (!r.ok()) {
      s = r.status();
    } else if (r->status != 206 && r->status != 200) {
      s = impl_->Unexpected("downloading " + url_.DisplayOf(blob), *r);
    } else if (r->body.size() != last - off + 1) {
      s = Status::Unavailable("downloading " + url_.DisplayOf(blob) +
                              " returned a short piece; try again");
    } else if (std::fwrite(r->body.data(), 1, r->body.size(), f) != r->body.size()) {
      s = Status::IoError("writing " + path + " failed; check free space");
    }
    off = last + 1;
  }
  if (std::fclose(f) != 0 && s.ok()) s = Status::IoError("writing " + path + " failed");
  if (!s.ok()) return s;
  return item;
}

Result<std::vector<BlobItem>> BlobClient::List(const std::string& prefix) {
  std::vector<BlobItem> out;
  std::string marker;
  do {
    std::vector<std::pair<std::string, std::string>> q = {
        {"restype", "container"}, {"comp", "list"}, {"include", "metadata"}};
    if (!prefix.empty()) q.push_back({"prefix", prefix});
    if (!marker.empty()) q.push_back({"marker", marker});
    auto r = impl_->Send("GET", "", q);
    if (!r.ok()) return r.status();
    if (r->status != 200) return impl_->Unexpected("listing " + url_.Display(), *r);
    std::string_view xml = r->body;
    size_t pos = 0, end = 0;
    while (true) {
      std::string_view b = XmlText(xml, "Blob", pos, &end);
      if (b.empty()) break;
      pos = end;
      BlobItem item;
      item.name = XmlUnescape(XmlText(b, "Name"));
      item.size = std::strtoull(std::string(XmlText(b, "Content-Length")).c_str(), nullptr, 10);
      std::string_view meta = XmlText(b, "Metadata");
      size_t m = 0;
      while (m < meta.size()) {
        size_t lt = meta.find('<', m);
        if (lt == std::string_view::npos) break;
        size_t gt = meta.find('>', lt);
        if (gt == std::string_view::npos || meta[lt + 1] == '/') break;
        std::string tag(meta.substr(lt + 1, gt - lt - 1));
        size_t close = meta.find("</" + tag + ">", gt);
        if (close == std::string_view::npos) break;
        item.metadata[ToLower(tag)] = XmlUnescape(meta.substr(gt + 1, close - gt - 1));
        m = close + tag.size() + 3;
      }
      out.push_back(std::move(item));
    }
    marker = std::string(XmlText(xml, "NextMarker"));
  } while (!marker.empty());
  return out;
}

Status BlobClient::CreateContainer() {
  auto r = impl_->Send("PUT", "", {{"restype", "container"}});
  if (!r.ok()) return r.status();
  if (r->status == 201 || r->status == 409) return Status::Ok();
  return impl_->Unexpected("creating container " + url_.container, *r);
}

Status BlobClient::Delete(const std::string& blob) {
  auto r = impl_->Send("DELETE", blob, {});
  if (!r.ok()) return r.status();
  if (r->status == 404) return Status::NotFound("there is no blob " + url_.DisplayOf(blob));
  if (r->status != 202) return impl_->Unexpected("deleting " + url_.DisplayOf(blob), *r);
  return Status::Ok();
}

}  // namespace atg::azure
