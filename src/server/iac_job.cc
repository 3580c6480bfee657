// The "generate-iac" job: the plan and emitters of `atg generate-iac` run by a worker of the
// service; the output directory becomes the job's artifact.
#include <filesystem>
#include <fstream>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "graph/open_graph_store.h"
#include "iac/emit.h"
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

Status WriteFile(const std::filesystem::path& root, const iac::OutputFile& f) {
  std::filesystem::path rel(f.path);
  if (f.path.empty() || rel.is_absolute()) {
    return Status::Internal("emitter produced an invalid path: " + f.path);
  }
  for (const auto& part : rel) {
    if (part == "..") return Status::Internal("emitter produced a path with '..': " + f.path);
  }
  std::filesystem::path full = root / rel;
  std::error_code ec;
  std::filesystem::create_directories(full.parent_path(), ec);
  if (ec) return Status::IoError("creating " + full.parent_path().string() + ": " + ec.message());
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out << f.content;
  if (!out) return Status::IoError("writing " + full.string() + " failed (disk full?)");
  return Status::Ok();
}

std::string Readme(const std::string& format, const iac::Plan& plan,
                   const std::vector<std::string>& notes) {
  std::string r = "# Generated infrastructure as code (" + format + ")\n\n";
  r += "Source tenant: " + plan.source_tenant_id + "\n";
  r += "Target tenant: " + plan.target_tenant_id + "\n";
  r += "Resources: " + std::to_string(plan.resources.size()) + "\n\n";
  if (!plan.inputs.empty()) {
    r += "## Inputs you must provide\n\n";
    for (const auto& in : plan.inputs) r += "- `" + in.name + "`: " + in.description + "\n";
    r += "\n";
  }
  if (!plan.skipped.empty()) {
    r += "## Skipped\n\n";
    for (const auto& s : plan.skipped) r += "- " + s.key + " (" + s.type + "): " + s.reason + "\n";
    r += "\n";
  }
  if (!notes.empty()) {
    r += "## Notes\n\n";
    for (const auto& n : notes) r += "- " + n + "\n";
  }
  return r;
}

}  // namespace

jobs::JobExecutor MakeGenerateIacExecutor(Settings settings, ArtifactWriter store_artifact) {
  return [settings, store_artifact](const jobs::Job& job,
                                    jobs::JobContext& progress) -> Result<jobs::JobOutcome> {
    const std::stop_token stop = progress.stop_token();
    const std::string format(FindString(&job.request, "format").value_or("terraform"));
    auto graph = graph::OpenGraphStore(settings, job.tenant_id);
    if (!graph.ok()) {
      return Status(graph.status().code(),
                    "opening the graph store failed: " + graph.status().message() +
                        "; run a scan job for tenant " + job.tenant_id + " first");
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
    Result<iac::Emitted> emitted = format == "bicep" ? iac::EmitBicep(*plan)
                                   : format == "arm" ? iac::EmitArm(*plan)
                                                     : iac::EmitTerraform(*plan);
    if (!emitted.ok()) return emitted.status();
    if (stop.stop_requested()) return Status::Cancelled("cancelled");

    const std::filesystem::path out = std::filesystem::path(progress.data_dir()) / "work" / job.id;
    std::error_code ec;
    std::filesystem::remove_all(out, ec);
    std::filesystem::create_directories(out, ec);
    if (ec) return Status::IoError("creating " + out.string() + ": " + ec.message());
    for (const auto& f : emitted->files) ATG_RETURN_IF_ERROR(WriteFile(out, f));
    ATG_RETURN_IF_ERROR(
        WriteFile(out, iac::OutputFile{"README.md", Readme(format, *plan, emitted->notes)}));
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

    std::map<std::string, int64_t> by_type;
    for (const auto& r : plan->resources) by_type[ToLower(r.type)]++;
    json::object by_type_json;
    for (const auto& [t, n] : by_type) by_type_json[t] = n;
    json::array skipped;
    for (const auto& s : plan->skipped)
      skipped.push_back(json::object{{"key", s.key}, {"type", s.type}, {"reason", s.reason}});
    json::array inputs;
    for (const auto& in : plan->inputs)
      inputs.push_back(
          json::object{{"name", in.name}, {"description", in.description}, {"secret", in.secret}});
    json::object result{{"format", format},
                        {"output", job.id + ".tar.gz"},
                        {"resources_emitted", static_cast<int64_t>(plan->resources.size())},
                        {"by_type", std::move(by_type_json)},
                        {"skipped", std::move(skipped)},
                        {"inputs_required", std::move(inputs)},
                        {"files", static_cast<int64_t>(emitted->files.size() + 1)},
                        {"artifact", *artifact}};
    return jobs::JobOutcome{std::move(result), *artifact};
  };
}

}  // namespace atg::server
