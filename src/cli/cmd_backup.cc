// `atg backup`, `atg backup prune` and `atg restore`: archives of the graphs (with their
// history) and, on request, of the service's jobs; see backup/backup.h and docs/backup.md.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "backup/backup.h"
#include "cli/commands.h"
#include "common/json.h"
#include "graph/graph_store.h"

namespace atg::cli {
namespace {

struct BackupFlags {
  std::string output;
  std::string blob_url;
  std::string input;
  std::string dir;
  std::vector<std::string> tenants;
  bool include_jobs = false;
  bool skip_jobs = false;
  bool dry_run = false;
  bool json = false;
  bool quiet = false;
  int keep_days = 30;
};

int Usage(const char* program, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program, message.c_str());
  return 2;
}

// Failures of the work itself (a damaged archive included) are exit 1; usage errors were
// caught before (exit 2).
int Fail(const char* program, const Status& s) {
  std::fprintf(stderr, "%s: %s\n", program, s.message().c_str());
  return 1;
}

backup::ProgressFn Progress(const BackupFlags& f) {
  if (f.quiet) return nullptr;
  return [](std::string_view line) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
  };
}

int CheckTenants(const char* program, const std::vector<std::string>& tenants) {
  for (const std::string& t : tenants) {
    Status s = graph::ValidateTenantId(t);
    if (!s.ok()) return Usage(program, s.message());
  }
  return 0;
}

std::string Megabytes(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

int RunBackup(CliContext& ctx, const BackupFlags& f) {
  constexpr const char* kProgram = "atg backup";
  SetUpCliLogging(ctx);
  if (!f.output.empty() && !f.blob_url.empty()) {
    return Usage(kProgram, "give either --output or --blob-url, not both");
  }
  if (f.output.empty() && f.blob_url.empty() && backup::DefaultBackupDir(ctx.settings).empty() &&
      backup::DefaultBackupBlobUrl(ctx.settings).empty()) {
    return Usage(kProgram,
                 "say where the backup goes: --output FILE or --blob-url URL (or set "
                 "ATG_BACKUP_DIR or ATG_BACKUP_BLOB_URL)");
  }
  if (int rc = CheckTenants(kProgram, f.tenants); rc != 0) return rc;
  backup::BackupOptions o;
  o.output = f.output;
  o.blob_url = f.blob_url;
  o.tenants = f.tenants;
  o.include_jobs = f.include_jobs;
  o.progress = Progress(f);
  auto report = backup::CreateBackup(ctx.settings, o);
  if (!report.ok()) return Fail(kProgram, report.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(report->ToJson()).c_str());
  } else if (!f.quiet) {
    std::fprintf(stderr, "backup written to %s (%s, %zu tenants%s) in %.1f s\nsha256 %s\n",
                 report->location.c_str(), Megabytes(report->bytes).c_str(),
                 report->manifest.tenants.size(),
                 report->manifest.jobs
                     ? (", " + std::to_string(report->manifest.jobs->jobs) + " jobs").c_str()
                     : "",
                 report->seconds, report->sha256.c_str());
  }
  return 0;
}

int RunPrune(CliContext& ctx, const BackupFlags& f) {
  constexpr const char* kProgram = "atg backup prune";
  SetUpCliLogging(ctx);
  if (f.keep_days < 0) return Usage(kProgram, "--keep-days must be 0 or more");
  if (!f.dir.empty() && !f.blob_url.empty()) {
    return Usage(kProgram, "give either --dir or --blob-url, not both");
  }
  if (f.dir.empty() && f.blob_url.empty() && backup::DefaultBackupDir(ctx.settings).empty() &&
      backup::DefaultBackupBlobUrl(ctx.settings).empty()) {
    return Usage(kProgram,
                 "say where the backups are: --dir DIR or --blob-url URL (or set ATG_BACKUP_DIR "
                 "or ATG_BACKUP_BLOB_URL)");
  }
  backup::PruneOptions o;
  o.dir = f.dir;
  o.blob_url = f.blob_url;
  o.keep_days = f.keep_days;
  o.dry_run = f.dry_run;
  o.progress = Progress(f);
  auto report = backup::PruneBackups(ctx.settings, o);
  if (!report.ok()) return Fail(kProgram, report.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(report->ToJson()).c_str());
  } else if (!f.quiet) {
    std::fprintf(stderr,
                 "%s: %zu backups %s, %zu kept (older than %d days; the newest is always "
                 "kept)\n",
                 report->location.c_str(), report->deleted.size(),
                 f.dry_run ? "would be deleted" : "deleted", report->kept.size(), f.keep_days);
  }
  return 0;
}

int RunRestore(CliContext& ctx, const BackupFlags& f) {
  constexpr const char* kProgram = "atg restore";
  SetUpCliLogging(ctx);
  if (f.input.empty() == f.blob_url.empty()) {
    return Usage(kProgram, f.input.empty()
                               ? "say which backup to restore: --input FILE or --blob-url URL"
                               : "give either --input or --blob-url, not both");
  }
  if (int rc = CheckTenants(kProgram, f.tenants); rc != 0) return rc;
  backup::RestoreOptions o;
  o.input = f.input;
  o.blob_url = f.blob_url;
  o.tenants = f.tenants;
  o.skip_jobs = f.skip_jobs;
  o.progress = Progress(f);
  auto report = backup::RestoreBackup(ctx.settings, o);
  if (!report.ok()) return Fail(kProgram, report.status());
  if (f.json) {
    std::printf("%s\n", json::serialize(report->ToJson()).c_str());
  } else if (!f.quiet) {
    for (const auto& t : report->tenants) {
      std::fprintf(stderr, "restored tenant %s: %lld scans, %lld nodes, %lld edges (%.1f s)\n",
                   t.tenant_id.c_str(), static_cast<long long>(t.scans),
                   static_cast<long long>(t.nodes), static_cast<long long>(t.edges), t.seconds);
    }
    std::fprintf(stderr, "restore of %s into the %s graph store finished in %.1f s\n",
                 report->location.c_str(), report->graph_store.c_str(), report->seconds);
  }
  return 0;
}

}  // namespace

void AddBackupCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<BackupFlags>();
  auto* cmd = app.add_subcommand(
      "backup", "Write a compressed, checksummed archive of the graphs (and their history)");
  cmd->add_option("--output", f->output,
                  "Archive file to write, or a directory for atg-backup-<time>.tar.zst "
                  "(env: ATG_BACKUP_DIR)");
  cmd->add_option("--blob-url", f->blob_url,
                  "Blob (or container/prefix URL ending in '/') to upload the archive to "
                  "(env: ATG_BACKUP_BLOB_URL)");
  cmd->add_flag("--include-jobs", f->include_jobs,
                "Also archive the service's job metadata and artifact index");
  cmd->add_option("--tenant-id", f->tenants, "Back up only this tenant (repeatable; default all)");
  cmd->add_flag("--json", f->json, "Print one JSON summary object on stdout");
  cmd->add_flag("--quiet", f->quiet, "No progress lines");
  auto* prune = cmd->add_subcommand("prune",
                                    "Delete backups older than --keep-days (never the "
                                    "newest)");
  prune->add_option("--keep-days", f->keep_days, "Keep backups this many days (default 30)");
  prune->add_option("--dir", f->dir, "Directory of backups (env: ATG_BACKUP_DIR)");
  prune->add_option("--blob-url", f->blob_url,
                    "Container or prefix URL of backups (env: ATG_BACKUP_BLOB_URL)");
  prune->add_flag("--dry-run", f->dry_run, "Say what would be deleted, delete nothing");
  prune->add_flag("--json", f->json, "Print one JSON object on stdout");
  prune->add_flag("--quiet", f->quiet, "No progress lines");
  prune->callback([&ctx, f] { ctx.exit_code = RunPrune(ctx, *f); });
  cmd->callback([&ctx, f, prune] {
    if (prune->parsed()) return;
    ctx.exit_code = RunBackup(ctx, *f);
  });
}

void AddRestoreCommand(CLI::App& app, CliContext& ctx) {
  auto f = std::make_shared<BackupFlags>();
  auto* cmd = app.add_subcommand(
      "restore", "Replace the graphs (and add missing jobs) with those of an atg backup");
  cmd->add_option("--input", f->input, "Archive file written by `atg backup`");
  cmd->add_option("--blob-url", f->blob_url,
                  "Blob to restore, or a container/prefix URL ending in '/' for the newest");
  cmd->add_option("--tenant-id", f->tenants, "Restore only this tenant (repeatable; default all)");
  cmd->add_flag("--skip-jobs", f->skip_jobs, "Leave the job store alone");
  cmd->add_flag("--json", f->json, "Print one JSON summary object on stdout");
  cmd->add_flag("--quiet", f->quiet, "No progress lines");
  cmd->callback([&ctx, f] { ctx.exit_code = RunRestore(ctx, *f); });
}

}  // namespace atg::cli
