#include "iac/body_path.h"

namespace atg::iac {
namespace {

Status BadPath(std::string_view path, std::string_view why) {
  return Status::InvalidArgument("reference path \"" + std::string(path) + "\" is malformed (" +
                                 std::string(why) + "); the plan that produced it is inconsistent");
}

}  // namespace

Result<std::vector<PathStep>> ParseBodyPath(std::string_view path) {
  std::vector<PathStep> steps;
  size_t i = 0;
  const size_t n = path.size();
  if (n == 0) return BadPath(path, "empty");
  while (i < n) {
    if (!steps.empty() && steps.back().kind == PathStep::kObjectKey) {
      return BadPath(path, "an object-key step must be the last");
    }
    if (path[i] == '[') {
      ++i;
      if (i < n && path[i] == '"') {
        // A JSON string up to the closing unescaped quote.
        size_t j = i + 1;
        while (j < n && path[j] != '"') j += path[j] == '\\' ? 2 : 1;
        if (j >= n || j + 1 >= n || path[j + 1] != ']') return BadPath(path, "unterminated key");
        auto parsed = ParseJson(path.substr(i, j + 1 - i));
        if (!parsed.ok() || !parsed->is_string()) return BadPath(path, "bad quoted key");
        PathStep s;
        s.kind = PathStep::kObjectKey;
        s.key = std::string(parsed->get_string());
        steps.push_back(std::move(s));
        i = j + 2;
      } else {
        size_t j = i;
        size_t index = 0;
        while (j < n && path[j] >= '0' && path[j] <= '9') index = index * 10 + (path[j++] - '0');
        if (j == i || j >= n || path[j] != ']') return BadPath(path, "bad array index");
        PathStep s;
        s.kind = PathStep::kIndex;
        s.index = index;
        steps.push_back(std::move(s));
        i = j + 1;
      }
      if (i < n && path[i] == '.') ++i;
      continue;
    }
    size_t j = i;
    while (j < n && path[j] != '.' && path[j] != '[') ++j;
    if (j == i) return BadPath(path, "empty key");
    PathStep s;
    s.key = std::string(path.substr(i, j - i));
    steps.push_back(std::move(s));
    i = j;
    if (i < n && path[i] == '.') {
      ++i;
      if (i == n) return BadPath(path, "trailing '.'");
    }
  }
  return steps;
}

namespace {

PathTarget ResolveFrom(const json::value* cur, const std::vector<PathStep>& steps, size_t first) {
  for (size_t i = first; i < steps.size(); ++i) {
    const PathStep& s = steps[i];
    if (s.kind == PathStep::kIndex) {
      if (!cur->is_array() || s.index >= cur->get_array().size()) return {};
      cur = &cur->get_array()[s.index];
      continue;
    }
    if (!cur->is_object()) return {};
    const json::object& obj = cur->get_object();
    auto it = obj.find(s.key);
    if (it == obj.end()) return {};
    if (s.kind == PathStep::kObjectKey) return {&it->value(), true};
    cur = &it->value();
  }
  return {cur, false};
}

json::value* EnsureFrom(json::value* cur, const std::vector<PathStep>& steps, size_t first) {
  for (size_t i = first; i < steps.size(); ++i) {
    const PathStep& s = steps[i];
    if (s.kind == PathStep::kObjectKey) return nullptr;
    if (s.kind == PathStep::kIndex) {
      if (!cur->is_array() || s.index >= cur->get_array().size()) return nullptr;
      cur = &cur->get_array()[s.index];
      continue;
    }
    if (cur->is_null()) cur->emplace_object();
    if (!cur->is_object()) return nullptr;
    cur = &cur->get_object()[s.key];
  }
  return cur;
}

}  // namespace

PathTarget ResolveBodyPath(const json::value& root, const std::vector<PathStep>& steps) {
  return ResolveFrom(&root, steps, 0);
}

PathTarget ResolveBodyPath(const json::object& root, const std::vector<PathStep>& steps) {
  if (steps.empty() || steps[0].kind == PathStep::kIndex) return {};
  auto it = root.find(steps[0].key);
  if (it == root.end()) return {};
  if (steps[0].kind == PathStep::kObjectKey) return {&it->value(), true};
  return ResolveFrom(&it->value(), steps, 1);
}

json::value* EnsureBodyPath(json::value& root, const std::vector<PathStep>& steps) {
  return EnsureFrom(&root, steps, 0);
}

json::value* EnsureBodyPath(json::object& root, const std::vector<PathStep>& steps) {
  if (steps.empty() || steps[0].kind != PathStep::kKey) return nullptr;
  return EnsureFrom(&root[steps[0].key], steps, 1);
}

}  // namespace atg::iac
