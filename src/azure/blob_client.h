// BlobClient: the Azure Blob Storage operations backups need — upload a file as a block blob,
// download one, list, read properties, delete — against one container, authorized the way the
// URL and the settings say:
//   1. a SAS token in the URL's query (sig=...), used as is;
//   2. Shared Key: AZURE_STORAGE_KEY, or the AccountKey of AZURE_STORAGE_CONNECTION_STRING, for
//      the URL's account;
//   3. otherwise a bearer token for https://storage.azure.com/ from the credential chain
//      (credential_chain.h: a managed identity with ATG_USE_MANAGED_IDENTITY=true, workload
//      identity, a client secret, or the Azure CLI); the identity needs the
//      "Storage Blob Data Contributor" role on the container.
// Requests are retried (408, 429, 5xx, network errors) with the back-off of retry_policy.h.
// Secrets (the key, the SAS, tokens) never appear in errors or logs: URLs are shown without
// their query.
//
// Thread-safety: every method may be called from any thread at once.
#ifndef ATG_AZURE_BLOB_CLIENT_H_
#define ATG_AZURE_BLOB_CLIENT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "azure/credential.h"
#include "azure/http_transport.h"
#include "azure/retry_policy.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::azure {

// A blob or a place for blobs, from a URL:
//   https://<account>.blob.core.windows.net/<container>[/<name>][?<sas>]
//   http(s)://<ip or localhost>[:port]/<account>/<container>[/<name>][?<sas>]   (Azurite)
// `name` is a blob name, or a "directory" prefix when the URL ends in '/' (or names only the
// container: then "").
struct BlobUrl {
  std::string origin;  // scheme://host[:port]
  std::string account;
  std::string base_path;  // "" or "/<account>" for the path-style form
  std::string container;
  std::string name;
  std::string sas;  // the query without '?': a secret

  bool names_blob() const { return !name.empty() && name.back() != '/'; }
  // The URL without its query, for messages.
  std::string Display() const;
  // The display URL of blob `blob` of the container.
  std::string DisplayOf(std::string_view blob) const;
};

// kInvalidArgument saying what shape is expected.
Result<BlobUrl> ParseBlobUrl(std::string_view url);

struct BlobItem {
  std::string name;
  uint64_t size = 0;
  std::map<std::string, std::string> metadata;  // x-ms-meta-* without the prefix, lower-case
};

struct BlobClientOptions {
  size_t block_size = 8 << 20;  // Put Block size for uploads
  int upload_threads = 4;       // blocks in flight at once
  RetryOptions retry;
  std::shared_ptr<HttpTransport> transport;     // null: a CurlTransport
  std::shared_ptr<TokenCredential> credential;  // null: the chain from the settings
};

class BlobClient {
 public:
  // Picks the authorization (see the file comment) and checks nothing over the network yet.
  static Result<std::unique_ptr<BlobClient>> Create(const BlobUrl& url, const Settings& settings,
                                                    BlobClientOptions options = {});
  ~BlobClient();

  const BlobUrl& url() const { return url_; }
  // "sas", "shared_key" or "bearer", for reports.
  std::string_view auth() const;

  // Uploads the file at `path` as block blob `blob` (Put Block in `block_size` pieces, several
  // at once, then Put Block List with `metadata` and content type application/zstd); the blob
  // appears only when every block is in. kNotFound for a missing file; kUnauthenticated /
  // kPermissionDenied when the account refuses; kUnavailable otherwise.
  Status Upload(const std::string& blob, const std::string& path,
                const std::map<std::string, std::string>& metadata);

  // Downloads blob `blob` into the file `path` (created or replaced), in ranged pieces.
  // kNotFound when there is no such blob.
  Result<BlobItem> Download(const std::string& blob, const std::string& path);

  Result<BlobItem> Properties(const std::string& blob);
  // Blobs whose names start with `prefix`, with their metadata.
  Result<std::vector<BlobItem>> List(const std::string& prefix);
  // kNotFound when there is no such blob.
  Status Delete(const std::string& blob);
  // Creates the container; one that exists already is fine. Backups expect the container to
  // be made with the storage account (with its access and retention policies), so only tests
  // and set-up scripts call this.
  Status CreateContainer();

 private:
  struct Impl;
  BlobClient(BlobUrl url, std::unique_ptr<Impl> impl);
  BlobUrl url_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_BLOB_CLIENT_H_
