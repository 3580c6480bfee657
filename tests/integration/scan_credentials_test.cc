// `atg scan --json` (the binary) against an in-process simulator once per credential kind of the
// chain: client secret, workload identity, managed identity through IDENTITY_ENDPOINT and through
// IMDS, and the Azure CLI. Each scan has its own data directory; its summary must equal the
// simulator's ground truth, its debug log must name the credential that won, and nothing it
// prints may hold a secret.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/strings.h"
#include "common/subprocess.h"
#include "sim/simulator.h"

namespace atg {
namespace {

namespace fs = std::filesystem;

using Env = std::map<std::string, std::string>;

class ScanCredentialsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    sim::SimulatorOptions o;
    o.generator.seed = 5;
    o.generator.subscriptions = 2;
    o.generator.resources = 250;
    o.generator.users = 40;
    o.generator.groups = 6;
    o.throttle = sim::ThrottleMode::kRealistic;
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
           ("atg-scan-creds-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "bin");
    // The environment file `atg simulate --env-file` writes, as a user would source it.
    env_file_ = (dir_ / "sim.env").string();
    ASSERT_TRUE(sim_->WriteEnvFile(env_file_).ok());
    std::ifstream in(env_file_);
    std::string line;
    while (std::getline(in, line)) {
      bool commented = line.starts_with("# export ");
      if (!line.starts_with("export ") && !commented) continue;
      line = line.substr(commented ? 9 : 7);
      size_t eq = line.find('=');
      (commented ? alternatives_ : exported_)[line.substr(0, eq)] = line.substr(eq + 1);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The endpoints of the env file, a private data directory, no credential yet, and an IMDS
  // that refuses connections (so only the credential under test can win).
  Env BaseEnv() {
    Env env;
    for (const char* k : {"ATG_ARM_ENDPOINT", "ATG_GRAPH_ENDPOINT", "AZURE_AUTHORITY_HOST"}) {
      env[k] = exported_.at(k);
    }
    env["ATG_IMDS_ENDPOINT"] = "http://127.0.0.1:9";
    env["ATG_DATA_DIR"] = (dir_ / "data").string();
    env["HOME"] = dir_.string();
    env["PATH"] = (dir_ / "bin").string() + ":/usr/bin:/bin";
    env["LOG_LEVEL"] = "debug";
    env["NO_PROXY"] = "*";
    return env;
  }

  struct Run {
    int exit_code = -1;
    std::string out, err;
  };

  Run Scan(const Env& vars, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env;
    for (const auto& [k, v] : vars) env.push_back(k + "=" + v);
    std::vector<std::string> argv = {ATG_BINARY, "scan", "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto run = RunProcess(argv, std::chrono::seconds(120), 16 << 20, &env);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    Run r;
    if (run.ok()) {
      r.exit_code = run->exit_code;
      r.out = run->out;
      r.err = run->err;
    }
    return r;
  }

  // The summary equals the ground truth; the log names `credential` as the one selected and
  // holds none of the simulator's secrets.
  void ExpectExactScanWith(const Run& r, const std::string& credential) {
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0);
    auto doc = ParseJson(r.out);
    ASSERT_TRUE(doc.ok() && doc->is_object()) << r.out;
    const json::object& s = doc->as_object();
    const sim::Tenant& t = sim_->tenant();
    std::map<std::string, int64_t> truth;
    for (const auto& res : t.resources) ++truth[ToLower(res.as_object().at("type").as_string())];
    std::map<std::string, int64_t> got;
    for (const auto& kv : s.at("by_type").as_object())
      got[kv.key()] = kv.value().to_number<int64_t>();
    EXPECT_EQ(got, truth);
    EXPECT_EQ(s.at("resources").to_number<int64_t>(), static_cast<int64_t>(t.resources.size()));
    EXPECT_EQ(s.at("users").to_number<int64_t>(), static_cast<int64_t>(t.users.size()));
    EXPECT_EQ(s.at("groups").to_number<int64_t>(), static_cast<int64_t>(t.groups.size()));
    EXPECT_EQ(s.at("service_principals").to_number<int64_t>(),
              static_cast<int64_t>(t.service_principals.size()));
    EXPECT_TRUE(s.at("failed_scopes").as_array().empty()) << r.out;
    EXPECT_EQ(FindString(&s, "tenant_id"), sim_->credentials().tenant_id);

    EXPECT_NE(r.err.find("credential chain: " + credential + " selected"), std::string::npos)
        << r.err.substr(0, 4000);
    for (const auto& other :
         {"client_secret", "workload_identity", "managed_identity", "azure_cli"}) {
      if (other == credential) continue;
      EXPECT_EQ(r.err.find(std::string("credential chain: ") + other + " selected"),
                std::string::npos);
    }
    const auto& c = sim_->credentials();
    for (const std::string& secret : {c.client_secret, c.federated_token, c.identity_header}) {
      ASSERT_FALSE(secret.empty());
      EXPECT_EQ((r.out + r.err).find(secret), std::string::npos)
          << "a secret reached the output of the " << credential << " scan";
    }
    // No bearer token either: every JWT the simulator issues starts with its header.
    EXPECT_EQ((r.out + r.err).find("eyJ"), std::string::npos) << credential;
  }

  static sim::Simulator* sim_;
  fs::path dir_;
  std::string env_file_;
  Env exported_;      // the env file's `export` lines
  Env alternatives_;  // its commented-out alternatives (managed and workload identity)
};

sim::Simulator* ScanCredentialsTest::sim_ = nullptr;

TEST_F(ScanCredentialsTest, ClientSecret) {
  Env env = BaseEnv();
  for (const char* k : {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}) {
    env[k] = exported_.at(k);
  }
  ExpectExactScanWith(Scan(env), "client_secret");
}

TEST_F(ScanCredentialsTest, WorkloadIdentity) {
  Env env = BaseEnv();
  env["AZURE_TENANT_ID"] = exported_.at("AZURE_TENANT_ID");
  env["AZURE_CLIENT_ID"] = exported_.at("AZURE_CLIENT_ID");
  env["AZURE_FEDERATED_TOKEN_FILE"] = alternatives_.at("AZURE_FEDERATED_TOKEN_FILE");
  ASSERT_TRUE(fs::exists(env["AZURE_FEDERATED_TOKEN_FILE"]));
  ExpectExactScanWith(Scan(env), "workload_identity");
}

TEST_F(ScanCredentialsTest, ManagedIdentityThroughIdentityEndpoint) {
  Env env = BaseEnv();
  env["IDENTITY_ENDPOINT"] = alternatives_.at("IDENTITY_ENDPOINT");
  env["IDENTITY_HEADER"] = alternatives_.at("IDENTITY_HEADER");
  ExpectExactScanWith(Scan(env, {"--tenant-id", exported_.at("AZURE_TENANT_ID")}),
                      "managed_identity");
}

TEST_F(ScanCredentialsTest, ManagedIdentityThroughImds) {
  Env env = BaseEnv();
  env["ATG_IMDS_ENDPOINT"] = exported_.at("ATG_IMDS_ENDPOINT");
  ExpectExactScanWith(Scan(env, {"--tenant-id", exported_.at("AZURE_TENANT_ID")}),
                      "managed_identity");
}

TEST_F(ScanCredentialsTest, AzureCli) {
  // A stand-in for `az` signed in as a service principal: like the real CLI it asks Entra ID
  // (here the simulator's token endpoint) for a token of the requested resource and prints
  // what `az account get-access-token --output json` prints. Its own sign-in comes from
  // variables only it reads, so no secret is written to a file.
  std::string az = (dir_ / "bin" / "az").string();
  std::ofstream(az) << R"SH(#!/bin/sh
resource=""; tenant="$FAKE_AZ_TENANT"
while [ $# -gt 0 ]; do
  case "$1" in
    --resource) resource="$2"; shift ;;
    --tenant) tenant="$2"; shift ;;
  esac
  shift
done
[ -z "$resource" ] && { echo "ERROR: no --resource" >&2; exit 2; }
echo "az $tenant $resource" >> "$FAKE_AZ_LOG"
answer=$(curl -s --noproxy '*' -X POST "$FAKE_AZ_AUTHORITY/$tenant/oauth2/v2.0/token" \
  --data-urlencode "grant_type=client_credentials" \
  --data-urlencode "client_id=$FAKE_AZ_APP" \
  --data-urlencode "client_secret=$FAKE_AZ_PASSWORD" \
  --data-urlencode "scope=$resource/.default")
token=$(printf '%s' "$answer" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
expires_in=$(printf '%s' "$answer" | sed -n 's/.*"expires_in" *: *"\{0,1\}\([0-9]*\).*/\1/p')
if [ -z "$token" ]; then
  echo "ERROR: AADSTS-like failure from the token endpoint" >&2
  exit 1
fi
expires_on=$(( $(date +%s) + ${expires_in:-3600} ))
printf '{\n  "accessToken": "%s",\n  "expiresOn": "%s",\n  "expires_on": %s,\n  "subscription": "",\n  "tenant": "%s",\n  "tokenType": "Bearer"\n}\n' \
  "$token" "$(date -d "@$expires_on" '+%Y-%m-%d %H:%M:%S.000000')" "$expires_on" "$tenant"
)SH";
  ::chmod(az.c_str(), 0755);
  std::string log = (dir_ / "az.log").string();
  Env env = BaseEnv();
  env["AZURE_TENANT_ID"] = exported_.at("AZURE_TENANT_ID");
  env["FAKE_AZ_TENANT"] = exported_.at("AZURE_TENANT_ID");
  env["FAKE_AZ_AUTHORITY"] = exported_.at("AZURE_AUTHORITY_HOST");
  env["FAKE_AZ_APP"] = exported_.at("AZURE_CLIENT_ID");
  env["FAKE_AZ_PASSWORD"] = exported_.at("AZURE_CLIENT_SECRET");
  env["FAKE_AZ_LOG"] = log;
  ExpectExactScanWith(Scan(env), "azure_cli");
  // atg asked az for both audiences, once each (tokens are cached), naming the tenant.
  std::ifstream in(log);
  std::string calls((std::istreambuf_iterator<char>(in)), {});
  const std::string tenant = exported_.at("AZURE_TENANT_ID");
  EXPECT_NE(calls.find("az " + tenant + " https://management.azure.com\n"), std::string::npos)
      << calls;
  EXPECT_NE(calls.find("az " + tenant + " https://graph.microsoft.com\n"), std::string::npos)
      << calls;
  EXPECT_EQ(std::count(calls.begin(), calls.end(), '\n'), 2) << calls;
}

TEST_F(ScanCredentialsTest, EachScanWroteOnlyItsOwnDataDirectory) {
  Env env = BaseEnv();
  for (const char* k : {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"}) {
    env[k] = exported_.at(k);
  }
  Run r = Scan(env);
  ASSERT_EQ(r.exit_code, 0);
  const std::string tenant = ToLower(exported_.at("AZURE_TENANT_ID"));
  EXPECT_TRUE(fs::exists(dir_ / "data" / "tenants" / tenant / "graph.db"));
  // No database file holds the client secret.
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "data")) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find(exported_.at("AZURE_CLIENT_SECRET")), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace atg
