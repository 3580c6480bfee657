// The real `atg serve` binary as a child process: startup refusal, key rotation with SIGHUP on
// a live connection, SIGTERM drain, a scan job end to end against the simulator, and no key in
// any log or audit line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "common/config.h"
#include "common/subprocess.h"
#include "jobs/archive.h"
#include "jobs/job_store.h"
#include "serve_testing.h"
#include "service_env.h"
#include "sim/simulator.h"

extern char** environ;

namespace atg {
namespace {

using testing::Conn;
using testing::kKeyA;
using testing::kKeyB;
using testing::Reply;
using testing::Request;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A running `atg serve`: stdout is read for the listening line, stderr goes to a file.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& dir, std::map<std::string, std::string> env)
      : stderr_path_(dir / "serve.stderr") {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string s(*e);
      std::string name = s.substr(0, s.find('='));
      if (name.starts_with("ATG_") || name.starts_with("AZURE_") || name == "REDIS_URL" ||
          name.starts_with("NEO4J_"))
        continue;
      env_strings.push_back(s);
    }
    for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = {ATG_BINARY, "serve", "--host", "127.0.0.1", "--port", "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_fd_ = out[0];
    // "atg serve: listening on http://127.0.0.1:PORT"
    std::string line;
    char ch;
    while (read(stdout_fd_, &ch, 1) == 1 && ch != '\n') line += ch;
    first_line_ = line;
    size_t colon = line.rfind(':');
    if (line.find("listening on") != std::string::npos && colon != std::string::npos) {
      port_ = static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
  }
  uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  void Signal(int sig) { kill(pid_, sig); }
  // Exit code, or -1 when it did not exit within `timeout` (or died of a signal).
  int Wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  std::string Stderr() const { return ReadFile(stderr_path_); }

 private:
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  uint16_t port_ = 0;
  bool reaped_ = false;
  std::string first_line_;
};

class ServeProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atg_serve_proc_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::map<std::string, std::string> Env(const std::string& tenant) {
    return {{"ATG_TARGET_TENANT_ID", tenant},
            {"ATG_DATA_DIR", (dir_ / "data").string()},
            {"ATG_SERVER_WORKERS", "2"},
            {"ATG_SHUTDOWN_GRACE_SECONDS", "10"},
            {"LOG_LEVEL", "debug"}};
  }

  std::string WaitForState(uint16_t port, const std::string& id, const std::string& key,
                           const std::vector<std::string>& want, int seconds = 60) {
    std::string state;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      auto o = Request(port, "GET", "/api/v1/jobs/" + id, key).Json();
      state = std::string(FindString(&o, "status").value_or(""));
      if (std::find(want.begin(), want.end(), state) != want.end()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return state;
  }

  std::filesystem::path dir_;
};

TEST_F(ServeProcessTest, RefusesToStartWithoutAKey) {
  ServeProcess p(dir_, Env("11111111-2222-3333-4444-555555555555"));
  EXPECT_EQ(p.port(), 0);
  EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 2);
  std::string err = p.Stderr();
  EXPECT_NE(err.find("ATG_API_KEYS"), std::string::npos) << err;
  EXPECT_NE(err.find("openssl rand"), std::string::npos) << err;
}

// Everything atg serve writes is its user's alone: files 0600, directories 0700.
TEST_F(ServeProcessTest, CreatesEveryFileAndDirectoryForItsUserOnly) {
  auto env = Env("11111111-2222-3333-4444-555555555555");
  env["ATG_API_KEYS"] = kKeyA;
  env["ATG_MAX_CONCURRENT_JOBS"] = "0";
  {
    ServeProcess p(dir_, env);
    ASSERT_NE(p.port(), 0) << p.Stderr();
    // A request, so the audit log and the job database's WAL exist.
    EXPECT_EQ(Request(p.port(), "POST", "/api/v1/scan", kKeyA, "{}").status, 202);
    EXPECT_EQ(Request(p.port(), "GET", "/health", "").status, 200);
    const auto data = dir_ / "data";
    std::vector<std::filesystem::path> seen;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
      seen.push_back(entry.path());
      const auto perms = entry.status().permissions();
      const auto others = std::filesystem::perms::group_all | std::filesystem::perms::others_all;
      EXPECT_EQ(perms & others, std::filesystem::perms::none)
          << entry.path() << " is open to other users";
    }
    EXPECT_EQ(std::filesystem::status(data).permissions() &
                  (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
    for (const char* name : {"jobs.db", "jobs.db-wal", "jobs.db-shm", "audit.log"}) {
      EXPECT_NE(std::find(seen.begin(), seen.end(), data / name), seen.end()) << name;
    }
    p.Signal(SIGTERM);
    EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 0);
  }
}

// A job database destroyed while the service was stopped is not mistaken for a new one.
TEST_F(ServeProcessTest, RefusesADamagedJobDatabaseUnlessToldToStartFresh) {
  auto env = Env("11111111-2222-3333-4444-555555555555");
  env["ATG_API_KEYS"] = kKeyA;
  env["ATG_MAX_CONCURRENT_JOBS"] = "0";
  std::string job;
  {
    ServeProcess p(dir_, env);
    ASSERT_NE(p.port(), 0) << p.Stderr();
    Reply r = Request(p.port(), "POST", "/api/v1/scan", kKeyA, "{}");
    ASSERT_EQ(r.status, 202);
    job = std::string(FindString(&(const json::object&)r.Json(), "job_id").value_or(""));
    p.Signal(SIGTERM);
    ASSERT_EQ(p.Wait(std::chrono::seconds(20)), 0);
  }
  const auto db = dir_ / "data" / "jobs.db";
  std::filesystem::resize_file(db, 0);  // truncated to nothing
  {
    ServeProcess p(dir_, env);
    EXPECT_EQ(p.port(), 0);
    EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 1);
    const std::string err = p.Stderr();
    EXPECT_NE(err.find("jobs.db is damaged"), std::string::npos) << err;
    EXPECT_NE(err.find("empty"), std::string::npos) << err;
    EXPECT_NE(err.find("ATG_JOB_DB_START_FRESH"), std::string::npos) << err;
    EXPECT_NE(err.find("backup"), std::string::npos) << err;
  }
  EXPECT_EQ(std::filesystem::file_size(db), 0u);  // left as it was found

  // Garbage instead of a database: refused too.
  std::ofstream(db, std::ios::trunc | std::ios::binary) << std::string(8192, 'x');
  {
    ServeProcess p(dir_, env);
    EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 1);
    EXPECT_NE(p.Stderr().find("not a SQLite database"), std::string::npos) << p.Stderr();
  }

  // Told to start fresh: the damaged file is kept aside and the service runs on an empty queue.
  env["ATG_JOB_DB_START_FRESH"] = "true";
  {
    ServeProcess p(dir_, env);
    ASSERT_NE(p.port(), 0) << p.Stderr();
    EXPECT_EQ(Request(p.port(), "GET", "/api/v1/jobs/" + job, kKeyA).status, 404);
    EXPECT_EQ(Request(p.port(), "POST", "/api/v1/scan", kKeyA, "{}").status, 202);
    EXPECT_NE(p.Stderr().find("moved aside"), std::string::npos) << p.Stderr();
    p.Signal(SIGTERM);
    EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 0);
  }
  int kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "data")) {
    if (entry.path().filename().string().starts_with("jobs.db.damaged-")) ++kept;
  }
  EXPECT_GE(kept, 1);
}

TEST_F(ServeProcessTest, SighupRotatesKeysWithoutDroppingConnections) {
  const auto keys = dir_ / "keys.txt";
  std::ofstream(keys) << "# current key\n" << kKeyA << "\n";
  auto env = Env("11111111-2222-3333-4444-555555555555");
  env["ATG_API_KEYS_FILE"] = keys.string();
  ServeProcess p(dir_, env);
  ASSERT_NE(p.port(), 0) << p.first_line() << p.Stderr();
  EXPECT_EQ(p.first_line(), "atg serve: listening on http://127.0.0.1:" + std::to_string(p.port()));

  Conn live(p.port());
  ASSERT_EQ(live.Do("GET", "/api/v1/jobs", kKeyA).status, 200);
  // A 401 closes its connection: ask on another one.
  EXPECT_EQ(Request(p.port(), "GET", "/api/v1/jobs", kKeyB).status, 401);

  // A bad reload (weak key) keeps the old keys and says why in the log.
  std::ofstream(keys, std::ios::trunc) << "weak\n";
  p.Signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(live.Do("GET", "/api/v1/jobs", kKeyA).status, 200);
  EXPECT_NE(p.Stderr().find("reload failed"), std::string::npos);

  std::ofstream(keys, std::ios::trunc) << kKeyB << "\n";
  p.Signal(SIGHUP);
  int a = 200;
  for (int i = 0; i < 100 && a == 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    a = live.Do("GET", "/api/v1/jobs", kKeyA).status;
  }
  EXPECT_EQ(a, 401);  // on the same, still open connection (which the 401 then closes)
  EXPECT_TRUE(live.ClosedWithin(std::chrono::seconds(2)));
  EXPECT_EQ(Request(p.port(), "GET", "/api/v1/jobs", kKeyB).status, 200);

  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(std::chrono::seconds(20)), 0);
  std::string err = p.Stderr();
  EXPECT_NE(err.find("API keys reloaded"), std::string::npos);
  for (const std::string& k : {kKeyA, kKeyB}) EXPECT_EQ(err.find(k), std::string::npos);
}

// The simulator, and the variables that point `atg serve` at it.
struct SimEnv {
  std::unique_ptr<sim::Simulator> sim;
  std::map<std::string, std::string> env;
};

SimEnv StartSimulator(const std::filesystem::path& dir, int resources, int latency_ms,
                      std::map<std::string, std::string> secrets = {}) {
  SimEnv s;
  sim::SimulatorOptions o;
  o.key_vault_secrets = std::move(secrets);
  o.generator.seed = 5;
  o.generator.resources = resources;
  o.generator.users = 20;
  o.generator.groups = 4;
  o.throttle = sim::ThrottleMode::kOff;
  o.latency_ms = latency_ms;
  auto created = sim::Simulator::Create(o);
  EXPECT_TRUE(created.ok());
  s.sim = std::move(*created);
  EXPECT_TRUE(s.sim->Start().ok());
  const auto env_file = dir / "sim.env";
  EXPECT_TRUE(s.sim->WriteEnvFile(env_file.string()).ok());
  auto parsed = ParseDotEnv(ReadFile(env_file), "sim.env");
  EXPECT_TRUE(parsed.ok());
  s.env = *parsed;
  return s;
}

TEST_F(ServeProcessTest, ScanJobEndToEndAgainstTheSimulator) {
  // The keys come from the simulator's Key Vault, read with the service's credential chain.
  SimEnv sim = StartSimulator(dir_, 150, 0, {{"api-keys", kKeyA + ",\n" + kKeyB}});
  auto env = Env(sim.sim->credentials().tenant_id);
  for (auto& [k, v] : sim.env) env[k] = v;
  env["AZURE_KEY_VAULT_NAME"] = "atg-test-vault";
  ServeProcess p(dir_, env);
  ASSERT_NE(p.port(), 0) << p.first_line() << p.Stderr();

  EXPECT_EQ(Request(p.port(), "GET", "/api/v1/jobs", kKeyB).status, 200);
  Reply r = Request(p.port(), "POST", "/api/v1/scan", kKeyA, R"({"no_aad":false})");
  ASSERT_EQ(r.status, 202) << r.body;
  auto o = r.Json();
  const std::string id(FindString(&o, "job_id").value_or(""));
  EXPECT_EQ(WaitForState(p.port(), id, kKeyA, {"completed", "failed"}), "completed")
      << Request(p.port(), "GET", "/api/v1/jobs/" + id, kKeyA).body;
  r = Request(p.port(), "GET", "/api/v1/jobs/" + id + "/result", kKeyA);
  ASSERT_EQ(r.status, 200) << r.body;
  auto result = r.Json();
  const json::object* summary = FindObject(&result, "result");
  ASSERT_NE(summary, nullptr);
  EXPECT_EQ(FindInt(summary, "resources").value_or(-1),
            static_cast<int64_t>(sim.sim->tenant().resources.size()));
  EXPECT_EQ(FindInt(summary, "users").value_or(-1),
            static_cast<int64_t>(sim.sim->tenant().users.size()));
  EXPECT_EQ(FindString(summary, "tenant_id").value_or(""), sim.sim->credentials().tenant_id);

  // Progress was streamed: the history has progress events and ends completed.
  r = Request(p.port(), "GET", "/api/v1/jobs/" + id + "/events", kKeyA);
  auto frames = testing::ParseSse(r.body);
  ASSERT_FALSE(frames.empty());
  EXPECT_NE(frames.back().data.find("completed"), std::string::npos);
  bool progress = false;
  for (const auto& f : frames) progress |= f.event == "progress";
  EXPECT_TRUE(progress);

  // Terraform generated from the stored graph, downloaded as the job's artifact.
  r = Request(p.port(), "POST", "/api/v1/generate-iac", kKeyA, R"({"format":"terraform"})");
  ASSERT_EQ(r.status, 202) << r.body;
  auto gen = r.Json();
  const std::string gid(FindString(&gen, "job_id").value_or(""));
  EXPECT_EQ(WaitForState(p.port(), gid, kKeyA, {"completed", "failed"}), "completed")
      << Request(p.port(), "GET", "/api/v1/jobs/" + gid, kKeyA).body;
  r = Request(p.port(), "GET", "/api/v1/jobs/" + gid + "/result", kKeyA);
  auto gres = r.Json();
  const json::object* gsum = FindObject(&gres, "result");
  ASSERT_NE(gsum, nullptr) << r.body;
  EXPECT_EQ(FindString(gsum, "format").value_or(""), "terraform");
  EXPECT_GT(FindInt(gsum, "resources_emitted").value_or(0), 0);
  r = Request(p.port(), "GET", "/api/v1/jobs/" + gid + "/artifacts", kKeyA);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Header("Repr-Digest"));
  const auto archive = dir_ / "out.tar.gz";
  std::ofstream(archive, std::ios::binary) << r.body;
  auto extracted = jobs::ExtractTarGz(archive.string(), (dir_ / "out").string());
  ASSERT_TRUE(extracted.ok()) << extracted.status().message();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "providers.tf"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "README.md"));

  // The scan's Azure traffic shows in the service metrics.
  r = Request(p.port(), "GET", "/metrics", kKeyA);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("atg_azure_requests_total{api=\"arm\",status=\"200\"}"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("atg_job_execution_duration_seconds_count{job_type=\"scan\"} 1"),
            std::string::npos);

  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(std::chrono::seconds(30)), 0);

  // The graph is stored where `atg graph stats` finds it.
  std::string cmd = "ATG_DATA_DIR='" + (dir_ / "data").string() + "' AZURE_TENANT_ID='" +
                    sim.sim->credentials().tenant_id +
                    "' '" ATG_BINARY "' graph stats --json 2>/dev/null";
  FILE* f = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  auto stats = ParseJson(out);
  ASSERT_TRUE(stats.ok()) << out;
  EXPECT_EQ(FindInt(&stats->as_object(), "resources").value_or(-1),
            static_cast<int64_t>(sim.sim->tenant().resources.size()))
      << out;

  // No key and no client secret anywhere in the service log or the audit trail.
  std::string err = p.Stderr();
  std::string audit = ReadFile(dir_ / "data" / "audit.log");
  EXPECT_FALSE(audit.empty());
  for (const std::string& secret : {kKeyA, kKeyB, sim.sim->credentials().client_secret}) {
    EXPECT_EQ(err.find(secret), std::string::npos);
    EXPECT_EQ(audit.find(secret), std::string::npos);
  }
}

TEST_F(ServeProcessTest, SigtermDrainsAndHandsTheRunningJobBack) {
  // A slow simulator keeps the scan running long enough to interrupt it.
  SimEnv sim = StartSimulator(dir_, 400, 150);
  auto env = Env(sim.sim->credentials().tenant_id);
  for (auto& [k, v] : sim.env) env[k] = v;
  env["ATG_API_KEYS"] = kKeyA;
  ServeProcess p(dir_, env);
  ASSERT_NE(p.port(), 0) << p.first_line() << p.Stderr();
  Reply r = Request(p.port(), "POST", "/api/v1/scan", kKeyA, "{}");
  ASSERT_EQ(r.status, 202) << r.body;
  auto o = r.Json();
  const std::string id(FindString(&o, "job_id").value_or(""));
  ASSERT_EQ(WaitForState(p.port(), id, kKeyA, {"running", "completed"}), "running");
  p.Signal(SIGTERM);
  EXPECT_EQ(p.Wait(std::chrono::seconds(30)), 0) << p.Stderr();

  // The job is back in the queue (or it managed to finish): never lost, never stuck running.
  std::map<std::string, std::string> store_env = {{"ATG_DATA_DIR", (dir_ / "data").string()}};
  auto store = jobs::OpenJobStore(Settings::FromMaps(store_env, {}));
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto job = (*store)->Get(id);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(job->has_value());
  EXPECT_TRUE((*job)->state == jobs::JobState::kPending ||
              (*job)->state == jobs::JobState::kCompleted)
      << jobs::JobStateName((*job)->state);
}

// `atg doctor` and `atg serve` read the store settings with the same functions: for each
// configuration, a store doctor calls invalid makes serve refuse to start with exit 2, one that
// doctor cannot reach makes serve refuse (the job queue) or report it disconnected on /health
// (Neo4j, which serve does not need to start), and one doctor calls fine serve accepts.
TEST_F(ServeProcessTest, DoctorAndServeGiveTheSameVerdictOnStoreSettings) {
  const std::string closed = "127.0.0.1:9";  // the discard port: nothing listens there
  struct Case {
    std::string name;
    std::map<std::string, std::string> vars;
    std::string store;          // doctor's JSON section: "redis", "neo4j" or "data_dir"
    std::string doctor_status;  // ok | failed | invalid | not_configured
    int serve_exit;             // -1: serve starts
    std::string serve_says;     // in serve's stderr when it refuses, else in /health's store status
  };
  std::vector<Case> cases = {
      {"nothing configured", {}, "redis", "not_configured", -1, "not_configured"},
      {"rediss",
       {{"REDIS_URL", "rediss://:tls-pw-8812@" + closed}},
       "redis",
       "invalid",
       2,
       "rediss://"},
      {"bad redis port",
       {{"REDIS_URL", "redis://:pw-8812@127.0.0.1:notaport"}},
       "redis",
       "invalid",
       2,
       "REDIS_URL"},
      {"unreachable redis",
       {{"REDIS_URL", "redis://" + closed + "/0"}},
       "redis",
       "failed",
       1,
       "Queue connection failed"},
      {"neo4j over tls",
       {{"NEO4J_URI", "bolt+s://db.example"}},
       "neo4j",
       "invalid",
       2,
       "NEO4J_URI"},
      {"bad neo4j port",
       {{"NEO4J_URI", "bolt://127.0.0.1"}, {"NEO4J_PORT", "x"}},
       "neo4j",
       "invalid",
       2,
       "NEO4J_PORT"},
      {"unreachable neo4j",
       {{"NEO4J_URI", "bolt://" + closed}},
       "neo4j",
       "failed",
       -1,
       "disconnected: "},
  };
  const std::string auth_url = testing::ServiceEnv("ATG_TEST_REDIS_AUTH_URL");
  const std::string password = testing::ServiceEnv("ATG_TEST_REDIS_PASSWORD");
  if (!auth_url.empty() && !password.empty()) {
    // The password only in REDIS_PASSWORD: doctor and the job store both use it.
    cases.push_back(
        {"REDIS_PASSWORD",
         {{"REDIS_URL", auth_url},
          {"REDIS_PASSWORD", password},
          {"ATG_REDIS_KEY_PREFIX", "atgtest:agree:" + std::to_string(::getpid()) + ":"}},
         "redis",
         "ok",
         -1,
         "connected"});
  } else if (!testing::ServicesOptional()) {
    ADD_FAILURE() << "ATG_TEST_REDIS_AUTH_URL / ATG_TEST_REDIS_PASSWORD are not set: start the "
                     "test services (tests/services/all.sh start) and source services.env";
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto env = Env("11111111-2222-3333-4444-555555555555");
    env["ATG_API_KEYS"] = kKeyA;
    env["ATG_MAX_CONCURRENT_JOBS"] = "0";
    env["ATG_IMDS_ENDPOINT"] = "http://" + closed;  // no managed identity here: fail fast
    for (const auto& [k, v] : c.vars) env[k] = v;

    std::vector<std::string> doctor_env = {"HOME=" + dir_.string(), "PATH=/usr/bin:/bin"};
    for (const auto& [k, v] : env) doctor_env.push_back(k + "=" + v);
    auto doctor = RunProcess({ATG_BINARY, "doctor", "--json", "--timeout", "2"},
                             std::chrono::seconds(60), 1 << 20, &doctor_env);
    ASSERT_TRUE(doctor.ok()) << doctor.status().ToString();
    auto report = ParseJson(doctor->out);
    ASSERT_TRUE(report.ok() && report->is_object()) << doctor->out << doctor->err;
    const json::object* store = FindObject(&report->as_object(), c.store);
    ASSERT_NE(store, nullptr) << doctor->out;
    EXPECT_EQ(FindString(store, "status").value_or(""), c.doctor_status) << doctor->out;
    if (c.doctor_status == "invalid") EXPECT_EQ(doctor->exit_code, 2) << doctor->out;
    if (c.doctor_status == "failed") EXPECT_EQ(doctor->exit_code, 1) << doctor->out;

    ServeProcess serve(dir_, env);
    if (c.serve_exit >= 0) {
      EXPECT_EQ(serve.port(), 0) << serve.first_line();
      EXPECT_EQ(serve.Wait(std::chrono::seconds(30)), c.serve_exit) << serve.Stderr();
      EXPECT_NE(serve.Stderr().find(c.serve_says), std::string::npos) << serve.Stderr();
      // Serve refused a store doctor did not call fine.
      EXPECT_NE(c.doctor_status, "ok");
    } else {
      ASSERT_NE(serve.port(), 0) << serve.Stderr();
      auto health = Request(serve.port(), "GET", "/health", "").Json();
      const std::string status = std::string(
          FindString(&health, c.store == "redis" ? "redis_status" : "neo4j_status").value_or(""));
      EXPECT_EQ(status.rfind(c.serve_says, 0), 0u) << json::serialize(health);
      // Doctor's verdict and /health's agree: fine is connected, failed is disconnected.
      EXPECT_EQ(c.doctor_status == "ok", status == "connected") << status;
      serve.Signal(SIGTERM);
      EXPECT_EQ(serve.Wait(std::chrono::seconds(20)), 0);
    }
    for (const std::string& secret : {std::string("tls-pw-8812"), std::string("pw-8812"),
                                      password.empty() ? std::string("\x01") : password}) {
      EXPECT_EQ((doctor->out + doctor->err + serve.Stderr()).find(secret), std::string::npos)
          << "a password leaked";
    }
  }
}

}  // namespace
}  // namespace atg
