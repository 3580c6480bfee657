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
  for (const char* f :
       {"format", "tenant_id", "target_subscription", "target_tenant_id", "identity_map",
        "subscriptions", "resource_groups", "types", "import", "no_resource_groups"}) {
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

// The one validator of request bodies; the service's 400 answers carry these messages as they
// are (tests/integration/serve_api_test.cc checks the HTTP side).
class RequestBodyTest : public ::testing::Test {
 protected:
  std::optional<SchemaViolation> Check(std::string_view operation_id, std::string_view body) {
    const EndpointSpec* e = FindEndpoint(operation_id);
    EXPECT_NE(e, nullptr) << operation_id;
    if (e == nullptr) return std::nullopt;
    auto parsed = ParseJson(body);
    EXPECT_TRUE(parsed.ok()) << body;
    return ValidateRequestBody(*e, parsed.ok() ? *parsed : json::value());
  }
  // The message of the violation `body` must cause, after checking its kind and field.
  std::string Reject(std::string_view operation_id, std::string_view body,
                     SchemaViolation::Kind kind, std::string_view field) {
    auto v = Check(operation_id, body);
    EXPECT_TRUE(v.has_value()) << body;
    if (!v) return "";
    EXPECT_EQ(v->kind, kind) << v->message;
    EXPECT_EQ(v->field, field) << v->message;
    return v->message;
  }
  static constexpr auto kUnknown = SchemaViolation::Kind::kUnknownField;
  static constexpr auto kInvalid = SchemaViolation::Kind::kInvalidField;
};

TEST_F(RequestBodyTest, AcceptsWhatTheSchemaAllows) {
  EXPECT_FALSE(Check("createScan", "{}"));
  EXPECT_FALSE(Check("createScan", R"({"tenant_id":"t","subscriptions":["a","b"],
      "resource_groups":[],"types":["Microsoft.Compute/virtualMachines"],"resource_limit":10,
      "no_aad":true})"));
  EXPECT_FALSE(Check("createScan", R"({"resource_limit":0})"));
  EXPECT_FALSE(Check("createScan", R"({"resource_limit":100000000})"));
  EXPECT_FALSE(
      Check("createGenerateIac",
            R"({"format":"bicep","identity_map":{"a":"bbbbbbbb-0000-0000-0000-000000000002"},)"
            R"("target_subscription":"AAAAAAAA-0000-0000-0000-000000000001"})"));
  EXPECT_FALSE(Check("createGenerateIac", R"({"format":"arm","identity_map":{}})"));
  // Endpoints without a body schema accept anything.
  EXPECT_FALSE(ValidateRequestBody(*FindEndpoint("getHealth"), json::value()));
}

TEST_F(RequestBodyTest, UnknownFieldsNameTheFieldAndListTheAcceptedOnes) {
  EXPECT_EQ(Reject("createScan", R"({"subscription":["x"]})", kUnknown, "subscription"),
            "unknown field `subscription`; POST /api/v1/scan accepts: tenant_id, subscriptions, "
            "resource_groups, types, resource_limit, no_aad");
  std::string m = Reject("createGenerateIac", R"({"no_aad":true})", kUnknown, "no_aad");
  EXPECT_TRUE(m.starts_with("unknown field `no_aad`; POST /api/v1/generate-iac accepts: format,"))
      << m;
}

TEST_F(RequestBodyTest, InvalidFieldsSayWhatTheFieldMustBe) {
  const std::string limit =
      "field `resource_limit` must be a non-negative integer of at most "
      "100000000; got ";
  EXPECT_EQ(Reject("createScan", R"({"resource_limit":"10"})", kInvalid, "resource_limit"),
            limit + "a string");
  EXPECT_EQ(Reject("createScan", R"({"resource_limit":-1})", kInvalid, "resource_limit"),
            limit + "-1");
  EXPECT_EQ(Reject("createScan", R"({"resource_limit":100000001})", kInvalid, "resource_limit"),
            limit + "100000001");
  EXPECT_EQ(Reject("createScan", R"({"resource_limit":18446744073709551615})", kInvalid,
                   "resource_limit"),
            limit + "18446744073709551615");
  // OpenAPI 3.0: an integer has no fraction or exponent, even when the value is whole.
  EXPECT_EQ(Reject("createScan", R"({"resource_limit":1.5})", kInvalid, "resource_limit"),
            limit + "a number with a fraction or exponent");
  Reject("createScan", R"({"resource_limit":10.0})", kInvalid, "resource_limit");

  EXPECT_EQ(Reject("createScan", R"({"no_aad":1})", kInvalid, "no_aad"),
            "field `no_aad` must be a boolean (true or false); got an integer");
  EXPECT_EQ(Reject("createScan", R"({"subscriptions":"s1"})", kInvalid, "subscriptions"),
            "field `subscriptions` must be an array of at most 1000 items, each a non-empty "
            "string of at most 1024 characters; got a string");
  EXPECT_EQ(Reject("createScan", R"({"subscriptions":["a",2]})", kInvalid, "subscriptions[1]"),
            "field `subscriptions[1]` must be a non-empty string of at most 1024 characters; got "
            "an integer");
  EXPECT_EQ(Reject("createScan", R"({"types":["a",""]})", kInvalid, "types[1]"),
            "field `types[1]` must be a non-empty string of at most 1024 characters; got 0 "
            "characters");
  std::string many = R"({"types":[)";
  for (int i = 0; i < 1001; ++i) many += std::string(i ? "," : "") + R"("t")";
  EXPECT_EQ(Reject("createScan", many + "]}", kInvalid, "types"),
            "field `types` must be an array of at most 1000 items, each a non-empty string of at "
            "most 1024 characters; got 1001 items");
  EXPECT_EQ(Reject("createScan", R"({"tenant_id":")" + std::string(129, 'a') + R"("})", kInvalid,
                   "tenant_id"),
            "field `tenant_id` must be a string of at most 128 characters; got 129 characters");

  // An enum miss does not quote the value back.
  EXPECT_EQ(Reject("createGenerateIac", R"({"format":"pulumi"})", kInvalid, "format"),
            "field `format` must be one of terraform, bicep, arm");
  EXPECT_EQ(Reject("createGenerateIac", R"({"format":7})", kInvalid, "format"),
            "field `format` must be one of terraform, bicep, arm; got an integer");
  EXPECT_EQ(Reject("createGenerateIac", R"({"identity_map":{"a":1}})", kInvalid, "identity_map.a"),
            "field `identity_map.a` must be a GUID such as 00000000-0000-0000-0000-000000000000; "
            "got an integer");
  EXPECT_EQ(
      Reject("createGenerateIac", R"({"identity_map":{"a":"b"}})", kInvalid, "identity_map.a"),
      "field `identity_map.a` must be a GUID such as 00000000-0000-0000-0000-000000000000; "
      "got 1 characters");
  EXPECT_EQ(Reject("createGenerateIac", R"({"target_subscription":"sub-1"})", kInvalid,
                   "target_subscription"),
            "field `target_subscription` must be a GUID such as "
            "00000000-0000-0000-0000-000000000000; got 5 characters");
  EXPECT_EQ(Reject("createGenerateIac", R"({"identity_map":["a"]})", kInvalid, "identity_map"),
            "field `identity_map` must be an object whose values are each a GUID such as "
            "00000000-0000-0000-0000-000000000000; got an array");
}

TEST_F(RequestBodyTest, TheBodyItselfIsNamedAsSuch) {
  EXPECT_EQ(Reject("createScan", "[]", kInvalid, ""),
            "POST /api/v1/scan must be an object; got an array");
}

TEST(JsonSchemaTest, RequiredMembersAndBrokenReferences) {
  json::object schema{
      {"type", "object"},
      {"properties",
       json::object{{"name", json::object{{"type", "string"}, {"minLength", 2}}},
                    {"count", json::object{{"type", "integer"}, {"minimum", 1}}},
                    {"ratio", json::object{{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                    {"inner", json::object{{"type", "object"},
                                           {"properties", json::object{}},
                                           {"additionalProperties", false}}}}},
      {"required", json::array{"name"}}};
  auto check = [&](std::string_view body) {
    return ValidateJson(ParseJson(body).value(), schema, "the document");
  };
  auto v = check("{}");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, SchemaViolation::Kind::kInvalidField);
  EXPECT_EQ(v->message, "field `name` is required; it must be a string of at least 2 characters");
  EXPECT_FALSE(check(R"({"name":"ab","count":1,"ratio":0.5,"inner":{}})"));
  v = check(R"({"name":"ab","count":0})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "field `count` must be a positive integer; got 0");
  v = check(R"({"name":"ab","ratio":1.5})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->message, "field `ratio` must be a non-negative number of at most 1; got 1.5");
  v = check(R"({"name":"ab","inner":{"x":1}})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, SchemaViolation::Kind::kUnknownField);
  EXPECT_EQ(v->field, "inner.x");
  EXPECT_EQ(v->message, "unknown field `inner.x`; `inner` accepts no fields");

  json::object broken{{"$ref", "#/components/schemas/NoSuchSchema"}};
  v = ValidateJson(json::value(1), broken, "the value");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, SchemaViolation::Kind::kBrokenSchema);
  EXPECT_NE(v->message.find("NoSuchSchema"), std::string::npos) << v->message;
}

TEST(JsonSchemaTest, EveryRequestSchemaResolvesAndTakesDefaults) {
  for (const EndpointSpec& e : Endpoints()) {
    auto v = ValidateRequestBody(e, json::object{});
    EXPECT_FALSE(v && v->kind == SchemaViolation::Kind::kBrokenSchema) << e.operation_id;
  }
  json::object body;
  ApplyRequestDefaults(*FindEndpoint("createGenerateIac"), body);
  EXPECT_EQ(json::serialize(body), R"({"format":"terraform"})");
  body = json::object{{"format", "arm"}};
  ApplyRequestDefaults(*FindEndpoint("createGenerateIac"), body);
  EXPECT_EQ(json::serialize(body), R"({"format":"arm"})");
  body = {};
  ApplyRequestDefaults(*FindEndpoint("createScan"), body);
  EXPECT_TRUE(body.empty());
}

}  // namespace
}  // namespace atg::server
