#include "cli/remote_run.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "azure/http_transport.h"
#include "client/remote_client.h"
#include "common/log.h"

namespace atg::cli {
namespace {

std::atomic<bool> g_remote_interrupted{false};
extern "C" void OnRemoteInterrupt(int) { g_remote_interrupted.store(true); }

std::string ProgressLine(const client::RemoteJob& job) {
  std::string line = job.status;
  if (auto phase = FindString(&job.progress, "phase")) line += " · " + std::string(*phase);
  if (const json::value* pct = job.progress.if_contains("percent"); pct && pct->is_number())
    line += " · " + std::to_string(static_cast<int>(pct->to_number<double>())) + "%";
  if (auto msg = FindString(&job.progress, "message"); msg && !msg->empty())
    line += " · " + std::string(*msg);
  return line;
}

int ExitCodeFor(const Status& s) { return s.code() == StatusCode::kInvalidArgument ? 2 : 1; }

}  // namespace

int RunRemote(CliContext& ctx, const RemoteRun& run) {
  SetUpCliLogging(ctx);
  auto settings = client::RemoteSettings::Load(ctx.settings);
  if (!settings.ok()) {
    std::fprintf(stderr, "%s: %s\n", run.program, settings.status().message().c_str());
    return 2;
  }
  azure::CurlTransport transport;
  client::RemoteClient remote(*settings, &transport);

  auto id = remote.Submit(run.kind, run.body);
  if (!id.ok()) {
    bool unreachable = id.status().code() == StatusCode::kUnavailable ||
                       id.status().code() == StatusCode::kDeadlineExceeded;
    if (unreachable && settings->fallback_to_local) {
      std::fprintf(stderr, "%s: %s; ATG_FALLBACK_TO_LOCAL=true, running locally\n", run.program,
                   id.status().message().c_str());
      return -1;
    }
    std::fprintf(stderr, "%s: %s\n", run.program, id.status().message().c_str());
    return ExitCodeFor(id.status());
  }
  std::fprintf(stderr, "%s: submitted job %s to %s\n", run.program, id->c_str(),
               settings->service_url.c_str());

  g_remote_interrupted = false;
  auto old_int = std::signal(SIGINT, OnRemoteInterrupt);
  auto old_term = std::signal(SIGTERM, OnRemoteInterrupt);
  std::stop_source stop;
  std::jthread watcher([&](std::stop_token done) {
    while (!done.stop_requested()) {
      if (g_remote_interrupted.load()) {
        stop.request_stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  std::string last_line;
  auto job = remote.WaitForJob(*id, stop.get_token(), [&](const client::RemoteJob& j) {
    std::string line = ProgressLine(j);
    if (line != last_line)
      std::fprintf(stderr, "%s: job %s: %s\n", run.program, id->c_str(), line.c_str());
    last_line = line;
  });
  watcher.request_stop();
  watcher.join();
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);

  if (!job.ok()) {
    if (job.status().code() == StatusCode::kCancelled) {
      Status c = remote.Cancel(*id);
      std::fprintf(stderr, "%s: interrupted; %s\n", run.program,
                   c.ok() ? ("cancelled job " + *id).c_str()
                          : ("could not cancel job " + *id + ": " + c.message()).c_str());
      return 1;
    }
    std::fprintf(stderr, "%s: %s\n", run.program, job.status().message().c_str());
    return 1;
  }
  if (job->status != "completed") {
    std::fprintf(stderr, "%s: job %s %s%s%s\n", run.program, id->c_str(), job->status.c_str(),
                 job->error.empty() ? "" : ": ", job->error.c_str());
    return 1;
  }
  auto result = remote.GetResult(*id);
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", run.program, result.status().message().c_str());
    return 1;
  }
  if (run.on_completed) return run.on_completed(*id, *result);
  if (run.json) {
    std::printf("%s\n", json::serialize(*result).c_str());
  } else {
    std::printf("job %s completed\n", id->c_str());
    for (const auto& [k, v] : *result) {
      if (v.is_object() || v.is_array()) continue;
      std::printf("  %-24s %s\n", std::string(k).c_str(), json::serialize(v).c_str());
    }
  }
  std::fflush(stdout);
  const json::array* failed = FindArray(&*result, "failed_scopes");
  return failed != nullptr && !failed->empty() ? 3 : 0;
}

}  // namespace atg::cli
