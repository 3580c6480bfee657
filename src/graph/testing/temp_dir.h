// Test helper: a fresh directory under the system temp dir, removed with its contents on
// destruction. Header-only and used only by *_test.cc files.
#ifndef ATG_GRAPH_TESTING_TEMP_DIR_H_
#define ATG_GRAPH_TESTING_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace atg::graph::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "atg-graph-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace atg::graph::testing

#endif  // ATG_GRAPH_TESTING_TEMP_DIR_H_
