// Every credential of the chain against the in-process simulator, over real HTTP: each gets an
// ARM token and lists subscriptions. Then `atg doctor` (the binary) against the simulator and,
// when the test services run, real Redis and Neo4j.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "azure/azure_stack.h"
#include "azure/client_secret_credential.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/subprocess.h"
#include "service_env.h"
#include "sim/simulator.h"

extern char** environ;

namespace atg {
namespace {

namespace fs = std::filesystem;

class CredentialsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sim::SimulatorOptions o;
    o.generator.subscriptions = 3;
    o.generator.resources = 20;
    o.generator.users = 5;
    o.generator.groups = 2;
    o.throttle = sim::ThrottleMode::kOff;
    auto created = sim::Simulator::Create(std::move(o));
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    sim_ = std::move(created.value()).release();
    ASSERT_TRUE(sim_->Start().ok());
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(sim_, nullptr);
    dir_ = fs::temp_directory_path() /
           ("atg-creds-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Endpoints at the simulator, no az on PATH, plus `extra`.
  Settings SimSettings(std::map<std::string, std::string> extra) {
    std::string url = sim_->base_url();
    std::map<std::string, std::string> env = {{"ATG_ARM_ENDPOINT", url},
                                              {"ATG_GRAPH_ENDPOINT", url},
                                              {"AZURE_AUTHORITY_HOST", url},
                                              {"ATG_IMDS_ENDPOINT", url},
                                              {"PATH", dir_.string()}};
    for (auto& [k, v] : extra) env[k] = v;
    return Settings::FromMaps(env, {});
  }

  // Builds the stack from `settings`, lists subscriptions, and returns the selected link.
  std::string ListSubscriptionsWith(const Settings& settings) {
    azure::CurlTransportOptions direct;
    direct.http_proxy = "";
    direct.https_proxy = "";
    direct.no_proxy = "";
    auto stack = azure::NewAzureStack(settings, {}, direct);
    EXPECT_TRUE(stack.ok()) << stack.status().ToString();
    if (!stack.ok()) return "";
    auto subs = stack->client->GetJson(sim_->base_url() + "/subscriptions?api-version=2022-12-01");
    EXPECT_TRUE(subs.ok()) << subs.status().ToString();
    if (!subs.ok()) return "";
    const json::array* value = FindArray(subs->if_object(), "value");
    EXPECT_NE(value, nullptr);
    EXPECT_EQ(value ? value->size() : 0u, sim_->tenant().subscriptions.size());
    // A second audience through the same link.
    auto users = stack->client->GetJson(sim_->base_url() + "/v1.0/users?$top=2");
    EXPECT_TRUE(users.ok()) << users.status().ToString();
    return stack->chain->selected();
  }

  static sim::Simulator* sim_;
  fs::path dir_;
};

sim::Simulator* CredentialsTest::sim_ = nullptr;

TEST_F(CredentialsTest, ClientSecret) {
  const auto& c = sim_->credentials();
  EXPECT_EQ(ListSubscriptionsWith(SimSettings({{"AZURE_TENANT_ID", c.tenant_id},
                                               {"AZURE_CLIENT_ID", c.client_id},
                                               {"AZURE_CLIENT_SECRET", c.client_secret}})),
            "client_secret");
}

TEST_F(CredentialsTest, WorkloadIdentity) {
  const auto& c = sim_->credentials();
  std::string file = (dir_ / "federated-token").string();
  std::ofstream(file) << c.federated_token << "\n";
  EXPECT_EQ(ListSubscriptionsWith(SimSettings({{"AZURE_TENANT_ID", c.tenant_id},
                                               {"AZURE_CLIENT_ID", c.client_id},
                                               {"AZURE_FEDERATED_TOKEN_FILE", file}})),
            "workload_identity");
}

TEST_F(CredentialsTest, ManagedIdentityThroughIdentityEndpoint) {
  const auto& c = sim_->credentials();
  EXPECT_EQ(
      ListSubscriptionsWith(SimSettings({{"IDENTITY_ENDPOINT", sim_->base_url() + "/msi/token"},
                                         {"IDENTITY_HEADER", c.identity_header},
                                         {"ATG_IMDS_ENDPOINT", "http://127.0.0.1:9"}})),
      "managed_identity");
  // A user-assigned identity named by AZURE_CLIENT_ID.
  EXPECT_EQ(
      ListSubscriptionsWith(SimSettings({{"IDENTITY_ENDPOINT", sim_->base_url() + "/msi/token"},
                                         {"IDENTITY_HEADER", c.identity_header},
                                         {"AZURE_CLIENT_ID", c.managed_identity_client_id}})),
      "managed_identity");
}

TEST_F(CredentialsTest, ManagedIdentityThroughImds) {
  EXPECT_EQ(ListSubscriptionsWith(SimSettings({})), "managed_identity");
  // ATG_USE_MANAGED_IDENTITY puts it before a configured client secret.
  const auto& c = sim_->credentials();
  EXPECT_EQ(ListSubscriptionsWith(SimSettings({{"ATG_USE_MANAGED_IDENTITY", "true"},
                                               {"AZURE_TENANT_ID", c.tenant_id},
                                               {"AZURE_CLIENT_ID", c.client_id},
                                               {"AZURE_CLIENT_SECRET", "not-the-right-secret"}})),
            "managed_identity");
}

TEST_F(CredentialsTest, AzureCli) {
  const auto& c = sim_->credentials();
  // The fake az prints a token the simulator issued, as the real CLI prints Entra ID's.
  azure::ClientSecretCredentialOptions o;
  o.tenant_id = c.tenant_id;
  o.client_id = c.client_id;
  o.client_secret = c.client_secret;
  o.authority = sim_->base_url();
  azure::CurlTransportOptions direct;
  direct.http_proxy = "";
  auto issuer =
      azure::ClientSecretCredential::Create(o, std::make_shared<azure::CurlTransport>(direct));
  ASSERT_TRUE(issuer.ok());
  auto arm = (*issuer)->GetToken("https://management.azure.com/.default");
  auto graph = (*issuer)->GetToken("https://graph.microsoft.com/.default");
  ASSERT_TRUE(arm.ok() && graph.ok());
  std::string args = (dir_ / "az-args").string();
  std::string az = (dir_ / "az").string();
  std::ofstream(az)
      << "#!/bin/sh\n"
         "echo \"$@\" >> '"
      << args
      << "'\n"
         "case \"$*\" in\n"
         "  *graph.microsoft.com*) TOKEN='"
      << graph->token
      << "' ;;\n"
         "  *) TOKEN='"
      << arm->token
      << "' ;;\n"
         "esac\n"
         "printf '{\"accessToken\": \"%s\", \"expiresOn\": \"2099-01-01 00:00:00.000000\","
         " \"tenant\": \""
      << c.tenant_id << "\", \"tokenType\": \"Bearer\"}\\n' \"$TOKEN\"\n";
  ::chmod(az.c_str(), 0755);
  Settings s = SimSettings({{"AZURE_TENANT_ID", c.tenant_id},
                            {"ATG_IMDS_ENDPOINT", "http://127.0.0.1:9"},
                            {"PATH", "/nonexistent:" + dir_.string() + ":/usr/bin:/bin"}});
  EXPECT_EQ(ListSubscriptionsWith(s), "azure_cli");
  std::ifstream in(args);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_NE(text.find("account get-access-token --output json --resource "
                      "https://management.azure.com --tenant " +
                      c.tenant_id),
            std::string::npos)
      << text;
}

// ---- atg doctor ----

std::map<std::string, std::string> ReadEnvFile(const std::string& path) {
  std::map<std::string, std::string> vars;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("export ")) continue;
    line = line.substr(7);
    size_t eq = line.find('=');
    vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return vars;
}

struct DoctorRun {
  int exit_code = -1;
  std::string out, err;
};

DoctorRun RunDoctor(const std::map<std::string, std::string>& vars, std::vector<std::string> args,
                    const fs::path& cwd) {
  std::vector<std::string> env;
  for (const auto& [k, v] : vars) env.push_back(k + "=" + v);
  env.push_back("HOME=" + cwd.string());
  env.push_back("PATH=/usr/bin:/bin");
  std::vector<std::string> argv = {ATG_BINARY, "doctor"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = RunProcess(argv, std::chrono::seconds(60), 1 << 20, &env);
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  DoctorRun r;
  if (run.ok()) {
    r.exit_code = run->exit_code;
    r.out = run->out;
    r.err = run->err;
  }
  return r;
}

class DoctorTest : public CredentialsTest {
 protected:
  std::map<std::string, std::string> SimEnv() {
    std::string file = (dir_ / "sim.env").string();
    EXPECT_TRUE(sim_->WriteEnvFile(file).ok());
    auto vars = ReadEnvFile(file);
    EXPECT_EQ(vars.count("AZURE_CLIENT_SECRET"), 1u);
    vars["ATG_DATA_DIR"] = (dir_ / "data").string();
    return vars;
  }
};

TEST_F(DoctorTest, NamesTheSelectedCredentialAndShowsNoSecret) {
  auto vars = SimEnv();
  DoctorRun r = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("client_secret                  selected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ARM token                      ok from client_secret"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("tenant " + sim_->credentials().tenant_id), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lists 3 subscriptions"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("REDIS_URL is not set"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ready"), std::string::npos) << r.out;
  EXPECT_EQ((r.out + r.err).find(vars["AZURE_CLIENT_SECRET"]), std::string::npos);
  EXPECT_NE(r.out.find("AZURE_CLIENT_SECRET            (set, hidden)  (env)"), std::string::npos)
      << r.out;

  DoctorRun j = RunDoctor(vars, {"--json"}, dir_);
  EXPECT_EQ(j.exit_code, 0) << j.err;
  auto parsed = ParseJson(j.out);
  ASSERT_TRUE(parsed.ok() && parsed->is_object()) << j.out;
  const json::object& o = parsed->as_object();
  EXPECT_EQ(FindString(&o, "verdict"), "ok");
  EXPECT_EQ(FindString(FindObject(&o, "credentials"), "selected"), "client_secret");
  EXPECT_EQ(FindString(FindObject(&o, "redis"), "status"), "not_configured");
  EXPECT_EQ(FindString(FindObject(&o, "data_dir"), "status"), "ok");
  EXPECT_EQ(j.out.find(vars["AZURE_CLIENT_SECRET"]), std::string::npos);
}

TEST_F(DoctorTest, WrongSecretFailsWithExitOneAndInvalidSettingsExitTwo) {
  auto vars = SimEnv();
  vars["AZURE_CLIENT_SECRET"] = "wrong-secret-for-doctor-1234";
  vars["LOG_LEVEL"] = "debug";
  DoctorRun r = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("client_secret                  failed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AADSTS7000215"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("credential chain: client_secret failed"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("wrong-secret-for-doctor-1234"), std::string::npos);

  vars = SimEnv();
  vars["ATG_ARM_ENDPOINT"] = "not-a-url";
  r = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("ATG_ARM_ENDPOINT"), std::string::npos) << r.out;

  vars = SimEnv();
  vars["REDIS_URL"] = "redis://:pw-in-bad-url-777@127.0.0.1:notaport";
  r = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ((r.out + r.err).find("pw-in-bad-url-777"), std::string::npos) << r.out;
}

TEST_F(DoctorTest, UnreachableStoresFail) {
  auto vars = SimEnv();
  vars["REDIS_URL"] = "redis://:unreachable-pass-55@127.0.0.1:9/0";
  vars["NEO4J_URI"] = "bolt://127.0.0.1:9";
  vars["NEO4J_PASSWORD"] = "unreachable-neo-pass-66";
  DoctorRun r = RunDoctor(vars, {"--timeout", "2"}, dir_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("redis://:****@127.0.0.1:9/0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unreachable"), std::string::npos) << r.out;
  for (const char* secret : {"unreachable-pass-55", "unreachable-neo-pass-66"}) {
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << secret;
  }
}

TEST_F(DoctorTest, ReportsRealRedisAndNeo4jReachable) {
  ATG_REQUIRE_SERVICE_ENV(redis_url, "ATG_TEST_REDIS_AUTH_URL");
  ATG_REQUIRE_SERVICE_ENV(redis_password, "ATG_TEST_REDIS_PASSWORD");
  ATG_REQUIRE_SERVICE_ENV(neo4j_uri, "ATG_TEST_NEO4J_URI");
  ATG_REQUIRE_SERVICE_ENV(neo4j_user, "ATG_TEST_NEO4J_USER");
  ATG_REQUIRE_SERVICE_ENV(neo4j_password, "ATG_TEST_NEO4J_PASSWORD");
  auto vars = SimEnv();
  // redis://127.0.0.1:PORT/0 → redis://:PASSWORD@127.0.0.1:PORT/0
  vars["REDIS_URL"] = "redis://:" + UrlEncode(redis_password) + "@" + redis_url.substr(8);
  vars["NEO4J_URI"] = neo4j_uri;
  vars["NEO4J_USER"] = neo4j_user;
  vars["NEO4J_PASSWORD"] = neo4j_password;
  DoctorRun r = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("client_secret                  selected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reachable, PING"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reachable, Neo4j/5"), std::string::npos) << r.out;
  const std::string all = r.out + r.err;
  EXPECT_EQ(all.find(vars["AZURE_CLIENT_SECRET"]), std::string::npos);
  EXPECT_EQ(all.find(redis_password), std::string::npos);
  EXPECT_EQ(all.find(neo4j_password), std::string::npos);

  DoctorRun j = RunDoctor(vars, {"--json"}, dir_);
  EXPECT_EQ(j.exit_code, 0) << j.out;
  auto parsed = ParseJson(j.out);
  ASSERT_TRUE(parsed.ok() && parsed->is_object());
  EXPECT_EQ(FindString(FindObject(&parsed->as_object(), "redis"), "status"), "ok");
  EXPECT_EQ(FindString(FindObject(&parsed->as_object(), "neo4j"), "status"), "ok");
  for (const std::string& secret : {redis_password, neo4j_password}) {
    EXPECT_EQ((j.out + j.err).find(secret), std::string::npos);
  }
  // A wrong Neo4j password is a failure, named without the password.
  vars["NEO4J_PASSWORD"] = neo4j_password + "-wrong";
  DoctorRun bad = RunDoctor(vars, {}, dir_);
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("login refused"), std::string::npos) << bad.out;
  EXPECT_EQ((bad.out + bad.err).find(neo4j_password), std::string::npos);
}

}  // namespace
}  // namespace atg
