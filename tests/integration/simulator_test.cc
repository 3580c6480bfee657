// Drives an in-process Simulator over real HTTP (libcurl on loopback), and the `atg simulate`
// binary as a child process, the way the scanner and scripts use them.
#include "sim/simulator.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/arm_id.h"
#include "common/config.h"
#include "common/json.h"
#include "common/strings.h"
#include "sim/catalog.h"

extern char** environ;

namespace atg::sim {
namespace {

// ---- a small libcurl client ----

struct HttpResult {
  CURLcode curl = CURLE_OK;  // not OK: the connection failed or was dropped
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(ToLower(name));
    return it == headers.end() ? "" : it->second;
  }
  std::string Str(std::string_view key) const {
    auto body = Json();
    return std::string(FindString(&body, key).value_or(""));
  }
  std::string ErrorCode() const {
    auto body = Json();
    return std::string(FindString(FindObject(&body, "error"), "code").value_or(""));
  }
  json::object Json() const {
    auto v = ParseJson(body);
    return v.ok() && v->is_object() ? v->as_object() : json::object{};
  }
};

size_t OnBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*static_cast<std::map<std::string, std::string>*>(out))[ToLower(line.substr(0, colon))] =
        std::string(Trim(line.substr(colon + 1)));
  }
  return size * n;
}

HttpResult Http(const std::string& method, const std::string& url,
                const std::vector<std::string>& headers = {}, const std::string& body = "") {
  HttpResult r;
  CURL* curl = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST" || !body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  r.curl = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return r;
}

std::string GetToken(const std::string& base, const SimulatorCredentials& c,
                     const std::string& scope) {
  auto r = Http("POST", base + "/" + c.tenant_id + "/oauth2/v2.0/token",
                {"Content-Type: application/x-www-form-urlencoded"},
                "grant_type=client_credentials&client_id=" + c.client_id +
                    "&client_secret=" + UrlEncode(c.client_secret) + "&scope=" + UrlEncode(scope));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Str("access_token");
}

// ---- ground truth from the tenant ----

bool IsTopLevel(std::string_view id_text, std::string_view type) {
  auto id = ParseArmId(id_text);
  if (!id.ok()) return false;
  const ResourceTypeInfo* info = FindResourceType(type);
  return id->parent().empty() && !id->is_extension() && !(info && (info->extension || info->child));
}

std::set<std::string> TopLevelIds(const Tenant& t, const std::string& sub, bool arg_only) {
  std::set<std::string> out;
  for (const auto& v : t.resources) {
    const auto& o = v.as_object();
    std::string id(o.at("id").as_string());
    std::string type(o.at("type").as_string());
    auto parsed = ParseArmId(id);
    if (!parsed.ok() || !EqualsIgnoreCase(parsed->subscription_id, sub)) continue;
    const ResourceTypeInfo* info = FindResourceType(type);
    // ARM lists top-level resources; Resource Graph has a row for every type marked so in the
    // catalog, some child types (VM extensions) included.
    bool wanted = arg_only && info ? info->in_resource_graph : IsTopLevel(id, type);
    if (!wanted) continue;
    out.insert(ToLower(id));
  }
  return out;
}

std::vector<std::string> SubscriptionIds(const Tenant& t) {
  std::vector<std::string> out;
  for (const auto& s : t.subscriptions)
    out.emplace_back(s.as_object().at("subscriptionId").as_string());
  return out;
}

SimulatorOptions SmallTenant() {
  SimulatorOptions o;
  o.generator.seed = 7;
  o.generator.subscriptions = 2;
  o.generator.resources = 2600;
  o.generator.users = 260;
  o.generator.groups = 12;
  o.throttle = ThrottleMode::kOff;
  o.io_threads = 2;
  return o;
}

std::unique_ptr<Simulator> StartSimulator(SimulatorOptions o) {
  auto sim = Simulator::Create(std::move(o));
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  if (!sim.ok()) return nullptr;
  Status s = (*sim)->Start();
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(sim.value());
}

class SimulatorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    sim_ = StartSimulator(SmallTenant()).release();
    ASSERT_NE(sim_, nullptr);
    arm_token_ =
        GetToken(sim_->base_url(), sim_->credentials(), "https://management.azure.com/.default");
    graph_token_ =
        GetToken(sim_->base_url(), sim_->credentials(), "https://graph.microsoft.com/.default");
  }
  static void TearDownTestSuite() {
    delete sim_;
    sim_ = nullptr;
  }

  static HttpResult Arm(const std::string& method, const std::string& path_or_url,
                        const std::string& body = "") {
    std::string url =
        path_or_url.starts_with("http") ? path_or_url : sim_->base_url() + path_or_url;
    return Http(method, url,
                {"Authorization: Bearer " + arm_token_, "Content-Type: application/json"}, body);
  }

  static Simulator* sim_;
  static std::string arm_token_;
  static std::string graph_token_;
};

Simulator* SimulatorTest::sim_ = nullptr;
std::string SimulatorTest::arm_token_;
std::string SimulatorTest::graph_token_;

TEST_F(SimulatorTest, TokenWithClientSecret) {
  EXPECT_EQ(std::count(arm_token_.begin(), arm_token_.end(), '.'), 2) << arm_token_;
  auto bad = Http("POST",
                  sim_->base_url() + "/" + sim_->credentials().tenant_id + "/oauth2/v2.0/token", {},
                  "grant_type=client_credentials&client_id=" + sim_->credentials().client_id +
                      "&client_secret=nope&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Str("error"), "invalid_client");
}

TEST_F(SimulatorTest, ListSubscriptions) {
  auto r = Arm("GET", "/subscriptions?api-version=2022-12-01");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> got;
  auto body = r.Json();
  for (const auto& v : body.at("value").as_array())
    got.insert(std::string(v.as_object().at("subscriptionId").as_string()));
  auto want = SubscriptionIds(sim_->tenant());
  EXPECT_EQ(got, std::set<std::string>(want.begin(), want.end()));
  EXPECT_FALSE(r.Header("x-ms-request-id").empty());
  EXPECT_FALSE(r.Header("x-ms-correlation-request-id").empty());
  EXPECT_EQ(r.Header("x-ms-ratelimit-remaining-tenant-reads"), "249");
}

TEST_F(SimulatorTest, PagesThroughResourcesToTheEnd) {
  for (const auto& sub : SubscriptionIds(sim_->tenant())) {
    std::set<std::string> got;
    int pages = 0;
    std::string next = "/subscriptions/" + sub + "/resources?api-version=2021-04-01";
    while (!next.empty()) {
      auto r = Arm("GET", next);
      ASSERT_EQ(r.status, 200) << next << ": " << r.body;
      auto body = r.Json();
      const auto& value = body.at("value").as_array();
      EXPECT_LE(value.size(), 1000u);
      for (const auto& v : value) got.insert(ToLower(v.as_object().at("id").as_string()));
      next = std::string(FindString(&body, "nextLink").value_or(""));
      if (!next.empty()) {
        EXPECT_TRUE(next.starts_with(sim_->base_url())) << next;
      }
      ASSERT_LT(++pages, 100);
    }
    auto want = TopLevelIds(sim_->tenant(), sub, /*arg_only=*/false);
    EXPECT_GT(want.size(), 0u);
    EXPECT_EQ(got, want) << "subscription " << sub;
  }
}

TEST_F(SimulatorTest, ResourceGraphPaging) {
  auto subs = SubscriptionIds(sim_->tenant());
  json::array sub_array;
  for (const auto& s : subs) sub_array.emplace_back(s);
  std::set<std::string> got;
  std::string skip;
  int pages = 0;
  do {
    json::object options{{"$top", 1000}};
    if (!skip.empty()) options["$skipToken"] = skip;
    json::object request{
        {"subscriptions", sub_array}, {"query", "Resources | project id"}, {"options", options}};
    auto r = Arm("POST", "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01",
                 json::serialize(request));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(r.Header("x-ms-user-quota-remaining").empty());
    EXPECT_FALSE(r.Header("x-ms-user-quota-resets-after").empty());
    auto body = r.Json();
    for (const auto& row : body.at("data").as_array())
      got.insert(ToLower(row.as_object().at("id").as_string()));
    skip = std::string(FindString(&body, "$skipToken").value_or(""));
    ASSERT_LT(++pages, 100);
  } while (!skip.empty());
  std::set<std::string> want;
  for (const auto& s : subs) {
    auto part = TopLevelIds(sim_->tenant(), s, /*arg_only=*/true);
    want.insert(part.begin(), part.end());
  }
  EXPECT_GT(pages, 1);
  EXPECT_EQ(got, want);
}

TEST_F(SimulatorTest, GraphUsersPaging) {
  std::set<std::string> got;
  std::string next = sim_->base_url() + "/v1.0/users?$top=100";
  int pages = 0;
  while (!next.empty()) {
    auto r = Http("GET", next, {"Authorization: Bearer " + graph_token_});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("x-ms-resource-unit"), "2");
    auto body = r.Json();
    for (const auto& u : body.at("value").as_array())
      got.insert(std::string(u.as_object().at("id").as_string()));
    next = std::string(FindString(&body, "@odata.nextLink").value_or(""));
    ASSERT_LT(++pages, 100);
  }
  std::set<std::string> want;
  for (const auto& u : sim_->tenant().users)
    want.insert(std::string(u.as_object().at("id").as_string()));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(got, want);
}

TEST_F(SimulatorTest, RejectsMissingAndWrongAudienceTokens) {
  auto none = Http("GET", sim_->base_url() + "/subscriptions?api-version=2022-12-01");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.ErrorCode(), "AuthenticationFailed");
  EXPECT_TRUE(none.Header("WWW-Authenticate").starts_with("Bearer authorization_uri="));

  auto wrong = Http("GET", sim_->base_url() + "/subscriptions?api-version=2022-12-01",
                    {"Authorization: Bearer " + graph_token_});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.ErrorCode(), "InvalidAuthenticationTokenAudience");

  auto graph_with_arm =
      Http("GET", sim_->base_url() + "/v1.0/users", {"Authorization: Bearer " + arm_token_});
  EXPECT_EQ(graph_with_arm.status, 401);
  EXPECT_EQ(graph_with_arm.ErrorCode(), "InvalidAuthenticationToken");
}

TEST_F(SimulatorTest, ManagedIdentityTokensWork) {
  auto imds =
      Http("GET",
           sim_->base_url() + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=" +
               UrlEncode("https://management.azure.com/"),
           {"Metadata: true"});
  ASSERT_EQ(imds.status, 200) << imds.body;
  std::string token = imds.Str("access_token");
  auto r = Http("GET", sim_->base_url() + "/subscriptions?api-version=2022-12-01",
                {"Authorization: Bearer " + token});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Http("GET", sim_->base_url() +
                            "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x")
                .status,
            400);
}

TEST(SimulatorForbiddenTest, ForbiddenSubscriptionIs403) {
  // Learn the generated subscription ids first, then forbid one of them.
  auto probe = Simulator::Create(SmallTenant());
  ASSERT_TRUE(probe.ok());
  std::string forbidden = SubscriptionIds((*probe)->tenant())[0];
  SimulatorOptions o = SmallTenant();
  o.forbidden_subscriptions = {forbidden};
  auto sim = StartSimulator(o);
  ASSERT_NE(sim, nullptr);
  std::string token =
      GetToken(sim->base_url(), sim->credentials(), "https://management.azure.com/.default");
  auto r = Http(
      "GET",
      sim->base_url() + "/subscriptions/" + forbidden + "/resourceGroups?api-version=2021-04-01",
      {"Authorization: Bearer " + token});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.ErrorCode(), "AuthorizationFailed");
  EXPECT_NE(r.body.find(sim->credentials().app_object_id), std::string::npos) << r.body;
}

TEST(SimulatorThrottleTest, RealisticThrottlingProduces429UnderLoad) {
  SimulatorOptions o = SmallTenant();
  o.throttle = ThrottleMode::kRealistic;
  auto sim = StartSimulator(o);
  ASSERT_NE(sim, nullptr);
  std::string token =
      GetToken(sim->base_url(), sim->credentials(), "https://management.azure.com/.default");
  std::string url = sim->base_url() + "/subscriptions/" + SubscriptionIds(sim->tenant())[0] +
                    "/resourceGroups?api-version=2021-04-01";
  // Reuse one connection, as a scanner does.
  int ok = 0, throttled = 0;
  std::string retry_after;
  int first_remaining = -1;
  for (int i = 0; i < 320 && throttled == 0; ++i) {
    auto r = Http("GET", url, {"Authorization: Bearer " + token});
    if (r.status == 200) {
      ++ok;
      if (first_remaining < 0)
        first_remaining = std::stoi(r.Header("x-ms-ratelimit-remaining-subscription-reads"));
    } else if (r.status == 429) {
      ++throttled;
      retry_after = r.Header("Retry-After");
      EXPECT_EQ(r.ErrorCode(), "SubscriptionRequestsThrottled");
    }
  }
  EXPECT_EQ(first_remaining, 249);
  EXPECT_GE(ok, 250);  // the burst, plus what refilled meanwhile
  EXPECT_EQ(throttled, 1);
  EXPECT_FALSE(retry_after.empty());
}

TEST(SimulatorFaultTest, FaultRateProduces5xxAndDrops) {
  SimulatorOptions o = SmallTenant();
  o.fault_rate = 0.3;
  o.seed = 99;
  auto sim = StartSimulator(o);
  ASSERT_NE(sim, nullptr);
  std::string token;
  for (int i = 0; i < 20 && token.empty(); ++i) {
    auto r = Http("POST",
                  sim->base_url() + "/" + sim->credentials().tenant_id + "/oauth2/v2.0/token", {},
                  "grant_type=client_credentials&client_id=" + sim->credentials().client_id +
                      "&client_secret=" + UrlEncode(sim->credentials().client_secret) +
                      "&scope=https%3A%2F%2Fmanagement.azure.com%2F.default");
    if (r.status == 200) token = r.Str("access_token");
  }
  ASSERT_FALSE(token.empty());
  int ok = 0, server_errors = 0, dropped = 0;
  for (int i = 0; i < 300; ++i) {
    auto r = Http("GET", sim->base_url() + "/subscriptions?api-version=2022-12-01",
                  {"Authorization: Bearer " + token});
    if (r.curl != CURLE_OK) {
      ++dropped;
    } else if (r.status >= 500) {
      ++server_errors;
    } else if (r.status == 200) {
      ++ok;
    }
  }
  EXPECT_EQ(ok + server_errors + dropped, 300);
  EXPECT_GT(server_errors, 30);
  EXPECT_GT(dropped, 10);
  EXPECT_GT(ok, 150);
}

// ---- the `atg simulate` binary ----

struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
  int stderr_fd = -1;
};

Child Spawn(const std::vector<std::string>& args) {
  int out[2], err[2];
  EXPECT_EQ(pipe(out), 0);
  EXPECT_EQ(pipe(err), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, err[0]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child c;
  EXPECT_EQ(posix_spawn(&c.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  c.stdout_fd = out[0];
  c.stderr_fd = err[0];
  return c;
}

std::string ReadLine(int fd) {
  std::string line;
  char ch;
  while (read(fd, &ch, 1) == 1 && ch != '\n') line += ch;
  return line;
}

std::string ReadAll(int fd) {
  std::string s;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class SimulateBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atg-simulate-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SimulateBinaryTest, ServesAndWritesEnvFileThenStopsOnSigterm) {
  std::string env_file = (dir_ / "sim.env").string();
  std::string dump = (dir_ / "tenant.json").string();
  Child c = Spawn({ATG_BINARY, "simulate", "--port", "0", "--subscriptions", "1", "--resources",
                   "40", "--users", "5", "--seed", "3", "--env-file", env_file, "--dump-tenant",
                   dump, "--throttle", "off"});
  std::string url = ReadLine(c.stdout_fd);
  ASSERT_TRUE(url.starts_with("http://127.0.0.1:")) << url;

  struct stat st {};
  ASSERT_EQ(stat(env_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::ifstream in(env_file);
  std::stringstream text;
  text << in.rdbuf();
  auto vars = ParseDotEnv(text.str(), env_file);
  ASSERT_TRUE(vars.ok()) << vars.status().ToString();
  EXPECT_EQ(vars->at("ATG_ARM_ENDPOINT"), url);
  EXPECT_EQ(vars->at("ATG_GRAPH_ENDPOINT"), url);
  EXPECT_EQ(vars->at("AZURE_AUTHORITY_HOST"), url);
  EXPECT_EQ(vars->at("ATG_IMDS_ENDPOINT"), url);
  EXPECT_EQ(vars->at("ATG_KEY_VAULT_ENDPOINT"), url);
  EXPECT_EQ(vars->count("IDENTITY_ENDPOINT"), 0u);  // commented: the secret path is the default
  EXPECT_NE(text.str().find("# export IDENTITY_HEADER="), std::string::npos);
  EXPECT_NE(text.str().find("# export AZURE_FEDERATED_TOKEN_FILE="), std::string::npos);

  // The variables are enough to get a token and read the tenant.
  SimulatorCredentials creds;
  creds.tenant_id = vars->at("AZURE_TENANT_ID");
  creds.client_id = vars->at("AZURE_CLIENT_ID");
  creds.client_secret = vars->at("AZURE_CLIENT_SECRET");
  std::string token =
      GetToken(vars->at("AZURE_AUTHORITY_HOST"), creds, "https://management.azure.com/.default");
  auto subs = Http("GET", vars->at("ATG_ARM_ENDPOINT") + "/subscriptions?api-version=2022-12-01",
                   {"Authorization: Bearer " + token});
  EXPECT_EQ(subs.status, 200);

  // The federated token file works as a client assertion.
  std::ifstream fed(env_file + ".federated-token");
  std::string assertion;
  std::getline(fed, assertion);
  auto fed_token = Http("POST", url + "/" + creds.tenant_id + "/oauth2/v2.0/token", {},
                        "grant_type=client_credentials&client_id=" + creds.client_id +
                            "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
                            "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-"
                            "assertion-type%3Ajwt-bearer&client_assertion=" +
                            UrlEncode(assertion));
  EXPECT_EQ(fed_token.status, 200) << fed_token.body;

  // The dumped tenant is what is served.
  auto dumped = LoadTenantFile(dump);
  ASSERT_TRUE(dumped.ok()) << dumped.status().ToString();
  EXPECT_EQ(dumped->tenant_id, creds.tenant_id);

  kill(c.pid, SIGTERM);
  std::string err = ReadAll(c.stderr_fd);
  EXPECT_EQ(Wait(c.pid), 0) << err;
  EXPECT_NE(err.find("atg simulate: listening on " + url + " (tenant " + creds.tenant_id),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find(creds.client_secret), std::string::npos);  // never logged
  close(c.stdout_fd);
  close(c.stderr_fd);
}

TEST_F(SimulateBinaryTest, UsageErrorsExit2NamingTheFlag) {
  Child c = Spawn({ATG_BINARY, "simulate", "--throttle", "sometimes"});
  std::string err = ReadAll(c.stderr_fd);
  EXPECT_EQ(Wait(c.pid), 2);
  EXPECT_NE(err.find("--throttle"), std::string::npos) << err;
  close(c.stdout_fd);
  close(c.stderr_fd);

  c = Spawn({ATG_BINARY, "simulate", "--fault-rate", "1.5"});
  err = ReadAll(c.stderr_fd);
  EXPECT_EQ(Wait(c.pid), 2);
  EXPECT_NE(err.find("--fault-rate"), std::string::npos) << err;
  close(c.stdout_fd);
  close(c.stderr_fd);

  c = Spawn({ATG_BINARY, "simulate", "--tenant-file", "t.json", "--resources", "5"});
  err = ReadAll(c.stderr_fd);
  EXPECT_EQ(Wait(c.pid), 2);
  EXPECT_NE(err.find("--tenant-file"), std::string::npos) << err;
  close(c.stdout_fd);
  close(c.stderr_fd);

  std::string bad = (dir_ / "bad.json").string();
  std::ofstream(bad) << R"({"tenant_id":"11111111-1111-1111-1111-111111111111",)"
                        R"("subscriptions":[],"resource_groups":[],"resources":[{"name":"x"}]})";
  c = Spawn({ATG_BINARY, "simulate", "--tenant-file", bad});
  err = ReadAll(c.stderr_fd);
  EXPECT_EQ(Wait(c.pid), 2);
  EXPECT_NE(err.find("$.resources[0]"), std::string::npos) << err;
  close(c.stdout_fd);
  close(c.stderr_fd);
}

}  // namespace
}  // namespace atg::sim
