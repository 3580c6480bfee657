// TempDir: a fresh, owner-only (0700) directory that is removed with everything in it when the
// TempDir is destroyed, unless Release() handed it over first. The one way atg makes temporary
// directories: the demo's data directory, the IaC writer's staging directory, and tests.
//
// Names come from mkdtemp(3): <parent>/<prefix>XXXXXX with six random characters, created
// atomically, so two processes (or two tests) never share one. The system temp directory is
// TMPDIR, else /tmp (std::filesystem::temp_directory_path).
//
// Thread-safety: a TempDir is a value used by one thread at a time; distinct TempDirs are
// independent. Ownership: a TempDir owns its directory; moving it moves the ownership.
#ifndef ATG_COMMON_TEMP_DIR_H_
#define ATG_COMMON_TEMP_DIR_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace atg {

class TempDir {
 public:
  // Creates <system temp dir>/<prefix>XXXXXX. Never throws: when the directory cannot be made,
  // path() is empty and status() says why (tests assert on ok(); code that must handle the
  // failure uses Create instead).
  explicit TempDir(std::string_view prefix = "atg-");

  // Creates <system temp dir>/<prefix>XXXXXX. kInvalidArgument when `prefix` holds a '/';
  // kIoError (with the system's reason and the directory) when it cannot be made.
  static Result<TempDir> Create(std::string_view prefix);

  // Creates <path_prefix>XXXXXX, where path_prefix names the parent directory too (e.g.
  // "/out/terraform.tmp-" for a staging directory beside /out/terraform, so that a rename into
  // place stays on one file system). The parent must exist.
  static Result<TempDir> CreateAt(std::string_view path_prefix);

  // Removes the directory with its contents (errors ignored: it is best effort), unless
  // released or moved from.
  ~TempDir();

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // The directory's absolute path; empty when creation failed, after Release and Remove.
  const std::string& path() const { return path_; }
  // path() + "/" + name: where a file of that name inside the directory goes.
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

  // Stops owning the directory (it is kept) and returns its path.
  std::string Release();

  // Removes the directory and its contents now. kIoError naming the path when that fails (the
  // directory is then still owned and removed again at destruction).
  Status Remove();

 private:
  TempDir(std::string path, Status status) : path_(std::move(path)), status_(std::move(status)) {}
  static TempDir Make(std::string tmpl);

  std::string path_;
  Status status_;
};

}  // namespace atg

#endif  // ATG_COMMON_TEMP_DIR_H_
