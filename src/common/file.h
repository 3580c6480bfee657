// Whole-file reads and atomic whole-file writes: the two file operations most modules need.
//
// Thread-safety: reentrant. Two writers of the same path race on its temporary file; callers
// that may do that serialize themselves.
#ifndef ATG_COMMON_FILE_H_
#define ATG_COMMON_FILE_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace atg {

// The content of `path`. kNotFound when it does not exist, kIoError for any other failure;
// messages name the file and the system's reason, never its content.
Result<std::string> ReadFile(const std::string& path);

// Writes `content` to "<path>.tmp" and renames it over `path`, so a reader sees either the old
// file or the whole new one. With `owner_only` the file has mode 0600 whatever the umask or a
// leftover temporary file (for secrets); otherwise the usual 0666 less the umask. kIoError
// naming the file and the reason; the temporary file is removed on failure.
Status WriteFileAtomically(const std::string& path, std::string_view content,
                           bool owner_only = false);

}  // namespace atg

#endif  // ATG_COMMON_FILE_H_
