#include "cli/doctor_checks.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "graph/open_graph_store.h"
#include "jobs/redis_config.h"

namespace atg::cli {
namespace {

namespace fs = std::filesystem;

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

// Doctor reads the settings with the stores' own readers: what the Redis job store and the Neo4j
// graph store refuse (and so `atg serve` refuses at startup), doctor calls invalid, never fine.
TEST(CheckStoresTest, InvalidExactlyWhereTheStoresRefuse) {
  struct Case {
    std::map<std::string, std::string> vars;
    bool redis_invalid, neo4j_invalid;
  } cases[] = {
      {{{"REDIS_URL", "rediss://:tls-secret-31@cache.example:6380"}}, true, false},
      {{{"REDIS_URL", "unix:///run/redis.sock"}}, true, false},
      {{{"REDIS_URL", "redis://:pw-77@host:notaport"}}, true, false},
      {{{"REDIS_URL", "redis://host"}, {"ATG_REDIS_KEY_PREFIX", ""}}, true, false},
      {{{"NEO4J_URI", "bolt+s://db.example"}}, false, true},
      {{{"NEO4J_URI", "http://db.example"}}, false, true},
      {{{"NEO4J_URI", "bolt://db.example"}, {"NEO4J_PORT", "x"}}, false, true},
  };
  for (const auto& c : cases) {
    Settings s = Settings::FromMaps(c.vars, {});
    auto redis = CheckRedis(s, std::chrono::milliseconds(200));
    auto neo4j = CheckNeo4j(s, std::chrono::milliseconds(200));
    std::string what = c.vars.begin()->second;
    EXPECT_EQ(redis.state == CheckState::kInvalid, c.redis_invalid)
        << what << ": " << redis.summary;
    EXPECT_EQ(neo4j.state == CheckState::kInvalid, c.neo4j_invalid)
        << what << ": " << neo4j.summary;
    // The same settings, as the stores read them, are refused exactly then.
    EXPECT_EQ(!jobs::RedisConfigFromSettings(s).ok(), c.redis_invalid) << what;
    EXPECT_EQ(!graph::Neo4jOptionsFromSettings(s).ok(), c.neo4j_invalid) << what;
    for (const char* secret : {"tls-secret-31", "pw-77"}) {
      EXPECT_EQ(redis.summary.find(secret), std::string::npos) << redis.summary;
      EXPECT_EQ(json::serialize(redis.details).find(secret), std::string::npos);
    }
  }
}

TEST(CheckStoresTest, RedisPasswordIsUsedWhenTheUrlHasNone) {
  // Nothing listens on port 9: the probe fails to connect, but the configuration is valid and
  // the password REDIS_PASSWORD gives is the store's (and never shown).
  Settings s = Settings::FromMaps(
      {{"REDIS_URL", "redis://127.0.0.1:9/0"}, {"REDIS_PASSWORD", "from-env-pw-5150"}}, {});
  auto r = CheckRedis(s, std::chrono::milliseconds(500));
  EXPECT_EQ(r.state, CheckState::kFailed) << r.summary;
  EXPECT_EQ(r.summary.find("from-env-pw-5150"), std::string::npos);
  auto config = jobs::RedisConfigFromSettings(s);
  ASSERT_TRUE(config.ok() && config->has_value());
  EXPECT_EQ((*config)->target.password, "from-env-pw-5150");
}

}  // namespace
}  // namespace atg::cli
