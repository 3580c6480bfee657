// ArtifactStore: where job output archives live between the worker that made them and the
// client that downloads them (GET /api/v1/jobs/{id}/artifacts), until they expire
// (ATG_ARTIFACT_TTL_DAYS). One interface, a filesystem backend under DataDir/artifacts/ (an
// Azure Blob backend can implement the same interface).
//
// Artifacts are addressed only by ids the store made ("art_" + 32 hex digits); ids are
// validated before any lookup and mapped to file names by the store, so no request text ever
// becomes a path.
//
// Thread-safety: every method may be called from any thread at once; several processes may
// share one directory (writes are a temp file plus rename).
#ifndef ATG_JOBS_ARTIFACT_STORE_H_
#define ATG_JOBS_ARTIFACT_STORE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"

namespace atg::jobs {

struct Artifact {
  std::string id;      // "art_" + 32 lower-case hex
  std::string job_id;  // the job that produced it
  uint64_t size = 0;
  std::string sha256;  // hex digest of the content, computed by the store while storing
  std::string etag;    // strong ETag: the quoted sha256
  int64_t created_at_ms = 0;
};

// A fresh artifact id: "art_" + 32 lower-case hex digits from the CSPRNG (unguessable, like
// job ids), for every ArtifactStore implementation.
std::string NewArtifactId();
// True for exactly that shape.
bool IsValidArtifactId(std::string_view id);

// Random-access reads of one stored artifact (for Range requests).
// Thread-safety: ReadAt may be called from several threads at once. Ownership: holds the
// content open; a Delete or expiry meanwhile does not cut an ongoing download short.
class ArtifactReader {
 public:
  virtual ~ArtifactReader() = default;
  virtual const Artifact& artifact() const = 0;
  // Up to `max` bytes from `offset`; fewer only at the end ("" at or past the end).
  virtual Result<std::string> ReadAt(uint64_t offset, size_t max) = 0;
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  virtual std::string_view backend() const = 0;  // "filesystem", "azure_blob"

  // Stores a copy of the file at `path` for `job_id` under a new id. kNotFound when `path`
  // does not exist, kIoError when copying fails (nothing is left behind).
  virtual Result<Artifact> Put(std::string_view job_id, const std::string& path) = 0;

  // The artifact's metadata. kInvalidArgument for a malformed id, kNotFound when there is no
  // such artifact (never stored, deleted or expired).
  virtual Result<Artifact> Stat(std::string_view id) = 0;

  // Opens the artifact for reading; errors as Stat.
  virtual Result<std::unique_ptr<ArtifactReader>> Open(std::string_view id) = 0;

  // Removes the artifact. kNotFound when it does not exist.
  virtual Status Delete(std::string_view id) = 0;

  // Removes artifacts created more than `ttl` ago (and leftovers of interrupted Puts);
  // returns how many artifacts were removed. A zero ttl removes nothing.
  virtual Result<int> SweepExpired(std::chrono::milliseconds ttl) = 0;
};

// The filesystem backend rooted at `dir` (created if missing). `clock` (not owned; must outlive
// the store) gives created_at and decides expiry; tests pass a FakeClock.
Result<std::unique_ptr<ArtifactStore>> OpenFilesystemArtifactStore(const std::string& dir,
                                                                   Clock* clock = Clock::Real());

// The store the settings select: Azure Blob Storage when ATG_ARTIFACT_BLOB_ENDPOINT is set
// (with ATG_ARTIFACT_BLOB_ACCOUNT, ATG_ARTIFACT_BLOB_KEY and ATG_ARTIFACT_BLOB_CONTAINER, default
// "artifacts"), else the filesystem backend at DataDir(settings)/artifacts.
Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const Settings& settings);

// ATG_ARTIFACT_TTL_DAYS (default 7; 0 = keep forever) as a duration.
Result<std::chrono::milliseconds> ArtifactTtl(const Settings& settings);

// Runs store->SweepExpired(ttl) every `interval` on its own thread (first run at once) until
// destroyed. `store` must outlive the sweeper.
class ArtifactSweeper {
 public:
  ArtifactSweeper(ArtifactStore* store, std::chrono::milliseconds ttl,
                  std::chrono::milliseconds interval = std::chrono::hours(1));
  ~ArtifactSweeper();
  ArtifactSweeper(const ArtifactSweeper&) = delete;
  ArtifactSweeper& operator=(const ArtifactSweeper&) = delete;

  int64_t swept() const;  // artifacts removed so far
  int64_t runs() const;   // sweeps completed so far

 private:
  ArtifactStore* store_;
  const std::chrono::milliseconds ttl_, interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  int64_t swept_ = 0;      // guarded by mu_
  int64_t runs_ = 0;       // guarded by mu_
  std::thread thread_;
};

}  // namespace atg::jobs

#endif  // ATG_JOBS_ARTIFACT_STORE_H_
