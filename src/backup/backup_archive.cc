#include "backup/backup_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "common/random.h"

namespace atg::backup {
namespace {

namespace fs = std::filesystem;

// No record of a real graph comes near this (a resource body is at most a few MB); a longer
// line means a damaged or hostile file, and reading it would only exhaust memory.
constexpr size_t kMaxLine = 64u << 20;
constexpr size_t kMaxManifest = 64u << 20;

std::string ArchiveError(archive* a) {
  const char* e = archive_error_string(a);
  return e ? e : "unknown libarchive error";
}

struct Sink {
  std::FILE* file = nullptr;
  Sha256Hasher sha;
  uint64_t size = 0;
};

la_ssize_t WriteToSink(archive*, void* client, const void* buffer, size_t length) {
  auto* sink = static_cast<Sink*>(client);
  if (std::fwrite(buffer, 1, length, sink->file) != length) return -1;
  sink->sha.Update(std::string_view(static_cast<const char*>(buffer), length));
  sink->size += length;
  return static_cast<la_ssize_t>(length);
}

Status IoFailed(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + " failed: " + std::strerror(errno) +
                         "; check free space and permissions");
}

}  // namespace

// ---- writer ----

Result<std::unique_ptr<ArchiveWriter>> ArchiveWriter::Create(const std::string& staging_parent) {
  std::error_code ec;
  fs::path parent = staging_parent.empty() ? fs::path(".") : fs::path(staging_parent);
  fs::path dir = parent / (".atg-backup-staging-" + RandomHex(8));
  if (!fs::create_directory(dir, ec)) {
    return Status::IoError("cannot create the staging directory " + dir.string() + ": " +
                           ec.message() + "; check that " + parent.string() +
                           " exists and is writable");
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return std::unique_ptr<ArchiveWriter>(new ArchiveWriter(dir.string()));
}

ArchiveWriter::~ArchiveWriter() {
  for (auto& p : parts_) {
    if (p->out_ != nullptr) std::fclose(p->out_);
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Status ArchiveWriter::Part::Open() {
  out_ = std::fopen(file_.c_str(), "wb");
  if (out_ == nullptr) return IoFailed("creating the staged part", file_);
  std::setvbuf(out_, nullptr, _IOFBF, 1 << 20);
  hasher_ = std::make_unique<Sha256Hasher>();
  info_.bytes = 0;
  info_.records = 0;
  info_.sha256.clear();
  return Status::Ok();
}

Status ArchiveWriter::Part::WriteLine(std::string_view line) {
  if (out_ == nullptr) return Status::Internal("writing to the closed backup part " + info_.path);
  if (std::fwrite(line.data(), 1, line.size(), out_) != line.size() ||
      std::fputc('\n', out_) == EOF) {
    return IoFailed("writing the staged part", file_);
  }
  hasher_->Update(line);
  hasher_->Update("\n");
  info_.bytes += line.size() + 1;
  ++info_.records;
  return Status::Ok();
}

Status ArchiveWriter::Part::Reset() {
  if (out_ != nullptr) std::fclose(out_);
  out_ = nullptr;
  return Open();
}

Status ArchiveWriter::Part::Close() {
  if (out_ == nullptr) return Status::Ok();
  bool ok = std::fflush(out_) == 0 && !std::ferror(out_);
  std::fclose(out_);
  out_ = nullptr;
  if (!ok) return IoFailed("writing the staged part", file_);
  auto digest = hasher_->Finish();
  hasher_.reset();
  if (!digest.ok()) return digest.status().WithContext("computing the digest of " + file_);
  info_.sha256 = HexEncode(*digest);
  return Status::Ok();
}

Result<ArchiveWriter::Part*> ArchiveWriter::AddPart(std::string path) {
  auto p = std::make_unique<Part>();
  p->file_ = (fs::path(dir_) / ("part-" + std::to_string(parts_.size()))).string();
  p->info_.path = std::move(path);
  ATG_RETURN_IF_ERROR(p->Open());
  parts_.push_back(std::move(p));
  return parts_.back().get();
}

Result<ArchiveFile> ArchiveWriter::Finish(Manifest manifest, const std::string& out_path) {
  manifest.parts.clear();
  for (auto& p : parts_) {
    ATG_RETURN_IF_ERROR(p->Close());
    manifest.parts.push_back(p->info_);
  }
  const std::string manifest_text = PrettyJson(ManifestToJson(manifest));

  const std::string tmp = out_path + ".partial-" + RandomHex(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoFailed("creating", tmp);
  Sink sink;
  sink.file = ::fdopen(fd, "wb");
  if (sink.file == nullptr) {
    ::close(fd);
    return IoFailed("opening", tmp);
  }
  auto fail = [&](Status s) {
    if (sink.file != nullptr) std::fclose(sink.file);
    std::error_code ec;
    fs::remove(tmp, ec);
    return s;
  };
  std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
  if (archive_write_add_filter_zstd(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK) {
    return fail(
        Status::Internal("setting up the zstd tar writer failed: " + ArchiveError(a.get())));
  }
  // Two threads where the library supports it: compression is the backup's main CPU cost.
  (void)archive_write_set_filter_option(a.get(), "zstd", "threads", "2");
  if (archive_write_open2(a.get(), &sink, nullptr, WriteToSink, nullptr, nullptr) != ARCHIVE_OK) {
    return fail(Status::Internal("opening the zstd tar writer failed: " + ArchiveError(a.get())));
  }
  const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  auto header = [&](const std::string& name, uint64_t size) -> Status {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                               archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0600);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e.get(), now, 0);
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
      return Status::IoError("writing " + name + " into " + tmp +
                             " failed: " + ArchiveError(a.get()));
    }
    return Status::Ok();
  };
  auto data = [&](const char* p, size_t n, const std::string& name) -> Status {
    if (archive_write_data(a.get(), p, n) != static_cast<la_ssize_t>(n)) {
      return Status::IoError("writing " + name + " into " + tmp +
                             " failed: " + ArchiveError(a.get()) + "; check free space");
    }
    return Status::Ok();
  };
  Status s = header(std::string(kManifestPath), manifest_text.size());
  if (s.ok()) s = data(manifest_text.data(), manifest_text.size(), std::string(kManifestPath));
  std::vector<char> buf(1 << 20);
  for (const auto& p : parts_) {
    if (!s.ok()) break;
    s = header(p->info_.path, p->info_.bytes);
    std::FILE* in = s.ok() ? std::fopen(p->file_.c_str(), "rb") : nullptr;
    if (s.ok() && in == nullptr) s = IoFailed("reading the staged part", p->file_);
    uint64_t copied = 0;
    while (s.ok()) {
      size_t n = std::fread(buf.data(), 1, buf.size(), in);
      if (n == 0) break;
      copied += n;
      s = data(buf.data(), n, p->info_.path);
    }
    if (in != nullptr) std::fclose(in);
    if (s.ok() && copied != p->info_.bytes) {
      s = Status::IoError("the staged part " + p->file_ + " changed while it was archived");
    }
  }
  if (s.ok() && archive_write_close(a.get()) != ARCHIVE_OK) {
    s = Status::IoError("finishing " + tmp + " failed: " + ArchiveError(a.get()));
  }
  if (!s.ok()) return fail(s);
  auto digest = sink.sha.Finish();
  if (!digest.ok()) return fail(digest.status().WithContext("computing the digest of " + tmp));
  // On disk before it takes the final name: a backup that is not durable is not a backup.
  if (std::fflush(sink.file) != 0 || ::fsync(::fileno(sink.file)) != 0) {
    return fail(IoFailed("flushing", tmp));
  }
  std::fclose(sink.file);
  sink.file = nullptr;
  std::error_code ec;
  fs::rename(tmp, out_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Status::IoError("cannot rename " + tmp + " to " + out_path + ": " + ec.message());
  }
  return ArchiveFile{out_path, sink.size, HexEncode(*digest)};
}

// ---- reader ----

struct ArchiveReader::Impl {
  std::unique_ptr<archive, int (*)(archive*)> a{archive_read_new(), archive_read_free};
  std::string name;
  size_t next = 0;                 // index in manifest.parts of the next part
  const PartInfo* part = nullptr;  // the current part, until it was read to its end
  bool consumed = false;           // the current part was read to its end
};

ArchiveReader::ArchiveReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveReader::~ArchiveReader() = default;

Status ArchiveReader::Damaged(std::string_view why) const {
  return Status::InvalidArgument("the backup " + impl_->name + " is damaged or truncated (" +
                                 std::string(why) + ")");
}

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::Open(const std::string& path,
                                                           std::string name) {
  auto impl = std::make_unique<Impl>();
  impl->name = name.empty() ? path : std::move(name);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound("the backup " + impl->name + " does not exist or is not a file");
  }
  archive* a = impl->a.get();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 20) != ARCHIVE_OK) {
    return Status::InvalidArgument(impl->name + " is not an atg backup archive (" +
                                   ArchiveError(a) + ")");
  }
  archive_entry* e = nullptr;
  int rc = archive_read_next_header(a, &e);
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
    return Status::InvalidArgument(
        impl->name + " is not an atg backup archive (" +
        (rc == ARCHIVE_EOF ? std::string("it is empty") : ArchiveError(a)) + ")");
  }
  const char* first = archive_entry_pathname(e);
  if (first == nullptr || std::string_view(first) != kManifestPath) {
    return Status::InvalidArgument(impl->name +
                                   " is not an atg backup archive (its first entry "
                                   "is " +
                                   std::string(first ? first : "unnamed") + ", not manifest.json)");
  }
  const la_int64_t size = archive_entry_size(e);
  if (size <= 0 || static_cast<uint64_t>(size) > kMaxManifest) {
    return Status::InvalidArgument(impl->name +
                                   " is not an atg backup archive (its manifest "
                                   "has an impossible size)");
  }
  std::string text(static_cast<size_t>(size), '\0');
  size_t got = 0;
  while (got < text.size()) {
    la_ssize_t n = archive_read_data(a, text.data() + got, text.size() - got);
    if (n < 0) {
      return Status::InvalidArgument("the backup " + impl->name + " is damaged or truncated (" +
                                     ArchiveError(a) + ")");
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got != text.size()) {
    return Status::InvalidArgument("the backup " + impl->name +
                                   " is damaged or truncated (its manifest ends early)");
  }
  auto json = ParseJson(text);
  if (!json.ok()) {
    return Status::InvalidArgument(impl->name +
                                   " is not a valid atg backup: its manifest is not "
                                   "JSON (" +
                                   json.status().message() + ")");
  }
  auto manifest = ManifestFromJson(*json);
  if (!manifest.ok()) {
    return Status(manifest.status().code(),
                  "cannot restore " + impl->name + ": " + manifest.status().message());
  }
  std::unique_ptr<ArchiveReader> r(new ArchiveReader(std::move(impl)));
  r->manifest_ = std::move(*manifest);
  return r;
}

Result<std::optional<std::string>> ArchiveReader::NextPart() {
  if (impl_->part != nullptr && !impl_->consumed) {
    ATG_RETURN_IF_ERROR(ForEachLine([](std::string_view) { return Status::Ok(); }));
  }
  impl_->part = nullptr;
  archive* a = impl_->a.get();
  archive_entry* e = nullptr;
  int rc = archive_read_next_header(a, &e);
  if (rc == ARCHIVE_EOF) {
    if (impl_->next < manifest_.parts.size()) {
      return Damaged("it ends before " + manifest_.parts[impl_->next].path);
    }
    return std::optional<std::string>();
  }
  if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) return Damaged(ArchiveError(a));
  const char* name = archive_entry_pathname(e);
  std::string path = name ? name : "";
  if (impl_->next >= manifest_.parts.size()) {
    return Damaged("it holds " + path + ", which its manifest does not list");
  }
  const PartInfo& expected = manifest_.parts[impl_->next];
  if (path != expected.path || archive_entry_filetype(e) != AE_IFREG) {
    return Damaged("found " + path + " where its manifest says " + expected.path);
  }
  ++impl_->next;
  impl_->part = &expected;
  impl_->consumed = false;
  return std::optional<std::string>(path);
}

Status ArchiveReader::ForEachLine(const std::function<Status(std::string_view line)>& visit) {
  if (impl_->part == nullptr || impl_->consumed) {
    return Status::Internal("ArchiveReader::ForEachLine without a current part");
  }
  const PartInfo& part = *impl_->part;
  impl_->consumed = true;
  archive* a = impl_->a.get();
  Sha256Hasher sha;
  uint64_t bytes = 0;
  int64_t records = 0;
  std::string carry;
  std::vector<char> buf(1 << 20);
  while (true) {
    la_ssize_t n = archive_read_data(a, buf.data(), buf.size());
    if (n < 0) return Damaged(part.path + ": " + ArchiveError(a));
    if (n == 0) break;
    bytes += static_cast<uint64_t>(n);
    if (bytes > part.bytes) return Damaged(part.path + " is longer than its manifest says");
    std::string_view chunk(buf.data(), static_cast<size_t>(n));
    sha.Update(chunk);
    while (!chunk.empty()) {
      size_t nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        carry.append(chunk);
        if (carry.size() > kMaxLine) return Damaged(part.path + " has an overlong record");
        break;
      }
      ++records;
      if (carry.empty()) {
        ATG_RETURN_IF_ERROR(visit(chunk.substr(0, nl)));
      } else {
        carry.append(chunk.substr(0, nl));
        ATG_RETURN_IF_ERROR(visit(carry));
        carry.clear();
      }
      chunk.remove_prefix(nl + 1);
    }
  }
  if (!carry.empty()) return Damaged(part.path + " ends in the middle of a record");
  if (bytes != part.bytes) {
    return Damaged(part.path + " has " + std::to_string(bytes) + " bytes, its manifest says " +
                   std::to_string(part.bytes));
  }
  auto digest = sha.Finish();
  if (!digest.ok()) return digest.status().WithContext("checking " + part.path);
  if (HexEncode(*digest) != part.sha256) {
    return Damaged(part.path + " does not match its SHA-256 in the manifest");
  }
  if (records != part.records) {
    return Damaged(part.path + " has " + std::to_string(records) + " records, its manifest says " +
                   std::to_string(part.records));
  }
  return Status::Ok();
}

Result<Manifest> VerifyArchive(const std::string& path, std::string name) {
  auto r = ArchiveReader::Open(path, std::move(name));
  if (!r.ok()) return r.status();
  while (true) {
    auto part = (*r)->NextPart();
    if (!part.ok()) return part.status();
    if (!part->has_value()) break;
    ATG_RETURN_IF_ERROR((*r)->ForEachLine([](std::string_view) { return Status::Ok(); }));
  }
  return (*r)->manifest();
}

}  // namespace atg::backup
