#include "common/data_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace atg {
namespace {

namespace fs = std::filesystem;

class ProbeDataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("atg-data-dir-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    ::chmod((dir_ / "ro").c_str(), 0700);
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(ProbeDataDirTest, AnExistingWritableDirectoryPassesAndIsLeftClean) {
  for (auto mode : {DataDirProbeMode::kCreate, DataDirProbeMode::kLookOnly}) {
    auto state = ProbeDataDir(dir_.string(), mode);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    EXPECT_TRUE(state->existed);
  }
  EXPECT_TRUE(fs::is_empty(dir_));  // the probe file is gone
}

TEST_F(ProbeDataDirTest, AMissingDirectoryIsCreatedOnlyWhenAsked) {
  fs::path missing = dir_ / "a" / "b";
  auto look = ProbeDataDir(missing.string(), DataDirProbeMode::kLookOnly);
  ASSERT_TRUE(look.ok()) << look.status().ToString();
  EXPECT_FALSE(look->existed);
  EXPECT_FALSE(fs::exists(missing));
  auto create = ProbeDataDir(missing.string(), DataDirProbeMode::kCreate);
  ASSERT_TRUE(create.ok()) << create.status().ToString();
  EXPECT_FALSE(create->existed);
  EXPECT_TRUE(fs::is_directory(missing));
}

TEST_F(ProbeDataDirTest, AFileOrAPathUnderAFileFailsInBothModes) {
  std::ofstream(dir_ / "file") << "x";
  for (auto mode : {DataDirProbeMode::kCreate, DataDirProbeMode::kLookOnly}) {
    auto file = ProbeDataDir((dir_ / "file").string(), mode);
    ASSERT_FALSE(file.ok());
    EXPECT_NE(file.status().message().find("not a directory"), std::string::npos)
        << file.status().message();
    auto under = ProbeDataDir((dir_ / "file" / "data").string(), mode);
    ASSERT_FALSE(under.ok());
    EXPECT_NE(under.status().message().find("ATG_DATA_DIR"), std::string::npos)
        << under.status().message();
  }
  EXPECT_EQ(ProbeDataDir("", DataDirProbeMode::kCreate).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(ProbeDataDirTest, AnUnwritableDirectoryFailsInBothModes) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  ::chmod(ro.c_str(), 0500);
  for (auto mode : {DataDirProbeMode::kCreate, DataDirProbeMode::kLookOnly}) {
    auto there = ProbeDataDir(ro.string(), mode);
    ASSERT_FALSE(there.ok());
    EXPECT_NE(there.status().message().find("not writable"), std::string::npos);
    auto below = ProbeDataDir((ro / "data").string(), mode);
    ASSERT_FALSE(below.ok());
    EXPECT_EQ(below.status().code(), StatusCode::kIoError);
  }
}

}  // namespace
}  // namespace atg
