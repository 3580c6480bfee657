// Job output archives: a directory as a deterministic tar.gz (what GET
// /api/v1/jobs/{id}/artifacts serves) and the safe extractor the client uses.
//
// Deterministic: the same directory content gives the same bytes. Entries are sorted by path
// (byte order), every entry has mtime 0, uid/gid 0 and no owner names, modes are normalized
// (directories 0755, files 0644 or 0755 when executable), and the gzip header carries no
// timestamp or file name.
//
// Thread-safety: reentrant; calls on different paths may run at once.
#ifndef ATG_JOBS_ARCHIVE_H_
#define ATG_JOBS_ARCHIVE_H_

#include <cstdint>
#include <string>

#include "common/status.h"

namespace atg::jobs {

struct ArchiveInfo {
  uint64_t size = 0;           // bytes of the .tar.gz
  std::string sha256;          // hex digest of the .tar.gz, computed while writing
  uint64_t entries = 0;        // files, directories and symlinks stored
  uint64_t content_bytes = 0;  // sum of the stored files' sizes
};

// Writes `dir`'s content (recursively; paths inside the archive are relative to `dir`) to
// `out_path` (created or replaced), streaming: memory does not grow with file sizes.
// Symlinks are stored as symlinks when their target stays inside `dir`; an absolute target or
// one that leaves `dir` fails with kInvalidArgument naming the link (nothing outside the
// directory may leak into an archive). Sockets, FIFOs and devices are refused the same way.
// Other errors: kNotFound (no such directory), kIoError (reading or writing failed). On error
// `out_path` is removed.
Result<ArchiveInfo> CreateTarGz(const std::string& dir, const std::string& out_path);

struct ExtractLimits {
  uint64_t max_entries = 100000;
  uint64_t max_entry_bytes = 1ull << 30;  // one file
  uint64_t max_total_bytes = 4ull << 30;  // all files, uncompressed
};

struct ExtractInfo {
  uint64_t entries = 0;
  uint64_t content_bytes = 0;
};

// Extracts the tar.gz at `archive_path` into `dest_dir` (created if missing). Hostile archives
// are refused with kInvalidArgument naming the entry, before anything of that entry is written:
// absolute paths, ".." components, hard links, device/FIFO entries, symlinks whose target is
// absolute or leaves `dest_dir`, entries that would write through a symlink, and archives
// exceeding `limits` (counted on the bytes actually decompressed, not the headers' claims).
// Existing files are not overwritten (kAlreadyExists). Entries written before an error stay;
// extract into a fresh directory and remove it on failure.
Result<ExtractInfo> ExtractTarGz(const std::string& archive_path, const std::string& dest_dir,
                                 const ExtractLimits& limits = {});

}  // namespace atg::jobs

#endif  // ATG_JOBS_ARCHIVE_H_
