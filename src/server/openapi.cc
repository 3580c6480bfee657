#include "server/openapi.h"

#include <map>

#include "server/endpoints.h"

namespace atg::server {
namespace {

json::object Header(std::string_view description, json::object schema) {
  return json::object{{"description", description}, {"schema", std::move(schema)}};
}

json::object Headers() {
  json::object str{{"type", "string"}};
  json::object integer{{"type", "integer"}, {"minimum", 0}};
  json::object h;
  h["X-Request-ID"] = Header(
      "Identifies the request in logs and in error bodies. A client-supplied X-Request-ID of at "
      "most 64 characters from [A-Za-z0-9._:-] that contains no API key is echoed; otherwise "
      "the server makes one (req_ + 12 hex digits).",
      str);
  h["Retry-After"] = Header("Seconds to wait before retrying.", integer);
  h["RateLimit-Limit"] = Header("Requests allowed per window for this key.", integer);
  h["RateLimit-Remaining"] = Header("Requests left in the current window.", integer);
  h["RateLimit-Reset"] = Header("Seconds until the window resets.", integer);
  h["ETag"] = Header("Strong validator of the archive (quoted SHA-256 hex).", str);
  h["Repr-Digest"] = Header("RFC 9530 digest of the whole archive: sha-256=:<base64>:.", str);
  h["Accept-Ranges"] = Header("Always bytes.", str);
  h["Content-Range"] = Header("bytes <first>-<last>/<size> (or bytes */<size> on 416).", str);
  h["Location"] = Header("URL of the created job.", str);
  return h;
}

json::object Ref(std::string_view section, std::string_view name) {
  return json::object{{"$ref", "#/components/" + std::string(section) + "/" + std::string(name)}};
}

json::object Operation(const EndpointSpec& e) {
  json::object op;
  op["operationId"] = e.operation_id;
  op["summary"] = e.summary;
  if (!e.description.empty()) op["description"] = e.description;
  op["tags"] = json::array{json::value(e.tag)};
  if (!e.parameters.empty()) {
    json::array params;
    for (const auto& p : e.parameters) {
      json::object o{
          {"name", p.name}, {"in", p.in}, {"required", p.required}, {"schema", p.schema}};
      if (!p.description.empty()) o["description"] = p.description;
      params.push_back(std::move(o));
    }
    op["parameters"] = std::move(params);
  }
  if (!e.request_schema.empty()) {
    op["requestBody"] = json::object{
        {"required", true},
        {"content", json::object{{"application/json",
                                  json::object{{"schema", Ref("schemas", e.request_schema)}}}}}};
  }
  json::object responses;
  for (const auto& r : e.responses) {
    json::object resp{{"description", r.description}};
    json::object headers{{"X-Request-ID", Ref("headers", "X-Request-ID")}};
    for (const auto& h : r.headers) headers[h] = Ref("headers", h);
    resp["headers"] = std::move(headers);
    if (!r.content_type.empty()) {
      json::object media;
      if (!r.schema.empty()) media["schema"] = r.schema;
      resp["content"] = json::object{{r.content_type, std::move(media)}};
    }
    responses[std::to_string(r.status)] = std::move(resp);
  }
  op["responses"] = std::move(responses);
  // Public endpoints override the document-wide bearer requirement with "none".
  op["security"] =
      e.auth ? json::array{json::object{{"bearerAuth", json::array{}}}} : json::array{};
  return op;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

json::object BuildOpenApiDocument(const std::string& server_url) {
  json::object doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = json::object{
      {"title", "Azure Tenant Grapher API"},
      {"version", ATG_VERSION},
      {"description",
       "Scan Azure tenants into a graph and generate infrastructure as code, as queued jobs. "
       "Errors use {\"error\": {code, message, request_id}}; every response carries "
       "X-Request-ID."}};
  if (!server_url.empty()) doc["servers"] = json::array{json::object{{"url", server_url}}};
  // Paths in table order; methods of one path share its path item.
  json::object paths;
  for (const auto& e : Endpoints()) {
    json::value& item = paths[e.path];
    if (!item.is_object()) item = json::object{};
    std::string method = e.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    item.get_object()[method] = Operation(e);
  }
  doc["paths"] = std::move(paths);
  doc["components"] = json::object{
      {"schemas", Schemas()},
      {"headers", Headers()},
      {"securitySchemes",
       json::object{
           {"bearerAuth", json::object{{"type", "http"},
                                       {"scheme", "bearer"},
                                       {"description", "An API key from ATG_API_KEYS."}}}}}};
  doc["security"] = json::array{json::object{{"bearerAuth", json::array{}}}};
  json::array tags;
  tags.push_back(json::object{{"name", "jobs"}, {"description", "Scan and IaC jobs."}});
  tags.push_back(
      json::object{{"name", "service"}, {"description", "Health, metrics, this document."}});
  doc["tags"] = std::move(tags);
  return doc;
}

const std::string& OpenApiJson() {
  static const std::string kJson = json::serialize(BuildOpenApiDocument());
  return kJson;
}

std::string ApiDocsHtml() {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>Azure Tenant Grapher API</title></head><body>\n"
      "<h1>Azure Tenant Grapher API " ATG_VERSION
      "</h1>\n<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>. "
      "Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.</p>\n<table>\n"
      "<tr><th>Method</th><th>Path</th><th>Auth</th><th>Summary</th><th>Responses</th></tr>\n";
  for (const auto& e : Endpoints()) {
    std::string statuses;
    for (const auto& r : e.responses) {
      if (!statuses.empty()) statuses += ", ";
      statuses += std::to_string(r.status);
    }
    html += "<tr><td>" + e.method + "</td><td><code>" + HtmlEscape(e.path) + "</code></td><td>" +
            (e.auth ? "key" : "none") + "</td><td>" + HtmlEscape(e.summary) +
            (e.description.empty() ? "" : "<br><small>" + HtmlEscape(e.description) + "</small>") +
            "</td><td>" + statuses + "</td></tr>\n";
  }
  html += "</table>\n</body></html>\n";
  return html;
}

}  // namespace atg::server
