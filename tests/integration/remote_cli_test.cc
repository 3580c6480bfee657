// `atg ... --remote` and `atg jobs` against the real `atg serve` binary, which scans the
// simulator: the client-server path end to end, through the same binary on both sides.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include "common/config.h"
#include "common/json.h"
#include "common/subprocess.h"
#include "serve_testing.h"
#include "service_env.h"
#include "sim/simulator.h"

namespace atg {
namespace {

using testing::kKeyA;
using testing::kKeyB;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class RemoteCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("atg_remote_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (serve_pid_ > 0) {
      ::kill(serve_pid_, SIGKILL);
      ::waitpid(serve_pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }

  // Starts `atg serve` on a free port with `env` (and nothing else of ours from the
  // environment); returns its base URL.
  std::string StartServe(const std::map<std::string, std::string>& env) {
    std::string assignments;
    for (const auto& [k, v] : env) assignments += k + "='" + v + "' ";
    const auto out = dir_ / "serve.out";
    std::string cmd = "env -i PATH=\"$PATH\" HOME=\"$HOME\" " + assignments + "'" +
                      std::string(ATG_BINARY) + "' serve --host 127.0.0.1 --port 0 >'" +
                      out.string() + "' 2>'" + (dir_ / "serve.err").string() + "' & echo $!";
    FILE* f = popen(cmd.c_str(), "r");
    char buf[64] = {0};
    if (fgets(buf, sizeof buf, f) != nullptr) serve_pid_ = std::atoi(buf);
    pclose(f);
    for (int i = 0; i < 500; ++i) {
      std::string text = testing::ReadWholeFile(out);
      size_t at = text.find("listening on ");
      if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
        std::string url = text.substr(at + 13, text.find('\n', at) - at - 13);
        return url;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "atg serve did not start: " << testing::ReadWholeFile(dir_ / "serve.err");
    return "";
  }

  // Runs the client `atg` with only the remote variables (no Azure credentials: the work must
  // happen on the service).
  CliRun Atg(const std::string& args, const std::string& url, const std::string& key) {
    std::string cmd = "cd '" + dir_.string() + "' && env -i PATH=\"$PATH\" HOME=\"$HOME\" " +
                      "ATG_SERVICE_URL='" + url + "' ATG_API_KEY='" + key +
                      "' ATG_JOB_POLL_INTERVAL=0.1 ATG_DATA_DIR='" + (dir_ / "client").string() +
                      "' '" + std::string(ATG_BINARY) + "' " + args + " 2>'" +
                      (dir_ / "client.err").string() + "'";
    CliRun r;
    FILE* f = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) r.out.append(buf, n);
    int status = pclose(f);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = testing::ReadWholeFile(dir_ / "client.err");
    return r;
  }

  std::filesystem::path dir_;
  pid_t serve_pid_ = -1;
};

TEST_F(RemoteCliTest, ScanAndGenerateIacRunOnTheServiceAndJobsCommandsSeeThem) {
  sim::SimulatorOptions o;
  o.generator.seed = 9;
  o.generator.resources = 120;
  o.generator.users = 10;
  o.generator.groups = 3;
  o.throttle = sim::ThrottleMode::kOff;
  auto sim = sim::Simulator::Create(o);
  ASSERT_TRUE(sim.ok());
  ASSERT_TRUE((*sim)->Start().ok());
  const auto env_file = dir_ / "sim.env";
  ASSERT_TRUE((*sim)->WriteEnvFile(env_file.string()).ok());
  auto sim_env = ParseDotEnv(testing::ReadWholeFile(env_file), "sim.env");
  ASSERT_TRUE(sim_env.ok());
  std::map<std::string, std::string> env = *sim_env;
  const std::string tenant = (*sim)->credentials().tenant_id;
  env["ATG_TARGET_TENANT_ID"] = tenant;
  env["ATG_DATA_DIR"] = (dir_ / "service").string();
  env["ATG_API_KEYS"] = kKeyA + "," + kKeyB;
  const std::string url = StartServe(env);
  ASSERT_FALSE(url.empty());

  // The scan runs on the service; the client prints the same summary a local scan prints.
  CliRun scan = Atg("scan --remote --json --tenant-id " + tenant, url, kKeyA);
  ASSERT_EQ(scan.exit_code, 0) << scan.err;
  auto summary = ParseJson(scan.out);
  ASSERT_TRUE(summary.ok()) << scan.out;
  EXPECT_EQ(FindInt(&summary->as_object(), "resources").value_or(-1),
            static_cast<int64_t>((*sim)->tenant().resources.size()));
  EXPECT_NE(scan.err.find("submitted job job_"), std::string::npos) << scan.err;
  // Nothing was stored on the client's side.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "client" / "tenants"));

  // IaC generated remotely lands, unpacked and verified, in --output.
  CliRun gen =
      Atg("generate-iac --remote --json --format arm --tenant-id " + tenant + " --output arm-out",
          url, kKeyA);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "arm-out" / "azuredeploy.json")) << gen.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "arm-out" / "README.md"));
  auto gsum = ParseJson(gen.out);
  ASSERT_TRUE(gsum.ok()) << gen.out;
  EXPECT_EQ(FindString(&gsum->as_object(), "format").value_or(""), "arm");
  // A second run into the same directory is refused without --force.
  CliRun again = Atg(
      "generate-iac --remote --format arm --tenant-id " + tenant + " --output arm-out", url, kKeyA);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;

  // atg jobs: the key's own jobs only.
  CliRun list = Atg("jobs list --json", url, kKeyA);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  auto page = ParseJson(list.out);
  ASSERT_TRUE(page.ok()) << list.out;
  const json::array* jobs = FindArray(&page->as_object(), "jobs");
  ASSERT_NE(jobs, nullptr);
  EXPECT_EQ(jobs->size(), 3u);
  std::string scan_id;
  for (const auto& j : *jobs)
    if (FindString(&j.as_object(), "type").value_or("") == "scan")
      scan_id = std::string(FindString(&j.as_object(), "job_id").value_or(""));
  ASSERT_FALSE(scan_id.empty()) << list.out;
  CliRun other = Atg("jobs list --json", url, kKeyB);
  auto other_page = ParseJson(other.out);
  ASSERT_TRUE(other_page.ok()) << other.out << other.err;
  EXPECT_TRUE(FindArray(&other_page->as_object(), "jobs")->empty());
  CliRun foreign = Atg("jobs show " + scan_id, url, kKeyB);
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("404"), std::string::npos) << foreign.err;

  CliRun show = Atg("jobs show --json " + scan_id, url, kKeyA);
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("completed"), std::string::npos);
  CliRun logs = Atg("jobs logs " + scan_id, url, kKeyA);
  ASSERT_EQ(logs.exit_code, 0) << logs.err;
  EXPECT_NE(logs.out.find("completed"), std::string::npos) << logs.out;
  CliRun cancel = Atg("jobs cancel " + scan_id, url, kKeyA);
  EXPECT_EQ(cancel.exit_code, 1);  // already completed: 409
  EXPECT_NE(cancel.err.find("409"), std::string::npos) << cancel.err;

  // A wrong key is refused with advice; the key never shows.
  CliRun bad = Atg("jobs list", url, "kz-00000000000000000000000000000000");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("ATG_API_KEY"), std::string::npos) << bad.err;
  for (const CliRun* r : {&scan, &gen, &list, &show, &logs, &bad}) {
    EXPECT_EQ(r->err.find(kKeyA), std::string::npos);
    EXPECT_EQ(r->out.find(kKeyA), std::string::npos);
  }
  EXPECT_EQ(testing::ReadWholeFile(dir_ / "serve.err").find(kKeyA), std::string::npos);
}

TEST_F(RemoteCliTest, UnreachableServiceFailsOrFallsBackToLocal) {
  CliRun r = Atg("jobs list", "http://127.0.0.1:1", kKeyA);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("ATG_SERVICE_URL"), std::string::npos) << r.err;
  r = Atg("scan --remote --tenant-id 11111111-1111-1111-1111-111111111111", "http://127.0.0.1:1",
          kKeyA);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot reach the ATG service"), std::string::npos) << r.err;
  r = Atg("jobs show not-a-job", "http://127.0.0.1:1", kKeyA);
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace atg
