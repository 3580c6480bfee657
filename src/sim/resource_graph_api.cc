#include "sim/resource_graph_api.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "sim/kql.h"

namespace atg::sim {

namespace {

// Columns of every Resource Graph table, in Azure's order.
enum class Col {
  kId,
  kName,
  kType,
  kTenantId,
  kKind,
  kLocation,
  kResourceGroup,
  kSubscriptionId,
  kManagedBy,
  kSku,
  kPlan,
  kProperties,
  kTags,
  kIdentity,
  kZones,
  kExtendedLocation
};
struct ColumnDef {
  const char* name;
  Col col;
  bool is_string;
};
constexpr ColumnDef kColumns[] = {
    {"id", Col::kId, true},
    {"name", Col::kName, true},
    {"type", Col::kType, true},
    {"tenantId", Col::kTenantId, true},
    {"kind", Col::kKind, true},
    {"location", Col::kLocation, true},
    {"resourceGroup", Col::kResourceGroup, true},
    {"subscriptionId", Col::kSubscriptionId, true},
    {"managedBy", Col::kManagedBy, true},
    {"sku", Col::kSku, false},
    {"plan", Col::kPlan, false},
    {"properties", Col::kProperties, false},
    {"tags", Col::kTags, false},
    {"identity", Col::kIdentity, false},
    {"zones", Col::kZones, false},
    {"extendedLocation", Col::kExtendedLocation, false},
};

const ColumnDef* FindColumn(std::string_view name) {
  for (const auto& c : kColumns) {
    if (EqualsIgnoreCase(c.name, name)) return &c;
  }
  return nullptr;
}

// A column reference resolved once per query: a table column plus an optional path into it.
struct ColumnRef {
  const ColumnDef* def = nullptr;
  std::vector<std::string> path;  // below the column (properties.a.b -> {"a","b"})
};

Result<ColumnRef> Resolve(const std::vector<std::string>& column) {
  ColumnRef r;
  r.def = FindColumn(column[0]);
  if (r.def == nullptr) {
    return Status::InvalidArgument("Failed to resolve scalar expression named '" +
                                   Join(column, ".") + "'");
  }
  if (column.size() > 1 && r.def->is_string) {
    return Status::InvalidArgument("column '" + column[0] + "' is a string; '" + Join(column, ".") +
                                   "' has no such member");
  }
  r.path.assign(column.begin() + 1, column.end());
  return r;
}

std::string_view StringColumn(const GraphRow& row, Col c) {
  switch (c) {
    case Col::kId:
      return row.id;
    case Col::kName:
      return row.name;
    case Col::kType:
      return row.type_lower;
    case Col::kTenantId:
      return row.tenant_id;
    case Col::kKind:
      return row.kind;
    case Col::kLocation:
      return row.location;
    case Col::kResourceGroup:
      return row.resource_group;
    case Col::kSubscriptionId:
      return row.subscription_id;
    default:
      return row.managed_by;
  }
}

// The JSON value of an object column (or a path into it); nullptr when absent.
const json::value* ObjectColumn(const GraphRow& row, const ColumnRef& ref) {
  const json::value* v = Find(row.body, ref.def->name);
  for (const auto& key : ref.path) {
    if (v == nullptr || !v->is_object()) return nullptr;
    v = FindIgnoreCase(&v->get_object(), key);
  }
  return v;
}

// A column's value as text for comparisons (null and missing compare as "").
// A column's value as text for comparisons (null and missing compare as ""). Uses `scratch`
// only when the value is not already a string.
std::string_view TextOf(const GraphRow& row, const ColumnRef& ref, std::string& scratch) {
  if (ref.def->is_string) return StringColumn(row, ref.def->col);
  const json::value* v = ObjectColumn(row, ref);
  if (v == nullptr || v->is_null()) return {};
  if (v->is_string()) return v->get_string();
  scratch = json::serialize(*v);
  return scratch;
}

std::string TextOf(const GraphRow& row, const ColumnRef& ref) {
  std::string scratch;
  return std::string(TextOf(row, ref, scratch));
}

bool ContainsNoCase(std::string_view hay, std::string_view lower_needle) {
  if (lower_needle.size() > hay.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= hay.size(); ++i) {
    if (EqualsIgnoreCase(hay.substr(i, lower_needle.size()), lower_needle)) return true;
  }
  return false;
}

void AppendValue(std::string& out, const GraphRow& row, const ColumnRef& ref) {
  if (ref.def->is_string) {
    AppendJsonString(out, StringColumn(row, ref.def->col));
    return;
  }
  if (ref.def->col == Col::kProperties && ref.path.empty() && row.resource != nullptr) {
    AppendProperties(out, *row.resource);  // with inlined children, as Azure shows them
    return;
  }
  const json::value* v = ObjectColumn(row, ref);
  if (v == nullptr) {
    out += "null";
  } else {
    AppendJson(out, *v);
  }
}

struct ResolvedCondition {
  ColumnRef ref;
  kql::Op op;
  std::vector<std::string> values;
  std::vector<std::string> lower_values;
};

bool Matches(const GraphRow& row, const ResolvedCondition& c) {
  std::string scratch;
  std::string_view v = TextOf(row, c.ref, scratch);
  auto in_list = [&](bool no_case) {
    for (const auto& x : c.values) {
      if (no_case ? EqualsIgnoreCase(v, x) : v == x) return true;
    }
    return false;
  };
  switch (c.op) {
    case kql::Op::kEq:
      return v == c.values[0];
    case kql::Op::kEqNoCase:
      return EqualsIgnoreCase(v, c.values[0]);
    case kql::Op::kNe:
      return v != c.values[0];
    case kql::Op::kNeNoCase:
      return !EqualsIgnoreCase(v, c.values[0]);
    case kql::Op::kIn:
      return in_list(false);
    case kql::Op::kNotIn:
      return !in_list(false);
    case kql::Op::kInNoCase:
      return in_list(true);
    case kql::Op::kNotInNoCase:
      return !in_list(true);
    case kql::Op::kContains:
    case kql::Op::kHas:
      return ContainsNoCase(v, c.lower_values[0]);
    case kql::Op::kNotContains:
      return !ContainsNoCase(v, c.lower_values[0]);
    case kql::Op::kStartsWith:
      return StartsWithIgnoreCase(v, c.lower_values[0]);
    case kql::Op::kEndsWith:
      return v.size() >= c.lower_values[0].size() &&
             EqualsIgnoreCase(v.substr(v.size() - c.lower_values[0].size()), c.lower_values[0]);
  }
  return false;
}

net::HttpResponse ArgBadRequest(std::string_view detail_code, std::string_view detail) {
  json::array details;
  details.push_back(json::object{
      {"code", "InvalidQuery"},
      {"message",
       "Query is invalid. Please refer to the documentation for the Azure Resource Graph service "
       "and fix the error before retrying."}});
  details.push_back(json::object{{"code", detail_code}, {"message", detail}});
  json::object err;
  err["code"] = "BadRequest";
  err["message"] =
      "Please provide below info when asking for support: the query and the "
      "details below.";
  err["details"] = std::move(details);
  return net::HttpResponse::Json(400, json::object{{"error", std::move(err)}});
}

Result<int64_t> IntOption(const json::object* options, std::string_view key) {
  const json::value* v = FindIgnoreCase(options, key);
  if (v == nullptr || v->is_null()) return int64_t{-1};
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), 1u << 30));
  if (v->is_string()) {
    std::string s(v->get_string());
    char* end = nullptr;
    long long n = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0') return static_cast<int64_t>(n);
  }
  return Status::InvalidArgument("options." + std::string(key) + " must be an integer");
}

}  // namespace

ResourceGraphApi::ResourceGraphApi(const TenantIndex& index, ApiOptions options)
    : index_(index), options_(std::move(options)) {}

bool ResourceGraphApi::Claims(std::string_view path) {
  std::string_view p = path;
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return EqualsIgnoreCase(p, "/providers/Microsoft.ResourceGraph/resources");
}

net::HttpResponse ResourceGraphApi::Handle(const net::HttpRequest& req,
                                           const CallerContext& caller) const {
  auto api_version = req.Query("api-version");
  if (!api_version || api_version->empty()) {
    return ArmError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all "
                    "requests.");
  }
  if (req.method != "POST") {
    return ArmError(405, "MethodNotAllowed",
                    "Resource Graph queries are sent with POST, not " + req.method + ".");
  }
  if (options_.resource_graph_forbidden) {
    std::string who = caller.principal_id.empty() ? "unknown" : caller.principal_id;
    return ArmError(403, "AuthorizationFailed",
                    "The client '" + who + "' with object id '" + who +
                        "' does not have authorization to perform action "
                        "'Microsoft.ResourceGraph/resources/read' over scope "
                        "'/providers/Microsoft.ResourceGraph' or the scope is invalid.");
  }
  auto parsed = ParseJson(req.body);
  if (!parsed.ok() || !parsed->is_object()) {
    return ArgBadRequest("InvalidRequestContent",
                         "The request body must be a JSON object with a 'query' string.");
  }
  const json::object& body = parsed->get_object();
  auto query_text = FindString(&body, "query");
  if (!query_text) {
    return ArgBadRequest("InvalidRequestContent", "Required property 'query' is missing.");
  }
  auto query = kql::Parse(*query_text);
  if (!query.ok()) return ArgBadRequest("UnsupportedQuery", query.status().message());

  // Scope: the requested subscriptions the caller may read, or all of them.
  std::set<std::string, std::less<>> subs;
  bool scoped = false;
  if (const json::array* list = FindArray(&body, "subscriptions"); list && !list->empty()) {
    scoped = true;
    for (const auto& s : *list) {
      if (!s.is_string()) {
        return ArgBadRequest("InvalidRequestContent", "'subscriptions' must list strings.");
      }
      subs.insert(ToLower(s.get_string()));
    }
  } else {
    for (const auto& s : index_.subscriptions()) subs.insert(s.lower);
  }
  for (const auto& f : options_.forbidden_subscriptions) subs.erase(f);

  const json::object* options = FindObject(&body, "options");
  auto top = IntOption(options, "$top");
  auto skip = IntOption(options, "$skip");
  if (!top.ok()) return ArgBadRequest("InvalidRequestContent", top.status().message());
  if (!skip.ok()) return ArgBadRequest("InvalidRequestContent", skip.status().message());
  if (*top == 0 || *top > static_cast<int64_t>(kMaxPageSize) || *top < -1) {
    return ArgBadRequest("InvalidTopValue",
                         "options.$top must be between 1 and 1000; page further with $skipToken.");
  }
  if (*skip < -1) return ArgBadRequest("InvalidSkipValue", "options.$skip must not be negative.");
  size_t page = *top > 0 ? static_cast<size_t>(*top) : kDefaultPageSize;
  std::string format = "objectarray";
  if (auto f = FindString(options, "resultFormat")) format = ToLower(*f);
  if (format != "objectarray" && format != "table") {
    return ArgBadRequest("InvalidResultFormat",
                         "options.resultFormat must be 'objectArray' or "
                         "'table'.");
  }

  // Resolve every column reference before touching rows.
  std::vector<ResolvedCondition> conds;
  for (const auto& c : query->where) {
    auto ref = Resolve(c.column);
    if (!ref.ok()) return ArgBadRequest("UnsupportedQuery", ref.status().message());
    ResolvedCondition rc{*ref, c.op, c.values, {}};
    for (const auto& v : c.values) rc.lower_values.push_back(ToLower(v));
    conds.push_back(std::move(rc));
  }
  std::vector<std::pair<std::string, ColumnRef>> out_cols;
  if (query->project.empty()) {
    for (const auto& c : kColumns) out_cols.emplace_back(c.name, ColumnRef{&c, {}});
  } else {
    for (const auto& pc : query->project) {
      auto ref = Resolve(pc.column);
      if (!ref.ok()) return ArgBadRequest("UnsupportedQuery", ref.status().message());
      out_cols.emplace_back(pc.output_name, *ref);
    }
  }
  std::vector<std::pair<ColumnRef, bool>> order;
  for (const auto& k : query->order) {
    auto ref = Resolve(k.column);
    if (!ref.ok()) return ArgBadRequest("UnsupportedQuery", ref.status().message());
    order.emplace_back(*ref, k.descending);
  }

  const std::vector<GraphRow>& table =
      query->table == kql::Table::kResources            ? index_.resources_table()
      : query->table == kql::Table::kResourceContainers ? index_.resource_containers_table()
                                                        : index_.authorization_table();
  std::vector<const GraphRow*> rows;
  // Rows are sorted by id, so neighbours share their subscription: remember the last verdict.
  std::string_view last_sub;
  bool last_allowed = false;
  for (const auto& row : table) {
    if (!row.subscription.empty()) {
      if (row.subscription.data() != last_sub.data() || row.subscription != last_sub) {
        last_sub = row.subscription;
        last_allowed = subs.contains(row.subscription);
      }
      if (!last_allowed) continue;
    }
    if (row.subscription.empty() && scoped && query->table != kql::Table::kAuthorizationResources) {
      continue;
    }
    bool ok = true;
    for (const auto& c : conds) {
      if (!Matches(row, c)) {
        ok = false;
        break;
      }
    }
    if (ok) rows.push_back(&row);
  }
  // Rows are sorted by id already; a stable sort keeps that as the tie-breaker.
  if (order.size() == 1 && order[0].first.def->col == Col::kId && order[0].first.path.empty()) {
    if (order[0].second) std::reverse(rows.begin(), rows.end());
  } else if (!order.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const GraphRow* a, const GraphRow* b) {
      for (const auto& [ref, desc] : order) {
        std::string x = TextOf(*a, ref), y = TextOf(*b, ref);
        if (ref.def->col == Col::kId) {
          x = ToLower(x);
          y = ToLower(y);
        }
        if (x != y) return desc ? x > y : x < y;
      }
      return false;
    });
  }
  if (query->limit && rows.size() > *query->limit) rows.resize(*query->limit);

  std::string fp_text = std::string(*query_text) + "|";
  for (const auto& s : subs) fp_text += s + ",";
  uint64_t fp = Fnv1a64(fp_text);
  size_t offset = *skip > 0 ? static_cast<size_t>(*skip) : 0;
  if (auto tok = FindString(options, "$skipToken")) {
    auto o = ParseSkipToken(*tok, fp);
    if (!o) {
      return ArgBadRequest("InvalidSkipToken",
                           "options.$skipToken is malformed or belongs to another query or "
                           "subscription list. Restart from the first page.");
    }
    offset = *o;
  }
  offset = std::min(offset, rows.size());
  size_t end = std::min(rows.size(), offset + page);

  std::string out;
  out.reserve((end - offset) * 1024 + 256);
  out += "{\"totalRecords\":" + std::to_string(rows.size());
  out += ",\"count\":" + std::to_string(end - offset);
  out += ",\"resultTruncated\":\"false\",\"facets\":[]";
  if (end < rows.size()) {
    out += ",\"$skipToken\":";
    AppendJsonString(out, MakeSkipToken(end, fp));
  }
  if (format == "table") {
    out += ",\"data\":{\"columns\":[";
    for (size_t i = 0; i < out_cols.size(); ++i) {
      if (i) out += ',';
      out += "{\"name\":";
      AppendJsonString(out, out_cols[i].first);
      out += out_cols[i].second.def->is_string && out_cols[i].second.path.empty()
                 ? ",\"type\":\"string\"}"
                 : ",\"type\":\"object\"}";
    }
    out += "],\"rows\":[";
    for (size_t i = offset; i < end; ++i) {
      if (i > offset) out += ',';
      out += '[';
      for (size_t j = 0; j < out_cols.size(); ++j) {
        if (j) out += ',';
        AppendValue(out, *rows[i], out_cols[j].second);
      }
      out += ']';
    }
    out += "]}}";
    return JsonText(200, std::move(out));
  }
  out += ",\"data\":[";
  for (size_t i = offset; i < end; ++i) {
    if (i > offset) out += ',';
    out += '{';
    for (size_t j = 0; j < out_cols.size(); ++j) {
      if (j) out += ',';
      AppendJsonString(out, out_cols[j].first);
      out += ':';
      AppendValue(out, *rows[i], out_cols[j].second);
    }
    out += '}';
  }
  out += "]}";
  return JsonText(200, std::move(out));
}

}  // namespace atg::sim
