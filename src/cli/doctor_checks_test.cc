#include "cli/doctor_checks.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace atg::cli {
namespace {

namespace fs = std::filesystem;

TEST(MaskUrlPasswordTest, HidesOnlyThePassword) {
  EXPECT_EQ(MaskUrlPassword("redis://:s3cret-pw@host:6379/0"), "redis://:****@host:6379/0");
  EXPECT_EQ(MaskUrlPassword("redis://user:s3cret-pw@host"), "redis://user:****@host");
  EXPECT_EQ(MaskUrlPassword("redis://s3cret-pw@host"), "redis://****@host");
  EXPECT_EQ(MaskUrlPassword("redis://host:6379"), "redis://host:6379");
  EXPECT_EQ(MaskUrlPassword("http://u:p@proxy:3128"), "http://u:****@proxy:3128");
  EXPECT_EQ(MaskUrlPassword("not a url"), "not a url");
}

TEST(ParseRedisUrlTest, Forms) {
  auto a = ParseRedisUrl("redis://:p%40ss@10.0.0.5:6380/3");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->host, "10.0.0.5");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->password, "p@ss");
  EXPECT_EQ(a->db, 3);
  EXPECT_FALSE(a->tls);
  auto b = ParseRedisUrl("rediss://default:pw@cache.example");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->user, "default");
  EXPECT_EQ(b->port, 6379);
  auto bad = ParseRedisUrl("redis://:hidden-password-1@host:port");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("REDIS_URL"), std::string::npos);
  EXPECT_EQ(bad.status().message().find("hidden-password-1"), std::string::npos);
  EXPECT_FALSE(ParseRedisUrl("http://host").ok());
  EXPECT_FALSE(ParseRedisUrl("redis://host/x").ok());
}

TEST(CheckDataDirTest, ExistingMissingAndUnwritable) {
  fs::path dir = fs::temp_directory_path() / ("atg-doctor-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto ok = CheckDataDir(Settings::FromMaps({{"ATG_DATA_DIR", dir.string()}}, {}));
  EXPECT_EQ(ok.state, CheckState::kOk) << ok.summary;
  EXPECT_NE(ok.summary.find("writable"), std::string::npos);
  auto later = CheckDataDir(Settings::FromMaps({{"ATG_DATA_DIR", (dir / "a/b").string()}}, {}));
  EXPECT_EQ(later.state, CheckState::kOk) << later.summary;
  EXPECT_NE(later.summary.find("will be created"), std::string::npos);
  auto file = dir / "file";
  { std::ofstream(file) << "x"; }
  auto not_dir = CheckDataDir(Settings::FromMaps({{"ATG_DATA_DIR", file.string()}}, {}));
  EXPECT_EQ(not_dir.state, CheckState::kFailed);
  if (::geteuid() != 0) {  // root writes anywhere
    fs::path ro = dir / "ro";
    fs::create_directories(ro);
    ::chmod(ro.c_str(), 0500);
    auto unwritable = CheckDataDir(Settings::FromMaps({{"ATG_DATA_DIR", ro.string()}}, {}));
    EXPECT_EQ(unwritable.state, CheckState::kFailed) << unwritable.summary;
    ::chmod(ro.c_str(), 0700);
  }
  fs::remove_all(dir);
}

TEST(CheckStoresTest, NotConfiguredIsNotAFailure) {
  Settings empty = Settings::FromMaps({}, {});
  EXPECT_EQ(CheckRedis(empty, std::chrono::seconds(1)).state, CheckState::kNotConfigured);
  EXPECT_EQ(CheckNeo4j(empty, std::chrono::seconds(1)).state, CheckState::kNotConfigured);
  auto bad =
      CheckNeo4j(Settings::FromMaps({{"NEO4J_URI", "neo4j+s://x"}}, {}), std::chrono::seconds(1));
  EXPECT_EQ(bad.state, CheckState::kInvalid);
}

}  // namespace
}  // namespace atg::cli
