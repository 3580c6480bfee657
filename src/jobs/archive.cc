#include "jobs/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "jobs/digest.h"

namespace atg::jobs {
namespace {

namespace fs = std::filesystem;

using ArchivePtr = std::unique_ptr<archive, int (*)(archive*)>;
using EntryPtr = std::unique_ptr<archive_entry, void (*)(archive_entry*)>;

std::string ArchiveError(archive* a) {
  const char* e = archive_error_string(a);
  return e ? e : "unknown libarchive error";
}

// True when `target` (a symlink's text), resolved from the directory holding the link at
// relative path `link`, stays inside the root: relative, and never climbs above the root.
bool SymlinkStaysInside(const fs::path& link, const std::string& target) {
  if (target.empty() || target[0] == '/') return false;
  int depth = 0;
  for (const auto& part : link.parent_path()) {
    if (part == "..") return false;
    if (part != "." && !part.empty()) ++depth;
  }
  for (const auto& part : fs::path(target)) {
    if (part == "..") {
      if (--depth < 0) return false;
    } else if (part != "." && !part.empty()) {
      ++depth;
    }
  }
  return true;
}

// True when `name` (an entry path) is relative and has no ".." component.
bool SafeEntryName(std::string_view name) {
  if (name.empty() || name[0] == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

struct Sink {
  std::FILE* file = nullptr;
  Sha256 sha;
  uint64_t size = 0;
  bool failed = false;
};

la_ssize_t WriteToSink(archive*, void* client, const void* buffer, size_t length) {
  auto* sink = static_cast<Sink*>(client);
  if (std::fwrite(buffer, 1, length, sink->file) != length) {
    sink->failed = true;
    return -1;
  }
  sink->sha.Update(buffer, length);
  sink->size += length;
  return static_cast<la_ssize_t>(length);
}

Result<ArchiveInfo> WriteArchive(const fs::path& root, const std::string& out_path,
                                 std::FILE* out) {
  // Collect and sort first, so the order does not depend on the directory's internal order.
  struct Item {
    std::string rel;  // generic form, '/'-separated
    fs::file_status status;
  };
  std::vector<Item> items;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
       !ec && it != end; it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    items.push_back({it->path().lexically_relative(root).generic_string(), st});
  }
  if (ec) {
    return Status::IoError("listing " + root.string() + " failed: " + ec.message());
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.rel < b.rel; });

  Sink sink;
  sink.file = out;
  ArchivePtr a(archive_write_new(), archive_write_free);
  if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_filter_option(a.get(), "gzip", "timestamp", nullptr) < ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open2(a.get(), &sink, nullptr, WriteToSink, nullptr, nullptr) != ARCHIVE_OK) {
    return Status::Internal("setting up the tar.gz writer failed: " + ArchiveError(a.get()));
  }
  ArchiveInfo info;
  std::vector<char> buffer(1 << 16);
  for (const Item& item : items) {
    fs::path full = root / item.rel;
    EntryPtr e(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(e.get(), item.rel.c_str());
    archive_entry_set_mtime(e.get(), 0, 0);
    archive_entry_set_uid(e.get(), 0);
    archive_entry_set_gid(e.get(), 0);
    fs::file_type type = item.status.type();
    uint64_t size = 0;
    if (type == fs::file_type::directory) {
      archive_entry_set_filetype(e.get(), AE_IFDIR);
      archive_entry_set_perm(e.get(), 0755);
    } else if (type == fs::file_type::regular) {
      size = fs::file_size(full, ec);
      if (ec) return Status::IoError("reading " + full.string() + " failed: " + ec.message());
      archive_entry_set_filetype(e.get(), AE_IFREG);
      bool exec = (item.status.permissions() & fs::perms::owner_exec) != fs::perms::none;
      archive_entry_set_perm(e.get(), exec ? 0755 : 0644);
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    } else if (type == fs::file_type::symlink) {
      std::string target = fs::read_symlink(full, ec).string();
      if (ec) return Status::IoError("reading link " + full.string() + ": " + ec.message());
      if (!SymlinkStaysInside(item.rel, target)) {
        return Status::InvalidArgument("symlink " + item.rel + " -> " + target +
                                       " points outside the output directory; archives only "
                                       "hold the directory's own content");
      }
      archive_entry_set_filetype(e.get(), AE_IFLNK);
      archive_entry_set_perm(e.get(), 0777);
      archive_entry_set_symlink(e.get(), target.c_str());
    } else {
      return Status::InvalidArgument(item.rel +
                                     " is not a regular file, directory or symlink; it cannot "
                                     "be archived");
    }
    if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK) {
      return Status::IoError("writing the entry " + item.rel + " to " + out_path +
                             " failed: " + ArchiveError(a.get()));
    }
    if (type == fs::file_type::regular) {
      std::FILE* in = std::fopen(full.c_str(), "rb");
      if (!in) return Status::IoError("cannot read " + full.string() + ": " + strerror(errno));
      uint64_t copied = 0;
      size_t n;
      while (copied < size &&
             (n = std::fread(buffer.data(), 1, std::min<uint64_t>(buffer.size(), size - copied),
                             in)) > 0) {
        if (archive_write_data(a.get(), buffer.data(), n) < 0) {
          std::fclose(in);
          return Status::IoError("writing " + out_path + " failed: " + ArchiveError(a.get()));
        }
        copied += n;
      }
      std::fclose(in);
      if (copied != size) {
        return Status::IoError(full.string() + " changed size while being archived");
      }
      info.content_bytes += size;
    }
    ++info.entries;
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK || sink.failed) {
    return Status::IoError("finishing " + out_path + " failed: " +
                           (sink.failed ? std::string(strerror(errno)) : ArchiveError(a.get())));
  }
  info.size = sink.size;
  auto digest = sink.sha.HexFinal();
  if (!digest.ok()) return digest.status().WithContext("computing the digest of " + out_path);
  info.sha256 = std::move(digest.value());
  return info;
}

}  // namespace

Result<ArchiveInfo> CreateTarGz(const std::string& dir, const std::string& out_path) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound("output directory " + dir + " does not exist");
  }
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (!out) return Status::IoError("cannot create " + out_path + ": " + strerror(errno));
  Result<ArchiveInfo> info = WriteArchive(fs::path(dir), out_path, out);
  bool close_failed = std::fclose(out) != 0;
  if (info.ok() && close_failed) info = Status::IoError("writing " + out_path + " failed");
  if (!info.ok()) fs::remove(out_path, ec);
  return info;
}

Result<ExtractInfo> ExtractTarGz(const std::string& archive_path, const std::string& dest_dir,
                                 const ExtractLimits& limits) {
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  if (ec) return Status::IoError("cannot create " + dest_dir + ": " + ec.message());
  ArchivePtr r(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(r.get());
  archive_read_support_format_tar(r.get());
  if (archive_read_open_filename(r.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return Status::InvalidArgument("cannot open " + archive_path +
                                   " as a tar.gz: " + ArchiveError(r.get()));
  }
  ArchivePtr w(archive_write_disk_new(), archive_write_free);
  // Entry names are checked below (relative, no ".."); the disk writer gets the absolute
  // destination plus that name, so only its symlink and ".." guards apply.
  archive_write_disk_set_options(w.get(), ARCHIVE_EXTRACT_SECURE_SYMLINKS |
                                              ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                              ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_PERM);
  ExtractInfo info;
  std::string root = fs::absolute(fs::path(dest_dir)).lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  archive_entry* entry = nullptr;
  while (true) {
    int rc = archive_read_next_header(r.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      return Status::InvalidArgument(archive_path +
                                     " is not a valid tar.gz: " + ArchiveError(r.get()));
    }
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw ? raw : "";
    auto refuse = [&](std::string why) {
      return Status::InvalidArgument("refusing archive entry '" + name + "' of " + archive_path +
                                     ": " + why);
    };
    if (!SafeEntryName(name)) return refuse("absolute path or '..' component");
    if (++info.entries > limits.max_entries) {
      return refuse("more than " + std::to_string(limits.max_entries) + " entries");
    }
    if (archive_entry_hardlink(entry)) return refuse("hard links are not accepted");
    mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
      const char* target = archive_entry_symlink(entry);
      if (!target || !SymlinkStaysInside(fs::path(name), target)) {
        return refuse("symlink target leaves the destination");
      }
    } else if (type != AE_IFREG && type != AE_IFDIR) {
      return refuse("only files, directories and symlinks are accepted");
    }
    if (archive_entry_size_is_set(entry) &&
        static_cast<uint64_t>(archive_entry_size(entry)) > limits.max_entry_bytes) {
      return refuse("larger than " + std::to_string(limits.max_entry_bytes) + " bytes");
    }
    // Owner-independent, no setuid/setgid/sticky bits.
    archive_entry_set_perm(entry, archive_entry_perm(entry) & 0755);
    archive_entry_set_uid(entry, 0);
    archive_entry_set_gid(entry, 0);
    std::string target_path = root + "/" + name;
    // Never replace what is there (libarchive's no-overwrite flag does not cover every case).
    fs::file_status existing = fs::symlink_status(target_path, ec);
    if (fs::exists(existing) && !(type == AE_IFDIR && fs::is_directory(existing))) {
      return Status::AlreadyExists("extracting '" + name + "': it already exists in " + dest_dir +
                                   "; extract into an empty directory");
    }
    archive_entry_set_pathname(entry, target_path.c_str());
    if (archive_write_header(w.get(), entry) != ARCHIVE_OK) {
      if (archive_errno(w.get()) == EEXIST) {
        return Status::AlreadyExists("extracting '" + name + "': it already exists in " + dest_dir +
                                     "; extract into an empty directory");
      }
      return refuse(ArchiveError(w.get()));
    }
    uint64_t entry_bytes = 0;
    while (true) {
      const void* buf = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      rc = archive_read_data_block(r.get(), &buf, &size, &offset);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        return Status::InvalidArgument("reading '" + name + "' from " + archive_path +
                                       " failed: " + ArchiveError(r.get()));
      }
      entry_bytes += size;
      info.content_bytes += size;
      if (entry_bytes > limits.max_entry_bytes) {
        return refuse("larger than " + std::to_string(limits.max_entry_bytes) + " bytes");
      }
      if (info.content_bytes > limits.max_total_bytes) {
        return refuse("the archive expands beyond " + std::to_string(limits.max_total_bytes) +
                      " bytes");
      }
      if (archive_write_data_block(w.get(), buf, size, offset) < ARCHIVE_OK) {
        return Status::IoError("writing '" + name + "' into " + dest_dir +
                               " failed: " + ArchiveError(w.get()));
      }
    }
    if (archive_write_finish_entry(w.get()) < ARCHIVE_WARN) {
      return Status::IoError("finishing '" + name + "' failed: " + ArchiveError(w.get()));
    }
  }
  if (archive_write_close(w.get()) != ARCHIVE_OK) {
    return Status::IoError("finishing extraction into " + dest_dir +
                           " failed: " + ArchiveError(w.get()));
  }
  return info;
}

}  // namespace atg::jobs
