// Writes generated IaC into the --output directory, all or nothing.
//
// Safety rules:
//  * every file path is relative, '/'-separated, without "", "." or ".." segments, without a
//    leading '/' or a backslash, so nothing lands outside the directory;
//  * the files are written into a fresh sibling temporary directory which then replaces the
//    output directory by rename, so a failed or interrupted run never leaves half an output
//    (at worst a "<dir>.atg-tmp-*" sibling is left behind);
//  * the directory gets a marker file, ".atg-output", so a later run knows it may replace it;
//    an existing directory that is not empty and has no marker is refused unless `force`
//    (it might be the user's own work).
//
// Thread-safety: not safe for concurrent writes to the same directory.
#ifndef ATG_IAC_OUTPUT_WRITER_H_
#define ATG_IAC_OUTPUT_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "iac/emit.h"

namespace atg::iac {

inline constexpr std::string_view kOutputMarker = ".atg-output";

struct WriteOptions {
  bool force = false;  // replace a non-empty directory that atg did not write
};

// kInvalidArgument (naming the path) when `path` is not a safe relative path.
Status ValidateOutputPath(std::string_view path);

// Replaces `dir` with exactly `files` (plus the marker). Errors: kInvalidArgument for an unsafe
// path or duplicate paths, kFailedPrecondition for a foreign non-empty directory without
// `force`, kInternal for I/O failures (naming the file and the OS error). On error the previous
// content of `dir` is untouched.
Status WriteOutput(const std::string& dir, const std::vector<OutputFile>& files,
                   const WriteOptions& options = {});

}  // namespace atg::iac

#endif  // ATG_IAC_OUTPUT_WRITER_H_
