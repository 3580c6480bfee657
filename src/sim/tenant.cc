#include "sim/tenant.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::sim {
namespace {

constexpr std::string_view kFields[] = {"tenant_id",         "subscriptions", "resource_groups",
                                        "resources",         "users",         "groups",
                                        "service_principals"};

std::string At(std::string_view base, size_t i) {
  std::string s(base);
  s += '[';
  s += std::to_string(i);
  s += ']';
  return s;
}

std::string Field(std::string_view base, std::string_view key) {
  std::string s(base);
  s += '.';
  s += key;
  return s;
}

Status Invalid(std::string_view path, std::string_view what) {
  std::string m(path);
  m += ": ";
  m += what;
  return Status::InvalidArgument(std::move(m));
}

std::string_view View(const json::string& s) { return {s.data(), s.size()}; }

// Looks up a required string member; `hint` tells the reader what belongs there.
Result<std::string_view> NeedString(const json::object& o, std::string_view key,
                                    std::string_view path, std::string_view hint) {
  auto it = o.find(key);
  if (it == o.end()) {
    return Invalid(Field(path, key),
                   std::string("required string is missing; add ") + std::string(hint));
  }
  if (!it->value().is_string()) {
    return Invalid(Field(path, key), std::string("expected a string: ") + std::string(hint));
  }
  std::string_view v = View(it->value().get_string());
  if (v.empty()) {
    return Invalid(Field(path, key), std::string("must not be empty: ") + std::string(hint));
  }
  return v;
}

Result<std::string_view> NeedGuid(const json::object& o, std::string_view key,
                                  std::string_view path, std::string_view what) {
  auto s = NeedString(o, key, path, std::string(what) + " (a GUID)");
  if (!s.ok()) return s.status();
  if (!IsGuid(*s)) {
    return Invalid(Field(path, key), "'" + std::string(*s) + "' is not a GUID; " +
                                         std::string(what) +
                                         " must look like 00000000-0000-0000-0000-000000000000");
  }
  return *s;
}

// Optional members: absent or null is fine; otherwise the JSON kind must match.
Status OptionalKind(const json::object& o, std::string_view key, json::kind kind,
                    std::string_view path, std::string_view expected) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return Status::Ok();
  if (it->value().kind() != kind) {
    return Invalid(Field(path, key),
                   "expected " + std::string(expected) + " or no field at all; fix or remove it");
  }
  return Status::Ok();
}

Status CheckTags(const json::object& o, std::string_view path) {
  ATG_RETURN_IF_ERROR(OptionalKind(o, "tags", json::kind::object, path, "an object of strings"));
  const json::object* tags = FindObject(&o, "tags");
  if (!tags) return Status::Ok();
  for (const auto& kv : *tags) {
    if (!kv.value().is_string()) {
      return Invalid(Field(Field(path, "tags"), View(kv.key())),
                     "expected a string (ARM tag values are strings)");
    }
  }
  return Status::Ok();
}

// A resource group or resource id as a tenant file must spell it: the ARM grammar
// (common/arm_id.h), below a subscription named by its GUID, without a trailing '/'.
Result<ArmId> ParseTenantArmId(std::string_view id) {
  auto parsed = ParseArmId(id);
  if (!parsed.ok()) return parsed.status();
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("'" + std::string(id) + "' is not a well-formed ARM id: " + why +
                                   " (expected /subscriptions/{guid}[/resourceGroups/{name}]"
                                   "[/providers/{Namespace}/{type}/{name}...])");
  };
  if (id.back() == '/') return bad("it ends with '/'");
  if (parsed->subscription_id.empty()) return bad("it does not start with /subscriptions/{guid}");
  if (!IsGuid(parsed->subscription_id)) {
    return bad("'" + parsed->subscription_id + "' is not a subscription GUID");
  }
  return parsed;
}

const json::array* ArrayOrNull(const json::object& doc, std::string_view key) {
  auto it = doc.find(key);
  return it == doc.end() ? nullptr : &it->value().get_array();
}

// All checks on a document; it is not modified.
class Validator {
 public:
  explicit Validator(const json::object& doc) : doc_(doc) {}

  Status Run() {
    for (const auto& kv : doc_) {
      bool known = false;
      for (auto f : kFields) known = known || View(kv.key()) == f;
      if (!known) {
        return Invalid(Field("$", View(kv.key())),
                       "unknown field; a tenant file has only tenant_id, subscriptions, "
                       "resource_groups, resources, users, groups and service_principals");
      }
    }
    auto tid = NeedGuid(doc_, "tenant_id", "$", "the directory (tenant) id");
    if (!tid.ok()) return tid.status();
    for (auto f : kFields) {
      if (f == "tenant_id") continue;
      auto it = doc_.find(f);
      bool optional = f == "users" || f == "groups" || f == "service_principals";
      if (it == doc_.end()) {
        if (optional) continue;
        return Invalid(Field("$", f), "required array is missing; add \"" + std::string(f) +
                                          "\": [] if there are none");
      }
      if (!it->value().is_array()) return Invalid(Field("$", f), "expected an array");
    }
    ATG_RETURN_IF_ERROR(Subscriptions());
    ATG_RETURN_IF_ERROR(ResourceGroups());
    ATG_RETURN_IF_ERROR(Resources());
    ATG_RETURN_IF_ERROR(Directory());
    return Status::Ok();
  }

 private:
  Result<const json::object*> Entry(const json::value& v, const std::string& path,
                                    std::string_view what) {
    if (!v.is_object()) return Invalid(path, "expected an object (" + std::string(what) + ")");
    return &v.get_object();
  }

  Status Subscriptions() {
    const json::array& subs = *ArrayOrNull(doc_, "subscriptions");
    for (size_t i = 0; i < subs.size(); ++i) {
      std::string path = At("$.subscriptions", i);
      auto o = Entry(subs[i], path, "a subscription");
      if (!o.ok()) return o.status();
      auto id = NeedGuid(**o, "subscriptionId", path, "the subscription id");
      if (!id.ok()) return id.status();
      if (!subscriptions_.insert(ToLower(*id)).second) {
        return Invalid(Field(path, "subscriptionId"),
                       "duplicate subscription '" + std::string(*id) + "'; list each once");
      }
      auto name = NeedString(**o, "displayName", path, "the subscription's display name");
      if (!name.ok()) return name.status();
      auto state = NeedString(**o, "state", path, "\"Enabled\" (or Warned, PastDue, Disabled)");
      if (!state.ok()) return state.status();
      static constexpr std::string_view kStates[] = {"Enabled", "Warned", "PastDue", "Disabled",
                                                     "Deleted"};
      bool ok = false;
      for (auto s : kStates) ok = ok || *state == s;
      if (!ok) {
        return Invalid(Field(path, "state"), "'" + std::string(*state) +
                                                 "' is not a subscription state; use Enabled, "
                                                 "Warned, PastDue, Disabled or Deleted");
      }
      ATG_RETURN_IF_ERROR(CheckTags(**o, path));
    }
    return Status::Ok();
  }

  Status ResourceGroups() {
    const json::array& rgs = *ArrayOrNull(doc_, "resource_groups");
    for (size_t i = 0; i < rgs.size(); ++i) {
      std::string path = At("$.resource_groups", i);
      auto o = Entry(rgs[i], path, "a resource group");
      if (!o.ok()) return o.status();
      auto id = NeedString(**o, "id", path,
                           "the resource group id /subscriptions/{guid}/resourceGroups/{name}");
      if (!id.ok()) return id.status();
      auto parsed = ParseTenantArmId(*id);
      if (!parsed.ok()) return Invalid(Field(path, "id"), parsed.status().message());
      if (!parsed->is_resource_group()) {
        return Invalid(Field(path, "id"), "'" + std::string(*id) +
                                              "' is not a resource group id; expected "
                                              "/subscriptions/{guid}/resourceGroups/{name}");
      }
      ATG_RETURN_IF_ERROR(CheckSubscription(*parsed, Field(path, "id")));
      if (!resource_groups_.insert(ToLower(*id)).second) {
        return Invalid(Field(path, "id"), "duplicate resource group '" + std::string(*id) +
                                              "' (ids compare case-insensitively); list it once");
      }
      auto name = NeedString(**o, "name", path, "the resource group's name");
      if (!name.ok()) return name.status();
      if (!EqualsIgnoreCase(*name, parsed->resource_group)) {
        return Invalid(Field(path, "name"), "'" + std::string(*name) +
                                                "' does not match the name in the id ('" +
                                                std::string(parsed->resource_group) + "')");
      }
      auto loc = NeedString(**o, "location", path, "the resource group's region, e.g. \"eastus\"");
      if (!loc.ok()) return loc.status();
      ATG_RETURN_IF_ERROR(CheckTags(**o, path));
      ATG_RETURN_IF_ERROR(OptionalKind(**o, "managedBy", json::kind::string, path,
                                       "a string (the id of the managing resource)"));
    }
    return Status::Ok();
  }

  Status CheckSubscription(const ArmId& id, const std::string& path) {
    if (!subscriptions_.count(ToLower(id.subscription_id))) {
      return Invalid(path, "subscription '" + std::string(id.subscription_id) +
                               "' is not in $.subscriptions; add it there or fix the id");
    }
    return Status::Ok();
  }

  Status Resources() {
    const json::array& res = *ArrayOrNull(doc_, "resources");
    resources_.reserve(res.size() * 2);
    // Pass 1: each entry on its own, and the index of ids. Pass 2 (parents and scopes) needs
    // the whole index because a parent may come after its children.
    for (size_t i = 0; i < res.size(); ++i) {
      std::string path = At("$.resources", i);
      auto o = Entry(res[i], path, "a full ARM resource body");
      if (!o.ok()) return o.status();
      const json::object& r = **o;
      auto id = NeedString(r, "id", path, "the resource's ARM id");
      if (!id.ok()) return id.status();
      auto name = NeedString(r, "name", path, "the resource's name (the id's last segment)");
      if (!name.ok()) return name.status();
      auto type = NeedString(r, "type", path,
                             "the ARM resource type, e.g. \"Microsoft.Network/virtualNetworks\"");
      if (!type.ok()) return type.status();
      auto parsed = ParseTenantArmId(*id);
      if (!parsed.ok()) return Invalid(Field(path, "id"), parsed.status().message());
      if (parsed->is_subscription() || parsed->is_resource_group()) {
        return Invalid(Field(path, "id"),
                       "'" + std::string(*id) +
                           "' is a subscription or resource group id; list resource groups in "
                           "$.resource_groups and subscriptions in $.subscriptions");
      }
      if (!EqualsIgnoreCase(*type, parsed->type)) {
        return Invalid(Field(path, "type"), "'" + std::string(*type) +
                                                "' does not match the type in the id ('" +
                                                parsed->type + "')");
      }
      std::string_view last = *name;
      if (size_t slash = last.rfind('/'); slash != std::string_view::npos) {
        last = last.substr(slash + 1);  // ARM template style "parent/child" names
      }
      if (!EqualsIgnoreCase(last, parsed->name)) {
        return Invalid(Field(path, "name"), "'" + std::string(*name) +
                                                "' does not match the id's last segment ('" +
                                                std::string(parsed->name) + "')");
      }
      ATG_RETURN_IF_ERROR(CheckSubscription(*parsed, Field(path, "id")));
      if (!parsed->resource_group.empty()) {
        // "/subscriptions/" + sub + "/resourceGroups/" + rg, as the id spells it.
        std::string rg_id(*id, 0,
                          31 + parsed->subscription_id.size() + parsed->resource_group.size());
        if (!resource_groups_.count(ToLower(rg_id))) {
          return Invalid(Field(path, "id"), "resource group '" + rg_id +
                                                "' is not in $.resource_groups; add it there or "
                                                "fix the id");
        }
      }
      if (!resources_.insert(ToLower(*id)).second) {
        return Invalid(Field(path, "id"), "duplicate resource '" + std::string(*id) +
                                              "' (ids compare case-insensitively); list it once");
      }
      ATG_RETURN_IF_ERROR(
          OptionalKind(r, "location", json::kind::string, path, "a string (a region)"));
      ATG_RETURN_IF_ERROR(OptionalKind(r, "kind", json::kind::string, path, "a string"));
      ATG_RETURN_IF_ERROR(OptionalKind(r, "properties", json::kind::object, path, "an object"));
      ATG_RETURN_IF_ERROR(OptionalKind(r, "sku", json::kind::object, path, "an object"));
      ATG_RETURN_IF_ERROR(OptionalKind(r, "identity", json::kind::object, path, "an object"));
      ATG_RETURN_IF_ERROR(OptionalKind(r, "zones", json::kind::array, path, "an array"));
      ATG_RETURN_IF_ERROR(CheckTags(r, path));
    }
    for (size_t i = 0; i < res.size(); ++i) {
      std::string_view id = View(res[i].get_object().at("id").get_string());
      auto parsed = ParseArmId(id);
      if (!parsed->parent().empty() && !resources_.count(ToLower(parsed->parent()))) {
        return Invalid(Field(At("$.resources", i), "id"),
                       "parent resource '" + parsed->parent() +
                           "' is not in $.resources; add the parent or remove this child");
      }
      if (parsed->is_extension() && !resources_.count(ToLower(parsed->parent_id))) {
        return Invalid(Field(At("$.resources", i), "id"),
                       "extension resource's scope '" + std::string(parsed->parent_id) +
                           "' is not in $.resources; add that resource or remove this entry");
      }
    }
    return Status::Ok();
  }

  Status Directory() {
    struct List {
      const char* key;
      const char* what;
      const char* extra;  // a further required string, or nullptr
      const char* extra_hint;
    };
    static constexpr List kLists[] = {
        {"users", "a Microsoft Graph user", "userPrincipalName",
         "the user's sign-in name, e.g. \"adele@contoso.onmicrosoft.com\""},
        {"groups", "a Microsoft Graph group", nullptr, nullptr},
        {"service_principals", "a Microsoft Graph servicePrincipal", "appId",
         "the application (client) id"},
    };
    for (const List& l : kLists) {
      const json::array* arr = ArrayOrNull(doc_, l.key);
      if (!arr) continue;
      std::string base = Field("$", l.key);
      for (size_t i = 0; i < arr->size(); ++i) {
        std::string path = At(base, i);
        auto o = Entry((*arr)[i], path, l.what);
        if (!o.ok()) return o.status();
        auto id = NeedGuid(**o, "id", path, "the directory object id");
        if (!id.ok()) return id.status();
        if (!objects_.insert(ToLower(*id)).second) {
          return Invalid(Field(path, "id"), "duplicate directory object id '" + std::string(*id) +
                                                "'; ids are unique across users, groups and "
                                                "service principals");
        }
        auto dn = NeedString(**o, "displayName", path, "the display name");
        if (!dn.ok()) return dn.status();
        if (l.extra) {
          auto x = NeedString(**o, l.extra, path, l.extra_hint);
          if (!x.ok()) return x.status();
        }
      }
    }
    const json::array* groups = ArrayOrNull(doc_, "groups");
    if (!groups) return Status::Ok();
    for (size_t i = 0; i < groups->size(); ++i) {
      std::string path = At("$.groups", i);
      const json::object& g = (*groups)[i].get_object();
      ATG_RETURN_IF_ERROR(
          OptionalKind(g, "members", json::kind::array, path, "an array of member object ids"));
      const json::array* members = FindArray(&g, "members");
      if (!members) continue;
      std::string mpath = Field(path, "members");
      for (size_t k = 0; k < members->size(); ++k) {
        const json::value& m = (*members)[k];
        if (!m.is_string()) {
          return Invalid(At(mpath, k), "expected a string (the member's object id)");
        }
        if (!objects_.count(ToLower(View(m.get_string())))) {
          return Invalid(At(mpath, k), "'" + std::string(View(m.get_string())) +
                                           "' is not a user, group or service principal of "
                                           "this tenant; add the object or remove the member");
        }
      }
    }
    return Status::Ok();
  }

  const json::object& doc_;
  std::unordered_set<std::string> subscriptions_;
  std::unordered_set<std::string> resource_groups_;
  std::unordered_set<std::string> resources_;
  std::unordered_set<std::string> objects_;
};

Status Validate(const json::value& doc) {
  if (!doc.is_object()) {
    return Invalid("$",
                   "expected an object with tenant_id, subscriptions, resource_groups, "
                   "resources, users, groups and service_principals");
  }
  return Validator(doc.get_object()).Run();
}

// Writes through a FILE* and remembers the first failure, so the dump code stays linear.
class Out {
 public:
  explicit Out(std::FILE* f) : f_(f) {}
  void Put(std::string_view s) {
    if (ok_ && std::fwrite(s.data(), 1, s.size(), f_) != s.size()) ok_ = false;
  }
  void PutJson(const json::value& v) {
    serializer_.reset(&v);
    while (!serializer_.done()) {
      json::string_view s = serializer_.read(buf_, sizeof(buf_));
      Put(std::string_view(s.data(), s.size()));
    }
  }
  bool ok() const { return ok_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
  json::serializer serializer_;
  char buf_[16384];
};

void PutArray(Out& out, std::string_view key, const json::array& arr, bool last) {
  out.Put("\"");
  out.Put(key);
  out.Put("\":[");
  for (size_t i = 0; i < arr.size(); ++i) {
    out.Put(i == 0 ? "\n" : ",\n");
    out.PutJson(arr[i]);
  }
  out.Put(arr.empty() ? "]" : "\n]");
  out.Put(last ? "\n}\n" : ",\n");
}

}  // namespace

Result<Tenant> TenantFromJson(const json::value& doc) {
  ATG_RETURN_IF_ERROR(Validate(doc));
  const json::object& o = doc.get_object();
  Tenant t;
  t.tenant_id = std::string(View(o.at("tenant_id").get_string()));
  auto copy = [&](std::string_view key, json::array& to) {
    if (const json::array* a = ArrayOrNull(o, key)) to = *a;
  };
  copy("subscriptions", t.subscriptions);
  copy("resource_groups", t.resource_groups);
  copy("resources", t.resources);
  copy("users", t.users);
  copy("groups", t.groups);
  copy("service_principals", t.service_principals);
  return t;
}

Result<Tenant> TenantFromJson(json::value&& doc) {
  ATG_RETURN_IF_ERROR(Validate(doc));
  json::object& o = doc.get_object();
  Tenant t;
  t.tenant_id = std::string(View(o.at("tenant_id").get_string()));
  auto take = [&](std::string_view key, json::array& to) {
    auto it = o.find(key);
    if (it != o.end()) to = std::move(it->value().get_array());
  };
  take("subscriptions", t.subscriptions);
  take("resource_groups", t.resource_groups);
  take("resources", t.resources);
  take("users", t.users);
  take("groups", t.groups);
  take("service_principals", t.service_principals);
  return t;
}

Result<Tenant> LoadTenantFile(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    return Status::NotFound("cannot open tenant file " + path +
                            ": no such file or not readable; check the --tenant-file path");
  }
  // Parsed in chunks so a large file is never held as text next to its document.
  json::parse_options opt;
  opt.max_depth = 256;
  json::stream_parser parser(json::storage_ptr(), opt);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  size_t offset = 0;
  boost::system::error_code ec;
  size_t n;
  while ((n = std::fread(buf.get(), 1, 1 << 20, f.get())) > 0) {
    size_t used = parser.write(buf.get(), n, ec);
    if (ec) {
      return Status::InvalidArgument("tenant file " + path + ": invalid JSON near byte " +
                                     std::to_string(offset + used) + ": " + ec.message());
    }
    offset += n;
  }
  if (std::ferror(f.get())) return Status::IoError("error reading tenant file " + path);
  parser.finish(ec);
  if (ec) {
    return Status::InvalidArgument("tenant file " + path + ": invalid JSON at the end (" +
                                   ec.message() + "); is the file complete?");
  }
  auto t = TenantFromJson(parser.release());
  if (!t.ok()) return t.status().WithContext("tenant file " + path);
  return t;
}

json::value TenantToJson(const Tenant& tenant) {
  json::object o;
  o["tenant_id"] = tenant.tenant_id;
  o["subscriptions"] = tenant.subscriptions;
  o["resource_groups"] = tenant.resource_groups;
  o["resources"] = tenant.resources;
  o["users"] = tenant.users;
  o["groups"] = tenant.groups;
  o["service_principals"] = tenant.service_principals;
  return o;
}

Status DumpTenantFile(const Tenant& tenant, const std::string& path) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) {
    return Status::IoError("cannot create " + tmp +
                           "; check that the directory exists and is writable");
  }
  std::unique_ptr<char[]> file_buf(new char[1 << 20]);
  std::setvbuf(f, file_buf.get(), _IOFBF, 1 << 20);
  auto out = std::make_unique<Out>(f);
  out->Put("{\"tenant_id\":");
  out->PutJson(json::value(tenant.tenant_id));
  out->Put(",\n");
  PutArray(*out, "subscriptions", tenant.subscriptions, false);
  PutArray(*out, "resource_groups", tenant.resource_groups, false);
  PutArray(*out, "resources", tenant.resources, false);
  PutArray(*out, "users", tenant.users, false);
  PutArray(*out, "groups", tenant.groups, false);
  PutArray(*out, "service_principals", tenant.service_principals, true);
  bool ok = out->ok();
  if (std::fclose(f) != 0) ok = false;
  if (!ok) {
    std::remove(tmp.c_str());
    return Status::IoError("short write to " + tmp + " (disk full?); nothing was replaced");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

}  // namespace atg::sim
