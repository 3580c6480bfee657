#include "client/remote_settings.h"

#include <gtest/gtest.h>

namespace atg::client {
namespace {

Settings With(std::map<std::string, std::string> env) { return Settings::FromMaps(env, {}); }

TEST(RemoteSettingsTest, ReadsEveryVariable) {
  auto r = RemoteSettings::Load(With({{"ATG_SERVICE_URL", "https://atg.example.com:8000/"},
                                      {"ATG_API_KEY", "k-0123456789abcdef"},
                                      {"ATG_REQUEST_TIMEOUT", "30"},
                                      {"ATG_JOB_POLL_INTERVAL", "0.5"},
                                      {"ATG_FALLBACK_TO_LOCAL", "true"},
                                      {"ATG_REMOTE_MODE", "true"}}));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->service_url, "https://atg.example.com:8000");
  EXPECT_EQ(r->request_timeout, std::chrono::seconds(30));
  EXPECT_EQ(r->poll_interval, std::chrono::milliseconds(500));
  EXPECT_TRUE(r->fallback_to_local);
  EXPECT_TRUE(r->remote_mode);
}

TEST(RemoteSettingsTest, ErrorsNameTheVariableAndNeverTheKey) {
  auto no_url = RemoteSettings::Load(With({{"ATG_API_KEY", "k-0123456789abcdef"}}));
  ASSERT_FALSE(no_url.ok());
  EXPECT_NE(no_url.status().message().find("ATG_SERVICE_URL"), std::string::npos);
  auto bad_url = RemoteSettings::Load(
      With({{"ATG_SERVICE_URL", "atg.example.com"}, {"ATG_API_KEY", "k-0123456789abcdef"}}));
  EXPECT_NE(bad_url.status().message().find("http://"), std::string::npos);
  auto no_key = RemoteSettings::Load(With({{"ATG_SERVICE_URL", "http://localhost:8000"}}));
  EXPECT_NE(no_key.status().message().find("ATG_API_KEY"), std::string::npos);
  auto bad_timeout = RemoteSettings::Load(With({{"ATG_SERVICE_URL", "http://localhost:8000"},
                                                {"ATG_API_KEY", "k-0123456789abcdef"},
                                                {"ATG_REQUEST_TIMEOUT", "soon"}}));
  ASSERT_FALSE(bad_timeout.ok());
  EXPECT_NE(bad_timeout.status().message().find("ATG_REQUEST_TIMEOUT"), std::string::npos);
  EXPECT_EQ(bad_timeout.status().message().find("k-0123456789abcdef"), std::string::npos);
}

TEST(RemoteSettingsTest, RemoteByFlagOrMode) {
  EXPECT_TRUE(WantsRemote(With({}), true));
  EXPECT_FALSE(WantsRemote(With({}), false));
  EXPECT_TRUE(WantsRemote(With({{"ATG_REMOTE_MODE", "true"}}), false));
  EXPECT_FALSE(WantsRemote(With({{"ATG_REMOTE_MODE", "false"}}), false));
}

}  // namespace
}  // namespace atg::client
