#include "common/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace atg {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atg_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  static unsigned Mode(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 0;
  }

  fs::path dir_;
};

TEST_F(FileTest, WritesAtomicallyAndReadsBack) {
  const std::string p = Path("a.json");
  std::string big(300000, 'x');
  big[12345] = '\0';
  ASSERT_TRUE(WriteFileAtomically(p, big).ok());
  EXPECT_EQ(ReadFile(p).value(), big);
  ASSERT_TRUE(WriteFileAtomically(p, "short").ok());
  EXPECT_EQ(ReadFile(p).value(), "short");
  EXPECT_FALSE(fs::exists(p + ".tmp"));
  ASSERT_TRUE(WriteFileAtomically(p, "").ok());
  EXPECT_EQ(ReadFile(p).value(), "");
}

TEST_F(FileTest, OwnerOnlyIsOwnerOnlyEvenOverALeftoverTemporaryFile) {
  const std::string p = Path("secret.env");
  { std::ofstream(p + ".tmp") << "stale"; }
  fs::permissions(p + ".tmp", fs::perms::all);
  ASSERT_TRUE(WriteFileAtomically(p, "KEY=value\n", /*owner_only=*/true).ok());
  EXPECT_EQ(Mode(p), 0600u);
  EXPECT_EQ(ReadFile(p).value(), "KEY=value\n");
}

TEST_F(FileTest, ErrorsNameTheFileAndTheReason) {
  auto missing = ReadFile(Path("nope"));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find(Path("nope")), std::string::npos);
  EXPECT_NE(missing.status().message().find("No such file"), std::string::npos)
      << missing.status().message();
  auto dir = ReadFile(dir_.string());
  EXPECT_EQ(dir.status().code(), StatusCode::kIoError) << dir.status().ToString();

  Status s = WriteFileAtomically(Path("no/such/dir/f"), "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("no/such/dir/f.tmp"), std::string::npos) << s.message();
  // The target is a directory: the rename fails and the temporary file is cleaned up.
  fs::create_directories(Path("d") + "/inner");
  s = WriteFileAtomically(Path("d"), "x");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("cannot rename"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(Path("d") + ".tmp"));
}

}  // namespace
}  // namespace atg
