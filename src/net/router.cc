#include "net/router.h"

#include <algorithm>
#include <set>

#include "common/strings.h"

namespace atg::net {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

}  // namespace

Router::Router(ErrorResponder errors, bool case_insensitive_literals)
    : errors_(errors ? std::move(errors) : ErrorResponder(DefaultErrorResponse)),
      case_insensitive_(case_insensitive_literals) {}

Status Router::Add(std::string method, std::string_view pattern, HttpHandler handler) {
  auto bad = [&](std::string why) {
    return Status::InvalidArgument("invalid route pattern '" + std::string(pattern) + "': " + why);
  };
  if (pattern.empty() || pattern.front() != '/') return bad("it must start with '/'");
  if (method.empty()) return bad("the method is empty");
  if (!handler) return bad("the handler is empty");
  Route route;
  route.method = std::move(method);
  route.pattern = std::string(pattern);
  route.handler = std::move(handler);
  std::set<std::string, std::less<>> names;
  auto parts = SplitPath(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (p.front() != '{') {
      if (p.find_first_of("{}") != std::string_view::npos) {
        return bad("segment '" + std::string(p) + "' mixes text and a capture");
      }
      route.segments.push_back({Kind::kLiteral, std::string(p)});
      continue;
    }
    if (p.back() != '}' || p.size() < 3) {
      return bad("segment '" + std::string(p) + "' is not of the form {name}");
    }
    std::string_view name = p.substr(1, p.size() - 2);
    Kind kind = Kind::kCapture;
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
      name.remove_suffix(3);
      kind = Kind::kRest;
      if (i + 1 != parts.size())
        return bad("the catch-all {" + std::string(name) + "...} must be last");
    }
    if (name.empty() || name.find_first_of("{}./") != std::string_view::npos) {
      return bad("capture name '" + std::string(name) + "' is not a plain word");
    }
    if (!names.emplace(name).second) {
      return bad("capture {" + std::string(name) + "} appears twice");
    }
    route.segments.push_back({kind, std::string(name)});
  }
  for (const Route& r : routes_) {
    if (r.method != route.method || r.segments.size() != route.segments.size()) continue;
    bool same = true;
    for (size_t i = 0; i < r.segments.size() && same; ++i) {
      const Segment& a = r.segments[i];
      const Segment& b = route.segments[i];
      same = a.kind == b.kind &&
             (a.kind != Kind::kLiteral ||
              (case_insensitive_ ? EqualsIgnoreCase(a.text, b.text) : a.text == b.text));
    }
    if (same) {
      return bad(route.method + " is already routed by '" + r.pattern + "'");
    }
  }
  routes_.push_back(std::move(route));
  return Status::Ok();
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& parts,
                   std::vector<std::pair<std::string, std::string>>* captures) const {
  captures->clear();
  size_t i = 0;
  for (const Segment& seg : route.segments) {
    if (seg.kind == Kind::kRest) {
      std::string rest;
      for (size_t j = i; j < parts.size(); ++j) {
        if (j > i) rest += '/';
        rest += parts[j];
      }
      captures->emplace_back(seg.text, std::move(rest));
      return true;
    }
    if (i >= parts.size()) return false;
    if (seg.kind == Kind::kLiteral) {
      bool eq = case_insensitive_ ? EqualsIgnoreCase(seg.text, parts[i]) : seg.text == parts[i];
      if (!eq) return false;
    } else {
      captures->emplace_back(seg.text, std::string(parts[i]));
    }
    ++i;
  }
  return i == parts.size();
}

bool Router::MoreSpecific(const Route& a, const Route& b) {
  size_t n = std::min(a.segments.size(), b.segments.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.segments[i].kind != b.segments[i].kind) {
      return static_cast<int>(a.segments[i].kind) < static_cast<int>(b.segments[i].kind);
    }
  }
  // Same shape so far: the longer pattern consumed more segments literally or by capture.
  if (a.segments.size() != b.segments.size()) return a.segments.size() > b.segments.size();
  // "*" is the fallback for its pattern.
  return a.method != "*" && b.method == "*";
}

const Router::Route* Router::Best(const HttpRequest& request,
                                  std::set<std::string>* allowed) const {
  auto parts = SplitPath(request.path);
  const Route* best = nullptr;
  const Route* best_get = nullptr;  // HEAD falls back to GET
  std::vector<std::pair<std::string, std::string>> captures;
  for (const Route& route : routes_) {
    if (!Match(route, parts, &captures)) continue;
    if (allowed) allowed->insert(route.method);
    if (route.method == request.method || route.method == "*") {
      if (!best || MoreSpecific(route, *best)) best = &route;
    } else if (route.method == "GET" && request.method == "HEAD") {
      if (!best_get || MoreSpecific(route, *best_get)) best_get = &route;
    }
  }
  return best ? best : best_get;
}

std::optional<std::pair<std::string, std::string>> Router::Find(const HttpRequest& request) const {
  const Route* best = Best(request, nullptr);
  if (!best) return std::nullopt;
  return std::make_pair(best->method, best->pattern);
}

HttpResponse Router::operator()(HttpRequest& request) const {
  std::set<std::string> allowed;
  const Route* best = Best(request, &allowed);
  if (best) {
    Match(*best, SplitPath(request.path), &request.path_params);
    return best->handler(request);
  }
  if (allowed.empty()) {
    return errors_(404, "NotFound", "no resource at " + ValidUtf8(request.path), &request);
  }
  if (allowed.count("GET")) allowed.insert("HEAD");
  std::string allow;
  for (const auto& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  HttpResponse r = errors_(405, "MethodNotAllowed",
                           "the method " + request.method + " is not allowed on " +
                               ValidUtf8(request.path) + "; allowed: " + allow,
                           &request);
  r.SetHeader("Allow", allow);
  return r;
}

}  // namespace atg::net
