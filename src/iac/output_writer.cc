#include "iac/output_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "common/strings.h"
#include "common/temp_dir.h"

namespace atg::iac {
namespace fs = std::filesystem;

Status ValidateOutputPath(std::string_view path) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("output file path '" + std::string(path) + "' " +
                                   std::string(why) + "; this is a bug in the emitter");
  };
  if (path.empty()) return bad("is empty");
  if (path.front() == '/') return bad("is absolute");
  if (path.find('\\') != std::string_view::npos) return bad("contains a backslash");
  if (path.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
  for (const std::string& seg : Split(path, '/', false)) {
    if (seg.empty() || seg == "." || seg == "..") return bad("has an empty, '.' or '..' segment");
  }
  if (path == kOutputMarker) return bad("is the output marker's name");
  return Status::Ok();
}

namespace {

Status IoError(const std::string& what, const fs::path& p, const std::error_code& ec) {
  return Status::Internal(what + " " + p.string() + ": " + ec.message() +
                          "; check the permissions and free space of the output directory");
}

Status WriteFile(const fs::path& p, std::string_view content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) {
    return Status::Internal("cannot create " + p.string() + ": " + std::strerror(errno) +
                            "; check the permissions of the output directory");
  }
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    return Status::Internal("cannot write " + p.string() + "; check the free space");
  }
  return Status::Ok();
}

}  // namespace

Status WriteOutput(const std::string& dir_arg, const std::vector<OutputFile>& files,
                   const WriteOptions& options) {
  if (dir_arg.empty()) return Status::InvalidArgument("--output must name a directory");
  std::set<std::string> seen;
  for (const auto& f : files) {
    ATG_RETURN_IF_ERROR(ValidateOutputPath(f.path));
    if (!seen.insert(f.path).second) {
      return Status::InvalidArgument("output file path '" + f.path +
                                     "' appears twice; this is a bug in the emitter");
    }
  }
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(dir_arg), ec).lexically_normal();
  if (ec) return IoError("cannot resolve", dir_arg, ec);
  if (dir.has_filename() == false) dir = dir.parent_path();
  bool exists = fs::exists(dir, ec);
  if (exists) {
    if (!fs::is_directory(dir, ec)) {
      return Status::FailedPrecondition("--output " + dir.string() +
                                        " exists and is not a directory; choose another path");
    }
    bool empty = fs::is_empty(dir, ec);
    if (!empty && !fs::exists(dir / kOutputMarker, ec) && !options.force) {
      return Status::FailedPrecondition(
          "--output " + dir.string() +
          " is not empty and was not written by atg; choose another directory or pass --force "
          "to replace its content");
    }
  }
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return IoError("cannot create", dir.parent_path(), ec);
  // Staged beside `dir`, so that the renames below stay on one file system; removed with
  // whatever is in it on every early return.
  auto tmp = TempDir::CreateAt(dir.string() + ".atg-tmp-");
  if (!tmp.ok()) return tmp.status();
  for (const auto& f : files) {
    fs::path p = fs::path(tmp->path()) / f.path;
    fs::create_directories(p.parent_path(), ec);
    if (ec) return IoError("cannot create", p.parent_path(), ec);
    ATG_RETURN_IF_ERROR(WriteFile(p, f.content));
  }
  ATG_RETURN_IF_ERROR(WriteFile(fs::path(tmp->path()) / kOutputMarker,
                                "This directory was written by `atg generate-iac`; the next run "
                                "replaces it.\n"));
  // Swap: the old directory moves aside, the new one into place, then the old one goes.
  std::optional<TempDir> old;
  if (exists) {
    // A fresh empty sibling: renaming a directory onto an empty one replaces it atomically.
    auto aside = TempDir::CreateAt(dir.string() + ".atg-old-");
    if (!aside.ok()) return aside.status();
    old = std::move(aside.value());
    fs::rename(dir, old->path(), ec);
    if (ec) return IoError("cannot move aside", dir, ec);
  }
  fs::rename(tmp->path(), dir, ec);
  if (ec) {
    Status err = IoError("cannot move the new output into", dir, ec);
    if (old) {
      // Put the previous content back; kept where it is if even that fails.
      fs::rename(old->path(), dir, ec);
      old->Release();
    }
    return err;
  }
  tmp->Release();       // it is `dir` now
  return Status::Ok();  // `old` goes with the previous content
}

}  // namespace atg::iac
