#include "common/sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atg {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, IncrementalEqualsOneShot) {
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
}

TEST(Sha256Test, Base64RoundTripsAndRejectsGarbage) {
  const std::vector<std::string> samples = {"",     "f",     "fo",     "foo",
                                            "foob", "fooba", "foobar", std::string("\0\xff", 2)};
  for (const std::string& s : samples) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_FALSE(Base64Decode("Zm9").has_value());
  EXPECT_FALSE(Base64Decode("Zm$v").has_value());
  EXPECT_FALSE(Base64Decode("Z=9v").has_value());
}

}  // namespace
}  // namespace atg
