// Writing and reading backup archives (the format of backup_format.h).
//
// ArchiveWriter stages each part as a file in a private directory while it is produced
// (hashing and counting it on the way), then writes the archive in one go: manifest.json first,
// the parts after it in the order they were made, zstd-compressed. The archive is written to a
// temporary file beside the destination, flushed to disk and renamed into place, so a failed or
// interrupted backup never leaves a partial archive under the destination's name.
//
// ArchiveReader streams an archive once, front to back: the manifest, then each part's lines.
// Every part is checked against the manifest as it is read (its place in the order, byte count,
// record count and SHA-256); a part that does not match, a truncated or corrupt file, an entry
// the manifest does not list or a manifest part that never comes are errors that name the file
// and say it is damaged. Callers that must not act on a damaged archive read it through once
// with VerifyArchive before they change anything.
//
// Thread-safety: a writer or reader is used by one thread at a time.
#ifndef ATG_BACKUP_BACKUP_ARCHIVE_H_
#define ATG_BACKUP_BACKUP_ARCHIVE_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backup_format.h"
#include "common/sha256.h"
#include "common/status.h"

namespace atg::backup {

struct ArchiveFile {
  std::string path;
  uint64_t bytes = 0;  // of the compressed archive
  std::string sha256;  // hex, of the compressed archive
};

class ArchiveWriter {
 public:
  // One part being staged. Owned by the writer.
  class Part {
   public:
    // Appends one record; `line` must not contain a newline.
    Status WriteLine(std::string_view line);
    int64_t records() const { return info_.records; }
    // Empties the part (an export that is tried again), keeping its place in the order.
    Status Reset();
    // Ends the part (releasing its file); later writes fail. Finish closes open parts.
    Status Close();

   private:
    friend class ArchiveWriter;
    Status Open();
    std::string file_;  // the staged copy
    PartInfo info_;
    std::FILE* out_ = nullptr;
    std::unique_ptr<Sha256Hasher> hasher_;
  };

  // A writer whose parts are staged in a new owner-only directory under `staging_parent` (it
  // needs room for the uncompressed parts; they are removed when the writer is destroyed).
  static Result<std::unique_ptr<ArchiveWriter>> Create(const std::string& staging_parent);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // Adds the part `path` (a relative path of the format) at the end of the archive's order.
  // Several parts may be open at once.
  Result<Part*> AddPart(std::string path);

  // Closes open parts, fills manifest.parts (in order) and writes the archive to `out_path`
  // (mode 0600: it holds full resource bodies). kIoError naming the file on failure, after
  // which `out_path` is as it was.
  Result<ArchiveFile> Finish(Manifest manifest, const std::string& out_path);

 private:
  explicit ArchiveWriter(std::string dir) : dir_(std::move(dir)) {}

  std::string dir_;
  std::vector<std::unique_ptr<Part>> parts_;
};

class ArchiveReader {
 public:
  // Opens `path` and reads its manifest. `name` is how errors call the file (a blob URL, say);
  // empty means `path`. Errors: kNotFound (no file), kInvalidArgument (not an atg backup, or
  // damaged), kFailedPrecondition (a newer format).
  static Result<std::unique_ptr<ArchiveReader>> Open(const std::string& path,
                                                     std::string name = "");
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  const Manifest& manifest() const { return manifest_; }

  // Moves to the next part: its path, or nullopt after the last one (having checked that every
  // part of the manifest came). An unread or partly read current part is read to its end and
  // checked first.
  Result<std::optional<std::string>> NextPart();

  // Streams the current part's records (without their newline) to `visit`, then checks the
  // part against the manifest. A non-OK status from `visit` stops and is returned.
  Status ForEachLine(const std::function<Status(std::string_view line)>& visit);

 private:
  struct Impl;
  explicit ArchiveReader(std::unique_ptr<Impl> impl);
  Status Damaged(std::string_view why) const;

  std::unique_ptr<Impl> impl_;
  Manifest manifest_;
};

// Reads the whole archive once, checking every part; the manifest when all is well.
Result<Manifest> VerifyArchive(const std::string& path, std::string name = "");

}  // namespace atg::backup

#endif  // ATG_BACKUP_BACKUP_ARCHIVE_H_
