#include "net/body_sources.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace atg::net {
namespace {

ByteRange Range(std::string_view header, uint64_t size) {
  auto r = ParseRangeHeader(header, size);
  EXPECT_TRUE(r.ok()) << header;
  EXPECT_TRUE(r.ok() && r->has_value()) << header;
  return r.ok() && r->has_value() ? **r : ByteRange{999, 999};
}

bool Ignored(std::optional<std::string_view> header, uint64_t size) {
  auto r = ParseRangeHeader(header, size);
  return r.ok() && !r->has_value();
}

TEST(RangeHeaderTest, SatisfiableRanges) {
  ByteRange r = Range("bytes=0-99", 1000);
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.length, 100u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 0-99/1000");
  r = Range("bytes=900-", 1000);
  EXPECT_EQ(r.offset, 900u);
  EXPECT_EQ(r.length, 100u);
  r = Range("bytes=-300", 1000);
  EXPECT_EQ(r.offset, 700u);
  EXPECT_EQ(r.length, 300u);
  r = Range("bytes=-5000", 1000);  // longer than the resource: all of it
  EXPECT_EQ(r.offset, 0u);
  EXPECT_EQ(r.length, 1000u);
  r = Range("bytes=990-5000", 1000);  // the end is clamped
  EXPECT_EQ(r.length, 10u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 990-999/1000");
}

TEST(RangeHeaderTest, IgnoredHeaders) {
  EXPECT_TRUE(Ignored(std::nullopt, 10));
  EXPECT_TRUE(Ignored("items=0-1", 10));
  EXPECT_TRUE(Ignored("bytes=0-1,5-6", 10));
  EXPECT_TRUE(Ignored("bytes=abc", 10));
  EXPECT_TRUE(Ignored("bytes=5-2", 10));
  EXPECT_TRUE(Ignored("bytes=1-x", 10));
}

TEST(RangeHeaderTest, UnsatisfiableRanges) {
  auto r = ParseRangeHeader("bytes=10-", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("outside the 10-byte resource"), std::string::npos);
  EXPECT_FALSE(ParseRangeHeader("bytes=-0", 10).ok());
  EXPECT_FALSE(ParseRangeHeader("bytes=0-", 0).ok());
}

std::vector<BodyChunk> Drain(BodySource& s, int max_reads) {
  std::vector<BodyChunk> out;
  for (int i = 0; i < max_reads; ++i) {
    bool got = false;
    s.Read([&](BodyChunk c) {
      got = true;
      out.push_back(std::move(c));
    });
    if (!got || out.back().last || out.back().failed) break;
  }
  return out;
}

TEST(PushBodySourceTest, DeliversPushedPiecesThenTheEnd) {
  PushBodySource s;
  EXPECT_FALSE(s.Size().has_value());
  std::vector<BodyChunk> got;
  s.Read([&](BodyChunk c) { got.push_back(std::move(c)); });  // waits: nothing pushed yet
  EXPECT_TRUE(got.empty());
  EXPECT_TRUE(s.Push("a"));  // completes the pending read
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, "a");
  EXPECT_FALSE(got[0].last);
  EXPECT_TRUE(s.Push("b"));
  EXPECT_TRUE(s.Push("c"));
  s.Finish();
  EXPECT_FALSE(s.Push("late"));
  auto rest = Drain(s, 5);
  ASSERT_EQ(rest.size(), 1u);  // queued pieces are coalesced
  EXPECT_EQ(rest[0].data, "bc");
  EXPECT_TRUE(rest[0].last);
}

TEST(PushBodySourceTest, OverflowAndCancelStopTheProducer) {
  PushBodySource small(4);
  EXPECT_TRUE(small.Push("1234"));
  EXPECT_FALSE(small.Push("5"));
  EXPECT_TRUE(small.cancelled());
  auto chunks = Drain(small, 2);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_TRUE(chunks[0].failed);

  PushBodySource s;
  s.Cancel();
  EXPECT_TRUE(s.cancelled());
  EXPECT_FALSE(s.Push("x"));
}

TEST(PushBodySourceTest, FailEndsAPendingRead) {
  PushBodySource s;
  std::vector<BodyChunk> got;
  s.Read([&](BodyChunk c) { got.push_back(std::move(c)); });
  s.Fail();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].failed);
}

}  // namespace
}  // namespace atg::net
