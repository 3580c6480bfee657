#include "common/strings.h"

#include <gtest/gtest.h>

namespace atg {
namespace {

TEST(MaskUrlPasswordTest, HidesOnlyThePassword) {
  EXPECT_EQ(MaskUrlPassword("redis://:s3cret-pw@host:6379/0"), "redis://:****@host:6379/0");
  EXPECT_EQ(MaskUrlPassword("redis://user:s3cret-pw@host"), "redis://user:****@host");
  EXPECT_EQ(MaskUrlPassword("redis://s3cret-pw@host"), "redis://****@host");
  EXPECT_EQ(MaskUrlPassword("redis://host:6379"), "redis://host:6379");
  EXPECT_EQ(MaskUrlPassword("http://u:p@proxy:3128"), "http://u:****@proxy:3128");
  EXPECT_EQ(MaskUrlPassword("not a url"), "not a url");
}

TEST(ValidUtf8Test, KeepsValidText) {
  EXPECT_EQ(ValidUtf8(""), "");
  EXPECT_EQ(ValidUtf8("plain /api/v1"), "plain /api/v1");
  const std::string mixed = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // é € 😀
  EXPECT_EQ(ValidUtf8(mixed), mixed);
}

TEST(ValidUtf8Test, ReplacesEveryMalformedSequence) {
  const std::string kRepl = "\xEF\xBF\xBD";
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a" + kRepl + "b");                                             // never valid
  EXPECT_EQ(ValidUtf8("\x80"), kRepl);                                      // stray continuation
  EXPECT_EQ(ValidUtf8("\xC3"), kRepl);                                      // truncated at the end
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), kRepl + kRepl);                          // overlong '/'
  EXPECT_EQ(ValidUtf8("\xE0\x80\xAF"), kRepl + kRepl + kRepl);              // overlong, 3 bytes
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), kRepl + kRepl + kRepl);              // a UTF-16 surrogate
  EXPECT_EQ(ValidUtf8("\xF4\x90\x80\x80"), kRepl + kRepl + kRepl + kRepl);  // > U+10FFFF
  EXPECT_EQ(ValidUtf8("x\xE2\x82"
                      "y"),
            "x" + kRepl + kRepl + "y");
}

}  // namespace
}  // namespace atg
