// Where atg keeps its embedded stores and artifacts on this machine.
//
// Thread-safety: reentrant.
#ifndef ATG_COMMON_DATA_DIR_H_
#define ATG_COMMON_DATA_DIR_H_

#include <string>

#include "common/config.h"
#include "common/status.h"

namespace atg {

// ATG_DATA_DIR when set; otherwise $XDG_DATA_HOME/atg, otherwise $HOME/.local/share/atg.
// Fails (naming ATG_DATA_DIR) when none can be determined. The directory is not created.
Result<std::string> DataDir(const Settings& settings);

}  // namespace atg

#endif  // ATG_COMMON_DATA_DIR_H_
