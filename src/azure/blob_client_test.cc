#include "azure/blob_client.h"

#include <gtest/gtest.h>

#include <memory>

#include "azure/fake_transport.h"
#include "common/config.h"

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

// A credential that hands out one token and remembers the scopes asked for.
class FixedCredential : public TokenCredential {
 public:
  Result<AccessToken> GetToken(const std::string& scope) override {
    scopes.push_back(scope);
    return AccessToken{"the-token", std::chrono::system_clock::now() + std::chrono::hours(1)};
  }
  std::vector<std::string> scopes;
};

TEST(BlobClientAuthTest, WithoutKeyOrSasItSendsABearerTokenForStorage) {
  auto url = ParseBlobUrl("https://acct.blob.core.windows.net/backups/a.tar.zst");
  ASSERT_TRUE(url.ok());
  auto transport = std::make_shared<FakeTransport>();
  transport->EnqueueStatus(503, "");  // retried
  transport->EnqueueStatus(200, "",
                           HttpHeaders{{"Content-Length", "5"}, {"x-ms-meta-atgbackup", "1"}});
  auto credential = std::make_shared<FixedCredential>();
  BlobClientOptions o;
  o.transport = transport;
  o.credential = credential;
  o.retry.base = std::chrono::milliseconds(1);
  auto client = BlobClient::Create(*url, Settings::FromMaps({}, {}), o);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->auth(), "bearer");
  auto props = (*client)->Properties("a.tar.zst");
  ASSERT_TRUE(props.ok()) << props.status().ToString();
  EXPECT_EQ(props->size, 5u);
  EXPECT_EQ(props->metadata.at("atgbackup"), "1");
  auto sent = transport->Requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].method, "HEAD");
  EXPECT_EQ(sent[1].url, "https://acct.blob.core.windows.net/backups/a.tar.zst");
  EXPECT_EQ(sent[1].headers.Get("Authorization").value_or(""), "Bearer the-token");
  EXPECT_TRUE(sent[1].headers.Has("x-ms-version"));
  ASSERT_FALSE(credential->scopes.empty());
  EXPECT_EQ(credential->scopes[0], "https://storage.azure.com/.default");
}

TEST(BlobClientAuthTest, SasGoesInTheQueryAndRefusalsSayWhatToCheck) {
  auto url = ParseBlobUrl("https://acct.blob.core.windows.net/backups/?sv=1&sig=SECRETSIG");
  ASSERT_TRUE(url.ok());
  auto transport = std::make_shared<FakeTransport>();
  transport->EnqueueStatus(403, "<Error><Code>AuthenticationFailed</Code></Error>");
  BlobClientOptions o;
  o.transport = transport;
  auto client =
      BlobClient::Create(*url, Settings::FromMaps({{"AZURE_STORAGE_KEY", "a2V5"}}, {}), o);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->auth(), "sas");  // the URL's SAS wins over a key
  auto list = (*client)->List("");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(list.status().message().find("SAS"), std::string::npos) << list.status().message();
  EXPECT_EQ(list.status().message().find("SECRETSIG"), std::string::npos);
  auto sent = transport->Requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].url.find("sig=SECRETSIG"), std::string::npos);
  EXPECT_FALSE(sent[0].headers.Has("Authorization"));
}

}  // namespace
}  // namespace atg::azure
