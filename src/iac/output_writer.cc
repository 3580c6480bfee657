#include "iac/output_writer.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "common/strings.h"

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

std::string MakeSibling(const fs::path& dir, std::string_view tag) {
  std::string tmpl = dir.string() + std::string(tag) + "XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) return "";
  return tmpl;
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
  std::string tmp = MakeSibling(dir, ".atg-tmp-");
  if (tmp.empty()) {
    return Status::Internal("cannot create a temporary directory next to " + dir.string() + ": " +
                            std::strerror(errno) + "; check the permissions of its parent");
  }
  auto cleanup = [&] {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
  };
  for (const auto& f : files) {
    fs::path p = fs::path(tmp) / f.path;
    fs::create_directories(p.parent_path(), ec);
    if (ec) {
      cleanup();
      return IoError("cannot create", p.parent_path(), ec);
    }
    Status s = WriteFile(p, f.content);
    if (!s.ok()) {
      cleanup();
      return s;
    }
  }
  Status s = WriteFile(fs::path(tmp) / kOutputMarker,
                       "This directory was written by `atg generate-iac`; the next run replaces "
                       "it.\n");
  if (!s.ok()) {
    cleanup();
    return s;
  }
  // Swap: the old directory moves aside, the new one into place, then the old one goes.
  std::string old;
  if (exists) {
    // A fresh empty sibling: renaming a directory onto an empty one replaces it atomically.
    old = MakeSibling(dir, ".atg-old-");
    if (old.empty()) {
      cleanup();
      return Status::Internal("cannot create a temporary directory next to " + dir.string() +
                              "; check the permissions of its parent");
    }
    fs::rename(dir, old, ec);
    if (ec) {
      cleanup();
      return IoError("cannot move aside", dir, ec);
    }
  }
  fs::rename(tmp, dir, ec);
  if (ec) {
    Status err = IoError("cannot move the new output into", dir, ec);
    if (!old.empty()) fs::rename(old, dir, ec);  // put the previous content back
    cleanup();
    return err;
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

}  // namespace atg::iac
