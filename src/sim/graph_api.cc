#include "sim/graph_api.h"

#include <deque>
#include <unordered_set>

#include "common/strings.h"

namespace atg::sim {

namespace {

const char* ODataType(DirectoryKind k) {
  switch (k) {
    case DirectoryKind::kUser:
      return "#microsoft.graph.user";
    case DirectoryKind::kGroup:
      return "#microsoft.graph.group";
    case DirectoryKind::kServicePrincipal:
      return "#microsoft.graph.servicePrincipal";
  }
  return "#microsoft.graph.directoryObject";
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& p : Split(s, ',', /*skip_empty=*/true)) {
    auto t = Trim(p);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

net::HttpResponse BadRequest(std::string_view message) {
  return GraphError(400, "Request_BadRequest", message);
}

net::HttpResponse NotFound(std::string_view id) {
  return GraphError(404, "Request_ResourceNotFound",
                    "Resource '" + std::string(id) +
                        "' does not exist or one of its queried reference-property objects are "
                        "not present.");
}

}  // namespace

// What a list or single-object request asks for, parsed from its query options.
struct GraphApi::ListSpec {
  std::string collection;          // "users", "groups", "servicePrincipals", "directoryObjects"
  bool directory_objects = false;  // members: each object carries @odata.type
  std::vector<std::string> select;
  std::vector<std::pair<std::string, std::string>> filter;  // property eq 'value'
  bool expand_members = false;
  std::vector<std::string> expand_select;
  size_t top = kDefaultPageSize;
  std::string raw_select, raw_filter, raw_expand;
};

GraphApi::GraphApi(const TenantIndex& index, ApiOptions options)
    : index_(index), options_(std::move(options)) {}

bool GraphApi::Claims(std::string_view path) { return StartsWithIgnoreCase(path, "/v1.0/"); }

std::string GraphApi::base() const {
  return options_.graph_base_url.empty() ? "https://graph.microsoft.com" : options_.graph_base_url;
}

net::HttpResponse GraphApi::Handle(const net::HttpRequest& req, const CallerContext& caller) const {
  auto segs = PathSegments(req.path);
  if (segs.size() == 2 && segs[1] == "$batch") {
    if (req.method != "POST") {
      return GraphError(405, "Request_BadRequest", "JSON batches are sent with POST.");
    }
    return Batch(req, caller);
  }
  if (req.method != "GET") {
    return GraphError(405, "Request_BadRequest",
                      "The simulated Microsoft Graph is read-only: method '" + req.method +
                          "' is not supported on '" + req.path + "'.");
  }
  return Get(req);
}

net::HttpResponse GraphApi::Get(const net::HttpRequest& req) const {
  auto segs = PathSegments(req.path);  // {"v1.0", collection, id?, nav?}
  if (segs.size() < 2) return BadRequest("Invalid request: no resource segment after /v1.0.");
  ListSpec spec;
  std::string coll = ToLower(segs[1]);
  DirectoryKind kind;
  const std::vector<const DirectoryObject*>* all = nullptr;
  if (coll == "users") {
    kind = DirectoryKind::kUser;
    spec.collection = "users";
    all = &index_.users();
  } else if (coll == "groups") {
    kind = DirectoryKind::kGroup;
    spec.collection = "groups";
    all = &index_.groups();
  } else if (coll == "serviceprincipals") {
    kind = DirectoryKind::kServicePrincipal;
    spec.collection = "servicePrincipals";
    all = &index_.service_principals();
  } else {
    return BadRequest("Resource not found for the segment '" + std::string(segs[1]) + "'.");
  }

  // Query options.
  for (const auto& [k, v] : req.query) {
    std::string key = ToLower(k);
    if (key == "$top") {
      char* end = nullptr;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 1 || n > static_cast<long long>(kMaxPageSize)) {
        return BadRequest("Invalid page size specified: '" + v +
                          "'. Must be between 1 and 999 inclusive.");
      }
      spec.top = static_cast<size_t>(n);
    } else if (key == "$select") {
      spec.raw_select = v;
      spec.select = SplitList(v);
    } else if (key == "$filter") {
      spec.raw_filter = v;
      // prop eq 'value' [and prop eq 'value']...
      std::string_view rest = v;
      while (true) {
        rest = Trim(rest);
        size_t sp = rest.find(' ');
        if (sp == std::string_view::npos) return BadRequest("Invalid filter clause: '" + v + "'.");
        std::string prop(rest.substr(0, sp));
        rest = Trim(rest.substr(sp));
        if (!StartsWithIgnoreCase(rest, "eq ")) {
          return GraphError(400, "Request_UnsupportedQuery",
                            "Unsupported filter '" + v +
                                "': the simulator supports only \"property eq 'value'\" joined "
                                "by 'and'.");
        }
        rest = Trim(rest.substr(3));
        if (rest.empty() || rest[0] != '\'') {
          return BadRequest("Invalid filter clause: expected a quoted value in '" + v + "'.");
        }
        size_t close = rest.find('\'', 1);
        if (close == std::string_view::npos)
          return BadRequest("Unterminated string in '" + v + "'.");
        spec.filter.emplace_back(prop, std::string(rest.substr(1, close - 1)));
        rest = Trim(rest.substr(close + 1));
        if (rest.empty()) break;
        if (!StartsWithIgnoreCase(rest, "and ")) {
          return GraphError(400, "Request_UnsupportedQuery",
                            "Unsupported filter '" + v + "': only 'and' joins clauses.");
        }
        rest = rest.substr(4);
      }
    } else if (key == "$expand") {
      spec.raw_expand = v;
      std::string e(Trim(v));
      if (!StartsWithIgnoreCase(e, "members") || kind != DirectoryKind::kGroup) {
        return BadRequest("Could not find a navigation property named '" + e +
                          "' to expand (the simulator expands 'members' on groups).");
      }
      std::string_view tail = std::string_view(e).substr(7);
      if (!tail.empty()) {
        // members($select=id,displayName)
        if (tail.front() != '(' || tail.back() != ')' ||
            !StartsWithIgnoreCase(tail.substr(1), "$select=")) {
          return BadRequest("Unsupported $expand '" + e +
                            "': use members or members($select=...).");
        }
        spec.expand_select = SplitList(tail.substr(9, tail.size() - 10));
      }
      spec.expand_members = true;
    } else if (key == "$orderby" || key == "$search") {
      return GraphError(400, "Request_UnsupportedQuery",
                        "The simulator does not support " + k +
                            "; page with $top and "
                            "@odata.nextLink.");
    }
  }

  if (segs.size() == 2) return List(req, spec, *all);
  const DirectoryObject* obj = index_.FindDirectoryObject(segs[2]);
  if (obj == nullptr && kind == DirectoryKind::kUser) {
    // Graph also addresses a user by userPrincipalName.
    for (const auto* u : index_.users()) {
      auto upn = FindString(&u->body, "userPrincipalName");
      if (upn && EqualsIgnoreCase(*upn, segs[2])) {
        obj = u;
        break;
      }
    }
  }
  if (obj == nullptr || obj->kind != kind) return NotFound(segs[2]);
  if (segs.size() == 3) {
    std::string body = "{\"@odata.context\":";
    std::string ctx = base() + "/v1.0/$metadata#" + spec.collection;
    if (!spec.select.empty()) ctx += "(" + Join(spec.select, ",") + ")";
    ctx += "/$entity";
    AppendJsonString(body, ctx);
    std::string rendered = Render(*obj, spec);
    if (rendered.size() > 2) body += ',';
    body.append(rendered, 1);
    return JsonText(200, std::move(body));
  }
  if ((segs.size() == 4 || segs.size() == 5) && kind == DirectoryKind::kGroup) {
    std::string nav = ToLower(segs[3]);
    if (nav == "members" || nav == "transitivemembers") {
      if (spec.expand_members) return BadRequest("$expand is not supported on members.");
      spec.collection = "directoryObjects";
      spec.directory_objects = true;
      auto members = Members(*obj, nav == "transitivemembers");
      if (segs.size() == 4) return List(req, spec, members);
      // A type cast: .../members/microsoft.graph.user lists only the users.
      std::string cast = ToLower(segs[4]);
      DirectoryKind want;
      if (cast == "microsoft.graph.user") {
        want = DirectoryKind::kUser;
        spec.collection = "users";
      } else if (cast == "microsoft.graph.group") {
        want = DirectoryKind::kGroup;
        spec.collection = "groups";
      } else if (cast == "microsoft.graph.serviceprincipal") {
        want = DirectoryKind::kServicePrincipal;
        spec.collection = "servicePrincipals";
      } else {
        return BadRequest("Resource not found for the segment '" + std::string(segs[4]) + "'.");
      }
      std::vector<const DirectoryObject*> typed;
      for (const auto* m : members) {
        if (m->kind == want) typed.push_back(m);
      }
      return List(req, spec, typed);
    }
  }
  return BadRequest("Resource not found for the segment '" + std::string(segs.back()) + "'.");
}

std::vector<const DirectoryObject*> GraphApi::Members(const DirectoryObject& group,
                                                      bool transitive) const {
  std::vector<const DirectoryObject*> out;
  std::unordered_set<const DirectoryObject*> seen{&group};
  std::deque<const DirectoryObject*> queue{&group};
  while (!queue.empty()) {
    const DirectoryObject* g = queue.front();
    queue.pop_front();
    for (const auto& id : g->members) {
      const DirectoryObject* m = index_.FindDirectoryObject(id);
      if (m == nullptr || !seen.insert(m).second) continue;
      out.push_back(m);
      if (transitive && m->kind == DirectoryKind::kGroup) queue.push_back(m);
    }
    if (!transitive) break;
  }
  return out;
}

std::string GraphApi::Render(const DirectoryObject& d, const ListSpec& spec) const {
  bool add_type = spec.directory_objects && !d.body.contains("@odata.type");
  std::string out;
  if (spec.select.empty()) {
    if (!add_type && !spec.expand_members) return d.json;
    out = "{";
    if (add_type) {
      out += "\"@odata.type\":";
      AppendJsonString(out, ODataType(d.kind));
      if (d.json.size() > 2) out += ',';
    }
    out.append(d.json, 1, d.json.size() - 2);
  } else {
    out = "{";
    bool first = true;
    auto sep = [&] {
      if (!first) out += ',';
      first = false;
    };
    if (add_type) {
      sep();
      out += "\"@odata.type\":";
      AppendJsonString(out, ODataType(d.kind));
    }
    bool has_id = false;
    for (const auto& s : spec.select) has_id |= EqualsIgnoreCase(s, "id");
    if (!has_id) {
      sep();
      out += "\"id\":";
      AppendJsonString(out, d.id);
    }
    for (const auto& s : spec.select) {
      if (EqualsIgnoreCase(s, "members")) continue;
      sep();
      const json::value* v = FindIgnoreCase(&d.body, s);
      AppendJsonString(out, s);
      out += ':';
      if (v == nullptr) {
        out += "null";
      } else {
        AppendJson(out, *v);
      }
    }
  }
  if (spec.expand_members && d.kind == DirectoryKind::kGroup) {
    ListSpec member_spec;
    member_spec.directory_objects = true;
    member_spec.select = spec.expand_select;
    if (out.size() > 1) out += ',';
    out += "\"members\":[";
    size_t n = 0;
    for (const auto* m : Members(d, false)) {
      if (n == kMaxExpandedMembers) break;
      if (n++) out += ',';
      out += Render(*m, member_spec);
    }
    out += ']';
  }
  out += '}';
  return out;
}

net::HttpResponse GraphApi::List(const net::HttpRequest& req, const ListSpec& spec,
                                 const std::vector<const DirectoryObject*>& objects) const {
  const std::vector<const DirectoryObject*>* items = &objects;
  std::vector<const DirectoryObject*> filtered;
  if (!spec.filter.empty()) {
    for (const auto* d : objects) {
      bool ok = true;
      for (const auto& [prop, value] : spec.filter) {
        const json::value* v = FindIgnoreCase(&d->body, prop);
        std::string text = v == nullptr     ? ""
                           : v->is_string() ? std::string(v->get_string())
                                            : json::serialize(*v);
        if (!EqualsIgnoreCase(text, value)) ok = false;
      }
      if (ok) filtered.push_back(d);
    }
    items = &filtered;
  }
  uint64_t fp = Fnv1a64(ToLower(req.path) + "|" + spec.raw_select + "|" + spec.raw_filter + "|" +
                        spec.raw_expand);
  size_t offset = 0;
  if (auto tok = req.Query("$skiptoken")) {
    auto o = ParseSkipToken(*tok, fp);
    if (!o) {
      return BadRequest(
          "The $skiptoken is malformed or belongs to another query. Restart from "
          "the first page.");
    }
    offset = std::min<size_t>(*o, items->size());
  }
  size_t end = std::min(items->size(), offset + spec.top);
  std::string body = "{\"@odata.context\":";
  std::string ctx = base() + "/v1.0/$metadata#" + spec.collection;
  if (!spec.select.empty()) ctx += "(" + Join(spec.select, ",") + ")";
  AppendJsonString(body, ctx);
  if (end < items->size()) {
    std::string link = base() + "/v1.0";
    for (size_t i = 1; i < PathSegments(req.path).size(); ++i) {
      link += '/';
      link += PathSegments(req.path)[i];
    }
    link += "?$top=" + std::to_string(spec.top);
    if (!spec.raw_select.empty()) link += "&$select=" + EncodeQueryValue(spec.raw_select);
    if (!spec.raw_filter.empty()) link += "&$filter=" + EncodeQueryValue(spec.raw_filter);
    if (!spec.raw_expand.empty()) link += "&$expand=" + EncodeQueryValue(spec.raw_expand);
    link += "&$skiptoken=" + EncodeQueryValue(MakeSkipToken(end, fp));
    body += ",\"@odata.nextLink\":";
    AppendJsonString(body, link);
  }
  body += ",\"value\":[";
  for (size_t i = offset; i < end; ++i) {
    if (i > offset) body += ',';
    body += Render(*(*items)[i], spec);
  }
  body += "]}";
  return JsonText(200, std::move(body));
}

net::HttpResponse GraphApi::Batch(const net::HttpRequest& req, const CallerContext& caller) const {
  auto parsed = ParseJson(req.body);
  const json::array* requests = parsed.ok() ? FindArray(parsed->if_object(), "requests") : nullptr;
  if (requests == nullptr) {
    return BadRequest("Invalid batch payload: expected a JSON object with a 'requests' array.");
  }
  if (requests->size() > kMaxBatchRequests) {
    return BadRequest("The batch holds " + std::to_string(requests->size()) +
                      " requests; the limit is 20. Split it into several batches.");
  }
  std::unordered_set<std::string> ids;
  for (const auto& r : *requests) {
    auto id = FindString(r.if_object(), "id");
    auto url = FindString(r.if_object(), "url");
    auto method = FindString(r.if_object(), "method");
    if (!id || !url || !method) {
      return BadRequest("Invalid batch payload: every request needs 'id', 'method' and 'url'.");
    }
    if (!ids.insert(std::string(*id)).second) {
      return BadRequest("Invalid batch payload: request id '" + std::string(*id) +
                        "' is used twice.");
    }
  }
  std::string out = "{\"responses\":[";
  bool first = true;
  for (const auto& r : *requests) {
    const json::object* o = r.if_object();
    std::string id(*FindString(o, "id"));
    std::string url(*FindString(o, "url"));
    std::string method = ToLower(*FindString(o, "method"));
    // Batch URLs are relative to the version ("/users?$top=5"); accept a leading /v1.0 too.
    if (!url.empty() && url[0] != '/') url = "/" + url;
    if (!StartsWithIgnoreCase(url, "/v1.0/")) url = "/v1.0" + url;
    net::HttpResponse sub;
    if (method != "get") {
      sub = GraphError(405, "Request_BadRequest",
                       "The simulated Microsoft Graph answers only GET requests inside a batch.");
    } else {
      net::HttpRequest inner;
      inner.method = "GET";
      inner.target = url;
      inner.ParseTarget();
      auto segs = PathSegments(inner.path);
      if (segs.size() >= 2 && segs[1] == "$batch") {
        sub = BadRequest("A batch cannot contain another batch.");
      } else {
        sub = Get(inner);
      }
    }
    if (!first) out += ',';
    first = false;
    out += "{\"id\":";
    AppendJsonString(out, id);
    out += ",\"status\":" + std::to_string(sub.status);
    out += ",\"headers\":{\"Content-Type\":\"application/json\"},\"body\":";
    out += sub.body.empty() ? "null" : sub.body;
    out += '}';
  }
  out += "]}";
  return JsonText(200, std::move(out));
}

}  // namespace atg::sim
