#include "common/data_dir.h"

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

}  // namespace atg
