#include "sim/token_service.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/base64.h"
#include "common/json.h"
#include "common/strings.h"
#include "sim/jwt.h"

namespace atg::sim {
namespace {

constexpr char kTenant[] = "11111111-2222-3333-4444-555555555555";
constexpr char kClient[] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
constexpr char kSecret[] = "sim8Q~not-a-real-secret-value-0123456789";
constexpr char kAppOid[] = "99999999-8888-7777-6666-555555555555";

class TokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { service_ = Make(kTenant); }

  std::unique_ptr<TokenService> Make(const std::string& tenant) {
    TokenServiceOptions o;
    o.tenant_id = tenant;
    o.client_id = kClient;
    o.client_secret = kSecret;
    o.app_object_id = kAppOid;
    o.managed_identity_client_id = "cccccccc-0000-0000-0000-000000000001";
    o.managed_identity_object_id = "cccccccc-0000-0000-0000-000000000002";
    o.managed_identity_resource_id =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
        "userAssignedIdentities/scanner";
    o.identity_header = "identity-header-value-123";
    o.federated_token =
        SignJwt(json::object{{"sub", "system:serviceaccount:atg:scanner"}}, "federation-key", "fed")
            .value();
    o.signing_key = "test-signing-key";
    o.now = [this] { return now_; };
    return std::make_unique<TokenService>(o);
  }

  net::HttpResponse Post(const std::string& path, const std::string& body) {
    net::HttpRequest r;
    r.method = "POST";
    r.target = path;
    r.ParseTarget();
    r.body = body;
    r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    EXPECT_TRUE(TokenService::Claims(r.path)) << path;
    return service_->Handle(r);
  }

  net::HttpResponse Get(const std::string& target,
                        std::vector<std::pair<std::string, std::string>> headers) {
    net::HttpRequest r;
    r.method = "GET";
    r.target = target;
    r.ParseTarget();
    r.headers = std::move(headers);
    EXPECT_TRUE(TokenService::Claims(r.path)) << target;
    return service_->Handle(r);
  }

  std::string SecretForm(const std::string& scope, const std::string& secret = kSecret) {
    return "grant_type=client_credentials&client_id=" + std::string(kClient) +
           "&scope=" + UrlEncode(scope) + "&client_secret=" + UrlEncode(secret);
  }

  static json::object Body(const net::HttpResponse& r) {
    auto v = ParseJson(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() && v->is_object() ? v->as_object() : json::object{};
  }

  static std::string Str(const net::HttpResponse& r, std::string_view key) {
    auto body = Body(r);
    return std::string(FindString(&body, key).value_or("<absent>"));
  }

  static std::string ErrCode(const net::HttpResponse& r) {
    auto body = Body(r);
    return std::string(FindString(FindObject(&body, "error"), "code").value_or("<absent>"));
  }

  std::string TokenFor(const std::string& scope) {
    auto r = Post(std::string("/") + kTenant + "/oauth2/v2.0/token", SecretForm(scope));
    EXPECT_EQ(r.status, 200) << r.body;
    return Str(r, "access_token");
  }

  int64_t now_ = 1'800'000'000;
  std::unique_ptr<TokenService> service_;
};

TEST_F(TokenServiceTest, ClaimsOnlyIdentityPaths) {
  EXPECT_TRUE(TokenService::Claims("/t/oauth2/v2.0/token"));
  EXPECT_TRUE(TokenService::Claims("/metadata/identity/oauth2/token"));
  EXPECT_TRUE(TokenService::Claims("/msi/token"));
  EXPECT_FALSE(TokenService::Claims("/subscriptions"));
  EXPECT_FALSE(TokenService::Claims("/subscriptions/x/resourceGroups"));
  EXPECT_FALSE(TokenService::Claims("/v1.0/users"));
}

TEST_F(TokenServiceTest, ClientSecretIssuesTokenWithAzureClaims) {
  auto r = Post(std::string("/") + kTenant + "/oauth2/v2.0/token",
                SecretForm("https://management.azure.com/.default"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(FindString(&body, "token_type"), "Bearer");
  EXPECT_EQ(FindInt(&body, "expires_in"), 3599);
  EXPECT_EQ(FindInt(&body, "ext_expires_in"), 3599);
  std::string token(FindString(&body, "access_token").value_or(""));
  auto payload = DecodeJwtPayloadUnverified(token);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(FindString(&*payload, "aud"), "https://management.azure.com/");
  EXPECT_EQ(FindString(&*payload, "iss"), std::string("https://sts.windows.net/") + kTenant + "/");
  EXPECT_EQ(FindString(&*payload, "tid"), kTenant);
  EXPECT_EQ(FindString(&*payload, "oid"), kAppOid);
  EXPECT_EQ(FindString(&*payload, "appid"), kClient);
  EXPECT_EQ(FindInt(&*payload, "iat"), now_);
  EXPECT_EQ(FindInt(&*payload, "nbf"), now_);
  EXPECT_EQ(FindInt(&*payload, "exp"), now_ + 3600);
  EXPECT_EQ(Find(&*payload, "scp"), nullptr);
  EXPECT_EQ(Find(&*payload, "roles"), nullptr);

  auto check = service_->Validate("Bearer " + token, kArmAudience);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check.claims.oid, kAppOid);
}

TEST_F(TokenServiceTest, AcceptsEveryKnownScopeAndResourceForm) {
  for (const char* scope :
       {"https://graph.microsoft.com/.default", "https://vault.azure.net/.default",
        "https://storage.azure.com/.default", "https://management.core.windows.net//.default"}) {
    EXPECT_FALSE(TokenFor(scope).empty()) << scope;
  }
  auto v1 = Post(std::string("/") + kTenant + "/oauth2/token",
                 "grant_type=client_credentials&client_id=" + std::string(kClient) +
                     "&resource=" + UrlEncode("https://management.azure.com/") +
                     "&client_secret=" + UrlEncode(kSecret));
  ASSERT_EQ(v1.status, 200) << v1.body;
  EXPECT_EQ(Str(v1, "resource"), "https://management.azure.com/");
}

TEST_F(TokenServiceTest, WrongSecretIs401InvalidClient) {
  auto r = Post(std::string("/") + kTenant + "/oauth2/v2.0/token",
                SecretForm("https://management.azure.com/.default", "wrong-secret"));
  EXPECT_EQ(r.status, 401);
  auto body = Body(r);
  EXPECT_EQ(FindString(&body, "error"), "invalid_client");
  EXPECT_TRUE(FindString(&body, "error_description")->starts_with("AADSTS7000215: "));
  ASSERT_NE(FindArray(&body, "error_codes"), nullptr);
  EXPECT_EQ(FindArray(&body, "error_codes")->at(0).as_int64(), 7000215);
  EXPECT_TRUE(FindString(&body, "trace_id").has_value());
  EXPECT_TRUE(FindString(&body, "correlation_id").has_value());
  EXPECT_EQ(r.body.find(kSecret), std::string::npos);
}

TEST_F(TokenServiceTest, UnknownTenantIsAadsts90002) {
  auto r = Post("/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
                SecretForm("https://management.azure.com/.default"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r, "error"), "invalid_request");
  EXPECT_EQ(Body(r).at("error_codes").as_array().at(0).as_int64(), 90002);
}

TEST_F(TokenServiceTest, UnknownClientScopeAndMissingCredential) {
  std::string path = std::string("/") + kTenant + "/oauth2/v2.0/token";
  auto r = Post(path, "grant_type=client_credentials&client_id=other&scope=x&client_secret=y");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r, "error"), "unauthorized_client");

  r = Post(path, SecretForm("https://management.azure.com/user_impersonation"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r, "error"), "invalid_scope");

  r = Post(path, SecretForm("https://unknown.example.com/.default"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r, "error"), "invalid_resource");

  r = Post(path, "grant_type=client_credentials&client_id=" + std::string(kClient) +
                     "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Body(r).at("error_codes").as_array().at(0).as_int64(), 7000218);

  r = Post(path, "grant_type=password&client_id=" + std::string(kClient));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Str(r, "error"), "unsupported_grant_type");
}

TEST_F(TokenServiceTest, FederatedAssertionMustMatchTheFederatedToken) {
  std::string path = std::string("/") + kTenant + "/oauth2/v2.0/token";
  auto form = [](const std::string& assertion) {
    return "grant_type=client_credentials&client_id=" + std::string(kClient) +
           "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default"
           "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
           "&client_assertion=" +
           UrlEncode(assertion);
  };
  auto ok = Post(path, form(service_->options().federated_token));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_FALSE(Str(ok, "access_token").empty());

  // A well-formed JWT that is not the federated token.
  std::string other =
      SignJwt(json::object{{"sub", "system:serviceaccount:evil:x"}}, "federation-key", "fed")
          .value();
  auto bad = Post(path, form(other));
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(Body(bad).at("error_codes").as_array().at(0).as_int64(), 700213);

  auto garbled = Post(path, form("not-a-jwt"));
  EXPECT_EQ(garbled.status, 400);
  EXPECT_EQ(Body(garbled).at("error_codes").as_array().at(0).as_int64(), 50027);
}

TEST_F(TokenServiceTest, ImdsRequiresMetadataHeader) {
  std::string target = "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
                       UrlEncode("https://management.azure.com/");
  auto no_header = Get(target, {});
  EXPECT_EQ(no_header.status, 400);
  EXPECT_EQ(Str(no_header, "error_description"), "Required metadata header not specified");

  auto ok = Get(target, {{"Metadata", "true"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto body = Body(ok);
  EXPECT_EQ(FindString(&body, "token_type"), "Bearer");
  EXPECT_EQ(FindString(&body, "resource"), "https://management.azure.com/");
  EXPECT_EQ(FindString(&body, "expires_on"), std::to_string(now_ + 3599));
  auto check =
      service_->Validate("Bearer " + std::string(*FindString(&body, "access_token")), kArmAudience);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check.claims.oid, "cccccccc-0000-0000-0000-000000000002");

  auto by_client =
      Get(target + "&client_id=cccccccc-0000-0000-0000-000000000001", {{"Metadata", "true"}});
  EXPECT_EQ(by_client.status, 200);
  auto unknown =
      Get(target + "&client_id=dddddddd-0000-0000-0000-000000000001", {{"Metadata", "true"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Str(unknown, "error_description"), "Identity not found");
  auto no_resource =
      Get("/metadata/identity/oauth2/token?api-version=2018-02-01", {{"Metadata", "true"}});
  EXPECT_EQ(no_resource.status, 400);
}

TEST_F(TokenServiceTest, AppServiceEndpointChecksIdentityHeader) {
  std::string target =
      "/msi/token?api-version=2019-08-01&resource=" + UrlEncode("https://vault.azure.net");
  EXPECT_EQ(Get(target, {}).status, 401);
  EXPECT_EQ(Get(target, {{"X-IDENTITY-HEADER", "wrong"}}).status, 401);
  auto ok = Get(target, {{"X-IDENTITY-HEADER", "identity-header-value-123"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto body = Body(ok);
  EXPECT_EQ(FindString(&body, "client_id"), "cccccccc-0000-0000-0000-000000000001");
  EXPECT_EQ(FindString(&body, "resource"), "https://vault.azure.net");
  EXPECT_TRUE(FindString(&body, "expires_on").has_value());
  EXPECT_TRUE(
      service_
          ->Validate("Bearer " + std::string(*FindString(&body, "access_token")), kKeyVaultAudience)
          .ok());
}

TEST_F(TokenServiceTest, ValidateReportsEachErrorKind) {
  std::string arm = TokenFor("https://management.azure.com/.default");
  std::string graph = TokenFor("https://graph.microsoft.com/.default");

  EXPECT_EQ(service_->Validate(std::nullopt, kArmAudience).error, TokenError::kMissing);
  EXPECT_EQ(service_->Validate("Basic abc", kArmAudience).error, TokenError::kMissing);
  EXPECT_EQ(service_->Validate("Bearer garbage", kArmAudience).error, TokenError::kInvalid);
  EXPECT_EQ(service_->Validate("Bearer " + graph, kArmAudience).error, TokenError::kWrongAudience);
  EXPECT_EQ(service_->Validate("Bearer " + arm, kGraphAudience).error, TokenError::kWrongAudience);
  EXPECT_TRUE(service_->Validate("Bearer " + graph, kGraphAudience).ok());
  // ARM's legacy audience and the slash-less form are the same resource.
  EXPECT_TRUE(service_->Validate("bearer " + arm, "https://management.core.windows.net/").ok());

  now_ += 3600;
  EXPECT_EQ(service_->Validate("Bearer " + arm, kArmAudience).error, TokenError::kExpired);
  now_ -= 3600;

  // Same key, other tenant: a token from tenant B presented to tenant A.
  auto other = Make("22222222-2222-2222-2222-222222222222");
  std::string foreign = other->Issue(kArmAudience, "someone", kClient).value();
  EXPECT_EQ(service_->Validate("Bearer " + foreign, kArmAudience).error, TokenError::kWrongTenant);
}

TEST_F(TokenServiceTest, TamperedTokensAreInvalid) {
  std::string token = TokenFor("https://management.azure.com/.default");
  ASSERT_TRUE(service_->Validate("Bearer " + token, kArmAudience).ok());
  auto parts = Split(token, '.');
  ASSERT_EQ(parts.size(), 3u);

  // Rewrite the payload (another oid) keeping the signature.
  auto payload = DecodeJwtPayloadUnverified(token).value();
  payload["oid"] = "00000000-0000-0000-0000-000000000bad";
  std::string forged = parts[0] + "." + Base64UrlEncode(json::serialize(payload)) + "." + parts[2];
  EXPECT_EQ(service_->Validate("Bearer " + forged, kArmAudience).error, TokenError::kInvalid);

  // Flip one signature character in the middle, and the last one (whose low bits are padding).
  std::string flipped = token;
  char& middle = flipped[parts[0].size() + parts[1].size() + 2 + parts[2].size() / 2];
  middle = middle == 'A' ? 'B' : 'A';
  EXPECT_EQ(service_->Validate("Bearer " + flipped, kArmAudience).error, TokenError::kInvalid);
  for (char last :
       std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) {
    if (last == token.back()) continue;
    std::string tail = token;
    tail.back() = last;
    EXPECT_EQ(service_->Validate("Bearer " + tail, kArmAudience).error, TokenError::kInvalid)
        << "last signature character " << last;
  }

  // "alg":"none" with an empty signature.
  std::string none_header = Base64UrlEncode(R"({"alg":"none","typ":"JWT"})");
  EXPECT_EQ(service_->Validate("Bearer " + none_header + "." + parts[1] + ".", kArmAudience).error,
            TokenError::kInvalid);

  // Signed with another key.
  std::string other_key = SignJwt(payload, "another-key", "x").value();
  EXPECT_EQ(service_->Validate("Bearer " + other_key, kArmAudience).error, TokenError::kInvalid);
  EXPECT_EQ(service_->Validate("Bearer a.b", kArmAudience).error, TokenError::kInvalid);
}

TEST_F(TokenServiceTest, UnauthorizedResponsesHaveEachServiceShape) {
  std::string graph = TokenFor("https://graph.microsoft.com/.default");
  auto missing = service_->Unauthorized(service_->Validate(std::nullopt, kArmAudience),
                                        ApiSurface::kArm, kArmAudience, "http://127.0.0.1:1");
  EXPECT_EQ(missing.status, 401);
  auto err = Body(missing).at("error").as_object();
  EXPECT_EQ(FindString(&err, "code"), "AuthenticationFailed");
  ASSERT_TRUE(missing.Header("WWW-Authenticate").has_value());
  EXPECT_TRUE(missing.Header("WWW-Authenticate")
                  ->starts_with(std::string("Bearer authorization_uri=\"http://127.0.0.1:1/") +
                                kTenant + "\""));

  auto wrong_aud = service_->Unauthorized(service_->Validate("Bearer " + graph, kArmAudience),
                                          ApiSurface::kArm, kArmAudience, "http://h");
  EXPECT_EQ(ErrCode(wrong_aud), "InvalidAuthenticationTokenAudience");

  auto bad = service_->Unauthorized(service_->Validate("Bearer x.y.z", kArmAudience),
                                    ApiSurface::kArm, kArmAudience, "http://h");
  EXPECT_EQ(ErrCode(bad), "InvalidAuthenticationToken");

  now_ += 4000;
  std::string expired_arm = service_->Issue(kArmAudience, "x", kClient).value();
  now_ += 4000;
  auto expired = service_->Unauthorized(service_->Validate("Bearer " + expired_arm, kArmAudience),
                                        ApiSurface::kArm, kArmAudience, "http://h");
  EXPECT_EQ(ErrCode(expired), "ExpiredAuthenticationToken");

  auto foreign =
      Make("22222222-2222-2222-2222-222222222222")->Issue(kArmAudience, "x", kClient).value();
  auto tenant = service_->Unauthorized(service_->Validate("Bearer " + foreign, kArmAudience),
                                       ApiSurface::kArm, kArmAudience, "http://h");
  EXPECT_EQ(ErrCode(tenant), "InvalidAuthenticationTokenTenant");

  auto graph_401 = service_->Unauthorized(service_->Validate(std::nullopt, kGraphAudience),
                                          ApiSurface::kGraph, kGraphAudience, "http://h");
  auto gerr = Body(graph_401).at("error").as_object();
  EXPECT_EQ(FindString(&gerr, "code"), "InvalidAuthenticationToken");
  EXPECT_NE(FindObject(&gerr, "innerError"), nullptr);

  auto kv_401 = service_->Unauthorized(service_->Validate(std::nullopt, kKeyVaultAudience),
                                       ApiSurface::kKeyVault, kKeyVaultAudience, "http://h");
  EXPECT_EQ(ErrCode(kv_401), "Unauthorized");
  EXPECT_TRUE(kv_401.Header("WWW-Authenticate")->find("resource=\"https://vault.azure.net\"") !=
              std::string_view::npos);
}

}  // namespace
}  // namespace atg::sim
