// Job queue throughput: 1,000 trivial jobs submitted and completed through each backend.
//
//   job_queue_bench [--jobs N] [--workers W] [--backend sqlite|redis|all]
//
// Two runs per backend: "store" (W threads loop ClaimNext + Finish on one store, measuring each
// claim) and "runner" (a JobRunner with W workers and an executor that returns at once).
// Redis: uses ATG_BENCH_REDIS_URL or ATG_TEST_REDIS_URL when set, otherwise starts
// `redis-server` (Debian package redis-server) on a free 127.0.0.1 port for the run and stops it
// afterwards. Keys go under a fresh prefix, so a shared Redis is not disturbed.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/temp_dir.h"
#include "jobs/job.h"
#include "jobs/job_runner.h"
#include "jobs/redis_job_store.h"
#include "jobs/sqlite_job_store.h"

using namespace atg;
using namespace atg::jobs;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  int jobs = 1000;
  int workers = 4;
  std::string backend = "all";
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

bool Submit(JobStore* store, int n, const char* label) {
  for (int i = 0; i < n; ++i) {
    Job job;
    job.id = NewJobId();
    job.type = "noop";
    job.owner = "bench";
    Status s = store->Create(job, 0);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: submit failed: %s\n", label, s.ToString().c_str());
      return false;
    }
  }
  return true;
}

void StoreRun(JobStore* store, const Options& o, const char* label) {
  auto t0 = Clock::now();
  if (!Submit(store, o.jobs, label)) return;
  auto t1 = Clock::now();
  std::mutex mu;
  std::vector<double> claims;
  std::atomic<int> done{0}, errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < o.workers; ++w) {
    threads.emplace_back([&, w] {
      std::string worker = "bench-w" + std::to_string(w);
      std::vector<double> mine;
      while (true) {
        auto c0 = Clock::now();
        auto j = store->ClaimNext(worker, std::chrono::milliseconds(30000));
        mine.push_back(Ms(Clock::now() - c0));
        if (!j.ok()) {
          ++errors;
          continue;
        }
        if (!j->has_value()) break;
        if (!store->Finish((*j)->id, worker, JobState::kCompleted, {}, "", "", "").ok()) ++errors;
        ++done;
      }
      std::lock_guard lock(mu);
      claims.insert(claims.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  auto t2 = Clock::now();
  std::printf(
      "%-7s store : %d jobs, %d workers: submit %.0f jobs/s, claim+finish %.0f jobs/s, "
      "end-to-end %.0f jobs/s; claim latency p50 %.2f ms p99 %.2f ms; errors %d\n",
      label, done.load(), o.workers, o.jobs / (Ms(t1 - t0) / 1000), done / (Ms(t2 - t1) / 1000),
      done / (Ms(t2 - t0) / 1000), Percentile(claims, 0.5), Percentile(claims, 0.99),
      errors.load());
}

void RunnerRun(JobStore* store, const Options& o, const char* label) {
  JobRunnerOptions ro;
  ro.workers = o.workers;
  ro.idle_poll_min = std::chrono::milliseconds(5);
  ro.idle_poll_max = std::chrono::milliseconds(50);
  std::atomic<int> done{0};
  JobRunner runner(store, ro);
  runner.Register("noop", [&](const Job&, JobContext&) -> Result<JobOutcome> {
    ++done;
    return JobOutcome{};
  });
  auto t0 = Clock::now();
  if (!Submit(store, o.jobs, label)) return;
  if (!runner.Start().ok()) return;
  auto give_up = Clock::now() + std::chrono::seconds(120);
  while (done.load() < o.jobs && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  runner.Shutdown(std::chrono::milliseconds(5000));
  auto t1 = Clock::now();
  std::printf("%-7s runner: %d jobs, %d workers: submit-to-done %.0f jobs/s (%.0f ms)\n", label,
              done.load(), o.workers, done / (Ms(t1 - t0) / 1000), Ms(t1 - t0));
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Starts a throw-away redis-server; returns its pid (0 on failure) and sets `url`.
pid_t StartRedis(std::string* url) {
  int port = FreePort();
  std::string port_text = std::to_string(port);
  pid_t pid = fork();
  if (pid == 0) {
    int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) {
      dup2(null_fd, STDOUT_FILENO);
      dup2(null_fd, STDERR_FILENO);
    }
    execlp("redis-server", "redis-server", "--port", port_text.c_str(), "--bind", "127.0.0.1",
           "--save", "", "--appendonly", "no", "--loglevel", "warning", nullptr);
    _exit(127);
  }
  if (pid < 0) return 0;
  *url = "redis://127.0.0.1:" + port_text;
  for (int i = 0; i < 100; ++i) {
    RedisJobStoreOptions o;
    o.url = *url;
    if (OpenRedisJobStore(o).ok()) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--jobs")
      o.jobs = std::atoi(argv[i + 1]);
    else if (flag == "--workers")
      o.workers = std::atoi(argv[i + 1]);
    else if (flag == "--backend")
      o.backend = argv[i + 1];
  }
  InitLogging(LogFormat::kText, LogLevel::kError);

  if (o.backend == "all" || o.backend == "sqlite") {
    TempDir dir("atg-jobbench-");
    if (!dir.ok()) {
      std::fprintf(stderr, "sqlite: %s\n", dir.status().ToString().c_str());
      return 1;
    }
    for (const char* mode : {"store", "runner"}) {
      auto store = OpenSqliteJobStore(dir.File(std::string(mode) + ".db"));
      if (!store.ok()) {
        std::fprintf(stderr, "sqlite: %s\n", store.status().ToString().c_str());
        return 1;
      }
      if (std::string(mode) == "store")
        StoreRun(store->get(), o, "sqlite");
      else
        RunnerRun(store->get(), o, "sqlite");
    }
  }

  if (o.backend == "all" || o.backend == "redis") {
    std::string url;
    pid_t server = 0;
    for (const char* var : {"ATG_BENCH_REDIS_URL", "ATG_TEST_REDIS_URL"}) {
      if (const char* v = std::getenv(var); v != nullptr && *v != '\0' && url.empty()) url = v;
    }
    if (url.empty()) {
      server = StartRedis(&url);
      if (server == 0) {
        std::fprintf(stderr,
                     "redis: could not start redis-server (install the Debian package "
                     "redis-server, or set ATG_BENCH_REDIS_URL)\n");
        return 1;
      }
    }
    for (const char* mode : {"store", "runner"}) {
      RedisJobStoreOptions ro;
      ro.url = url;
      ro.key_prefix = "atgbench:" + NewJobId().substr(4, 12) + ":";
      auto store = OpenRedisJobStore(ro);
      if (!store.ok()) {
        std::fprintf(stderr, "redis: %s\n", store.status().ToString().c_str());
        break;
      }
      if (std::string(mode) == "store")
        StoreRun(store->get(), o, "redis");
      else
        RunnerRun(store->get(), o, "redis");
    }
    if (server != 0) {
      kill(server, SIGTERM);
      waitpid(server, nullptr, 0);
    }
  }
  return 0;
}
