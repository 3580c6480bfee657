#include "common/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace atg {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("").value()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc").value()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, IncrementalEqualsOneShot) {
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish().value(), Sha256("abc").value());
}

TEST(Sha256Test, HmacMatchesRfc4231) {
  // RFC 4231 test cases 1 and 2.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There").value()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?").value()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")
                          .value()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  // An empty key is a key, not a missing one.
  EXPECT_EQ(HexEncode(HmacSha256("", "").value()),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// OpenSSL configured with no provider that offers SHA-256 (only the null provider active): every
// entry point returns kInternal naming OpenSSL instead of throwing or making a digest up. In a
// child process, since OpenSSL reads its configuration once per process.
TEST(Sha256DeathTest, AnOpenSslFailureIsAStatus) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string conf = ::testing::TempDir() + "/atg-sha256-null-provider.cnf";
  {
    FILE* f = std::fopen(conf.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(
        "openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n"
        "[provider_sect]\nnull = null_sect\n[null_sect]\nactivate = 1\n",
        f);
    std::fclose(f);
  }
  EXPECT_EXIT(
      {
        ::setenv("OPENSSL_CONF", conf.c_str(), 1);
        auto one_shot = Sha256("abc");
        Sha256Hasher h;
        h.Update("abc");
        auto incremental = h.Finish();
        auto mac = HmacSha256("key", "abc");
        const bool ok = !one_shot.ok() && one_shot.status().code() == StatusCode::kInternal &&
                        one_shot.status().message().find("OpenSSL") != std::string::npos &&
                        !incremental.ok() && !mac.ok();
        std::_Exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  std::remove(conf.c_str());
}

TEST(Sha256Test, HexRoundTripsAndRejectsGarbage) {
  const std::string bytes("\x00\x01\x7f\x80\xfe\xff", 6);
  EXPECT_EQ(HexEncode(bytes), "00017f80feff");
  EXPECT_EQ(HexDecode("00017f80feff"), bytes);
  EXPECT_EQ(HexDecode("00017F80FEFF"), bytes);
  EXPECT_EQ(HexDecode(""), "");
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("0g"));
  EXPECT_FALSE(HexDecode("-1"));
  EXPECT_FALSE(HexDecode(" 0"));
}

}  // namespace
}  // namespace atg
