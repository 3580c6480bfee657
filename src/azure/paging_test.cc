#include "azure/paging.h"

#include <gtest/gtest.h>

#include <map>

#include "azure/fake_transport.h"

namespace atg::azure {
namespace {

std::string Fixture(const std::string& relative) {
  auto v = ReadJsonFile(std::string(ATG_FIXTURES_DIR) + "/" + relative);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? json::serialize(*v) : "{}";
}

json::value FixtureJson(const std::string& relative) {
  auto v = ReadJsonFile(std::string(ATG_FIXTURES_DIR) + "/" + relative);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : json::value();
}

class TokenOnly : public TokenCredential {
 public:
  Result<AccessToken> GetToken(const std::string&) override {
    return AccessToken{"test-token-value", WallTime::max()};
  }
};

class PagingTest : public ::testing::Test {
 protected:
  PagingTest() {
    AzureClientOptions o;
    o.retry.max_attempts = 2;
    client_ = std::make_unique<AzureHttpClient>(transport_, std::make_shared<TokenOnly>(),
                                                AzureEndpoints(), o, &clock_);
    transport_->SetHandler([this](const HttpClientRequest& r) {
      auto it = pages_.find(r.url);
      if (it == pages_.end()) {
        return FakeTransport::Response(404, R"({"error":{"code":"NotFound","message":"x"}})");
      }
      return FakeTransport::Response(it->second.first, it->second.second);
    });
  }

  void Serve(const std::string& url, std::string body, int status = 200) {
    pages_[url] = {status, std::move(body)};
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_ = std::make_shared<FakeTransport>();
  std::unique_ptr<AzureHttpClient> client_;
  std::map<std::string, std::pair<int, std::string>> pages_;
};

constexpr char kVaults[] =
    "https://management.azure.com/subscriptions/1c638cf4-608f-4ee6-b680-c329e824c3a8/"
    "resourceGroups/rgnemv5bd34926de396/providers/Microsoft.KeyVault/vaults?api-version=2018-02-14";

TEST_F(PagingTest, ArmFollowsNextLinkToTheEnd) {
  json::value page1 = FixtureJson(
      "sdk-recordings/azure-libraries-for-net/"
      "Microsoft_KeyVault_vaults__list-paged-chain_page1.json");
  std::string next(page1.as_object().at("nextLink").as_string());
  Serve(kVaults, json::serialize(page1));
  Serve(next, Fixture("sdk-recordings/azure-libraries-for-net/"
                      "Microsoft_KeyVault_vaults__list-paged-chain_page2.json"));
  std::vector<std::string> names;
  auto stats =
      ForEachArmPage(*client_, kVaults, [&](const json::array& items, const json::object&) {
        for (const auto& v : items) names.emplace_back(v.as_object().at("name").as_string());
        return true;
      });
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->pages, 2);
  EXPECT_EQ(stats->items, 2);
  EXPECT_EQ(names.size(), 2u);
  auto requests = transport_->Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].url, next);  // the link is followed verbatim
}

TEST_F(PagingTest, ArmNullNextLinkEndsAndCallbackCanStop) {
  const std::string a = "https://management.azure.com/subscriptions/s/resources?api-version=1";
  const std::string b = a + "&$skiptoken=2";
  Serve(a, R"({"value":[{"id":"1"},{"id":"2"}],"nextLink":")" + b + R"("})");
  Serve(b, R"({"value":[{"id":"3"}],"nextLink":null})");
  int pages = 0;
  auto all = ForEachArmPage(*client_, a, [&](const json::array&, const json::object&) {
    ++pages;
    return true;
  });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items, 3);
  EXPECT_EQ(pages, 2);
  auto first_only =
      ForEachArmPage(*client_, a, [](const json::array&, const json::object&) { return false; });
  ASSERT_TRUE(first_only.ok());
  EXPECT_EQ(first_only->pages, 1);
  EXPECT_EQ(transport_->RequestCount(), 3u);
}

TEST_F(PagingTest, ArmErrorMidwayStopsWithContext) {
  const std::string a = "https://management.azure.com/subscriptions/s/resources?api-version=1";
  const std::string b = a + "&$skiptoken=2";
  const std::string c = a + "&$skiptoken=3";
  Serve(a, R"({"value":[{"id":"1"}],"nextLink":")" + b + R"("})");
  Serve(b, R"({"error":{"code":"AuthorizationFailed","message":"no access"}})", 403);
  Serve(c, R"({"value":[{"id":"3"}]})");
  int items = 0;
  auto r = ForEachArmPage(*client_, a, [&](const json::array& v, const json::object&) {
    items += static_cast<int>(v.size());
    return true;
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("page 2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("AuthorizationFailed"), std::string::npos);
  EXPECT_EQ(items, 1);
  EXPECT_EQ(transport_->RequestCount(), 2u);
}

TEST_F(PagingTest, ArmSelfLinkIsAnErrorNotALoop) {
  const std::string a = "https://management.azure.com/subscriptions/s/resources?api-version=1";
  Serve(a, R"({"value":[],"nextLink":")" + a + R"("})");
  auto r =
      ForEachArmPage(*client_, a, [](const json::array&, const json::object&) { return true; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(transport_->RequestCount(), 1u);
}

TEST_F(PagingTest, GraphFollowsODataNextLink) {
  const std::string first = "https://graph.microsoft.com/v1.0/users/delta";
  json::value page1 = FixtureJson("msgraph-docs/v1.0/user-delta__example1.json");
  std::string next(page1.as_object().at("@odata.nextLink").as_string());
  const std::string third = "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=3";
  Serve(first, json::serialize(page1));
  Serve(next, R"({"value":[{"id":"u2"},{"id":"u3"}],"@odata.nextLink":")" + third + R"("})");
  Serve(
      third,
      R"({"value":[{"id":"u4"}],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"})");
  std::vector<std::string> ids;
  auto r = ForEachGraphPage(
      *client_, first,
      [&](const json::array& items, const json::object&) {
        for (const auto& v : items) ids.emplace_back(v.as_object().at("id").as_string());
        return true;
      },
      {}, HttpHeaders{{"ConsistencyLevel", "eventual"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->pages, 3);
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_EQ(ids.back(), "u4");
  for (const auto& req : transport_->Requests()) {
    EXPECT_EQ(req.headers.Get("consistencylevel"), "eventual");
  }
  // Graph requests are counted as Graph.
  EXPECT_EQ(client_->metrics().Snapshot().RequestsTo(ApiKind::kGraph), 3u);
}

TEST_F(PagingTest, GraphErrorMidway) {
  const std::string first = "https://graph.microsoft.com/v1.0/groups";
  const std::string second = "https://graph.microsoft.com/v1.0/groups?$skiptoken=2";
  Serve(first, R"({"value":[{"id":"g1"}],"@odata.nextLink":")" + second + R"("})");
  Serve(second, R"({"error":{"code":"Request_ResourceNotFound","message":"gone","innerError":{}}})",
        404);
  auto r = ForEachGraphPage(*client_, first,
                            [](const json::array&, const json::object&) { return true; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("Microsoft Graph list"), std::string::npos);
  EXPECT_NE(r.status().message().find("page 2"), std::string::npos);
}

constexpr char kArg[] =
    "https://management.azure.com/providers/Microsoft.ResourceGraph/"
    "resources?api-version=2021-03-01";

class ResourceGraphPagingTest : public PagingTest {
 protected:
  ResourceGraphPagingTest() {
    // Resource Graph is one URL; the page is chosen by the $skipToken in the body.
    transport_->SetHandler([this](const HttpClientRequest& r) {
      auto body = ParseJson(r.body);
      std::string token;
      if (body.ok()) {
        const json::object* options = FindObject(body->if_object(), "options");
        if (auto t = FindString(options, "$skipToken")) token = std::string(*t);
      }
      bodies_.push_back(body.ok() ? *body : json::value());
      auto it = by_token_.find(token);
      if (it == by_token_.end()) return FakeTransport::Response(400, R"({"error":{}})");
      return FakeTransport::Response(it->second.first, it->second.second);
    });
  }
  std::map<std::string, std::pair<int, std::string>> by_token_;
  std::vector<json::value> bodies_;
};

TEST_F(ResourceGraphPagingTest, FollowsSkipTokenToTheEnd) {
  const std::string dir = "rest-api-specs-examples/resourcegraph/2021-03-01/";
  json::value first = FixtureJson(dir + "ResourcesFirstPageQuery.json");
  json::value next = FixtureJson(dir + "ResourcesNextPageQuery.json");
  const json::object& first_body = first.at("responses").at("200").at("body").as_object();
  const json::object& next_body = next.at("responses").at("200").at("body").as_object();
  std::string t1(first_body.at("$skipToken").as_string());
  std::string t2(next_body.at("$skipToken").as_string());
  by_token_[""] = {200, json::serialize(first_body)};
  by_token_[t1] = {200, json::serialize(next_body)};
  by_token_[t2] = {200, R"({"totalRecords":7,"count":1,"data":[{"id":"/last"}]})"};

  json::object query = first.at("parameters").at("query").as_object();
  std::vector<std::string> ids;
  auto r = ForEachResourceGraphPage(*client_, kArg, query,
                                    [&](const json::array& items, const json::object&) {
                                      for (const auto& v : items)
                                        ids.emplace_back(v.as_object().at("id").as_string());
                                      return true;
                                    });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->pages, 3);
  EXPECT_EQ(ids.size(), 7u);
  EXPECT_EQ(ids.back(), "/last");
  ASSERT_EQ(bodies_.size(), 3u);
  // The caller's query and options are kept; the pager adds the token and the result format.
  for (const json::value& b : bodies_) {
    EXPECT_EQ(b.at("query"), query.at("query"));
    EXPECT_EQ(b.at("subscriptions"), query.at("subscriptions"));
    EXPECT_EQ(b.at("options").at("$top"), 3);
    EXPECT_EQ(b.at("options").at("resultFormat"), "objectArray");
  }
  EXPECT_FALSE(bodies_[0].at("options").as_object().contains("$skipToken"));
  EXPECT_EQ(bodies_[1].at("options").at("$skipToken"), json::value(t1));
  EXPECT_EQ(bodies_[2].at("options").at("$skipToken"), json::value(t2));
  EXPECT_EQ(client_->metrics().Snapshot().RequestsTo(ApiKind::kResourceGraph), 3u);
}

TEST_F(ResourceGraphPagingTest, DefaultTopAndErrorMidway) {
  by_token_[""] = {200, R"({"data":[{"id":"a"}],"$skipToken":"t1"})"};
  by_token_["t1"] = {400, R"({"error":{"code":"BadRequest","message":"Query is invalid."}})"};
  json::object query{{"query", "Resources | project id"}};
  int items = 0;
  auto r = ForEachResourceGraphPage(*client_, kArg, query,
                                    [&](const json::array& v, const json::object&) {
                                      items += static_cast<int>(v.size());
                                      return true;
                                    });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("page 2"), std::string::npos);
  EXPECT_NE(r.status().message().find("Query is invalid"), std::string::npos);
  EXPECT_EQ(items, 1);
  EXPECT_EQ(bodies_[0].at("options").at("$top"), 1000);
}

TEST_F(ResourceGraphPagingTest, RepeatedTokenIsAnErrorNotALoop) {
  by_token_[""] = {200, R"({"data":[],"$skipToken":"t1"})"};
  by_token_["t1"] = {200, R"({"data":[],"$skipToken":"t1"})"};
  auto r = ForEachResourceGraphPage(*client_, kArg, json::object{{"query", "Resources"}},
                                    [](const json::array&, const json::object&) { return true; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(bodies_.size(), 2u);
}

}  // namespace
}  // namespace atg::azure
