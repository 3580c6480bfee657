#include "azure/token_response.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "azure/token_cache.h"

namespace atg::azure {
namespace {

using std::chrono::seconds;

WallTime At(int64_t epoch) { return WallTime(seconds(epoch)); }

TEST(ParseExpiresOnTest, ReadsEveryFormTheEndpointsWrite) {
  EXPECT_EQ(ParseExpiresOn("1767225600"), At(1767225600));
  EXPECT_EQ(ParseExpiresOn("2026-01-01T00:00:00Z"), At(1767225600));
  EXPECT_EQ(ParseExpiresOn("2026-01-01T01:30:00.1234567+01:30"), At(1767225600));
  EXPECT_EQ(ParseExpiresOn("01/01/2026 12:00:00 AM +00:00"), At(1767225600));
  EXPECT_EQ(ParseExpiresOn("12/31/2025 11:00:00 PM -01:00"), At(1767225600));
  EXPECT_EQ(ParseExpiresOn("01/01/2026 12:30:00 PM +00:00"), At(1767225600 + 12 * 3600 + 1800));
  EXPECT_FALSE(ParseExpiresOn(""));
  EXPECT_FALSE(ParseExpiresOn("tomorrow"));
  EXPECT_FALSE(ParseExpiresOn("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseExpiresOn("2026-01-01T00:00:00"));  // ISO without an offset is ambiguous
}

TEST(ParseExpiresOnTest, AzureCliLocalTimeFollowsTheTimeZone) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(ParseExpiresOn("2026-01-01 00:00:00.000000"), At(1767225600));
  setenv("TZ", "EST5", 1);  // five hours west of UTC, no daylight saving
  tzset();
  EXPECT_EQ(ParseExpiresOn("2026-01-01 00:00:00.000000"), At(1767225600 + 5 * 3600));
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(ParseTokenResponseTest, ExpiresInWinsThenExpiresOn) {
  WallTime t0 = At(1767225600);
  auto a = ParseTokenResponse(R"({"access_token":"tok-aaaaaa","expires_in":3599})", t0, "w");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->token, "tok-aaaaaa");
  EXPECT_EQ(a->expires_on, t0 + seconds(3599));
  // IMDS: strings.
  auto b = ParseTokenResponse(
      R"({"access_token":"tok-bbbbbb","expires_in":"86399","expires_on":"1767312000"})", t0, "w");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->expires_on, t0 + seconds(86399));
  // App Service 2019-08-01: only expires_on, as a string.
  auto c =
      ParseTokenResponse(R"({"access_token":"tok-cccccc","expires_on":"1767229200"})", t0, "w");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->expires_on, At(1767229200));
  auto d = ParseTokenResponse(R"({"access_token":"tok-dddddd","expires_on":1767229200})", t0, "w");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->expires_on, At(1767229200));
  // None: an hour.
  auto e = ParseTokenResponse(R"({"access_token":"tok-eeeeee"})", t0, "w");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->expires_on, t0 + std::chrono::hours(1));
}

TEST(ParseTokenResponseTest, ErrorsNeverHoldTheBody) {
  WallTime t0 = At(0);
  auto a = ParseTokenResponse("not json secret-ish-body", t0, "getting X");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message().rfind("getting X", 0), 0u);
  EXPECT_EQ(a.status().message().find("secret-ish-body"), std::string::npos);
  auto b = ParseTokenResponse(R"({"token":"leaky-token-value"})", t0, "getting X");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message().find("leaky-token-value"), std::string::npos);
  auto c = ParseTokenResponse(R"({"access_token":"tok-ffffff","expires_on":"soon"})", t0, "w");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().find("tok-ffffff"), std::string::npos);
}

TEST(ResourceForScopeTest, DropsDotDefault) {
  EXPECT_EQ(ResourceForScope("https://management.azure.com/.default"),
            "https://management.azure.com");
  EXPECT_EQ(ResourceForScope("https://vault.azure.net/.DEFAULT"), "https://vault.azure.net");
  EXPECT_EQ(ResourceForScope("https://storage.azure.com/"), "https://storage.azure.com/");
}

TEST(TokenCacheTest, CachesPerScopeRefreshesEarlyAndFallsBack) {
  FakeClock clock;
  TokenCache cache(&clock);
  int fetches = 0;
  bool fail = false;
  auto fetch = [&](const std::string& scope) -> Result<AccessToken> {
    if (fail) return Status::Unavailable("down");
    ++fetches;
    return AccessToken{scope + "-token-" + std::to_string(fetches),
                       clock.WallNow() + std::chrono::minutes(60)};
  };
  EXPECT_EQ(cache.Get("arm", fetch)->token, "arm-token-1");
  EXPECT_EQ(cache.Get("arm", fetch)->token, "arm-token-1");
  EXPECT_EQ(cache.Get("graph", fetch)->token, "graph-token-2");
  clock.Advance(std::chrono::minutes(54));
  EXPECT_EQ(cache.Get("arm", fetch)->token, "arm-token-1");
  clock.Advance(std::chrono::minutes(2));  // inside the five-minute margin
  fail = true;
  EXPECT_EQ(cache.Get("arm", fetch)->token, "arm-token-1");  // still valid: kept
  fail = false;
  EXPECT_EQ(cache.Get("arm", fetch)->token, "arm-token-3");
  fail = true;
  clock.Advance(std::chrono::minutes(61));
  EXPECT_FALSE(cache.Get("arm", fetch).ok());  // expired and no refresh
  cache.Clear();
  fail = false;
  EXPECT_EQ(cache.Get("graph", fetch)->token, "graph-token-4");
}

}  // namespace
}  // namespace atg::azure

#include "azure/jwt_claims.h"

namespace atg::azure {
namespace {

TEST(JwtClaimsTest, DecodesThePayloadOnly) {
  // {"alg":"none"} . {"tid":"t-1","oid":"o-1"} . sig
  auto claims = DecodeJwtClaims("eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ0LTEiLCJvaWQiOiJvLTEifQ.c2ln");
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(FindString(&*claims, "tid"), "t-1");
  EXPECT_EQ(FindString(&*claims, "oid"), "o-1");
  auto opaque = DecodeJwtClaims("opaque-token-value-123");
  ASSERT_FALSE(opaque.ok());
  EXPECT_EQ(opaque.status().message().find("opaque-token-value-123"), std::string::npos);
}

}  // namespace
}  // namespace atg::azure
