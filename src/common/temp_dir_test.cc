#include "common/temp_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace atg {
namespace {

namespace fs = std::filesystem;

TEST(TempDirTest, CreatesAnOwnerOnlyDirectoryAndRemovesItWithItsContents) {
  std::string path;
  {
    TempDir dir("atg-temp-dir-test-");
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    path = dir.path();
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_EQ(fs::path(path).filename().string().rfind("atg-temp-dir-test-", 0), 0u);
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    fs::create_directories(path + "/a/b");
    std::ofstream(path + "/a/b/file") << "x";
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, TwoDirectoriesNeverShareAPath) {
  TempDir a, b;
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.path(), b.path());
}

TEST(TempDirTest, ReleaseKeepsTheDirectory) {
  auto dir = TempDir::Create("atg-temp-dir-test-");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  std::string path = dir->Release();
  EXPECT_TRUE(dir->path().empty());
  dir = Status::Internal("drop it");  // destroys the released TempDir
  EXPECT_TRUE(fs::is_directory(path));
  fs::remove_all(path);
}

TEST(TempDirTest, MovingHandsOverOwnership) {
  TempDir a;
  ASSERT_TRUE(a.ok());
  const std::string path = a.path();
  {
    TempDir b = std::move(a);
    EXPECT_EQ(b.path(), path);
    EXPECT_TRUE(a.path().empty());  // NOLINT(bugprone-use-after-move): the moved-from state
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST(TempDirTest, CreateAtMakesASiblingAndRemoveEmptiesIt) {
  TempDir parent;
  ASSERT_TRUE(parent.ok());
  auto dir = TempDir::CreateAt(parent.path() + "/out.tmp-");
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(fs::path(dir->path()).parent_path(), fs::path(parent.path()));
  const std::string path = dir->path();
  ASSERT_TRUE(dir->Remove().ok());
  EXPECT_FALSE(fs::exists(path));
  EXPECT_TRUE(dir->path().empty());
}

TEST(TempDirTest, FailuresAreStatusesThatNameTheDirectory) {
  auto missing = TempDir::CreateAt("/nonexistent-atg-parent/x-");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find("/nonexistent-atg-parent"), std::string::npos);

  auto slash = TempDir::Create("a/b");
  ASSERT_FALSE(slash.ok());
  EXPECT_EQ(slash.status().code(), StatusCode::kInvalidArgument);

  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", "/nonexistent-atg-tmpdir", 1);
  TempDir failed;
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(failed.path().empty());
}

}  // namespace
}  // namespace atg
