#include "graph/packstream.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>

namespace atg::graph::packstream {
namespace {

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Enc(const Value& v) {
  Result<std::string> r = Encode(v);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : "";
}

// Encodes, compares with the expected bytes, and decodes the bytes back to the same value.
void ExpectRoundTrip(const Value& v, const std::string& bytes) {
  EXPECT_EQ(Enc(v), bytes) << v.DebugString();
  Result<Value> back = Decode(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back.value(), v) << back->DebugString() << " vs " << v.DebugString();
}

// The byte examples below are the ones given in the PackStream v1 specification.
TEST(PackStreamTest, SpecExamplesForScalars) {
  ExpectRoundTrip(Value::Null(), B({0xC0}));
  ExpectRoundTrip(Value::Bool(true), B({0xC3}));
  ExpectRoundTrip(Value::Bool(false), B({0xC2}));
  ExpectRoundTrip(Value::Int(1), B({0x01}));
  ExpectRoundTrip(Value::Int(42), B({0x2A}));
  ExpectRoundTrip(Value::Int(1234), B({0xC9, 0x04, 0xD2}));
  ExpectRoundTrip(Value::Float(1.1), B({0xC1, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}));
  ExpectRoundTrip(Value::Float(-1.1), B({0xC1, 0xBF, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A}));
  ExpectRoundTrip(Value::Bytes(B({1, 2, 3})), B({0xCC, 0x03, 0x01, 0x02, 0x03}));
}

TEST(PackStreamTest, SpecExamplesForStrings) {
  ExpectRoundTrip(Value::String(""), B({0x80}));
  ExpectRoundTrip(Value::String("A"), B({0x81, 0x41}));
  std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  ExpectRoundTrip(Value::String(alphabet), B({0xD0, 0x1A}) + alphabet);
  // "Größenmaßstäbe": 14 characters, 18 bytes of UTF-8.
  ExpectRoundTrip(Value::String("Gr\xC3\xB6\xC3\x9F"
                                "enma\xC3\x9F"
                                "st\xC3\xA4"
                                "be"),
                  B({0xD0, 0x12, 0x47, 0x72, 0xC3, 0xB6, 0xC3, 0x9F, 0x65, 0x6E,
                     0x6D, 0x61, 0xC3, 0x9F, 0x73, 0x74, 0xC3, 0xA4, 0x62, 0x65}));
}

TEST(PackStreamTest, SpecExamplesForContainers) {
  ExpectRoundTrip(Value::List({}), B({0x90}));
  ExpectRoundTrip(Value::List({Value::Int(1), Value::Int(2), Value::Int(3)}),
                  B({0x93, 0x01, 0x02, 0x03}));
  ExpectRoundTrip(
      Value::List({Value::Int(1), Value::Float(2.0), Value::String("three")}),
      B({0x93, 0x01, 0xC1, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x85, 0x74, 0x68, 0x72, 0x65, 0x65}));
  std::vector<Value> forty;
  std::string forty_bytes = B({0xD4, 0x28});
  for (int i = 1; i <= 40; ++i) {
    forty.push_back(Value::Int(i));
    forty_bytes.push_back(static_cast<char>(i));
  }
  ExpectRoundTrip(Value::List(forty), forty_bytes);
  ExpectRoundTrip(Value::Map({}), B({0xA0}));
  ExpectRoundTrip(Value::Map({{"one", Value::String("eins")}}),
                  B({0xA1, 0x83, 0x6F, 0x6E, 0x65, 0x84, 0x65, 0x69, 0x6E, 0x73}));
}

TEST(PackStreamTest, IntegersUseTheSmallestForm) {
  ExpectRoundTrip(Value::Int(-16), B({0xF0}));
  ExpectRoundTrip(Value::Int(-1), B({0xFF}));
  ExpectRoundTrip(Value::Int(127), B({0x7F}));
  ExpectRoundTrip(Value::Int(-17), B({0xC8, 0xEF}));
  ExpectRoundTrip(Value::Int(-128), B({0xC8, 0x80}));
  ExpectRoundTrip(Value::Int(128), B({0xC9, 0x00, 0x80}));
  ExpectRoundTrip(Value::Int(-129), B({0xC9, 0xFF, 0x7F}));
  ExpectRoundTrip(Value::Int(32768), B({0xCA, 0x00, 0x00, 0x80, 0x00}));
  ExpectRoundTrip(Value::Int(2147483648LL), B({0xCB, 0, 0, 0, 0, 0x80, 0, 0, 0}));
  ExpectRoundTrip(Value::Int(std::numeric_limits<int64_t>::min()),
                  B({0xCB, 0x80, 0, 0, 0, 0, 0, 0, 0}));
  // Larger forms than needed are valid input.
  Result<Value> wide = Decode(B({0xCB, 0, 0, 0, 0, 0, 0, 0, 0x2A}));
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->as_int(), 42);
}

TEST(PackStreamTest, SizesSwitchForms) {
  std::string s256(256, 'x');
  EXPECT_EQ(Enc(Value::String(s256)).substr(0, 3), B({0xD1, 0x01, 0x00}));
  std::string s70k(70000, 'y');
  EXPECT_EQ(Enc(Value::String(s70k)).substr(0, 5), B({0xD2, 0x00, 0x01, 0x11, 0x70}));
  std::vector<MapEntry> entries;
  for (int i = 0; i < 16; ++i) entries.push_back({std::to_string(i), Value::Null()});
  std::string map = Enc(Value::Map(entries));
  EXPECT_EQ(map.substr(0, 2), B({0xD8, 0x10}));
  Result<Value> back = Decode(map);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->entries().size(), 16u);
}

TEST(PackStreamTest, StructuresCarryTagAndFields) {
  // A Bolt HELLO message: struct with tag 0x01 and one field, an extra dictionary.
  Value hello = Value::Struct(0x01, {Value::Map({{"user_agent", Value::String("a/1")}})});
  std::string bytes = B({0xB1, 0x01, 0xA1, 0x8A}) + "user_agent" + B({0x83}) + "a/1";
  ExpectRoundTrip(hello, bytes);
  Result<Value> back = Decode(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->tag(), 0x01);
  ASSERT_EQ(back->items().size(), 1u);
  const Value* agent = back->items()[0].Find("user_agent");
  ASSERT_NE(agent, nullptr);
  EXPECT_EQ(agent->as_string(), "a/1");
  EXPECT_EQ(back->items()[0].Find("missing"), nullptr);

  std::vector<Value> sixteen(16);
  EXPECT_FALSE(Encode(Value::Struct(0x01, sixteen)).ok());
}

TEST(PackStreamTest, RejectsMalformedInput) {
  EXPECT_FALSE(Decode("").ok());
  EXPECT_FALSE(Decode(B({0xC9, 0x04})).ok());                    // truncated INT_16
  EXPECT_FALSE(Decode(B({0x85, 0x61})).ok());                    // string shorter than announced
  EXPECT_FALSE(Decode(B({0xC4})).ok());                          // reserved marker
  EXPECT_FALSE(Decode(B({0xA1, 0x01, 0x01})).ok());              // non-string key
  EXPECT_FALSE(Decode(B({0xD6, 0xFF, 0xFF, 0xFF, 0xFF})).ok());  // huge count, no data
  EXPECT_FALSE(Decode(B({0x01, 0x02})).ok());                    // trailing bytes
  std::string deep(100, static_cast<char>(0x91));
  deep.push_back(static_cast<char>(0xC0));
  Result<Value> r = Decode(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("deeper"), std::string::npos) << r.status().message();

  size_t consumed = 0;
  Result<Value> prefix = DecodePrefix(B({0x01, 0x02}), &consumed);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(consumed, 1u);
}

}  // namespace
}  // namespace atg::graph::packstream
