#include "iac/output_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/temp_dir.h"

namespace atg::iac {
namespace {
namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputWriterTest, RejectsUnsafePaths) {
  for (const char* p :
       {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", ".atg-output"}) {
    EXPECT_EQ(ValidateOutputPath(p).code(), StatusCode::kInvalidArgument) << p;
  }
  EXPECT_TRUE(ValidateOutputPath("modules/rg1.bicep").ok());
  TempDir tmp;
  std::string out = tmp.path() + "/out";
  Status s = WriteOutput(out, {{"ok.tf", "x\n"}, {"../escape.tf", "y\n"}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(out)) << "nothing is written when one path is bad";
  EXPECT_FALSE(fs::exists(tmp.path() + "/escape.tf"));
  EXPECT_EQ(WriteOutput(out, {{"a.tf", "1\n"}, {"a.tf", "2\n"}}).code(),
            StatusCode::kInvalidArgument);
}

TEST(OutputWriterTest, WritesReplacesAndRefusesForeignDirectories) {
  TempDir tmp;
  std::string out = tmp.path() + "/nested/out";
  ASSERT_TRUE(WriteOutput(out, {{"main.tf", "a\n"}, {"modules/rg.tf", "b\n"}}).ok());
  EXPECT_EQ(Read(out + "/main.tf"), "a\n");
  EXPECT_EQ(Read(out + "/modules/rg.tf"), "b\n");
  EXPECT_TRUE(fs::exists(out + "/.atg-output"));
  // A second run replaces the whole directory: stale files disappear.
  ASSERT_TRUE(WriteOutput(out, {{"main.tf", "c\n"}}).ok());
  EXPECT_EQ(Read(out + "/main.tf"), "c\n");
  EXPECT_FALSE(fs::exists(out + "/modules/rg.tf"));
  // No leftovers beside it.
  size_t siblings = 0;
  for (const auto& e : fs::directory_iterator(tmp.path() + "/nested"))
    siblings += !e.path().empty();
  EXPECT_EQ(siblings, 1u);

  std::string mine = tmp.path() + "/mine";
  fs::create_directories(mine);
  std::ofstream(mine + "/notes.txt") << "keep me";
  Status s = WriteOutput(mine, {{"main.tf", "x\n"}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("--force"), std::string::npos);
  EXPECT_EQ(Read(mine + "/notes.txt"), "keep me");
  WriteOptions force;
  force.force = true;
  ASSERT_TRUE(WriteOutput(mine, {{"main.tf", "x\n"}}, force).ok());
  EXPECT_FALSE(fs::exists(mine + "/notes.txt"));
  // An empty existing directory is fine without --force.
  std::string empty = tmp.path() + "/empty";
  fs::create_directories(empty);
  EXPECT_TRUE(WriteOutput(empty, {{"main.tf", "x\n"}}).ok());
}

}  // namespace
}  // namespace atg::iac
