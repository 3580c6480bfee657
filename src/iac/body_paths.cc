#include "iac/body_paths.h"

#include <algorithm>

#include "common/strings.h"

namespace atg::iac {
namespace {

void Match(json::value& v, const std::vector<std::string>& segs, size_t i, std::string& path,
           std::vector<PathMatch>* out) {
  if (v.is_array()) {
    auto& arr = v.as_array();
    const size_t len = path.size();
    for (size_t k = 0; k < arr.size(); ++k) {
      path += '[' + std::to_string(k) + ']';
      Match(arr[k], segs, i, path, out);
      path.resize(len);
    }
    return;
  }
  if (!v.is_object() || i >= segs.size()) return;
  auto& obj = v.as_object();
  for (auto& kv : obj) {
    std::string_view key = kv.key();
    if (segs[i] != "*" && !EqualsIgnoreCase(segs[i], key)) continue;
    const size_t len = path.size();
    if (!path.empty()) path += '.';
    path.append(key);
    if (i + 1 == segs.size()) {
      out->push_back({&obj, std::string(key), path});
    } else {
      Match(kv.value(), segs, i + 1, path, out);
    }
    path.resize(len);
  }
}

size_t NameIndex(const std::vector<std::string_view>& names, std::string_view key) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (EqualsIgnoreCase(names[i], key)) return i;
  }
  return names.size();
}

void Named(json::value& v, const std::vector<std::string_view>& names, std::string& path,
           std::vector<std::pair<PathMatch, size_t>>* out) {
  if (v.is_array()) {
    auto& arr = v.as_array();
    const size_t len = path.size();
    for (size_t k = 0; k < arr.size(); ++k) {
      path += '[' + std::to_string(k) + ']';
      Named(arr[k], names, path, out);
      path.resize(len);
    }
    return;
  }
  if (!v.is_object()) return;
  auto& obj = v.as_object();
  for (auto& kv : obj) {
    const size_t len = path.size();
    if (!path.empty()) path += '.';
    path.append(kv.key());
    size_t i = NameIndex(names, kv.key());
    if (i < names.size()) {
      out->push_back({{&obj, std::string(kv.key()), path}, i});
    } else {
      Named(kv.value(), names, path, out);
    }
    path.resize(len);
  }
}

}  // namespace

std::vector<PathMatch> MatchPath(json::object& body, std::string_view pattern) {
  std::vector<std::string> segs = Split(pattern, '.', true);
  std::vector<PathMatch> out;
  if (segs.empty()) return out;
  json::value root;  // a view would be nicer; the object is swapped in and out instead
  root.emplace_object().swap(body);
  std::string path;
  Match(root, segs, 0, path, &out);
  body.swap(root.as_object());
  // Holders pointing at the temporary root now point at `body` (swap moved the storage).
  for (auto& m : out) {
    if (m.holder == &root.as_object()) m.holder = &body;
  }
  return out;
}

void ForEachNamedProperty(json::object& body, const std::vector<std::string_view>& names,
                          const std::function<void(const PathMatch&, size_t)>& visit) {
  json::value root;
  root.emplace_object().swap(body);
  std::string path;
  std::vector<std::pair<PathMatch, size_t>> found;
  Named(root, names, path, &found);
  body.swap(root.as_object());
  for (auto& [m, i] : found) {
    if (m.holder == &root.as_object()) m.holder = &body;
    visit(m, i);
  }
}

void ForEachNamedProperty(json::object& body, std::string_view name,
                          const std::function<void(const PathMatch&)>& visit) {
  ForEachNamedProperty(body, std::vector<std::string_view>{name},
                       [&](const PathMatch& m, size_t) { visit(m); });
}

void RemoveMatches(std::vector<PathMatch> matches) {
  // Deepest first: erasing moves the holder's other values, so a match inside one of them must
  // be gone before its ancestor changes.
  auto depth = [](const std::string& p) {
    return std::count(p.begin(), p.end(), '.') + std::count(p.begin(), p.end(), '[');
  };
  std::stable_sort(matches.begin(), matches.end(), [&](const PathMatch& a, const PathMatch& b) {
    return depth(a.path) > depth(b.path);
  });
  for (const auto& m : matches) {
    if (m.holder == nullptr || !m.holder->contains(m.key)) continue;
    // Rebuilt rather than erased: erase moves the last member into the gap, and generated
    // files read better with Azure's member order.
    json::object rebuilt(m.holder->storage());
    rebuilt.reserve(m.holder->size() - 1);
    for (auto& kv : *m.holder) {
      if (kv.key() != m.key) rebuilt.emplace(kv.key(), std::move(kv.value()));
    }
    *m.holder = std::move(rebuilt);
  }
}

std::string JoinPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out.append(key);
  return out;
}

}  // namespace atg::iac
