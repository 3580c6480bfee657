#include "sim/api_common.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/base64.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace atg::sim {

namespace {

// Microsoft Graph writes innerError.date without a zone designator (it is UTC).
std::string NowIso8601() {
  std::string s = FormatRfc3339(std::chrono::system_clock::now());
  s.pop_back();
  return s;
}

}  // namespace

net::HttpResponse JsonText(int status, std::string body) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

net::HttpResponse ArmError(int status, std::string_view code, std::string_view message) {
  json::object err;
  err["code"] = code;
  err["message"] = message;
  json::object body;
  body["error"] = std::move(err);
  net::HttpResponse r = net::HttpResponse::Json(status, body);
  r.SetHeader("x-ms-failure-cause", "gateway");
  return r;
}

net::HttpResponse GraphError(int status, std::string_view code, std::string_view message) {
  json::object inner;
  inner["date"] = NowIso8601();
  char id[40];
  static std::atomic<uint64_t> counter{1};
  uint64_t n = counter.fetch_add(1);
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012llx",
                static_cast<unsigned long long>(n & 0xffffffffffffull));
  inner["request-id"] = id;
  inner["client-request-id"] = id;
  json::object err;
  err["code"] = code;
  err["message"] = message;
  err["innerError"] = std::move(inner);
  json::object body;
  body["error"] = std::move(err);
  return net::HttpResponse::Json(status, body);
}

uint64_t Fnv1a64(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string StableGuid(std::string_view seed) {
  uint64_t a = Fnv1a64(seed), b = Fnv1a64(seed, 0x9e3779b97f4a7c15ull);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

std::string MakeSkipToken(uint64_t offset, uint64_t fingerprint) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "atg1:%llu:%016llx", static_cast<unsigned long long>(offset),
                static_cast<unsigned long long>(fingerprint));
  return Base64Encode(buf);
}

std::optional<uint64_t> ParseSkipToken(std::string_view token, uint64_t fingerprint) {
  auto raw = Base64Decode(token);
  if (!raw) return std::nullopt;
  unsigned long long offset = 0, fp = 0;
  int consumed = 0;
  if (std::sscanf(raw->c_str(), "atg1:%llu:%16llx%n", &offset, &fp, &consumed) != 2 ||
      static_cast<size_t>(consumed) != raw->size()) {
    return std::nullopt;
  }
  if (fp != fingerprint) return std::nullopt;
  return offset;
}

std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void AppendJsonString(std::string& out, std::string_view value) {
  out += '"';
  size_t run = 0;  // start of the pending run of characters that need no escaping
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(value.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(value.data() + run, value.size() - run);
  out += '"';
}

void AppendJson(std::string& out, const json::value& v) {
  // Scalars are common (row columns) and need no serializer.
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case json::kind::string:
      AppendJsonString(out, v.get_string());
      return;
    default:
      break;
  }
  json::serializer sr;
  sr.reset(&v);
  char buf[4096];
  while (!sr.done()) {
    auto chunk = sr.read(buf, sizeof buf);
    out.append(chunk.data(), chunk.size());
  }
}

std::string EncodeQueryValue(std::string_view v) {
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' || c == ':' ||
        c == ',' || c == '$' || c == '(' || c == ')') {
      out += char(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace atg::sim
