#include "sim/front_door.h"

#include <gtest/gtest.h>

#include "sim/key_vault_api.h"

namespace atg::sim {
namespace {

constexpr char kTenant[] = "11111111-2222-3333-4444-555555555555";
constexpr char kAppOid[] = "99999999-8888-7777-6666-555555555555";

TokenServiceOptions Options() {
  TokenServiceOptions o;
  o.tenant_id = kTenant;
  o.client_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
  o.client_secret = "front-door-test-secret";
  o.app_object_id = kAppOid;
  o.managed_identity_client_id = "mi-client";
  o.managed_identity_object_id = "mi-object";
  return o;
}

net::HttpRequest Request(std::string method, std::string target, std::string token = "") {
  net::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.ParseTarget();
  r.headers.emplace_back("Host", "127.0.0.1:4242");
  if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
  return r;
}

class FrontDoorTest : public ::testing::Test {
 protected:
  FrontDoorTest()
      : tokens_(Options()),
        throttle_(ThrottleMode::kRealistic, {.arm_read_capacity = 3,
                                             .arm_read_refill_per_second = 0.001,
                                             .resource_graph_quota = 2}),
        no_faults_(0, 1),
        vault_(std::map<std::string, std::string>{{"db-password", "vault-value-123456"}}) {}

  FrontDoor Make(FaultInjector* faults, std::chrono::milliseconds latency = {}) {
    std::vector<Route> routes;
    routes.push_back(
        {ApiSurface::kResourceGraph,
         [](std::string_view p) { return p == "/providers/Microsoft.ResourceGraph/resources"; },
         [](const net::HttpRequest&, const Caller&) {
           return net::HttpResponse::Json(200, json::object{{"data", json::array{}}});
         }});
    routes.push_back({ApiSurface::kArm,
                      [](std::string_view p) { return p.starts_with("/subscriptions"); },
                      [this](const net::HttpRequest&, const Caller& c) {
                        last_caller_ = c;
                        return net::HttpResponse::Json(200, json::object{{"value", json::array{}}});
                      }});
    routes.push_back({ApiSurface::kGraph, [](std::string_view p) { return p == "/v1.0/users"; },
                      [](const net::HttpRequest&, const Caller&) {
                        return net::HttpResponse::Json(200, json::object{{"value", json::array{}}});
                      }});
    routes.push_back(
        {ApiSurface::kKeyVault, &KeyVaultApi::Claims,
         [this](const net::HttpRequest& r, const Caller&) { return vault_.Handle(r); }});
    return FrontDoor(&tokens_, &throttle_, faults, std::move(routes), latency);
  }

  std::string Token(std::string_view audience) {
    return tokens_.Issue(audience, kAppOid, Options().client_id).value();
  }

  TokenService tokens_;
  Throttle throttle_;
  FaultInjector no_faults_;
  KeyVaultApi vault_;
  Caller last_caller_;
};

TEST_F(FrontDoorTest, SurfacesAndAudiencesFollowThePath) {
  EXPECT_EQ(SurfaceOfPath("/t/oauth2/v2.0/token"), ApiSurface::kIdentity);
  EXPECT_EQ(SurfaceOfPath("/v1.0/users"), ApiSurface::kGraph);
  EXPECT_EQ(SurfaceOfPath("/beta/groups"), ApiSurface::kGraph);
  EXPECT_EQ(SurfaceOfPath("/secrets/x"), ApiSurface::kKeyVault);
  EXPECT_EQ(SurfaceOfPath("/providers/microsoft.resourcegraph/resources"),
            ApiSurface::kResourceGraph);
  EXPECT_EQ(SurfaceOfPath("/subscriptions"), ApiSurface::kArm);
  EXPECT_EQ(AudienceOf(ApiSurface::kGraph), kGraphAudience);
  EXPECT_EQ(AudienceOf(ApiSurface::kResourceGraph), kArmAudience);
}

TEST_F(FrontDoorTest, RequiresTokenOfTheRightAudience) {
  auto door = Make(&no_faults_);
  auto req = Request("GET", "/subscriptions?api-version=2022-12-01");
  auto r = door.Handle(req);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("AuthenticationFailed"), std::string::npos);
  EXPECT_EQ(r.Header("WWW-Authenticate")->find("Bearer authorization_uri=\"http://127.0.0.1:4242/"),
            0u);

  auto graph_req = Request("GET", "/subscriptions?api-version=2022-12-01", Token(kGraphAudience));
  r = door.Handle(graph_req);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("InvalidAuthenticationTokenAudience"), std::string::npos);

  auto users = Request("GET", "/v1.0/users", Token(kArmAudience));
  r = door.Handle(users);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("innerError"), std::string::npos);

  auto ok = Request("GET", "/subscriptions?api-version=2022-12-01", Token(kArmAudience));
  r = door.Handle(ok);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(last_caller_.principal_id, kAppOid);
  EXPECT_EQ(last_caller_.tenant_id, kTenant);
}

TEST_F(FrontDoorTest, IdentityEndpointsNeedNoToken) {
  auto door = Make(&no_faults_);
  auto req = Request("GET", "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
                                std::string("https%3A%2F%2Fmanagement.azure.com%2F"));
  req.headers.emplace_back("Metadata", "true");
  auto r = door.Handle(req);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Header("x-ms-request-id"));
}

TEST_F(FrontDoorTest, AddsRequestIdsAndLatency) {
  auto door = Make(&no_faults_, std::chrono::milliseconds(25));
  auto req = Request("GET", "/v1.0/users", Token(kGraphAudience));
  req.headers.emplace_back("x-ms-correlation-request-id", "corr-1");
  req.headers.emplace_back("client-request-id", "client-1");
  auto r = door.Handle(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("x-ms-correlation-request-id"), "corr-1");
  EXPECT_EQ(r.Header("client-request-id"), "client-1");
  ASSERT_TRUE(r.Header("x-ms-request-id"));
  EXPECT_EQ(r.Header("request-id"), r.Header("x-ms-request-id"));
  EXPECT_EQ(r.Header("x-ms-resource-unit"), "2");
  EXPECT_EQ(r.delay, std::chrono::milliseconds(25));
}

TEST_F(FrontDoorTest, UnknownPathIsArmNotFound) {
  auto door = Make(&no_faults_);
  auto req = Request("GET", "/nothing/here", Token(kArmAudience));
  auto r = door.Handle(req);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"error\":{\"code\":\"NotFound\""), std::string::npos) << r.body;
}

TEST_F(FrontDoorTest, ThrottlesPerApi) {
  auto door = Make(&no_faults_);
  std::string arm = Token(kArmAudience);
  for (int i = 0; i < 3; ++i) {
    auto req = Request("GET", "/subscriptions/s1/resourceGroups", arm);
    auto r = door.Handle(req);
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(r.Header("x-ms-ratelimit-remaining-subscription-reads"), std::to_string(2 - i));
  }
  auto req = Request("GET", "/subscriptions/s1/resourceGroups", arm);
  auto r = door.Handle(req);
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("SubscriptionRequestsThrottled"), std::string::npos);
  EXPECT_TRUE(r.Header("Retry-After"));

  for (int i = 0; i < 2; ++i) {
    auto q = Request("POST", "/providers/Microsoft.ResourceGraph/resources", arm);
    auto a = door.Handle(q);
    EXPECT_EQ(a.status, 200);
    EXPECT_TRUE(a.Header("x-ms-user-quota-remaining"));
  }
  auto q = Request("POST", "/providers/Microsoft.ResourceGraph/resources", arm);
  EXPECT_EQ(door.Handle(q).status, 429);
}

TEST_F(FrontDoorTest, FaultsHitEveryEndpoint) {
  FaultInjector always(1.0, 9);
  auto door = Make(&always);
  int failed = 0;
  for (int i = 0; i < 30; ++i) {
    auto req = Request("GET", "/v1.0/users", Token(kGraphAudience));
    auto r = door.Handle(req);
    if (r.drop_connection || r.status >= 500) ++failed;
    auto token = Request("POST", std::string("/") + kTenant + "/oauth2/v2.0/token");
    auto t = door.Handle(token);
    if (t.drop_connection || t.status >= 500) ++failed;
  }
  EXPECT_EQ(failed, 60);
}

TEST_F(FrontDoorTest, KeyVaultSecrets) {
  auto door = Make(&no_faults_);
  auto wrong = Request("GET", "/secrets/db-password?api-version=7.4", Token(kArmAudience));
  auto r = door.Handle(wrong);
  EXPECT_EQ(r.status, 401);
  EXPECT_NE(r.body.find("AKV10022"), std::string::npos);

  auto get = Request("GET", "/secrets/DB-password?api-version=7.4", Token(kKeyVaultAudience));
  r = door.Handle(get);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = ParseJson(r.body).value().as_object();
  EXPECT_EQ(body.at("value").as_string(), "vault-value-123456");
  std::string id(body.at("id").as_string());
  EXPECT_EQ(id.rfind("http://127.0.0.1:4242/secrets/db-password/", 0), 0u);
  EXPECT_TRUE(body.at("attributes").as_object().at("enabled").as_bool());

  std::string version = id.substr(id.rfind('/') + 1);
  auto by_version = Request("GET", "/secrets/db-password/" + version + "?api-version=7.4",
                            Token(kKeyVaultAudience));
  EXPECT_EQ(door.Handle(by_version).status, 200);

  auto missing = Request("GET", "/secrets/nope?api-version=7.4", Token(kKeyVaultAudience));
  r = door.Handle(missing);
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("SecretNotFound"), std::string::npos);

  auto list = Request("GET", "/secrets?api-version=7.4", Token(kKeyVaultAudience));
  r = door.Handle(list);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("vault-value-123456"), std::string::npos);  // lists carry no values

  EXPECT_FALSE(ParseKeyVaultSecretFlag("bad name=x").ok());
  EXPECT_EQ(ParseKeyVaultSecretFlag("a-b=c=d").value().second, "c=d");
}

}  // namespace
}  // namespace atg::sim
