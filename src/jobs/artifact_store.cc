#include "jobs/artifact_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/data_dir.h"
#include "common/json.h"
#include "common/log.h"
#include "common/random.h"
#include "jobs/azure_blob_artifact_store.h"
#include "jobs/digest.h"
#include "jobs/job.h"

namespace atg::jobs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "art_";
constexpr std::string_view kDataSuffix = ".tar.gz";
constexpr std::string_view kMetaSuffix = ".json";
constexpr std::string_view kTempPrefix = ".tmp-";

json::object ToJson(const Artifact& a) {
  return json::object{{"id", a.id},
                      {"job_id", a.job_id},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"created_at_ms", a.created_at_ms}};
}

Result<Artifact> FromJson(const json::value& v, std::string_view id) {
  const json::object* o = v.if_object();
  auto job = FindString(o, "job_id");
  auto sha = FindString(o, "sha256");
  auto size = FindInt(o, "size");
  auto created = FindInt(o, "created_at_ms");
  if (!o || !job || !sha || !size || !created || *size < 0) {
    return Status::IoError("metadata of artifact " + std::string(id) +
                           " is damaged; delete the artifact");
  }
  Artifact a;
  a.id = std::string(id);
  a.job_id = std::string(*job);
  a.size = static_cast<uint64_t>(*size);
  a.sha256 = std::string(*sha);
  a.etag = "\"" + a.sha256 + "\"";
  a.created_at_ms = *created;
  return a;
}

class FileReader : public ArtifactReader {
 public:
  FileReader(int fd, Artifact artifact) : fd_(fd), artifact_(std::move(artifact)) {}
  ~FileReader() override { ::close(fd_); }
  const Artifact& artifact() const override { return artifact_; }
  Result<std::string> ReadAt(uint64_t offset, size_t max) override {
    if (offset >= artifact_.size) return std::string();
    std::string out(std::min<uint64_t>(max, artifact_.size - offset), '\0');
    size_t got = 0;
    while (got < out.size()) {
      ssize_t n =
          ::pread(fd_, out.data() + got, out.size() - got, static_cast<off_t>(offset + got));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return Status::IoError("reading artifact " + artifact_.id +
                               " failed: " + std::strerror(errno));
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    out.resize(got);
    return out;
  }

 private:
  int fd_;
  Artifact artifact_;
};

class FilesystemArtifactStore : public ArtifactStore {
 public:
  FilesystemArtifactStore(fs::path dir, Clock* clock) : dir_(std::move(dir)), clock_(clock) {}

  std::string_view backend() const override { return "filesystem"; }

  Result<Artifact> Put(std::string_view job_id, const std::string& path) override {
    int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      if (errno == ENOENT) return Status::NotFound("artifact source " + path + " does not exist");
      return Status::IoError("cannot read " + path + ": " + std::strerror(errno));
    }
    Artifact a;
    a.id = NewArtifactId();
    a.job_id = std::string(job_id);
    fs::path tmp = dir_ / (std::string(kTempPrefix) + a.id);
    int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (out < 0) {
      ::close(in);
      return Status::IoError("cannot create " + tmp.string() + ": " + std::strerror(errno) +
                             "; check ATG_DATA_DIR");
    }
    Sha256 sha;
    std::string buf(1 << 16, '\0');
    Status failure;
    while (true) {
      ssize_t n = ::read(in, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        failure = Status::IoError("reading " + path + " failed: " + std::strerror(errno));
        break;
      }
      if (n == 0) break;
      sha.Update(buf.data(), static_cast<size_t>(n));
      for (ssize_t w = 0; w < n;) {
        ssize_t k = ::write(out, buf.data() + w, static_cast<size_t>(n - w));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
          failure = Status::IoError("writing " + tmp.string() + " failed: " + std::strerror(errno) +
                                    "; check free space in ATG_DATA_DIR");
          break;
        }
        w += k;
      }
      if (!failure.ok()) break;
      a.size += static_cast<uint64_t>(n);
    }
    ::close(in);
    if (failure.ok() && ::fsync(out) != 0) {
      failure = Status::IoError("flushing " + tmp.string() + " failed: " + std::strerror(errno));
    }
    ::close(out);
    std::error_code ec;
    if (!failure.ok()) {
      fs::remove(tmp, ec);
      return failure;
    }
    auto digest = sha.HexFinal();
    if (!digest.ok()) {
      fs::remove(tmp, ec);
      return digest.status();
    }
    a.sha256 = std::move(digest.value());
    a.etag = "\"" + a.sha256 + "\"";
    a.created_at_ms = ToUnixMs(clock_->WallNow());
    // Data first, metadata last: an artifact exists once its metadata does.
    fs::rename(tmp, DataPath(a.id), ec);
    if (!ec) {
      Status meta = WriteJsonFile(MetaPath(a.id).string(), ToJson(a));
      if (!meta.ok()) {
        fs::remove(DataPath(a.id), ec);
        return meta;
      }
    } else {
      fs::remove(tmp, ec);
      return Status::IoError("storing artifact in " + dir_.string() + " failed");
    }
    return a;
  }

  Result<Artifact> Stat(std::string_view id) override {
    if (!IsValidArtifactId(id)) {
      return Status::InvalidArgument("'" + std::string(id.substr(0, 64)) +
                                     "' is not an artifact id (art_ + 32 hex digits)");
    }
    std::error_code ec;
    if (!fs::exists(MetaPath(id), ec)) {
      return Status::NotFound("artifact " + std::string(id) +
                              " does not exist (it may have expired)");
    }
    auto v = ReadJsonFile(MetaPath(id).string());
    if (!v.ok()) return v.status();
    return FromJson(v.value(), id);
  }

  Result<std::unique_ptr<ArtifactReader>> Open(std::string_view id) override {
    auto a = Stat(id);
    if (!a.ok()) return a.status();
    int fd = ::open(DataPath(id).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::NotFound("artifact " + std::string(id) + " was removed");
      return Status::IoError("cannot open artifact " + std::string(id) + ": " +
                             std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) != a->size) {
      ::close(fd);
      return Status::IoError("artifact " + std::string(id) +
                             " does not have its recorded size; it is damaged");
    }
    return std::unique_ptr<ArtifactReader>(new FileReader(fd, std::move(a.value())));
  }

  Status Delete(std::string_view id) override {
    if (!IsValidArtifactId(id)) {
      return Status::InvalidArgument("'" + std::string(id.substr(0, 64)) +
                                     "' is not an artifact id");
    }
    std::error_code ec;
    bool had_meta = fs::remove(MetaPath(id), ec);
    bool had_data = fs::remove(DataPath(id), ec);
    if (!had_meta && !had_data) {
      return Status::NotFound("artifact " + std::string(id) + " does not exist");
    }
    return Status::Ok();
  }

  Result<int> SweepExpired(std::chrono::milliseconds ttl) override {
    if (ttl.count() <= 0) return 0;
    const int64_t now = ToUnixMs(clock_->WallNow());
    const int64_t cutoff = now - ttl.count();
    int removed = 0;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(it->path());
    }
    if (ec) return Status::IoError("listing " + dir_.string() + " failed: " + ec.message());
    auto file_age_ms = [&](const fs::path& p) -> int64_t {
      struct stat st {};
      if (::stat(p.c_str(), &st) != 0) return 0;
      // File times are real time, whatever clock the store was given.
      return NowMs() - static_cast<int64_t>(st.st_mtime) * 1000;
    };
    for (const fs::path& p : entries) {
      std::string name = p.filename().string();
      if (name.rfind(kTempPrefix, 0) == 0) {
        // An interrupted Put; one hour is far longer than any copy takes.
        if (file_age_ms(p) > 3600 * 1000) fs::remove(p, ec);
        continue;
      }
      if (name.size() <= kMetaSuffix.size() ||
          name.compare(name.size() - kMetaSuffix.size(), kMetaSuffix.size(), kMetaSuffix) != 0) {
        continue;
      }
      std::string id = name.substr(0, name.size() - kMetaSuffix.size());
      if (!IsValidArtifactId(id)) continue;
      auto a = Stat(id);
      int64_t created = a.ok() ? a->created_at_ms : now - file_age_ms(p);
      if (created < cutoff && Delete(id).ok()) ++removed;
    }
    // Data files whose metadata is gone (a crash between the two removals or writes).
    for (const fs::path& p : entries) {
      std::string name = p.filename().string();
      if (name.size() <= kDataSuffix.size()) continue;
      std::string id = name.substr(0, name.size() - kDataSuffix.size());
      if (IsValidArtifactId(id) && name.substr(id.size()) == kDataSuffix &&
          !fs::exists(MetaPath(id), ec) && fs::exists(p, ec) && file_age_ms(p) > ttl.count()) {
        fs::remove(p, ec);
      }
    }
    return removed;
  }

 private:
  fs::path DataPath(std::string_view id) const {
    return dir_ / (std::string(id) + std::string(kDataSuffix));
  }
  fs::path MetaPath(std::string_view id) const {
    return dir_ / (std::string(id) + std::string(kMetaSuffix));
  }

  const fs::path dir_;
  Clock* const clock_;
};

}  // namespace

std::string NewArtifactId() { return std::string(kPrefix) + RandomHex(16); }

bool IsValidArtifactId(std::string_view id) {
  if (id.size() != kPrefix.size() + 32 || id.substr(0, kPrefix.size()) != kPrefix) return false;
  for (char c : id.substr(kPrefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::unique_ptr<ArtifactStore>> OpenFilesystemArtifactStore(const std::string& dir,
                                                                   Clock* clock) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return Status::IoError("cannot create the artifact directory " + dir + ": " + ec.message() +
                           "; check ATG_DATA_DIR");
  }
  return std::unique_ptr<ArtifactStore>(new FilesystemArtifactStore(dir, clock));
}

Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const Settings& settings) {
  if (auto endpoint = settings.Get("ATG_ARTIFACT_BLOB_ENDPOINT"); endpoint && !endpoint->empty()) {
    AzureBlobArtifactOptions o;
    o.endpoint = *endpoint;
    o.account = settings.GetString("ATG_ARTIFACT_BLOB_ACCOUNT", "");
    o.account_key = settings.GetString("ATG_ARTIFACT_BLOB_KEY", "");
    o.container = settings.GetString("ATG_ARTIFACT_BLOB_CONTAINER", "artifacts");
    if (o.account.empty() || o.account_key.empty()) {
      return Status::InvalidArgument(
          "ATG_ARTIFACT_BLOB_ENDPOINT is set but ATG_ARTIFACT_BLOB_ACCOUNT or "
          "ATG_ARTIFACT_BLOB_KEY is not: set both (or unset the endpoint to keep artifacts in "
          "ATG_DATA_DIR)");
    }
    RegisterSecret(o.account_key);
    auto store = OpenAzureBlobArtifactStore(std::move(o));
    if (!store.ok()) return store.status().WithContext("opening the artifact blob container");
    return store;
  }
  auto dir = DataDir(settings);
  if (!dir.ok()) return dir.status();
  return OpenFilesystemArtifactStore(dir.value() + "/artifacts");
}

Result<std::chrono::milliseconds> ArtifactTtl(const Settings& settings) {
  auto days = settings.GetInt("ATG_ARTIFACT_TTL_DAYS", 7, 0, 3650);
  if (!days.ok()) return days.status();
  return std::chrono::milliseconds(days.value() * 24 * 3600 * 1000);
}

ArtifactSweeper::ArtifactSweeper(ArtifactStore* store, std::chrono::milliseconds ttl,
                                 std::chrono::milliseconds interval)
    : store_(store), ttl_(ttl), interval_(interval) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      auto removed = store_->SweepExpired(ttl_);
      if (!removed.ok()) {
        LogWarning("artifact sweep failed: {}", removed.status().message());
      } else if (removed.value() > 0) {
        LogInfo("artifact sweep removed {} expired artifacts", removed.value());
      }
      lock.lock();
      ++runs_;
      if (removed.ok()) swept_ += removed.value();
      cv_.notify_all();
      cv_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

ArtifactSweeper::~ArtifactSweeper() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

int64_t ArtifactSweeper::swept() const {
  std::lock_guard lock(mu_);
  return swept_;
}

int64_t ArtifactSweeper::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace atg::jobs
