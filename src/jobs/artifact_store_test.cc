#include "jobs/artifact_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "jobs/digest.h"

namespace atg::jobs {
namespace {

namespace fs = std::filesystem;

class ArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("atg-artifacts-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    auto s = OpenFilesystemArtifactStore((root_ / "artifacts").string(), &clock_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Source(const std::string& content) {
    std::string p = (root_ / ("src-" + std::to_string(n_++))).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  fs::path root_;
  FakeClock clock_{WallTime(std::chrono::milliseconds(1'700'000'000'000))};
  int n_ = 0;
  std::unique_ptr<ArtifactStore> store_;
};

TEST_F(ArtifactStoreTest, PutStatOpenReadRanges) {
  std::string content(300000, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7);
  std::string src = Source(content);
  auto a = store_->Put("job_0123", src);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(IsValidArtifactId(a->id)) << a->id;
  EXPECT_EQ(a->job_id, "job_0123");
  EXPECT_EQ(a->size, content.size());
  EXPECT_EQ(a->sha256, Sha256FileHex(src).value());
  EXPECT_EQ(a->etag, "\"" + a->sha256 + "\"");
  EXPECT_EQ(a->created_at_ms, ToUnixMs(clock_.WallNow()));

  auto st = store_->Stat(a->id);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->sha256, a->sha256);
  EXPECT_EQ(st->size, a->size);

  auto r = store_->Open(a->id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->ReadAt(0, 10).value(), content.substr(0, 10));
  EXPECT_EQ((*r)->ReadAt(123456, 70000).value(), content.substr(123456, 70000));
  EXPECT_EQ((*r)->ReadAt(content.size() - 5, 100).value(), content.substr(content.size() - 5));
  EXPECT_EQ((*r)->ReadAt(content.size(), 100).value(), "");
  // A download in progress survives a delete.
  ASSERT_TRUE(store_->Delete(a->id).ok());
  EXPECT_EQ((*r)->ReadAt(0, 3).value(), content.substr(0, 3));
  EXPECT_EQ(store_->Stat(a->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Open(a->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Delete(a->id).code(), StatusCode::kNotFound);
  // The source is untouched, ids are unique.
  EXPECT_TRUE(fs::exists(src));
  EXPECT_NE(store_->Put("j", src)->id, store_->Put("j", src)->id);
}

TEST_F(ArtifactStoreTest, IdsAreValidatedBeforeAnyLookup) {
  for (const char* bad :
       {"", "art_", "../../etc/passwd", "art_../../../../etc/passwd",
        "art_0123456789abcdef0123456789ABCDEF", "art_0123456789abcdef0123456789abcde",
        "art_0123456789abcdef0123456789abcdef0", "job_0123456789abcdef0123456789abcdef",
        "art_0123456789abcdef0123456789abcde/"}) {
    EXPECT_FALSE(IsValidArtifactId(bad)) << bad;
    EXPECT_EQ(store_->Stat(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store_->Open(bad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store_->Delete(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(IsValidArtifactId("art_0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(store_->Stat("art_0123456789abcdef0123456789abcdef").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->Put("j", (root_ / "missing").string()).status().code(), StatusCode::kNotFound);
}

TEST_F(ArtifactStoreTest, SweepRemovesOnlyExpiredArtifacts) {
  auto old = store_->Put("j1", Source("old"));
  clock_.Advance(std::chrono::hours(5 * 24));  // five days later
  auto fresh = store_->Put("j2", Source("fresh"));
  ASSERT_TRUE(old.ok() && fresh.ok());
  // A leftover of an interrupted Put, an hour and more old.
  fs::path tmp = root_ / "artifacts" / ".tmp-art_leftover";
  std::ofstream(tmp) << "partial";
  fs::last_write_time(tmp, fs::file_time_type::clock::now() - std::chrono::hours(2));

  EXPECT_EQ(store_->SweepExpired(std::chrono::hours(0)).value(), 0);  // 0 = keep forever
  auto removed = store_->SweepExpired(std::chrono::hours(24 * 3));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed.value(), 1);
  EXPECT_EQ(store_->Stat(old->id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Stat(fresh->id).ok());
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_EQ(store_->SweepExpired(std::chrono::hours(24 * 3)).value(), 0);
}

TEST_F(ArtifactStoreTest, SweeperRunsPeriodically) {
  auto a = store_->Put("j1", Source("x"));
  clock_.Advance(std::chrono::hours(10 * 24));
  {
    ArtifactSweeper sweeper(store_.get(), std::chrono::hours(24), std::chrono::milliseconds(20));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (sweeper.runs() < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GE(sweeper.runs(), 3);
    EXPECT_EQ(sweeper.swept(), 1);
  }  // joins
  EXPECT_EQ(store_->Stat(a->id).status().code(), StatusCode::kNotFound);
}

TEST_F(ArtifactStoreTest, TtlComesFromTheEnvironment) {
  EXPECT_EQ(ArtifactTtl(Settings::FromMaps({}, {})).value(), std::chrono::hours(24 * 7));
  EXPECT_EQ(ArtifactTtl(Settings::FromMaps({{"ATG_ARTIFACT_TTL_DAYS", "2"}}, {})).value(),
            std::chrono::hours(48));
  auto bad = ArtifactTtl(Settings::FromMaps({{"ATG_ARTIFACT_TTL_DAYS", "soon"}}, {}));
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("ATG_ARTIFACT_TTL_DAYS"), std::string::npos);
  auto s = OpenArtifactStore(Settings::FromMaps({{"ATG_DATA_DIR", root_.string() + "/d"}}, {}));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(fs::is_directory(root_ / "d" / "artifacts"));
}

}  // namespace
}  // namespace atg::jobs
