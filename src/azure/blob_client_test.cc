#include "azure/blob_client.h"

#include <gtest/gtest.h>

namespace atg::azure {
namespace {

TEST(BlobUrlTest, ParsesAzureAndEmulatorForms) {
  auto u = ParseBlobUrl("https://acct.blob.core.windows.net/backups/daily/atg.tar.zst");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->origin, "https://acct.blob.core.windows.net");
  EXPECT_EQ(u->account, "acct");
  EXPECT_EQ(u->base_path, "");
  EXPECT_EQ(u->container, "backups");
  EXPECT_EQ(u->name, "daily/atg.tar.zst");
  EXPECT_TRUE(u->names_blob());

  u = ParseBlobUrl("http://127.0.0.1:10000/devstoreaccount1/backups/");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->account, "devstoreaccount1");
  EXPECT_EQ(u->base_path, "/devstoreaccount1");
  EXPECT_EQ(u->container, "backups");
  EXPECT_EQ(u->name, "");
  EXPECT_FALSE(u->names_blob());
  EXPECT_EQ(u->Display(), "http://127.0.0.1:10000/devstoreaccount1/backups");

  u = ParseBlobUrl("https://acct.blob.core.windows.net/backups/prefix/?sv=2022&sig=SECRET");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->name, "prefix/");
  EXPECT_EQ(u->sas, "sv=2022&sig=SECRET");
  EXPECT_EQ(u->Display().find("SECRET"), std::string::npos);
  EXPECT_EQ(u->DisplayOf("x").find("SECRET"), std::string::npos);
}

TEST(BlobUrlTest, RefusesWhatIsNotABlobLocation) {
  for (const char* bad :
       {"ftp://acct.blob.core.windows.net/c/x", "acct/c/x", "https://acct.blob.core.windows.net/",
        "https://acct.blob.core.windows.net/UPPER/x", "https://acct.blob.core.windows.net/c/x",
        "http://127.0.0.1:1/acct", "https://acct.blob.core.windows.net/backups/../x"}) {
    auto u = ParseBlobUrl(bad);
    EXPECT_FALSE(u.ok()) << bad;
    if (!u.ok()) {
      EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
  auto u = ParseBlobUrl("https://acct.blob.core.windows.net/c?sig=TOPSECRET");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message().find("TOPSECRET"), std::string::npos) << u.status().message();
}

}  // namespace
}  // namespace atg::azure
