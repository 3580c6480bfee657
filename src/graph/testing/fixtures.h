// Test helper: real Azure bodies from the shared fixtures directory (ATG_FIXTURES_DIR).
// Header-only and used only by *_test.cc files.
#ifndef ATG_GRAPH_TESTING_FIXTURES_H_
#define ATG_GRAPH_TESTING_FIXTURES_H_

#include <gtest/gtest.h>

#include <string>

#include "common/json.h"
#include "graph/model.h"

namespace atg::graph::testing {

// The parsed file `relative` under the fixtures directory; fails the test when unreadable.
inline json::value LoadFixture(const std::string& relative) {
  auto v = ReadJsonFile(std::string(ATG_FIXTURES_DIR) + "/" + relative);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? std::move(v.value()) : json::value(json::object());
}

// The resource body of a fixture: an x-ms-examples file's responses.200.body, a list's
// value[index], or the file itself.
inline json::object LoadBody(const std::string& relative, size_t index = 0) {
  json::value v = LoadFixture(relative);
  if (!v.is_object()) return {};
  json::object& o = v.get_object();
  if (auto* responses = o.if_contains("responses")) {
    v = responses->at("200").at("body");
  }
  if (v.is_object() && v.get_object().contains("value") && v.get_object().at("value").is_array()) {
    json::value item = v.get_object().at("value").get_array().at(index);
    return std::move(item.get_object());
  }
  return v.is_object() ? std::move(v.get_object()) : json::object();
}

inline bool HasEdge(const GraphFragment& f, std::string_view from, std::string_view to,
                    std::string_view type) {
  for (const auto& e : f.edges) {
    if (e.from == from && e.to == to && e.type == type) return true;
  }
  return false;
}

inline size_t CountEdges(const GraphFragment& f, std::string_view type) {
  size_t n = 0;
  for (const auto& e : f.edges) n += e.type == type ? 1 : 0;
  return n;
}

}  // namespace atg::graph::testing

#endif  // ATG_GRAPH_TESTING_FIXTURES_H_
