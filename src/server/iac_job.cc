// The "generate-iac" job: the plan and emitters of `atg generate-iac` run by a worker of the
// service; the output directory becomes the job's artifact.
#include <filesystem>
#include <fstream>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "graph/open_graph_store.h"
#include "iac/generate.h"
#include "iac/output_writer.h"
#include "iac/plan.h"
#include "server/job_executor.h"

namespace atg::server {
namespace {

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::array* a = FindArray(&o, key)) {
    for (const auto& v : *a)
      if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

}  // namespace

jobs::JobExecutor MakeGenerateIacExecutor(Settings settings, ArtifactWriter store_artifact) {
  return [settings, store_artifact](const jobs::Job& job,
                                    jobs::JobContext& progress) -> Result<jobs::JobOutcome> {
    const std::stop_token stop = progress.stop_token();
    const std::string format(FindString(&job.request, "format").value_or("terraform"));
    graph::OpenGraphStoreOptions open;
    open.create_if_missing = false;
    auto graph = graph::OpenGraphStore(settings, job.tenant_id, open);
    if (!graph.ok()) {
      if (graph.status().code() == StatusCode::kNotFound) {
        return Status::NotFound("no graph of tenant " + job.tenant_id +
                                " yet; run a scan job (POST /api/v1/scan) first");
      }
      return Status(graph.status().code(),
                    "opening the graph store failed: " + graph.status().message());
    }
    iac::PlanOptions po;
    po.subscriptions = Strings(job.request, "subscriptions");
    po.resource_groups = Strings(job.request, "resource_groups");
    po.types = Strings(job.request, "types");
    po.target_subscription = FindString(&job.request, "target_subscription").value_or("");
    po.target_tenant_id = FindString(&job.request, "target_tenant_id").value_or("");
    if (const json::object* m = FindObject(&job.request, "identity_map")) {
      for (const auto& e : *m) {
        if (e.value().is_string())
          po.identity_map[ToLower(e.key())] = std::string(e.value().as_string());
      }
    }
    progress.Publish(json::object{{"phase", "plan"},
                                  {"percent", 10},
                                  {"counters", json::object{}},
                                  {"message", "planning from the graph"}});
    auto plan = iac::BuildPlan(**graph, po);
    if (!plan.ok()) return plan.status();
    if (stop.stop_requested()) return Status::Cancelled("cancelled");
    progress.Publish(json::object{
        {"phase", "emit"},
        {"percent", 50},
        {"counters", json::object{{"resources", static_cast<int64_t>(plan->resources.size())}}},
        {"message", "emitting " + format}});
    // The same files `atg generate-iac` writes: the emitter's, plus the README report.
    const std::filesystem::path out = std::filesystem::path(progress.data_dir()) / "work" / job.id;
    std::error_code ec;
    std::filesystem::create_directories(out.parent_path(), ec);
    iac::WriteOptions write_options;
    write_options.force = true;  // the work directory is ours
    iac::EmitOptions emit;
    emit.import_existing = FindBool(&job.request, "import").value_or(false);
    emit.create_resource_groups = !FindBool(&job.request, "no_resource_groups").value_or(false);
    auto summary =
        iac::GenerateFormat(*plan, format, out.string(), write_options, job.id + ".tar.gz", emit);
    if (!summary.ok()) return summary.status();
    if (stop.stop_requested()) {
      std::filesystem::remove_all(out, ec);
      return Status::Cancelled("cancelled");
    }
    progress.Publish(json::object{{"phase", "archive"},
                                  {"percent", 90},
                                  {"counters", json::object{}},
                                  {"message", "archiving the output"}});
    if (!store_artifact) {
      return Status::FailedPrecondition(
          "artifact storage is not configured on this service; the generated files cannot be "
          "kept");
    }
    auto artifact = store_artifact(job, out.string());
    std::filesystem::remove_all(out, ec);
    if (!artifact.ok()) return artifact.status();
    json::object result = std::move(*summary);
    result["artifact"] = *artifact;
    return jobs::JobOutcome{std::move(result), *artifact};
  };
}

}  // namespace atg::server
