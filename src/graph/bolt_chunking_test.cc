#include "graph/bolt_chunking.h"

#include <gtest/gtest.h>

#include <string>

namespace atg::graph {
namespace {

TEST(BoltChunkingTest, SmallMessageIsOneChunkAndEndMarker) {
  std::string wire = ChunkMessage(std::string("\xB0\x02", 2));  // GOODBYE
  EXPECT_EQ(wire, std::string("\x00\x02\xB0\x02\x00\x00", 6));
  std::optional<std::string> msg = TakeMessage(&wire);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(*msg, std::string("\xB0\x02", 2));
  EXPECT_TRUE(wire.empty());
}

TEST(BoltChunkingTest, LargeMessageSplitsAt65535Bytes) {
  std::string big(70000, 'z');
  std::string wire = ChunkMessage(big);
  ASSERT_EQ(wire.size(), 70000u + 2 + 2 + 2);
  EXPECT_EQ(wire.substr(0, 2), "\xFF\xFF");
  EXPECT_EQ(wire.substr(2 + 65535, 2), std::string("\x11\x71", 2));  // 4465
  std::optional<std::string> msg = TakeMessage(&wire);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(*msg, big);
}

TEST(BoltChunkingTest, WaitsForCompleteMessageAndSkipsKeepAlives) {
  std::string full = std::string("\x00\x00", 2) + ChunkMessage("abc") + ChunkMessage("de");
  std::string buffer;
  std::vector<std::string> got;
  for (char c : full) {  // feed one byte at a time, as a slow socket would
    buffer.push_back(c);
    while (std::optional<std::string> m = TakeMessage(&buffer)) got.push_back(*m);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "abc");
  EXPECT_EQ(got[1], "de");
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace atg::graph
