// azure::BlobClient against Azurite: block uploads in parallel, ranged downloads, listing with
// metadata, deletes and the errors a user sees.
#include "azure/blob_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>

#include "common/config.h"
#include "common/temp_dir.h"
#include "service_env.h"

namespace atg {
namespace {

std::string Container() {
  return "atg-blob-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
}

TEST(BlobClientTest, BlocksListMetadataDeleteAgainstAzurite) {
  ATG_REQUIRE_SERVICE_ENV(endpoint, "ATG_TEST_AZURITE_BLOB_ENDPOINT");
  ATG_REQUIRE_SERVICE_ENV(key, "ATG_TEST_AZURITE_KEY");
  auto url = azure::ParseBlobUrl(endpoint + "/" + Container() + "/");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  Settings settings = Settings::FromMaps({{"AZURE_STORAGE_KEY", key}}, {});
  azure::BlobClientOptions o;
  o.block_size = 64 * 1024;  // 16 blocks for 1 MB, uploaded 4 at a time
  auto client = azure::BlobClient::Create(*url, settings, o);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->auth(), "shared_key");
  // Before the container exists, the error says what to do.
  TempDir dir;
  const std::string src = dir.path() + "/src.bin";
  std::string content(1 << 20, '\0');
  std::mt19937 rng(7);
  for (char& c : content) c = static_cast<char>(rng());
  std::ofstream(src, std::ios::binary) << content;
  Status missing = (*client)->Upload("x/a.bin", src, {});
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("create it"), std::string::npos) << missing.message();
  ASSERT_TRUE((*client)->CreateContainer().ok());
  ASSERT_TRUE((*client)->CreateContainer().ok());  // exists: fine
  ASSERT_TRUE((*client)->Upload("x/a.bin", src, {{"atgbackup", "1"}, {"created_at", "t1"}}).ok());
  ASSERT_TRUE((*client)->Upload("y/b.bin", src, {}).ok());
  auto props = (*client)->Properties("x/a.bin");
  ASSERT_TRUE(props.ok()) << props.status().ToString();
  EXPECT_EQ(props->size, content.size());
  EXPECT_EQ(props->metadata["atgbackup"], "1");
  const std::string dst = dir.path() + "/dst.bin";
  auto got = (*client)->Download("x/a.bin", dst);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(atg::testing::ReadWholeFile(dst), content);
  auto list = (*client)->List("x/");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "x/a.bin");
  EXPECT_EQ((*list)[0].size, content.size());
  EXPECT_EQ((*list)[0].metadata.at("created_at"), "t1");
  ASSERT_TRUE((*client)->Delete("x/a.bin").ok());
  EXPECT_EQ((*client)->Delete("x/a.bin").code(), StatusCode::kNotFound);
  EXPECT_EQ((*client)->Download("x/a.bin", dst).status().code(), StatusCode::kNotFound);
  // A wrong key: refused, and the message names where the key comes from, not the key.
  Settings wrong =
      Settings::FromMaps({{"AZURE_STORAGE_KEY", "d3Jvbmcga2V5IHRoYXQgaXMgbG9uZw=="}}, {});
  auto bad = azure::BlobClient::Create(*url, wrong);
  ASSERT_TRUE(bad.ok());
  auto refused = (*bad)->List("");
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().code() == StatusCode::kPermissionDenied ||
              refused.status().code() == StatusCode::kUnauthenticated)
      << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("AZURE_STORAGE_KEY"), std::string::npos);
  // A key for another account is caught before any request.
  Settings other = Settings::FromMaps(
      {{"AZURE_STORAGE_KEY", key}, {"AZURE_STORAGE_ACCOUNT", "someoneelse"}}, {});
  EXPECT_EQ(azure::BlobClient::Create(*url, other).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace atg
