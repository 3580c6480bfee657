#include "common/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace atg {
namespace {

// RFC 4648 §10.
const std::vector<std::pair<std::string, std::string>> kVectors = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};

TEST(Base64Test, Rfc4648Vectors) {
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded) << plain;
    EXPECT_EQ(Base64Decode(encoded), plain) << encoded;
    std::string unpadded = encoded.substr(0, encoded.find('='));
    EXPECT_EQ(Base64UrlEncode(plain), unpadded) << plain;
    EXPECT_EQ(Base64UrlDecode(unpadded), plain) << unpadded;
    EXPECT_EQ(Base64UrlDecode(encoded), plain) << "padding is optional: " << encoded;
  }
}

TEST(Base64Test, TheAlphabetsDifferInTheirLastTwoCharacters) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64Decode("+/+/"), bytes);
  EXPECT_EQ(Base64UrlDecode("-_-_"), bytes);
  EXPECT_FALSE(Base64Decode("-_-_"));
  EXPECT_FALSE(Base64UrlDecode("+/+/"));
}

TEST(Base64Test, EveryByteRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    std::string s = all.substr(all.size() - n);
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s) << n;
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(s)), s) << n;
  }
}

TEST(Base64Test, StandardDecodingRejectsBadInput) {
  for (const char* bad : {"Zg", "Zm9", "Zm9vY", "Zg=", "Z===", "Zm9v====", "Z=9v", "=Zm9", "Zm$v",
                          "Zm9v\n", " Zm9v", "Zm9vYg==Zm9v", "Zg==="}) {
    EXPECT_FALSE(Base64Decode(bad)) << bad;
  }
}

TEST(Base64Test, UrlDecodingRejectsBadInput) {
  // 4n+1 characters: no byte string encodes to that.
  for (const char* bad :
       {"Z", "Zm9vY", "Zg=", "Zg===", "Z=g", "=", "Zm$v", "ab+c", "ab/c", "Zm9v\n", "a.b"}) {
    EXPECT_FALSE(Base64UrlDecode(bad)) << bad;
  }
}

}  // namespace
}  // namespace atg
