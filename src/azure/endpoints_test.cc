#include "azure/endpoints.h"

#include <gtest/gtest.h>

namespace atg::azure {
namespace {

TEST(EndpointsTest, DefaultsArePublicCloud) {
  auto e = AzureEndpoints::FromSettings(Settings::FromMaps({}, {}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->arm, "https://management.azure.com");
  EXPECT_EQ(e->graph, "https://graph.microsoft.com");
  EXPECT_EQ(e->authority, "https://login.microsoftonline.com");
  EXPECT_EQ(e->imds, "http://169.254.169.254");
  EXPECT_EQ(e->ScopeFor(ApiKind::kArm), "https://management.azure.com/.default");
  EXPECT_EQ(e->ScopeFor(ApiKind::kResourceGraph), "https://management.azure.com/.default");
  EXPECT_EQ(e->ScopeFor(ApiKind::kGraph), "https://graph.microsoft.com/.default");
  EXPECT_EQ(e->ScopeFor(ApiKind::kKeyVault), "https://vault.azure.net/.default");
  EXPECT_EQ(e->ScopeFor(ApiKind::kStorage), "https://storage.azure.com/.default");
  EXPECT_EQ(e->ScopeFor(ApiKind::kIdentity), "");
}

TEST(EndpointsTest, SovereignCloudAudiencesFollowTheEndpoints) {
  auto e = AzureEndpoints::FromSettings(
      Settings::FromMaps({{"ATG_ARM_ENDPOINT", "https://management.usgovcloudapi.net/"},
                          {"ATG_GRAPH_ENDPOINT", "https://graph.microsoft.us"},
                          {"AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us"}},
                         {}));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->arm, "https://management.usgovcloudapi.net");
  EXPECT_EQ(e->arm_scope, "https://management.usgovcloudapi.net/.default");
  EXPECT_EQ(e->graph_scope, "https://graph.microsoft.us/.default");
  EXPECT_EQ(e->key_vault_scope, "https://vault.usgovcloudapi.net/.default");
}

TEST(EndpointsTest, LoopbackEndpointsKeepPublicAudiences) {
  auto e = AzureEndpoints::FromSettings(
      Settings::FromMaps({{"ATG_ARM_ENDPOINT", "http://127.0.0.1:8443"},
                          {"ATG_GRAPH_ENDPOINT", "http://127.0.0.1:8443/graph"}},
                         {}));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->arm_scope, "https://management.azure.com/.default");
  EXPECT_EQ(e->graph_scope, "https://graph.microsoft.com/.default");
}

TEST(EndpointsTest, InvalidValuesNameTheVariableAndSource) {
  auto e = AzureEndpoints::FromSettings(
      Settings::FromMaps({}, {{"ATG_GRAPH_ENDPOINT", "graph.microsoft.com"}}));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("ATG_GRAPH_ENDPOINT"), std::string::npos);
  EXPECT_NE(e.status().message().find("graph.microsoft.com"), std::string::npos);
  EXPECT_NE(e.status().message().find(".env"), std::string::npos) << e.status().message();
  EXPECT_FALSE(AzureEndpoints::FromUrls("https://", "https://g", "https://l", "http://i").ok());
  EXPECT_FALSE(
      AzureEndpoints::FromUrls("https://a?x=1", "https://g", "https://l", "http://i").ok());
  auto imds = AzureEndpoints::FromUrls("https://a", "https://g", "https://l", "ftp://i");
  ASSERT_FALSE(imds.ok());
  EXPECT_NE(imds.status().message().find("ATG_IMDS_ENDPOINT"), std::string::npos);
}

TEST(EndpointsTest, ClassifiesPublicCloudUrls) {
  AzureEndpoints e;
  EXPECT_EQ(e.Classify("https://management.azure.com/subscriptions/s/resources?api-version=1"),
            ApiKind::kArm);
  EXPECT_EQ(e.Classify("https://management.azure.com/providers/Microsoft.ResourceGraph/"
                       "resources?api-version=2021-03-01"),
            ApiKind::kResourceGraph);
  EXPECT_EQ(e.Classify("https://graph.microsoft.com/v1.0/users"), ApiKind::kGraph);
  EXPECT_EQ(e.Classify("https://login.microsoftonline.com/t/oauth2/v2.0/token"),
            ApiKind::kIdentity);
  EXPECT_EQ(e.Classify("http://169.254.169.254/metadata/identity/oauth2/token"),
            ApiKind::kIdentity);
  EXPECT_EQ(e.Classify("https://myvault.vault.azure.net/secrets/x"), ApiKind::kKeyVault);
  EXPECT_EQ(e.Classify("https://acct.blob.core.windows.net/c/b"), ApiKind::kStorage);
  // A host that merely starts like an endpoint is not that endpoint.
  EXPECT_NE(e.Classify("https://graph.microsoft.com.evil.test/v2/x"), ApiKind::kGraph);
}

TEST(EndpointsTest, ClassifiesASimulatorServingEverythingOnOnePort) {
  auto e = AzureEndpoints::FromUrls("http://127.0.0.1:9000", "http://127.0.0.1:9000",
                                    "http://127.0.0.1:9000", "http://127.0.0.1:9000");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->Classify("http://127.0.0.1:9000/subscriptions/s/resourceGroups"), ApiKind::kArm);
  EXPECT_EQ(e->Classify("http://127.0.0.1:9000/providers/Microsoft.ResourceGraph/resources"),
            ApiKind::kResourceGraph);
  EXPECT_EQ(e->Classify("http://127.0.0.1:9000/v1.0/groups"), ApiKind::kGraph);
  EXPECT_EQ(e->Classify("http://127.0.0.1:9000/tenant/oauth2/v2.0/token"), ApiKind::kIdentity);
  auto nested = AzureEndpoints::FromUrls("http://127.0.0.1:9000", "http://127.0.0.1:9000/graph",
                                         "http://127.0.0.1:9000/login", "http://127.0.0.1:9001");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->Classify("http://127.0.0.1:9000/graph/v1.0/users"), ApiKind::kGraph);
  EXPECT_EQ(nested->Classify("http://127.0.0.1:9000/login/t/oauth2/v2.0/token"),
            ApiKind::kIdentity);
  EXPECT_EQ(nested->Classify("http://127.0.0.1:9000/subscriptions"), ApiKind::kArm);
}

TEST(EndpointsTest, SubscriptionOfArmUrls) {
  EXPECT_EQ(SubscriptionOf("https://management.azure.com/subscriptions/ABC-1/resourceGroups/rg"
                           "?api-version=1"),
            "abc-1");
  EXPECT_EQ(SubscriptionOf("https://management.azure.com/Subscriptions/x"), "x");
  EXPECT_EQ(SubscriptionOf("https://management.azure.com/subscriptions?api-version=1"), "");
  EXPECT_EQ(SubscriptionOf("https://management.azure.com/providers/Microsoft.Resources"), "");
  EXPECT_EQ(PathOf("https://h:1/a/b?c=d"), "/a/b");
  EXPECT_EQ(PathOf("https://h"), "/");
}

}  // namespace
}  // namespace atg::azure
