// The Azure Blob Storage backend of ArtifactStore: one block blob per artifact
// (<container>/art_<hex>.tar.gz) with the artifact's metadata as blob metadata (job_id, sha256,
// created_at_ms), authorized with the account's Shared Key. Works against Azure and Azurite.
//
// Thread-safety: as ArtifactStore (every method from any thread at once).
#ifndef ATG_JOBS_AZURE_BLOB_ARTIFACT_STORE_H_
#define ATG_JOBS_AZURE_BLOB_ARTIFACT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "azure/http_transport.h"
#include "jobs/artifact_store.h"

namespace atg::jobs {

struct AzureBlobArtifactOptions {
  // The Blob service endpoint: "https://<account>.blob.core.windows.net" or, for Azurite,
  // "http://127.0.0.1:10000/devstoreaccount1" (the account is then the first path segment).
  std::string endpoint;
  std::string account;
  std::string account_key;              // base64; a secret (never logged or put in an error)
  std::string container = "artifacts";  // created when missing
  std::shared_ptr<azure::HttpTransport> transport;  // null: a CurlTransport
  Clock* clock = Clock::Real();  // created_at and expiry (not owned; tests pass a FakeClock)
  size_t block_size = 4 << 20;   // upload block size (Put Block + Put Block List)
};

// Opens the store and creates the container when it does not exist. Errors: kInvalidArgument
// (bad endpoint or key), kUnauthenticated (the key was refused), kUnavailable (no answer).
Result<std::unique_ptr<ArtifactStore>> OpenAzureBlobArtifactStore(AzureBlobArtifactOptions options);

}  // namespace atg::jobs

#endif  // ATG_JOBS_AZURE_BLOB_ARTIFACT_STORE_H_
