#include "net/http_message.h"

#include "common/strings.h"

namespace atg::net {

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

void HttpRequest::ParseTarget() {
  query.clear();
  std::string_view t(target);
  size_t q = t.find('?');
  std::string_view raw_path = t.substr(0, q);
  // '+' is literal in a path (only a query encodes a space that way), so decode piecewise.
  path.clear();
  auto pieces = Split(raw_path, '+');
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i) path += '+';
    path += UrlDecode(pieces[i]);
  }
  if (q == std::string_view::npos) return;
  for (const auto& kv : Split(t.substr(q + 1), '&', /*skip_empty=*/true)) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      query.emplace_back(UrlDecode(kv), "");
    } else {
      query.emplace_back(UrlDecode(std::string_view(kv).substr(0, eq)),
                         UrlDecode(std::string_view(kv).substr(eq + 1)));
    }
  }
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

HttpResponse HttpResponse::Json(int status, const json::value& body) {
  HttpResponse r;
  r.status = status;
  r.body = json::serialize(body);
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return r;
}

HttpResponse HttpResponse::Text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Type", std::move(content_type));
  return r;
}

HttpResponse DefaultErrorResponse(int status, std::string_view code, std::string_view message,
                                  const HttpRequest* /*request*/) {
  json::object error;
  error["code"] = code;
  error["message"] = ValidUtf8(message);
  json::object envelope;
  envelope["error"] = std::move(error);
  return HttpResponse::Json(status, envelope);
}

}  // namespace atg::net
