#include "jobs/azure_blob_artifact_store.h"

#include <chrono>
#include <cstdio>
#include <cstring>

#include "azure/storage_shared_key.h"
#include "common/base64.h"
#include "common/strings.h"
#include "jobs/digest.h"
#include "jobs/job.h"

namespace atg::jobs {
namespace {

constexpr const char* kVersion = "2021-08-06";
constexpr std::string_view kSuffix = ".tar.gz";

// The text of the first <tag>...</tag> in `xml` after `from`; "" when absent.
std::string XmlText(std::string_view xml, std::string_view tag, size_t from = 0,
                    size_t* end = nullptr) {
  std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t a = xml.find(open, from);
  if (a == std::string_view::npos) return "";
  a += open.size();
  size_t b = xml.find(close, a);
  if (b == std::string_view::npos) return "";
  if (end) *end = b + close.size();
  return std::string(xml.substr(a, b - a));
}

class BlobStore;

class BlobReader : public ArtifactReader {
 public:
  BlobReader(BlobStore* store, Artifact a) : store_(store), artifact_(std::move(a)) {}
  const Artifact& artifact() const override { return artifact_; }
  Result<std::string> ReadAt(uint64_t offset, size_t max) override;

 private:
  BlobStore* store_;
  Artifact artifact_;
};

class BlobStore : public ArtifactStore {
 public:
  BlobStore(AzureBlobArtifactOptions o, std::string origin, std::string base_path)
      : o_(std::move(o)), origin_(std::move(origin)), base_path_(std::move(base_path)) {}

  std::string_view backend() const override { return "azure_blob"; }

  // One signed request to <base_path>/<container><suffix>.
  Result<azure::HttpClientResponse> Send(
      const std::string& method, const std::string& suffix,
      std::vector<std::pair<std::string, std::string>> query,
      std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = {}) {
    azure::SharedKeyRequest req;
    req.method = method;
    req.path = base_path_ + "/" + o_.container + suffix;
    req.query = query;
    req.headers = std::move(headers);
    req.headers.push_back({"x-ms-date", azure::StorageDate(std::chrono::system_clock::now())});
    req.headers.push_back({"x-ms-version", kVersion});
    if (method == "PUT") {
      req.headers.push_back({"Content-Length", std::to_string(body.size())});
      // Set it ourselves: libcurl would otherwise add a form content type for a body, which the
      // signature does not cover.
      if (!body.empty()) req.headers.push_back({"Content-Type", "application/octet-stream"});
    }
    auto auth = azure::SharedKeyAuthorization(o_.account, o_.account_key, req);
    if (!auth.ok()) return auth.status();
    azure::HttpClientRequest http;
    http.method = method;
    http.url = origin_ + req.path;
    for (size_t i = 0; i < query.size(); ++i) {
      http.url += (i ? "&" : "?") + query[i].first + "=" + UrlEncode(query[i].second);
    }
    for (auto& [k, v] : req.headers) http.headers.Add(k, v);
    http.headers.Add("Authorization", auth.value());
    http.body = std::move(body);
    auto r = o_.transport->Send(http);
    if (!r.ok()) return r.status();
    if (r->status == 403) {
      return Status::Unauthenticated("Blob storage refused the account key for " + o_.account +
                                     " (" + std::to_string(r->status) + ")");
    }
    return r;
  }

  static Status Unexpected(const std::string& what, const azure::HttpClientResponse& r) {
    std::string code = XmlText(r.body, "Code");
    return Status::Unavailable(what + " failed: HTTP " + std::to_string(r.status) +
                               (code.empty() ? "" : " " + code));
  }

  Status EnsureContainer() {
    auto r = Send("PUT", "", {{"restype", "container"}});
    if (!r.ok()) return r.status();
    if (r->status == 201 || r->status == 409) return Status::Ok();  // 409: already exists
    return Unexpected("creating container " + o_.container, r.value());
  }

  Result<Artifact> Put(std::string_view job_id, const std::string& path) override {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
      if (errno == ENOENT) return Status::NotFound("artifact source " + path + " does not exist");
      return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
    }
    Artifact a;
    a.id = NewArtifactId();
    a.job_id = std::string(job_id);
    std::string blob = "/" + a.id + std::string(kSuffix);
    Sha256 sha;
    std::string block_list = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
    std::string buf(o_.block_size, '\0');
    int index = 0;
    Status failure;
    while (true) {
      size_t n = std::fread(buf.data(), 1, buf.size(), f);
      if (n == 0) break;
      sha.Update(buf.data(), n);
      a.size += n;
      char id[16];
      std::snprintf(id, sizeof id, "blk%08d", index++);
      std::string block_id = Base64Encode(id);
      auto r = Send("PUT", blob, {{"comp", "block"}, {"blockid", block_id}}, {}, buf.substr(0, n));
      if (!r.ok()) {
        failure = r.status();
        break;
      }
      if (r->status != 201) {
        failure = Unexpected("uploading " + a.id, r.value());
        break;
      }
      block_list += "<Latest>" + block_id + "</Latest>";
    }
    bool read_failed = std::ferror(f);
    std::fclose(f);
    if (read_failed) return Status::IoError("reading " + path + " failed");
    if (!failure.ok()) return failure;
    block_list += "</BlockList>";
    auto digest = sha.HexFinal();
    if (!digest.ok()) return digest.status();
    a.sha256 = std::move(digest.value());
    a.etag = "\"" + a.sha256 + "\"";
    a.created_at_ms = ToUnixMs(o_.clock->WallNow());
    auto r = Send("PUT", blob, {{"comp", "blocklist"}},
                  {{"x-ms-blob-content-type", "application/gzip"},
                   {"x-ms-meta-job_id", a.job_id},
                   {"x-ms-meta-sha256", a.sha256},
                   {"x-ms-meta-created_at_ms", std::to_string(a.created_at_ms)}},
                  block_list);
    if (!r.ok()) return r.status();
    if (r->status != 201) return Unexpected("committing " + a.id, r.value());
    return a;
  }

  Result<Artifact> Stat(std::string_view id) override {
    if (!IsValidArtifactId(id)) {
      return Status::InvalidArgument("'" + std::string(id.substr(0, 64)) +
                                     "' is not an artifact id (art_ + 32 hex digits)");
    }
    auto r = Send("HEAD", "/" + std::string(id) + std::string(kSuffix), {});
    if (!r.ok()) return r.status();
    if (r->status == 404) {
      return Status::NotFound("artifact " + std::string(id) +
                              " does not exist (it may have expired)");
    }
    if (r->status != 200) return Unexpected("reading artifact " + std::string(id), r.value());
    Artifact a;
    a.id = std::string(id);
    auto get = [&](std::string_view h) { return std::string(r->headers.Get(h).value_or("")); };
    a.job_id = get("x-ms-meta-job_id");
    a.sha256 = get("x-ms-meta-sha256");
    a.etag = "\"" + a.sha256 + "\"";
    a.size = std::strtoull(get("Content-Length").c_str(), nullptr, 10);
    a.created_at_ms = std::strtoll(get("x-ms-meta-created_at_ms").c_str(), nullptr, 10);
    if (a.sha256.size() != 64) {
      return Status::IoError("artifact " + a.id + " has no digest metadata; it is damaged");
    }
    return a;
  }

  Result<std::unique_ptr<ArtifactReader>> Open(std::string_view id) override {
    auto a = Stat(id);
    if (!a.ok()) return a.status();
    return std::unique_ptr<ArtifactReader>(new BlobReader(this, std::move(a.value())));
  }

  Result<std::string> Read(const Artifact& a, uint64_t offset, size_t max) {
    if (offset >= a.size || max == 0) return std::string();
    uint64_t last = std::min<uint64_t>(a.size, offset + max) - 1;
    auto r = Send("GET", "/" + a.id + std::string(kSuffix), {},
                  {{"x-ms-range", "bytes=" + std::to_string(offset) + "-" + std::to_string(last)}});
    if (!r.ok()) return r.status();
    if (r->status == 404) return Status::NotFound("artifact " + a.id + " was removed");
    if (r->status != 206 && r->status != 200) return Unexpected("reading " + a.id, r.value());
    return std::move(r->body);
  }

  Status Delete(std::string_view id) override {
    if (!IsValidArtifactId(id)) {
      return Status::InvalidArgument("'" + std::string(id.substr(0, 64)) +
                                     "' is not an artifact id");
    }
    auto r = Send("DELETE", "/" + std::string(id) + std::string(kSuffix), {});
    if (!r.ok()) return r.status();
    if (r->status == 404)
      return Status::NotFound("artifact " + std::string(id) + " does not exist");
    if (r->status != 202) return Unexpected("deleting " + std::string(id), r.value());
    return Status::Ok();
  }

  Result<int> SweepExpired(std::chrono::milliseconds ttl) override {
    if (ttl.count() <= 0) return 0;
    const int64_t cutoff = ToUnixMs(o_.clock->WallNow()) - ttl.count();
    int removed = 0;
    std::string marker;
    do {
      std::vector<std::pair<std::string, std::string>> q = {
          {"restype", "container"}, {"comp", "list"}, {"prefix", "art_"}, {"include", "metadata"}};
      if (!marker.empty()) q.push_back({"marker", marker});
      auto r = Send("GET", "", q);
      if (!r.ok()) return r.status();
      if (r->status != 200) return Unexpected("listing " + o_.container, r.value());
      const std::string& xml = r->body;
      size_t pos = 0, end = 0;
      while (true) {
        std::string blob = XmlText(xml, "Blob", pos, &end);
        if (blob.empty()) break;
        pos = end;
        std::string name = XmlText(blob, "Name");
        if (name.size() <= kSuffix.size()) continue;
        std::string id = name.substr(0, name.size() - kSuffix.size());
        if (!IsValidArtifactId(id) || name.substr(id.size()) != kSuffix) continue;
        std::string created = XmlText(blob, "created_at_ms");
        if (created.empty()) continue;  // an upload in progress has no metadata yet
        if (std::strtoll(created.c_str(), nullptr, 10) < cutoff && Delete(id).ok()) ++removed;
      }
      marker = XmlText(xml, "NextMarker");
    } while (!marker.empty());
    return removed;
  }

 private:
  AzureBlobArtifactOptions o_;
  std::string origin_;     // scheme://host[:port]
  std::string base_path_;  // "" or "/devstoreaccount1"
};

Result<std::string> BlobReader::ReadAt(uint64_t offset, size_t max) {
  return store_->Read(artifact_, offset, max);
}

}  // namespace

Result<std::unique_ptr<ArtifactStore>> OpenAzureBlobArtifactStore(
    AzureBlobArtifactOptions options) {
  std::string_view e = options.endpoint;
  size_t scheme = e.find("://");
  if (scheme == std::string_view::npos || options.account.empty()) {
    return Status::InvalidArgument(
        "the Blob endpoint must look like https://<account>.blob.core.windows.net and an "
        "account name is required");
  }
  size_t slash = e.find('/', scheme + 3);
  std::string origin(e.substr(0, slash));
  std::string base = slash == std::string_view::npos ? "" : std::string(e.substr(slash));
  while (!base.empty() && base.back() == '/') base.pop_back();
  bool valid_container = options.container.size() >= 3 && options.container.size() <= 63;
  for (char c : options.container) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) valid_container = false;
  }
  if (!valid_container) {
    return Status::InvalidArgument("container name '" + options.container +
                                   "' is not valid: 3-63 lower-case letters, digits, '-'");
  }
  if (!options.transport) options.transport = std::make_shared<azure::CurlTransport>();
  if (options.clock == nullptr) options.clock = Clock::Real();
  auto store = std::make_unique<BlobStore>(std::move(options), origin, base);
  ATG_RETURN_IF_ERROR(store->EnsureContainer());
  return std::unique_ptr<ArtifactStore>(std::move(store));
}

}  // namespace atg::jobs
