#include "azure/endpoints.h"

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::azure {

std::string_view ApiKindName(ApiKind kind) {
  switch (kind) {
    case ApiKind::kArm:
      return "arm";
    case ApiKind::kResourceGraph:
      return "resource_graph";
    case ApiKind::kGraph:
      return "graph";
    case ApiKind::kIdentity:
      return "identity";
    case ApiKind::kKeyVault:
      return "key_vault";
    case ApiKind::kStorage:
      return "storage";
  }
  return "unknown";
}

namespace {

std::string_view AuthorityOf(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

std::string_view HostOnly(std::string_view authority) {
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    return authority.substr(1, authority.find(']') - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool IsLocalOrPlain(std::string_view url) {
  std::string host = ToLower(HostOnly(AuthorityOf(url)));
  return !StartsWithIgnoreCase(url, "https://") || host == "localhost" ||
         host.starts_with("127.") || host == "::1";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

// Whether `url` starts with `base` at a path boundary.
bool UnderBase(std::string_view url, std::string_view base) {
  if (!StartsWithIgnoreCase(url, base)) return false;
  if (url.size() == base.size()) return true;
  char next = url[base.size()];
  return next == '/' || next == '?' || next == '#';
}

}  // namespace

std::string_view PathOf(std::string_view url) {
  size_t start = url.find("://");
  std::string_view rest = start == std::string_view::npos ? url : url.substr(start + 3);
  size_t slash = start == std::string_view::npos ? 0 : rest.find_first_of("/?#");
  if (slash == std::string_view::npos || rest[slash] != '/') return "/";
  rest = rest.substr(slash);
  return rest.substr(0, rest.find_first_of("?#"));
}

std::string SubscriptionOf(std::string_view url) {
  return ToLower(SubscriptionOfPath(PathOf(url)));
}

Result<std::string> NormalizeEndpoint(std::string_view variable, std::string_view url) {
  std::string_view u = Trim(url);
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(std::string(variable) + " is set to \"" + std::string(u) +
                                   "\", which " + std::string(why) +
                                   ". Set it to an absolute URL such as https://host[:port].");
  };
  if (!StartsWithIgnoreCase(u, "https://") && !StartsWithIgnoreCase(u, "http://")) {
    return bad("does not start with https:// or http://");
  }
  std::string_view authority = AuthorityOf(u);
  if (HostOnly(authority).empty()) return bad("has no host");
  if (u.find_first_of("?# ") != std::string_view::npos) {
    return bad("has a query, fragment or space");
  }
  std::string out(u);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

Result<AzureEndpoints> AzureEndpoints::FromUrls(std::string_view arm, std::string_view graph,
                                                std::string_view authority, std::string_view imds) {
  AzureEndpoints e;
  auto a = NormalizeEndpoint("ATG_ARM_ENDPOINT", arm);
  if (!a.ok()) return a.status();
  auto g = NormalizeEndpoint("ATG_GRAPH_ENDPOINT", graph);
  if (!g.ok()) return g.status();
  auto l = NormalizeEndpoint("AZURE_AUTHORITY_HOST", authority);
  if (!l.ok()) return l.status();
  auto m = NormalizeEndpoint("ATG_IMDS_ENDPOINT", imds);
  if (!m.ok()) return m.status();
  e.arm = *a;
  e.graph = *g;
  e.authority = *l;
  e.imds = *m;
  if (!IsLocalOrPlain(e.arm)) {
    e.arm_scope = e.arm + "/.default";
    std::string host = ToLower(HostOnly(AuthorityOf(e.arm)));
    if (EndsWith(host, ".usgovcloudapi.net")) {
      e.key_vault_scope = "https://vault.usgovcloudapi.net/.default";
    } else if (EndsWith(host, ".chinacloudapi.cn")) {
      e.key_vault_scope = "https://vault.azure.cn/.default";
    }
  }
  if (!IsLocalOrPlain(e.graph)) e.graph_scope = e.graph + "/.default";
  return e;
}

Result<AzureEndpoints> AzureEndpoints::FromSettings(const Settings& s) {
  AzureEndpoints d;
  std::string arm = s.GetString("ATG_ARM_ENDPOINT", d.arm);
  std::string graph = s.GetString("ATG_GRAPH_ENDPOINT", d.graph);
  std::string authority = s.GetString("AZURE_AUTHORITY_HOST", d.authority);
  std::string imds = s.GetString("ATG_IMDS_ENDPOINT", d.imds);
  auto e = FromUrls(arm, graph, authority, imds);
  if (!e.ok()) {
    // Say where the bad value came from: flag, env or .env.
    const std::string& m = e.status().message();
    std::string variable = m.substr(0, m.find(' '));
    return Status::InvalidArgument(m + " (from " + s.SourceOf(variable) + ")");
  }
  return e;
}

ApiKind AzureEndpoints::Classify(std::string_view url) const {
  std::string_view path = PathOf(url);
  auto by_path = [&](ApiKind fallback) {
    std::string lower = ToLower(path);
    if (lower.find("/providers/microsoft.resourcegraph/") != std::string::npos) {
      return ApiKind::kResourceGraph;
    }
    if (lower.starts_with("/v1.0/") || lower.starts_with("/beta/")) return ApiKind::kGraph;
    if (lower.find("/oauth2/") != std::string::npos || lower.starts_with("/metadata/identity") ||
        lower.starts_with("/msi/")) {
      return ApiKind::kIdentity;
    }
    return fallback;
  };
  // Longest base first, so that an endpoint nested under another (a simulator serving Graph
  // at /graph on the ARM port) wins.
  struct Base {
    std::string_view url;
    ApiKind kind;
  };
  Base bases[] = {{arm, ApiKind::kArm},
                  {graph, ApiKind::kGraph},
                  {authority, ApiKind::kIdentity},
                  {imds, ApiKind::kIdentity}};
  const Base* best = nullptr;
  for (const Base& b : bases) {
    if (UnderBase(url, b.url) && (best == nullptr || b.url.size() > best->url.size())) best = &b;
  }
  if (best != nullptr) {
    // Several services may share one base (the simulator): the path decides among them.
    size_t same = 0;
    for (const Base& b : bases) same += EqualsIgnoreCase(b.url, best->url) ? 1 : 0;
    if (same > 1) return by_path(ApiKind::kArm);
    if (best->kind == ApiKind::kArm)
      return by_path(ApiKind::kArm) == ApiKind::kResourceGraph ? ApiKind::kResourceGraph
                                                               : ApiKind::kArm;
    return best->kind;
  }
  std::string host = ToLower(HostOnly(AuthorityOf(url)));
  if (host.find(".vault.") != std::string::npos) return ApiKind::kKeyVault;
  if (host.find(".blob.") != std::string::npos) return ApiKind::kStorage;
  return by_path(ApiKind::kArm);
}

std::string AzureEndpoints::ScopeFor(ApiKind kind) const {
  switch (kind) {
    case ApiKind::kArm:
    case ApiKind::kResourceGraph:
      return arm_scope;
    case ApiKind::kGraph:
      return graph_scope;
    case ApiKind::kKeyVault:
      return key_vault_scope;
    case ApiKind::kStorage:
      return storage_scope;
    case ApiKind::kIdentity:
      return "";
  }
  return "";
}

}  // namespace atg::azure
