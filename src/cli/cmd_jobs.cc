// `atg jobs list|show|cancel|logs|download`: the caller's jobs on the ATG service.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "azure/http_transport.h"
#include "cli/commands.h"
#include "client/remote_client.h"
#include "common/json.h"

namespace atg::cli {
namespace {

struct JobsFlags {
  std::string id;
  std::string state;
  std::string type;
  std::string cursor;
  int limit = 50;
  bool json = false;
  bool follow = false;
  std::string output;
};

std::atomic<bool> g_jobs_interrupted{false};
extern "C" void OnJobsInterrupt(int) { g_jobs_interrupted.store(true); }

int Fail(const char* program, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", program, s.message().c_str());
  return s.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

// Runs `body` with a connected client, or reports why there is none (exit 2).
template <typename F>
int WithClient(CliContext& ctx, const char* program, F body) {
  SetUpCliLogging(ctx);
  auto settings = client::RemoteSettings::Load(ctx.settings);
  if (!settings.ok()) {
    std::fprintf(stderr, "%s: %s\n", program, settings.status().message().c_str());
    return 2;
  }
  azure::CurlTransport transport;
  client::RemoteClient remote(*settings, &transport);
  return body(remote);
}

std::string Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return "-";
  if (v->is_string()) return std::string(v->as_string());
  return json::serialize(*v);
}

int List(CliContext& ctx, const JobsFlags& f) {
  return WithClient(ctx, "atg jobs list", [&](client::RemoteClient& remote) {
    auto page = remote.ListJobs(f.state, f.type, f.cursor, f.limit);
    if (!page.ok()) return Fail("atg jobs list", page.status());
    if (f.json) {
      std::printf("%s\n", json::serialize(*page).c_str());
      return 0;
    }
    std::printf("%-36s  %-12s  %-10s  %s\n", "JOB", "TYPE", "STATUS", "CREATED");
    if (const json::array* jobs = FindArray(&*page, "jobs")) {
      for (const auto& j : *jobs) {
        if (!j.is_object()) continue;
        const auto& o = j.as_object();
        std::string id = Field(o, "job_id");
        if (id == "-") id = Field(o, "id");
        std::string status = Field(o, "status");
        if (status == "-") status = Field(o, "state");
        std::printf("%-36s  %-12s  %-10s  %s\n", id.c_str(), Field(o, "type").c_str(),
                    status.c_str(), Field(o, "created_at").c_str());
      }
    }
    if (auto next = FindString(&*page, "next_cursor"); next && !next->empty())
      std::printf("more: atg jobs list --cursor %s\n", std::string(*next).c_str());
    return 0;
  });
}

int Show(CliContext& ctx, const JobsFlags& f) {
  return WithClient(ctx, "atg jobs show", [&](client::RemoteClient& remote) {
    auto job = remote.GetJob(f.id);
    if (!job.ok()) return Fail("atg jobs show", job.status());
    if (f.json) {
      std::printf("%s\n", json::serialize(job->raw).c_str());
      return 0;
    }
    for (const auto& [k, v] : job->raw)
      std::printf("%-16s %s\n", std::string(k).c_str(),
                  v.is_string() ? std::string(v.as_string()).c_str() : json::serialize(v).c_str());
    return 0;
  });
}

int Cancel(CliContext& ctx, const JobsFlags& f) {
  return WithClient(ctx, "atg jobs cancel", [&](client::RemoteClient& remote) {
    Status s = remote.Cancel(f.id);
    if (!s.ok()) return Fail("atg jobs cancel", s);
    std::fprintf(stderr, "atg jobs cancel: cancellation of %s requested\n", f.id.c_str());
    return 0;
  });
}

int Logs(CliContext& ctx, const JobsFlags& f) {
  return WithClient(ctx, "atg jobs logs", [&](client::RemoteClient& remote) {
    g_jobs_interrupted = false;
    auto old_int = std::signal(SIGINT, OnJobsInterrupt);
    std::stop_source stop;
    std::jthread watcher([&](std::stop_token done) {
      while (!done.stop_requested() && !g_jobs_interrupted.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (g_jobs_interrupted.load()) stop.request_stop();
    });
    std::string last_id;
    Status s = remote.StreamEvents(f.id, "", stop.get_token(), [&](const client::RemoteEvent& e) {
      last_id = e.id;
      std::printf("%s %s %s\n", e.id.c_str(), e.event.c_str(), e.data.c_str());
      std::fflush(stdout);
      return true;
    });
    watcher.request_stop();
    watcher.join();
    std::signal(SIGINT, old_int);
    if (!s.ok() && s.code() != StatusCode::kCancelled) return Fail("atg jobs logs", s);
    return 0;
  });
}

int Download(CliContext& ctx, const JobsFlags& f) {
  return WithClient(ctx, "atg jobs download", [&](client::RemoteClient& remote) {
    std::string path = f.output.empty() ? f.id + ".tar.gz" : f.output;
    auto d = remote.DownloadArtifact(f.id, path);
    if (!d.ok()) return Fail("atg jobs download", d.status());
    std::fprintf(
        stderr, "atg jobs download: %s (%lld bytes%s, sha256 %s)\n", path.c_str(),
        static_cast<long long>(d->bytes),
        d->resumed_from > 0 ? (", resumed at " + std::to_string(d->resumed_from)).c_str() : "",
        d->sha256.c_str());
    return 0;
  });
}

}  // namespace

void AddJobsCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<JobsFlags>();
  auto* jobs = app.add_subcommand("jobs", "Your jobs on the ATG service (ATG_SERVICE_URL)");
  jobs->require_subcommand(1);

  auto* list = jobs->add_subcommand("list", "List your jobs, newest first");
  list->add_option("--state", f->state, "pending|running|completed|failed|cancelled");
  list->add_option("--type", f->type, "scan|generate-iac");
  list->add_option("--cursor", f->cursor, "Continue a previous listing");
  list->add_option("--limit", f->limit, "Jobs per page")->check(CLI::Range(1, 200));
  list->add_flag("--json", f->json, "Print the page object as JSON");
  list->callback([&ctx, f] { ctx.exit_code = List(ctx, *f); });

  auto* show = jobs->add_subcommand("show", "Status and progress of one job");
  show->add_option("id", f->id, "Job id")->required();
  show->add_flag("--json", f->json, "Print the job object as JSON");
  show->callback([&ctx, f] { ctx.exit_code = Show(ctx, *f); });

  auto* cancel = jobs->add_subcommand("cancel", "Cancel a pending or running job");
  cancel->add_option("id", f->id, "Job id")->required();
  cancel->callback([&ctx, f] { ctx.exit_code = Cancel(ctx, *f); });

  auto* logs = jobs->add_subcommand("logs", "Print a job's events (follows until it ends)");
  logs->add_option("id", f->id, "Job id")->required();
  logs->callback([&ctx, f] { ctx.exit_code = Logs(ctx, *f); });

  auto* download = jobs->add_subcommand("download", "Download a job's artifact (resumable)");
  download->add_option("id", f->id, "Job id")->required();
  download->add_option("--output", f->output, "File to write (default: <job id>.tar.gz)");
  download->callback([&ctx, f] { ctx.exit_code = Download(ctx, *f); });
}

}  // namespace atg::cli
