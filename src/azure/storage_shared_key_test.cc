#include "azure/storage_shared_key.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace atg::azure {
namespace {

// The storage emulator's published development key.
constexpr char kDevKey[] =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

TEST(StorageSharedKeyTest, StringToSignMatchesTheDocumentedExample) {
  // The Get Container Metadata example from the Shared Key documentation.
  SharedKeyRequest req;
  req.method = "GET";
  req.path = "/myaccount/mycontainer";
  req.query = {{"restype", "container"}, {"comp", "metadata"}, {"timeout", "20"}};
  req.headers = {{"x-ms-version", "2009-09-19"}, {"X-MS-Date", "Sun, 11 Oct 2009 21:49:13 GMT"}};
  EXPECT_EQ(SharedKeyStringToSign("myaccount", req),
            "GET\n\n\n\n\n\n\n\n\n\n\n\n"
            "x-ms-date:Sun, 11 Oct 2009 21:49:13 GMT\n"
            "x-ms-version:2009-09-19\n"
            "/myaccount/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
}

TEST(StorageSharedKeyTest, StandardHeadersAndCanonicalForms) {
  SharedKeyRequest req;
  req.method = "PUT";
  req.path = "/devstoreaccount1/c1/a%20b.txt";
  req.query = {{"TimeOut", "30"}};
  req.headers = {{"Content-Type", "text/plain; charset=UTF-8"},
                 {"Content-Length", "11"},
                 {"x-ms-version", "2021-08-06"},
                 {"x-ms-meta-m1", "  v1    v2 "},
                 {"x-ms-blob-type", "BlockBlob"},
                 {"x-ms-date", "Fri, 27 Nov 2026 03:00:00 GMT"},
                 {"Host", "127.0.0.1:10000"}};  // not signed
  std::string expected =
      "PUT\n\n\n11\n\ntext/plain; charset=UTF-8\n\n\n\n\n\n\n"
      "x-ms-blob-type:BlockBlob\n"
      "x-ms-date:Fri, 27 Nov 2026 03:00:00 GMT\n"
      "x-ms-meta-m1:v1 v2\n"
      "x-ms-version:2021-08-06\n"
      "/devstoreaccount1/devstoreaccount1/c1/a%20b.txt\ntimeout:30";
  EXPECT_EQ(SharedKeyStringToSign("devstoreaccount1", req), expected);

  // Reference signature computed outside this code (Python hmac/hashlib over the string above).
  Result<std::string> sig = SharedKeySignature(kDevKey, expected);
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ(sig.value(), "Dcay8zrq1ISJQSiGnbT6iz+7gkF2lJFQGqrb5NBFuJE=");

  Result<std::string> auth = SharedKeyAuthorization("devstoreaccount1", kDevKey, req);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(auth.value(),
            "SharedKey devstoreaccount1:Dcay8zrq1ISJQSiGnbT6iz+7gkF2lJFQGqrb5NBFuJE=");
}

TEST(StorageSharedKeyTest, ZeroContentLengthAndRepeatedParameters) {
  SharedKeyRequest req;
  req.method = "GET";
  req.path = "/acct/";
  req.query = {{"include", "metadata"}, {"comp", "list"}, {"include", "deleted"}};
  req.headers = {{"Content-Length", "0"}};
  EXPECT_EQ(SharedKeyStringToSign("acct", req),
            "GET\n\n\n\n\n\n\n\n\n\n\n\n/acct/acct/\ncomp:list\ninclude:deleted,metadata");
}

TEST(StorageSharedKeyTest, SignatureMatchesDocumentedHmacVector) {
  // HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog") is the widely published
  // f7bc83f4...3cd8; "a2V5" is base64("key").
  Result<std::string> sig =
      SharedKeySignature("a2V5", "The quick brown fox jumps over the lazy dog");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig.value(), "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");

  Result<std::string> doc = SharedKeySignature(
      kDevKey,
      "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Sun, 11 Oct 2009 21:49:13 "
      "GMT\nx-ms-version:2009-09-19\n"
      "/myaccount/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc.value(), "Su5rvibNeMxB7A4I87rOtEgCDtdICsL8v5H+yJs0W+M=");
}

TEST(StorageSharedKeyTest, BadKeyFailsWithoutEchoingIt) {
  for (const char* bad : {"not base64!", "abc", ""}) {
    Result<std::string> sig = SharedKeySignature(bad, "x");
    ASSERT_FALSE(sig.ok()) << bad;
    EXPECT_EQ(sig.status().code(), StatusCode::kInvalidArgument);
    if (*bad) {
      EXPECT_EQ(sig.status().message().find(bad), std::string::npos);
    }
  }
}

TEST(StorageSharedKeyTest, StorageDateIsRfc1123InGmt) {
  // 2009-10-11 21:49:13 UTC
  auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1255297753));
  EXPECT_EQ(StorageDate(when), "Sun, 11 Oct 2009 21:49:13 GMT");
}

}  // namespace
}  // namespace atg::azure
