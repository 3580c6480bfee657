#include "iac/hcl_writer.h"

#include <gtest/gtest.h>

#include <map>

namespace atg::iac {
namespace {

TEST(HclString, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(HclString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(HclString("l1\nl2\r\t"), "\"l1\\nl2\\r\\t\"");
  EXPECT_EQ(HclString(std::string("x\x01y", 3)), "\"x\\u0001y\"");
}

TEST(HclString, TemplateSequencesBecomeText) {
  EXPECT_EQ(HclString("${var.secret}"), "\"$${var.secret}\"");
  EXPECT_EQ(HclString("%{ if true }x%{ endif }"), "\"%%{ if true }x%%{ endif }\"");
  // A lone sigil is already text.
  EXPECT_EQ(HclString("cost: $5 and 50%"), "\"cost: $5 and 50%\"");
}

TEST(HclString, KeepsUnicodeAndReplacesInvalidUtf8) {
  EXPECT_EQ(HclString("Zoë – 東京 🚀"), "\"Zoë – 東京 🚀\"");
  EXPECT_EQ(HclString(std::string("a\xff"
                                  "b")),
            "\"a\\uFFFDb\"");
  EXPECT_EQ(HclString(std::string("\xc0\xaf")), "\"\\uFFFD\\uFFFD\"");  // overlong '/'
}

TEST(HclIdentifier, AcceptsNamesAndRejectsTheRest) {
  EXPECT_TRUE(IsHclIdentifier("addressPrefixes"));
  EXPECT_TRUE(IsHclIdentifier("_x-1"));
  EXPECT_FALSE(IsHclIdentifier("1abc"));
  EXPECT_FALSE(IsHclIdentifier("hidden-link: /x"));
  EXPECT_FALSE(IsHclIdentifier(""));
  EXPECT_FALSE(IsHclIdentifier("null"));
}

TEST(HclNumber, IntegersExactDoublesShortest) {
  EXPECT_EQ(HclNumber(json::value(int64_t{34359738368})), "34359738368");
  EXPECT_EQ(HclNumber(json::value(1.5)), "1.5");
  EXPECT_EQ(HclNumber(json::value(-1.0)), "-1");
  EXPECT_EQ(HclNumber(json::value(0.1)), "0.1");
}

TEST(HclWriter, WritesBlocksAttributesAndNestedValues) {
  std::string out;
  HclWriter w(&out);
  w.BeginBlock("resource", {"azurerm_x", "a"});
  w.StringAttribute("name", "n");
  w.JsonAttribute("tags", json::parse(R"({"env":"prod","hidden-link: /x":"y"})"));
  w.JsonAttribute("list", json::parse(R"(["a", 1, true, null])"));
  w.JsonAttribute("objs", json::parse(R"([{"k": []}, {}])"));
  w.BeginBlock("features");
  w.EndBlock();
  w.EndBlock();
  EXPECT_EQ(out,
            "resource \"azurerm_x\" \"a\" {\n"
            "  name = \"n\"\n"
            "  tags = {\n"
            "    env = \"prod\"\n"
            "    \"hidden-link: /x\" = \"y\"\n"
            "  }\n"
            "  list = [\"a\", 1, true, null]\n"
            "  objs = [\n"
            "    {\n"
            "      k = []\n"
            "    },\n"
            "    {},\n"
            "  ]\n"
            "  features {\n"
            "  }\n"
            "}\n");
}

TEST(HclWriter, LookupReplacesValuesAndIdKeysByPath) {
  const json::value body = json::parse(R"({
    "properties": {"subnet": {"id": "/subscriptions/s/x"}, "n": [1, "/subscriptions/s/y"]},
    "identity": {"userAssignedIdentities": {"/subscriptions/s/id1": {}}}})");
  std::map<std::string, std::string, std::less<>> exprs = {
      {"properties.subnet.id", "azurerm_subnet.a.id"},
      {"properties.n[1]", "\"${azapi_resource.b.id}/sub\""},
      {"identity.userAssignedIdentities[\"/subscriptions/s/id1\"]",
       "azurerm_user_assigned_identity.c.id"}};
  std::vector<std::string> seen;
  ExpressionLookup lookup = [&](std::string_view path) -> const std::string* {
    seen.emplace_back(path);
    auto it = exprs.find(path);
    return it == exprs.end() ? nullptr : &it->second;
  };
  std::string out;
  HclWriter w(&out);
  w.JsonAttribute("body", body, &lookup, "");
  EXPECT_NE(out.find("id = azurerm_subnet.a.id\n"), std::string::npos) << out;
  EXPECT_NE(out.find("n = [1, \"${azapi_resource.b.id}/sub\"]"), std::string::npos) << out;
  EXPECT_NE(out.find("(azurerm_user_assigned_identity.c.id) = {}"), std::string::npos) << out;
  EXPECT_EQ(out.find("/subscriptions/s/x"), std::string::npos) << out;
}

// `tofu fmt` aligns the `=` of consecutive single-line attributes; blocks, multi-line values,
// blank lines and comments end a run.
TEST(AlignHclAssignments, AlignsRunsOfSingleLineAttributes) {
  std::string text =
      "resource \"x\" \"y\" {\n"
      "  name = \"a\"\n"
      "  resource_group_name = \"b=c\"\n"
      "  tags = {\n"
      "    k = \"v\"\n"
      "    \"long key\" = \"${x.y} }\"\n"
      "  }\n"
      "  zones = [\"1\"]\n"
      "\n"
      "  x = 1\n"
      "  # a comment\n"
      "  yy = 2\n"
      "  (azapi_resource.a.id) = {}\n"
      "}\n";
  AlignHclAssignments(&text);
  EXPECT_EQ(text,
            "resource \"x\" \"y\" {\n"
            "  name                = \"a\"\n"
            "  resource_group_name = \"b=c\"\n"
            "  tags = {\n"
            "    k          = \"v\"\n"
            "    \"long key\" = \"${x.y} }\"\n"
            "  }\n"
            "  zones = [\"1\"]\n"
            "\n"
            "  x = 1\n"
            "  # a comment\n"
            "  yy                    = 2\n"
            "  (azapi_resource.a.id) = {}\n"
            "}\n");
}

TEST(AlignHclAssignments, CountsCharactersNotBytesAndIgnoresOperators) {
  std::string text = "  \"Zoë\" = 1\n  abcdef = 2\n  c = a == b\n  d = x >= 1\n";
  AlignHclAssignments(&text);
  EXPECT_EQ(text, "  \"Zoë\"  = 1\n  abcdef = 2\n  c      = a == b\n  d      = x >= 1\n");
  std::string literal = "  a = \"$${not} {\"\n  bbb = 1\n";  // "$${" is text, "{" in a string
  AlignHclAssignments(&literal);
  EXPECT_EQ(literal, "  a   = \"$${not} {\"\n  bbb = 1\n");
}

}  // namespace
}  // namespace atg::iac
