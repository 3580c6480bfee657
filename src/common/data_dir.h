// Where atg keeps its embedded stores and artifacts on this machine, and the one check that atg
// can keep them there (used by `atg serve`'s /health and by `atg doctor` alike).
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

enum class DataDirProbeMode {
  kCreate,    // create the directory when it is missing, then write a file in it (/health)
  kLookOnly,  // change nothing; a missing directory passes when it could be created (doctor)
};

struct DataDirState {
  bool existed = false;  // the directory was there before the probe
};

// OK when atg can keep its data in `dir`: it is (kCreate: now is) a directory in which a file can
// really be written and removed (access(2) says nothing of read-only mounts or full disks), or,
// kLookOnly, it is missing and its nearest existing ancestor is writable. Errors:
// kFailedPrecondition for an empty `dir`; kIoError naming the directory, saying what is wrong (not
// a directory, cannot be created, not writable) and to check ATG_DATA_DIR.
Result<DataDirState> ProbeDataDir(const std::string& dir, DataDirProbeMode mode);

}  // namespace atg

#endif  // ATG_COMMON_DATA_DIR_H_
