#include "common/data_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>

namespace atg {

Result<std::string> DataDir(const Settings& settings) {
  if (auto dir = settings.Get("ATG_DATA_DIR"); dir && !dir->empty()) return *dir;
  if (auto xdg = settings.Get("XDG_DATA_HOME"); xdg && !xdg->empty()) return *xdg + "/atg";
  if (auto home = settings.Get("HOME"); home && !home->empty()) {
    return *home + "/.local/share/atg";
  }
  return Status::InvalidArgument(
      "cannot tell where to keep atg's data: ATG_DATA_DIR is not set and neither is HOME; "
      "set ATG_DATA_DIR to a writable directory");
}

Result<DataDirState> ProbeDataDir(const std::string& dir, DataDirProbeMode mode) {
  namespace fs = std::filesystem;
  if (dir.empty()) return Status::FailedPrecondition("no data directory is configured");
  DataDirState state;
  std::error_code ec;
  const fs::path path(dir);
  state.existed = fs::exists(path, ec);
  if (state.existed && !fs::is_directory(path, ec)) {
    return Status::IoError("data directory " + dir +
                           " exists but is not a directory; set ATG_DATA_DIR to a directory");
  }
  if (!state.existed) {
    if (mode == DataDirProbeMode::kLookOnly) {
      fs::path parent = path.parent_path();
      while (!parent.empty() && !fs::exists(parent, ec)) parent = parent.parent_path();
      if (parent.empty() || !fs::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
        return Status::IoError("data directory " + dir + " does not exist and cannot be created (" +
                               (parent.empty() ? std::string("no parent exists")
                                               : parent.string() + " is not a writable directory") +
                               "); check ATG_DATA_DIR and its permissions");
      }
      return state;
    }
    fs::create_directories(path, ec);
    if (ec) {
      return Status::IoError("data directory " + dir + " cannot be created (" + ec.message() +
                             "); check ATG_DATA_DIR and its permissions");
    }
  }
  // Really write: access() says nothing about read-only mounts or full disks.
  // Unique per call, so that two probes at once never collide on O_EXCL.
  static std::atomic<uint64_t> sequence{0};
  std::string probe = (path / (".atg-probe-" + std::to_string(::getpid()) + "-" +
                               std::to_string(sequence.fetch_add(1))))
                          .string();
  int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  bool writable = fd >= 0 && ::write(fd, "x", 1) == 1;
  if (fd >= 0) ::close(fd);
  ::unlink(probe.c_str());
  if (!writable) {
    return Status::IoError("data directory " + dir +
                           " is not writable; check ATG_DATA_DIR, its permissions and free space");
  }
  return state;
}

}  // namespace atg
