#include "scan/directory_pass.h"

#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "azure/paging.h"
#include "common/graph_cost.h"
#include "common/json.h"

namespace atg::scan {
namespace {

// What the graph needs of each directory object; everything else stays in Entra.
constexpr std::string_view kUserSelect =
    "id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,"
    "onPremisesSyncEnabled";
constexpr std::string_view kGroupSelect =
    "id,displayName,description,mailNickname,mailEnabled,securityEnabled,groupTypes,"
    "isAssignableToRole,membershipRule,createdDateTime";
constexpr std::string_view kServicePrincipalSelect =
    "id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,"
    "alternativeNames,servicePrincipalNames,tags";
// Microsoft Graph expands at most 20 members; a group showing 20 may have more.
constexpr size_t kExpandedMembersCap = 20;
// Requests per JSON batch, Microsoft Graph's maximum.
constexpr size_t kGraphBatchSize = 20;

void EmitDirectory(const ScanRun& run, graph::DirectoryKind kind, const json::object& body,
                   FragmentBatch& batch) {
  auto frag = graph::BuildDirectoryFragment(kind, body, run.rules);
  if (!frag.ok()) {
    run.Fail("directory object", frag.status());
    return;
  }
  if (!run.ledger.AdmitDirectory(kind, frag->nodes.front().key)) return;
  batch.Add(std::move(*frag));
}

Status CollectMembers(const ScanRun& run, const std::string& url, json::array* out) {
  double cost = GraphRequestCost("GET", url);
  auto r = azure::ForEachGraphPage(
      run.client, url,
      [&](const json::array& items, const json::object&) {
        run.ledger.CountGraphUnits(cost);
        for (const auto& v : items) out->push_back(v);
        return !run.Stopped();
      },
      run.stop);
  return r.ok() ? Status::Ok() : r.status();
}

std::string MembersPath(const json::object& group) {
  return "/groups/" + std::string(FindString(&group, "id").value_or("")) +
         "/members?$top=999&$select=id";
}

// Reads the full member lists of up to 20 groups in one JSON batch, following each list's next
// links, then emits the groups.
void CompleteMembers(const ScanRun& run, std::vector<json::object> chunk) {
  if (run.Stopped()) return;
  json::array requests;
  double cost = 0;
  for (size_t i = 0; i < chunk.size(); ++i) {
    json::object r;
    r["id"] = std::to_string(i);
    r["method"] = "GET";
    r["url"] = MembersPath(chunk[i]);
    cost += GraphRequestCost("GET", "/v1.0" + MembersPath(chunk[i]));
    requests.push_back(std::move(r));
  }
  json::object body;
  body["requests"] = std::move(requests);
  std::vector<char> done(chunk.size(), 0);
  auto reply = run.client.PostJson(run.graph_base + "/v1.0/$batch", body, run.stop);
  run.ledger.CountGraphUnits(cost);
  if (reply.ok() && reply->is_object()) {
    const json::array* responses = FindArray(&reply->as_object(), "responses");
    static const json::array kNone;
    for (const auto& rv : responses != nullptr ? *responses : kNone) {
      if (!rv.is_object()) continue;
      const json::object& resp = rv.as_object();
      size_t i =
          std::strtoul(std::string(FindString(&resp, "id").value_or("x")).c_str(), nullptr, 10);
      auto status = FindInt(&resp, "status");
      const json::object* rb = FindObject(&resp, "body");
      if (i >= chunk.size() || !status || *status != 200 || rb == nullptr) continue;
      json::array members;
      if (const json::array* v = FindArray(rb, "value")) members = *v;
      Status s = Status::Ok();
      if (auto next = FindString(rb, "@odata.nextLink")) {
        s = CollectMembers(run, std::string(*next), &members);
      }
      if (!s.ok()) continue;  // read again alone below
      chunk[i]["members"] = std::move(members);
      done[i] = 1;
    }
  }
  FragmentBatch batch(run);
  for (size_t i = 0; i < chunk.size(); ++i) {
    if (!done[i]) {
      // The batch or this part of it failed (a throttled or failed inner request): read the
      // list on its own, with the client's retries.
      json::array members;
      Status s = CollectMembers(run, run.graph_base + "/v1.0" + MembersPath(chunk[i]), &members);
      if (!s.ok()) {
        run.Fail("/groups/" + std::string(FindString(&chunk[i], "id").value_or("")) + "/members",
                 s);
        continue;
      }
      chunk[i]["members"] = std::move(members);
    }
    EmitDirectory(run, graph::DirectoryKind::kGroup, chunk[i], batch);
  }
}

void ListDirectory(const ScanRun& run, graph::DirectoryKind kind, std::string path,
                   std::string_view select) {
  run.pool.Submit("graph:" + path, [&run, kind, path, select] {
    if (run.Stopped()) return;
    std::string url = run.graph_base + "/v1.0/" + path + "?$top=999&$select=" + std::string(select);
    if (kind == graph::DirectoryKind::kGroup) url += "&$expand=members($select=id)";
    double cost = GraphRequestCost("GET", url);
    FragmentBatch batch(run);
    auto r = azure::ForEachGraphPage(
        run.client, url,
        [&](const json::array& items, const json::object&) {
          run.ledger.CountGraphUnits(cost);
          std::vector<json::object> more;  // groups whose members were cut at the cap
          for (const auto& v : items) {
            if (!v.is_object()) continue;
            const json::object& o = v.as_object();
            if (kind == graph::DirectoryKind::kGroup) {
              const json::array* m = FindArray(&o, "members");
              if (m != nullptr && m->size() >= kExpandedMembersCap) {
                more.push_back(o);
                continue;
              }
            }
            EmitDirectory(run, kind, o, batch);
          }
          batch.Flush();
          for (size_t i = 0; i < more.size(); i += kGraphBatchSize) {
            std::vector<json::object> chunk(
                std::make_move_iterator(more.begin() + i),
                std::make_move_iterator(more.begin() + std::min(more.size(), i + kGraphBatchSize)));
            run.pool.Submit("graph:members", [&run, chunk = std::move(chunk)]() mutable {
              CompleteMembers(run, std::move(chunk));
            });
          }
          return !run.Stopped();
        },
        run.stop);
    if (!r.ok()) run.Fail("/" + path, r.status());
  });
}

}  // namespace

void SubmitDirectory(const ScanRun& run) {
  ListDirectory(run, graph::DirectoryKind::kUser, "users", kUserSelect);
  ListDirectory(run, graph::DirectoryKind::kGroup, "groups", kGroupSelect);
  ListDirectory(run, graph::DirectoryKind::kServicePrincipal, "servicePrincipals",
                kServicePrincipalSelect);
}

}  // namespace atg::scan
