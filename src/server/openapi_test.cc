#include "server/openapi.h"

#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include "common/strings.h"
#include "server/endpoints.h"

namespace atg::server {
namespace {

// Every "$ref" in `v`, with its JSON path.
void CollectRefs(const json::value& v, const std::string& path,
                 std::vector<std::pair<std::string, std::string>>* out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.get_object()) {
      if (k == "$ref" && child.is_string()) out->emplace_back(path, child.get_string());
      CollectRefs(child, path + "/" + std::string(k), out);
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.get_array().size(); ++i) {
      CollectRefs(v.get_array()[i], path + "/" + std::to_string(i), out);
    }
  }
}

const json::value* Pointer(const json::object& doc, std::string_view ref) {
  if (ref.substr(0, 2) != "#/") return nullptr;
  const json::value* cur = nullptr;
  const json::object* obj = &doc;
  for (const std::string& part : Split(ref.substr(2), '/')) {
    if (!obj) return nullptr;
    cur = obj->if_contains(part);
    if (!cur) return nullptr;
    obj = cur->is_object() ? &cur->get_object() : nullptr;
  }
  return cur;
}

TEST(OpenApiTest, DocumentIsStructurallyValidOpenApi3) {
  json::object doc = BuildOpenApiDocument("http://127.0.0.1:8000");
  ASSERT_TRUE(doc.at("openapi").is_string());
  EXPECT_EQ(std::string(doc.at("openapi").get_string()).substr(0, 4), "3.0.");
  EXPECT_FALSE(doc.at("info").at("title").get_string().empty());
  EXPECT_FALSE(doc.at("info").at("version").get_string().empty());
  const json::object& schemes = doc.at("components").at("securitySchemes").get_object();
  EXPECT_EQ(schemes.at("bearerAuth").at("scheme"), "bearer");

  std::set<std::string> operation_ids;
  const std::set<std::string> methods = {"get",   "put",  "post",    "delete",
                                         "patch", "head", "options", "trace"};
  for (const auto& [path, item] : doc.at("paths").get_object()) {
    ASSERT_EQ(path[0], '/') << path;
    // Path template parameters, each must be declared as a required path parameter.
    std::set<std::string> templated;
    std::regex param(R"(\{([^}]+)\})");
    std::string p(path);
    for (std::sregex_iterator it(p.begin(), p.end(), param), end; it != end; ++it) {
      templated.insert((*it)[1]);
    }
    for (const auto& [method, op_value] : item.get_object()) {
      ASSERT_TRUE(methods.count(std::string(method))) << path << " " << method;
      const json::object& op = op_value.get_object();
      std::string where = std::string(method) + " " + std::string(path);
      EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").get_string())).second)
          << where << ": duplicate operationId";
      std::set<std::string> declared;
      if (op.contains("parameters")) {
        for (const auto& pv : op.at("parameters").get_array()) {
          const json::object& po = pv.get_object();
          std::string in(po.at("in").get_string());
          EXPECT_TRUE(in == "path" || in == "query" || in == "header" || in == "cookie") << where;
          EXPECT_TRUE(po.contains("schema")) << where;
          if (in == "path") {
            EXPECT_EQ(po.at("required"), true) << where;
            declared.insert(std::string(po.at("name").get_string()));
          }
        }
      }
      EXPECT_EQ(declared, templated) << where;
      const json::object& responses = op.at("responses").get_object();
      ASSERT_FALSE(responses.empty()) << where;
      for (const auto& [status, rv] : responses) {
        int code = std::stoi(std::string(status));
        EXPECT_TRUE(code >= 100 && code <= 599) << where;
        const json::object& r = rv.get_object();
        EXPECT_FALSE(r.at("description").get_string().empty()) << where << " " << status;
        EXPECT_TRUE(r.at("headers").get_object().contains("X-Request-ID")) << where;
        if (code == 429 || code == 503) {
          EXPECT_TRUE(r.at("headers").get_object().contains("Retry-After")) << where;
        }
        if (code >= 400 && path != "/health") {  // /health answers 503 with its own body
          EXPECT_EQ(r.at("content").at("application/json").at("schema").at("$ref"),
                    "#/components/schemas/Error")
              << where << " " << status;
        }
      }
      bool secured = !op.at("security").get_array().empty();
      EXPECT_EQ(secured, responses.contains("401")) << where;
      if (method == "post") {
        for (const char* s : {"202", "400", "413", "415", "429"}) {
          EXPECT_TRUE(responses.contains(s)) << where << " " << s;
        }
      }
    }
  }
  std::vector<std::pair<std::string, std::string>> refs;
  CollectRefs(doc, "#", &refs);
  EXPECT_GT(refs.size(), 20u);
  for (const auto& [where, ref] : refs) {
    EXPECT_NE(Pointer(doc, ref), nullptr) << where << " -> " << ref;
  }
}

TEST(OpenApiTest, DescribesTheDesignEndpointsAndBodies) {
  json::object doc = BuildOpenApiDocument();
  const json::object& paths = doc.at("paths").get_object();
  for (auto [path, method] :
       std::vector<std::pair<const char*, const char*>>{{"/health", "get"},
                                                        {"/metrics", "get"},
                                                        {"/api/v1/scan", "post"},
                                                        {"/api/v1/generate-iac", "post"},
                                                        {"/api/v1/jobs", "get"},
                                                        {"/api/v1/jobs/{id}", "get"},
                                                        {"/api/v1/jobs/{id}", "delete"},
                                                        {"/api/v1/jobs/{id}/result", "get"},
                                                        {"/api/v1/jobs/{id}/artifacts", "get"},
                                                        {"/api/v1/jobs/{id}/events", "get"},
                                                        {"/openapi.json", "get"},
                                                        {"/docs", "get"}}) {
    ASSERT_TRUE(paths.contains(path) && paths.at(path).get_object().contains(method))
        << method << " " << path;
  }
  const json::object& schemas = doc.at("components").at("schemas").get_object();
  const json::object& scan = schemas.at("ScanRequest").get_object();
  EXPECT_EQ(scan.at("additionalProperties"), false);
  for (const char* f :
       {"tenant_id", "subscriptions", "resource_groups", "types", "resource_limit", "no_aad"}) {
    EXPECT_TRUE(scan.at("properties").get_object().contains(f)) << f;
  }
  const json::object& iac = schemas.at("GenerateIacRequest").get_object();
  EXPECT_EQ(iac.at("additionalProperties"), false);
  for (const char* f : {"format", "tenant_id", "target_subscription", "target_tenant_id",
                        "identity_map", "subscriptions", "resource_groups", "types"}) {
    EXPECT_TRUE(iac.at("properties").get_object().contains(f)) << f;
  }
  const json::object& artifacts =
      paths.at("/api/v1/jobs/{id}/artifacts").at("get").at("responses").get_object();
  EXPECT_TRUE(artifacts.contains("206"));
  EXPECT_TRUE(artifacts.at("200").at("headers").get_object().contains("ETag"));
  EXPECT_TRUE(paths.at("/api/v1/jobs/{id}/events")
                  .at("get")
                  .at("responses")
                  .at("200")
                  .at("content")
                  .get_object()
                  .contains("text/event-stream"));
  EXPECT_EQ(paths.at("/health").at("get").at("security").get_array().size(), 0u);
  // Serialized once and parseable.
  auto parsed = ParseJson(OpenApiJson());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("openapi"), "3.0.3");
  EXPECT_NE(ApiDocsHtml().find("/api/v1/jobs/{id}/artifacts"), std::string::npos);
}

TEST(EndpointsTest, RegistersEveryEndpointAndRejectsDrift) {
  std::map<std::string, net::HttpHandler> handlers;
  for (const auto& e : Endpoints()) {
    std::string id = e.operation_id;
    handlers[id] = [id](net::HttpRequest&) { return net::HttpResponse::Text(200, id); };
  }
  {
    net::Router router;
    ASSERT_TRUE(RegisterEndpoints(router, handlers).ok());
    net::HttpRequest req;
    req.method = "DELETE";
    req.target = "/api/v1/jobs/job_0123";
    req.ParseTarget();
    EXPECT_EQ(router(req).body, "cancelJob");
    req.method = "GET";
    EXPECT_EQ(router(req).body, "getJob");
  }
  auto extra = handlers;
  extra["createTenant"] = handlers["getJob"];
  net::Router r1;
  Status s = RegisterEndpoints(r1, extra);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("createTenant"), std::string::npos);
  auto missing = handlers;
  missing.erase("getJobEvents");
  net::Router r2;
  s = RegisterEndpoints(r2, missing);
  EXPECT_NE(s.message().find("no handler for getJobEvents"), std::string::npos) << s.message();
}

TEST(EndpointsTest, ValidatesRequestBodies) {
  const EndpointSpec* scan = FindEndpoint("createScan");
  ASSERT_NE(scan, nullptr);
  auto check = [&](const EndpointSpec* e, std::string_view body) {
    return ValidateRequestBody(*e, ParseJson(body).value());
  };
  EXPECT_TRUE(check(scan, R"({})").ok());
  EXPECT_TRUE(check(scan, R"({"tenant_id":"t","subscriptions":["a","b"],"resource_groups":[],
      "types":["Microsoft.Compute/virtualMachines"],"resource_limit":10,"no_aad":true})")
                  .ok());
  Status s = check(scan, R"({"subscriptions":["a",2]})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "body.subscriptions[1]: expected a string, got a number");
  s = check(scan, R"({"tenant":"x"})");
  EXPECT_NE(s.message().find("body.tenant: unknown field"), std::string::npos) << s.message();
  s = check(scan, R"({"resource_limit":-1})");
  EXPECT_EQ(s.message(), "body.resource_limit: must be at least 0");
  s = check(scan, R"({"resource_limit":1.5})");
  EXPECT_EQ(s.message(), "body.resource_limit: expected an integer, got a number");
  s = check(scan, R"([])");
  EXPECT_EQ(s.message(), "body: expected an object, got an array");

  const EndpointSpec* iac = FindEndpoint("createGenerateIac");
  ASSERT_NE(iac, nullptr);
  EXPECT_TRUE(check(iac, R"({"format":"bicep","identity_map":{"a":"b"}})").ok());
  s = check(iac, R"({"format":"pulumi"})");
  EXPECT_EQ(s.message(), "body.format: must be one of terraform, bicep, arm");
  s = check(iac, R"({"identity_map":{"a":1}})");
  EXPECT_EQ(s.message(), "body.identity_map.a: expected a string, got a number");
  EXPECT_TRUE(ValidateRequestBody(*FindEndpoint("getHealth"), json::value()).ok());
}

}  // namespace
}  // namespace atg::server
