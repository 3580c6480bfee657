// The Azure Blob backend of ArtifactStore against Azurite.
#include "jobs/azure_blob_artifact_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "jobs/digest.h"
#include "service_env.h"

namespace atg {
namespace {

std::string Container() {
  return "atg-art-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
}

TEST(AzureBlobArtifactStoreTest, PutStatReadSweepDeleteAgainstAzurite) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(account, "ATG_TEST_AZURITE_ACCOUNT");
  ATG_REQUIRE_SERVICE_ENV(key, "ATG_TEST_AZURITE_KEY");
  FakeClock clock(WallTime(std::chrono::milliseconds(1'700'000'000'000)));
  jobs::AzureBlobArtifactOptions o;
  o.endpoint = endpoint;
  o.account = account;
  o.account_key = key;
  o.container = Container();
  o.block_size = 64 * 1024;  // several blocks per artifact
  o.clock = &clock;
  auto opened = jobs::OpenAzureBlobArtifactStore(o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  jobs::ArtifactStore& store = *opened.value();
  EXPECT_EQ(store.backend(), "azure_blob");

  std::string content(200000, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 13 + 1);
  std::string src =
      (std::filesystem::temp_directory_path() / ("atg-blob-src-" + std::to_string(::getpid())))
          .string();
  std::ofstream(src, std::ios::binary) << content;

  auto a = store.Put("job_abc", src);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->size, content.size());
  EXPECT_EQ(a->sha256, jobs::Sha256FileHex(src).value());
  auto st = store.Stat(a->id);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->job_id, "job_abc");
  EXPECT_EQ(st->sha256, a->sha256);
  EXPECT_EQ(st->size, a->size);
  EXPECT_EQ(st->created_at_ms, ToUnixMs(clock.WallNow()));

  auto r = store.Open(a->id);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->ReadAt(0, 100).value(), content.substr(0, 100));
  EXPECT_EQ((*r)->ReadAt(65530, 20).value(), content.substr(65530, 20));  // across blocks
  EXPECT_EQ((*r)->ReadAt(content.size() - 7, 100).value(), content.substr(content.size() - 7));
  EXPECT_EQ((*r)->ReadAt(content.size(), 10).value(), "");

  EXPECT_EQ(store.Stat("../etc").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Stat("art_0123456789abcdef0123456789abcdef").status().code(),
            StatusCode::kNotFound);

  clock.Advance(std::chrono::hours(72));
  auto fresh = store.Put("job_def", src);
  ASSERT_TRUE(fresh.ok());
  auto swept = store.SweepExpired(std::chrono::hours(48));
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_EQ(swept.value(), 1);
  EXPECT_EQ(store.Stat(a->id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.Delete(fresh->id).ok());
  EXPECT_EQ(store.Delete(fresh->id).code(), StatusCode::kNotFound);
  std::filesystem::remove(src);
}

TEST(AzureBlobArtifactStoreTest, WrongKeyIsRefusedWithoutShowingIt) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(account, "ATG_TEST_AZURITE_ACCOUNT");
  jobs::AzureBlobArtifactOptions o;
  o.endpoint = endpoint;
  o.account = account;
  o.account_key = std::string(86, 'B') + "==";
  o.container = Container();
  auto opened = jobs::OpenAzureBlobArtifactStore(o);
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated) << opened.status().ToString();
  EXPECT_EQ(opened.status().message().find(o.account_key), std::string::npos);
}

TEST(AzureBlobArtifactStoreTest, SelectedBySettings) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(account, "ATG_TEST_AZURITE_ACCOUNT");
  ATG_REQUIRE_SERVICE_ENV(key, "ATG_TEST_AZURITE_KEY");
  auto store =
      jobs::OpenArtifactStore(Settings::FromMaps({{"ATG_ARTIFACT_BLOB_ENDPOINT", endpoint},
                                                  {"ATG_ARTIFACT_BLOB_ACCOUNT", account},
                                                  {"ATG_ARTIFACT_BLOB_KEY", key},
                                                  {"ATG_ARTIFACT_BLOB_CONTAINER", Container()}},
                                                 {}));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->backend(), "azure_blob");
  auto missing =
      jobs::OpenArtifactStore(Settings::FromMaps({{"ATG_ARTIFACT_BLOB_ENDPOINT", endpoint}}, {}));
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("ATG_ARTIFACT_BLOB_KEY"), std::string::npos);
}

}  // namespace
}  // namespace atg
