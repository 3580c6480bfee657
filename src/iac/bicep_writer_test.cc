#include "iac/bicep_writer.h"

#include <gtest/gtest.h>

namespace atg::iac {
namespace {

TEST(BicepWriterTest, EscapesStrings) {
  EXPECT_EQ(BicepString("plain"), "'plain'");
  EXPECT_EQ(BicepString("it's"), "'it\\'s'");
  EXPECT_EQ(BicepString("a\\b"), "'a\\\\b'");
  EXPECT_EQ(BicepString("${x}"), "'\\${x}'");
  EXPECT_EQ(BicepString("cost $5"), "'cost $5'");
  EXPECT_EQ(BicepString("l1\nl2\t\r"), "'l1\\nl2\\t\\r'");
  EXPECT_EQ(BicepString(std::string("a\x01", 2)), "'a\\u{1}'");
  EXPECT_EQ(BicepString("[x]"), "'[x]'");  // no ARM-style escaping in Bicep
}

TEST(BicepWriterTest, KeysAreBareOnlyWhenIdentifiers) {
  EXPECT_EQ(BicepKey("addressPrefix"), "addressPrefix");
  EXPECT_EQ(BicepKey("_x1"), "_x1");
  EXPECT_EQ(BicepKey("hidden-link:/x"), "'hidden-link:/x'");
  EXPECT_EQ(BicepKey("1abc"), "'1abc'");
  EXPECT_EQ(BicepKey("type"), "type");
  EXPECT_EQ(BicepKey("null"), "'null'");
  EXPECT_FALSE(IsBicepIdentifier("resource"));
  EXPECT_EQ(BicepKey(""), "''");
}

TEST(BicepWriterTest, WritesNestedValuesOnePerLine) {
  json::value v =
      json::parse(R"({"a":1,"b":[true,null,"s"],"c":{},"d":[],"e":1.5,"f-g":{"h":-2}})");
  std::string out;
  AppendBicepValue(out, v, 0);
  EXPECT_EQ(out,
            "{\n"
            "  a: 1\n"
            "  b: [\n"
            "    true\n"
            "    null\n"
            "    's'\n"
            "  ]\n"
            "  c: {}\n"
            "  d: []\n"
            "  e: json('1.5')\n"
            "  'f-g': {\n"
            "    h: -2\n"
            "  }\n"
            "}");
}

TEST(BicepWriterTest, OverridesReplaceValuesAndKeys) {
  json::value v = json::parse(R"({"id":"/subscriptions/x","m":{"/subscriptions/y":{}}})");
  BicepOverrides o;
  o.values[&v.as_object().at("id")] = "vnet.id";
  o.keys[&v.as_object().at("m").as_object().begin()->value()] = "'${uami.id}'";
  std::string out;
  AppendBicepValue(out, v, 1, &o);
  EXPECT_EQ(out, "{\n    id: vnet.id\n    m: {\n      '${uami.id}': {}\n    }\n  }");
}

}  // namespace
}  // namespace atg::iac
