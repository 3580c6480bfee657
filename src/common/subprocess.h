// Running a helper program (the Azure CLI) and capturing what it prints.
//
// Thread-safety: reentrant; may be called from several threads at once.
#ifndef ATG_COMMON_SUBPROCESS_H_
#define ATG_COMMON_SUBPROCESS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg {

struct ProcessResult {
  int exit_code = -1;      // the exit status; 128 + signal when killed by a signal
  bool timed_out = false;  // killed because it ran past the timeout
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
};

// Runs `argv[0]` (a path: no PATH search, no shell) with the arguments `argv`, stdin from
// /dev/null and the environment `env` ("NAME=value" entries; null: this process's), and waits for
// it, killing it (SIGKILL) once `timeout` has passed. Output beyond `max_output` bytes per stream
// is discarded. Fails (kIoError) only when the program cannot be started; a non-zero exit is a
// successful run.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout, size_t max_output = 16 << 20,
                                 const std::vector<std::string>* env = nullptr);

// The first executable regular file called `program` in the colon-separated directory list
// `path_env` (a PATH value); nullopt when there is none. A `program` holding a slash is checked
// as given.
std::optional<std::string> FindOnPath(std::string_view program, std::string_view path_env);

}  // namespace atg

#endif  // ATG_COMMON_SUBPROCESS_H_
