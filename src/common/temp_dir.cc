#include "common/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace atg {
namespace {

std::string SystemTempDir(std::string* error) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::temp_directory_path(ec);
  if (ec) {
    *error = "no system temporary directory (" + ec.message() + "); set TMPDIR to one";
    return "";
  }
  return p.string();
}

}  // namespace

TempDir TempDir::Make(std::string tmpl) {
  if (mkdtemp(tmpl.data()) == nullptr) {
    const int err = errno;
    std::string parent = std::filesystem::path(tmpl).parent_path().string();
    return TempDir("", Status::IoError("cannot create a temporary directory in " + parent + ": " +
                                       std::strerror(err) +
                                       "; check that it exists, is writable and has free space"));
  }
  return TempDir(std::move(tmpl), Status::Ok());
}

TempDir::TempDir(std::string_view prefix) {
  auto made = Create(prefix);
  if (made.ok()) {
    *this = std::move(made.value());
  } else {
    status_ = made.status();
  }
}

Result<TempDir> TempDir::Create(std::string_view prefix) {
  if (prefix.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("a temporary directory's prefix '" + std::string(prefix) +
                                   "' holds a '/'; use TempDir::CreateAt for another parent");
  }
  std::string error;
  std::string parent = SystemTempDir(&error);
  if (parent.empty()) return Status::IoError(error);
  TempDir dir = Make((std::filesystem::path(parent) / prefix).string() + "XXXXXX");
  if (!dir.ok()) return dir.status();
  return dir;
}

Result<TempDir> TempDir::CreateAt(std::string_view path_prefix) {
  if (path_prefix.empty()) {
    return Status::InvalidArgument("a temporary directory needs a path prefix");
  }
  TempDir dir = Make(std::string(path_prefix) + "XXXXXX");
  if (!dir.ok()) return dir.status();
  return dir;
}

TempDir::~TempDir() { (void)Remove(); }

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())), status_(std::move(other.status_)) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    (void)Remove();
    path_ = std::exchange(other.path_, std::string());
    status_ = std::move(other.status_);
  }
  return *this;
}

std::string TempDir::Release() { return std::exchange(path_, std::string()); }

Status TempDir::Remove() {
  if (path_.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  if (ec) {
    return Status::IoError("cannot remove the temporary directory " + path_ + ": " + ec.message());
  }
  path_.clear();
  return Status::Ok();
}

}  // namespace atg
