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

void Named(json::value& v, std::string_view name, std::string& path,
           const std::function<void(const PathMatch&)>& visit) {
  if (v.is_array()) {
    auto& arr = v.as_array();
    const size_t len = path.size();
    for (size_t k = 0; k < arr.size(); ++k) {
      path += '[' + std::to_string(k) + ']';
      Named(arr[k], name, path, visit);
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
    if (EqualsIgnoreCase(kv.key(), name)) {
      visit({&obj, std::string(kv.key()), path});
    } else {
      Named(kv.value(), name, path, visit);
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

void ForEachNamedProperty(json::object& body, std::string_view name,
                          const std::function<void(const PathMatch&)>& visit) {
  json::value root;
  root.emplace_object().swap(body);
  std::string path;
  std::vector<PathMatch> found;
  Named(root, name, path, [&](const PathMatch& m) { found.push_back(m); });
  body.swap(root.as_object());
  for (auto& m : found) {
    if (m.holder == &root.as_object()) m.holder = &body;
    visit(m);
  }
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
    if (m.holder != nullptr) m.holder->erase(m.key);
  }
}

std::string JoinPath(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  out.append(key);
  return out;
}

}  // namespace atg::iac
