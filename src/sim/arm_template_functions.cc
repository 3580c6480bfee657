#include "sim/arm_template_functions.h"

#include <array>
#include <cctype>
#include <cstdint>

#include "common/strings.h"
#include "sim/api_common.h"

namespace atg::sim {
namespace {

using Args = std::vector<json::value>;
constexpr size_t kMany = TemplateFunction::kUnbounded;

Status Bad(std::string m) { return Status::InvalidArgument(std::move(m)); }

std::string Name(std::string_view fn) { return std::string(fn); }

Result<std::string> Str(std::string_view fn, const json::value& v, size_t i) {
  if (!v.is_string()) {
    return Bad("argument " + std::to_string(i + 1) + " of the template function '" + Name(fn) +
               "' must be a string, not " + TemplateValueToString(v));
  }
  return std::string(v.as_string());
}

// ".../providers/{type}/{names}" interleaved the way ARM ids are: type "A/B/C" with names
// (n1, n2) gives "A/B/n1/C/n2".
Result<std::string> TypedPath(std::string_view fn, const Args& a, size_t type_at) {
  auto type = Str(fn, a[type_at], type_at);
  if (!type.ok()) return type.status();
  std::vector<std::string> segs = Split(*type, '/');
  if (segs.size() < 2) {
    return Bad("the template function '" + Name(fn) +
               "' needs a resource type such as 'Microsoft.Network/virtualNetworks', not '" +
               *type + "'");
  }
  std::vector<std::string> names;
  for (size_t i = type_at + 1; i < a.size(); ++i) {
    auto n = Str(fn, a[i], i);
    if (!n.ok()) return n.status();
    for (auto& part : Split(*n, '/')) names.push_back(part);
  }
  if (names.size() != segs.size() - 1) {
    return Bad("the template function '" + Name(fn) + "': the type '" + *type + "' needs " +
               std::to_string(segs.size() - 1) + " name segment(s) but got " +
               std::to_string(names.size()));
  }
  std::string out = segs[0] + "/" + segs[1] + "/" + names[0];
  for (size_t i = 2; i < segs.size(); ++i) out += "/" + segs[i] + "/" + names[i - 1];
  return out;
}

// A version-4-shaped GUID that is a function of `parts` (ARM's guid() is deterministic too).
Result<std::string> HashGuid(std::string_view fn, const Args& a) {
  std::string joined;
  for (size_t i = 0; i < a.size(); ++i) {
    auto s = Str(fn, a[i], i);
    if (!s.ok()) return s.status();
    joined += *s + "\x1f";
  }
  return StableGuid(joined);
}

// ---- scope and lookups ----

Result<json::value> Lookup(std::string_view fn, const Args& a,
                           const std::function<Result<json::value>(std::string_view)>& cb) {
  auto n = Str(fn, a[0], 0);
  if (!n.ok()) return n.status();
  if (!cb) return Bad("the template function '" + Name(fn) + "' is not available here");
  return cb(*n);
}

Result<json::value> Parameters(std::string_view fn, const Args& a, const ExpressionContext& c) {
  return Lookup(fn, a, c.parameter);
}

Result<json::value> Variables(std::string_view fn, const Args& a, const ExpressionContext& c) {
  return Lookup(fn, a, c.variable);
}

Result<json::value> ResourceId(std::string_view fn, const Args& a, const ExpressionContext& c) {
  size_t type_at = 0;
  while (type_at < a.size() &&
         !(a[type_at].is_string() && a[type_at].as_string().find('/') != std::string::npos)) {
    ++type_at;
  }
  if (type_at >= a.size() || type_at > 2) {
    return Bad(
        "the template function 'resourceId' needs a resource type (a string with '/') as its "
        "first, second or third argument");
  }
  std::string sub = c.subscription_id, rg = c.resource_group;
  if (type_at == 2) {
    auto s = Str(fn, a[0], 0);
    if (!s.ok()) return s.status();
    sub = *s;
  }
  if (type_at >= 1) {
    auto r = Str(fn, a[type_at - 1], type_at - 1);
    if (!r.ok()) return r.status();
    rg = *r;
  }
  auto path = TypedPath(fn, a, type_at);
  if (!path.ok()) return path.status();
  std::string id = "/subscriptions/" + sub;
  if (!rg.empty()) id += "/resourceGroups/" + rg;
  return json::value(id + "/providers/" + *path);
}

Result<json::value> SubscriptionResourceId(std::string_view fn, const Args& a,
                                           const ExpressionContext& c) {
  std::string sub = c.subscription_id;
  size_t type_at = 0;
  if (a[0].is_string() && a[0].as_string().find('/') == std::string::npos) {
    sub = std::string(a[0].as_string());
    type_at = 1;
  }
  auto path = TypedPath(fn, a, type_at);
  if (!path.ok()) return path.status();
  return json::value("/subscriptions/" + sub + "/providers/" + *path);
}

Result<json::value> TenantResourceId(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto path = TypedPath(fn, a, 0);
  if (!path.ok()) return path.status();
  return json::value("/providers/" + *path);
}

Result<json::value> ExtensionResourceId(std::string_view fn, const Args& a,
                                        const ExpressionContext&) {
  auto scope = Str(fn, a[0], 0);
  if (!scope.ok()) return scope.status();
  auto path = TypedPath(fn, a, 1);
  if (!path.ok()) return path.status();
  return json::value(*scope + "/providers/" + *path);
}

Result<json::value> Subscription(std::string_view, const Args&, const ExpressionContext& c) {
  json::object o;
  o["id"] = "/subscriptions/" + c.subscription_id;
  o["subscriptionId"] = c.subscription_id;
  o["tenantId"] = c.tenant_id;
  o["displayName"] = c.subscription_display_name;
  return json::value(std::move(o));
}

Result<json::value> ResourceGroup(std::string_view, const Args&, const ExpressionContext& c) {
  if (c.resource_group.empty()) {
    return Bad(
        "the template function 'resourceGroup' is not expected at this location: the "
        "deployment is at subscription scope; deploy to a resource group or use a nested "
        "deployment with 'resourceGroup' and inner expression scope");
  }
  json::object o;
  o["id"] = "/subscriptions/" + c.subscription_id + "/resourceGroups/" + c.resource_group;
  o["name"] = c.resource_group;
  o["type"] = "Microsoft.Resources/resourceGroups";
  o["location"] = c.resource_group_location;
  o["properties"] = json::object{{"provisioningState", "Succeeded"}};
  return json::value(std::move(o));
}

Result<json::value> Deployment(std::string_view, const Args&, const ExpressionContext& c) {
  return json::value(json::object{{"name", c.deployment_name}});
}

Result<json::value> Tenant(std::string_view, const Args&, const ExpressionContext& c) {
  return json::value(json::object{{"tenantId", c.tenant_id}});
}

// ---- strings ----

Result<json::value> Concat(std::string_view, const Args& a, const ExpressionContext&) {
  if (!a.empty() && a[0].is_array()) {
    json::array out;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_array()) {
        return Bad("concat() of arrays got a non-array argument " + std::to_string(i + 1));
      }
      for (const auto& e : a[i].as_array()) out.push_back(e);
    }
    return json::value(std::move(out));
  }
  std::string out;
  for (const auto& v : a) out += TemplateValueToString(v);
  return json::value(out);
}

Result<json::value> Format(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto fmt = Str(fn, a[0], 0);
  if (!fmt.ok()) return fmt.status();
  std::string out;
  const std::string& t = *fmt;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (t[i] == '}' && i + 1 < t.size() && t[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (t[i] == '{') {
      size_t close = t.find('}', i);
      if (close == std::string::npos) return Bad("format(): unclosed '{' in '" + t + "'");
      std::string spec = t.substr(i + 1, close - i - 1);
      std::string num = spec.substr(0, spec.find(':'));
      size_t idx = 0;
      try {
        idx = std::stoul(num);
      } catch (...) {
        return Bad("format(): '{" + spec + "}' is not a placeholder like {0}");
      }
      if (idx + 1 >= a.size()) {
        return Bad("format(): placeholder {" + num + "} has no argument ('" + t + "')");
      }
      out += TemplateValueToString(a[idx + 1]);
      i = close;
    } else {
      out += t[i];
    }
  }
  return json::value(out);
}

Result<json::value> ChangeCase(std::string_view fn, const Args& a, bool lower) {
  auto s = Str(fn, a[0], 0);
  if (!s.ok()) return s.status();
  std::string out = *s;
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    c = static_cast<char>(lower ? std::tolower(u) : std::toupper(u));
  }
  return json::value(out);
}

Result<json::value> ToLowerFn(std::string_view fn, const Args& a, const ExpressionContext&) {
  return ChangeCase(fn, a, true);
}

Result<json::value> ToUpperFn(std::string_view fn, const Args& a, const ExpressionContext&) {
  return ChangeCase(fn, a, false);
}

Result<json::value> Guid(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto g = HashGuid(fn, a);
  if (!g.ok()) return g.status();
  return json::value(*g);
}

// 13 lower-case base-32 characters, as Azure's.
Result<json::value> UniqueString(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto g = HashGuid(fn, a);
  if (!g.ok()) return g.status();
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  uint64_t h = Fnv1a64(*g);
  std::string out;
  for (int i = 0; i < 13; ++i) {
    out += kAlphabet[h % 32];
    h = h / 32 + Fnv1a64(out);
  }
  return json::value(out);
}

Result<json::value> SplitFn(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto s = Str(fn, a[0], 0);
  auto d = Str(fn, a[1], 1);
  if (!s.ok()) return s.status();
  if (!d.ok() || d->size() != 1) return Bad("split() here takes a one-character delimiter");
  json::array out;
  for (auto& p : Split(*s, (*d)[0])) out.emplace_back(p);
  return json::value(std::move(out));
}

Result<json::value> Replace(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto s = Str(fn, a[0], 0), from = Str(fn, a[1], 1), to = Str(fn, a[2], 2);
  if (!s.ok() || !from.ok() || !to.ok() || from->empty()) {
    return Bad("replace() needs three strings");
  }
  std::string out = *s;
  for (size_t p = out.find(*from); p != std::string::npos; p = out.find(*from, p + to->size())) {
    out.replace(p, from->size(), *to);
  }
  return json::value(out);
}

// ---- conversions ----

Result<json::value> StringFn(std::string_view, const Args& a, const ExpressionContext&) {
  return json::value(TemplateValueToString(a[0]));
}

Result<json::value> Int(std::string_view, const Args& a, const ExpressionContext&) {
  if (a[0].is_int64()) return a[0];
  try {
    if (a[0].is_string()) {
      return json::value(static_cast<int64_t>(std::stoll(std::string(a[0].as_string()))));
    }
  } catch (...) {
  }
  return Bad("int(): cannot convert " + TemplateValueToString(a[0]) + " to an integer");
}

Result<json::value> Bool(std::string_view, const Args& a, const ExpressionContext&) {
  if (a[0].is_bool()) return a[0];
  if (a[0].is_string()) return json::value(EqualsIgnoreCase(a[0].as_string(), "true"));
  if (a[0].is_int64()) return json::value(a[0].as_int64() != 0);
  return Bad("bool(): cannot convert " + TemplateValueToString(a[0]));
}

Result<json::value> Json(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto s = Str(fn, a[0], 0);
  if (!s.ok()) return s.status();
  auto v = ParseJson(*s);
  if (!v.ok()) return Bad("json(): " + v.status().message());
  return v;
}

Result<json::value> True(std::string_view, const Args&, const ExpressionContext&) {
  return json::value(true);
}

Result<json::value> False(std::string_view, const Args&, const ExpressionContext&) {
  return json::value(false);
}

Result<json::value> Null(std::string_view, const Args&, const ExpressionContext&) {
  return json::value();
}

// ---- collections ----

Result<size_t> SizeOf(std::string_view fn, const json::value& v) {
  if (v.is_string()) return v.as_string().size();
  if (v.is_array()) return v.as_array().size();
  if (v.is_object()) return v.as_object().size();
  if (v.is_null()) return size_t{0};
  return Bad(Name(fn) + "() needs a string, array or object");
}

Result<json::value> Empty(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto n = SizeOf(fn, a[0]);
  if (!n.ok()) return n.status();
  return json::value(*n == 0);
}

Result<json::value> Length(std::string_view fn, const Args& a, const ExpressionContext&) {
  auto n = SizeOf(fn, a[0]);
  if (!n.ok()) return n.status();
  return json::value(static_cast<int64_t>(*n));
}

Result<json::value> CreateArray(std::string_view, const Args& a, const ExpressionContext&) {
  return json::value(json::array(a.begin(), a.end()));
}

Result<json::value> CreateObject(std::string_view fn, const Args& a, const ExpressionContext&) {
  if (a.size() % 2 != 0) return Bad("createObject() needs key/value pairs");
  json::object o;
  for (size_t i = 0; i < a.size(); i += 2) {
    auto k = Str(fn, a[i], i);
    if (!k.ok()) return k.status();
    o[*k] = a[i + 1];
  }
  return json::value(std::move(o));
}

Result<json::value> Union(std::string_view, const Args& a, const ExpressionContext&) {
  if (a[0].is_object()) {
    json::object o;
    for (const auto& v : a) {
      if (!v.is_object()) return Bad("union() of objects got a non-object");
      for (const auto& kv : v.as_object()) o[kv.key()] = kv.value();
    }
    return json::value(std::move(o));
  }
  json::array out;
  for (const auto& v : a) {
    if (!v.is_array()) return Bad("union() needs objects or arrays");
    for (const auto& e : v.as_array()) {
      bool seen = false;
      for (const auto& x : out) seen = seen || x == e;
      if (!seen) out.push_back(e);
    }
  }
  return json::value(std::move(out));
}

Result<json::value> Coalesce(std::string_view, const Args& a, const ExpressionContext&) {
  for (const auto& v : a) {
    if (!v.is_null()) return v;
  }
  return json::value();
}

Result<json::value> FirstOrLast(std::string_view fn, const Args& a, bool first) {
  if (a[0].is_array()) {
    const auto& arr = a[0].as_array();
    if (arr.empty()) return json::value();
    return first ? arr.front() : arr.back();
  }
  auto s = Str(fn, a[0], 0);
  if (!s.ok()) return s.status();
  if (s->empty()) return json::value("");
  return json::value(first ? s->substr(0, 1) : s->substr(s->size() - 1));
}

Result<json::value> First(std::string_view fn, const Args& a, const ExpressionContext&) {
  return FirstOrLast(fn, a, true);
}

Result<json::value> Last(std::string_view fn, const Args& a, const ExpressionContext&) {
  return FirstOrLast(fn, a, false);
}

Result<json::value> Contains(std::string_view, const Args& a, const ExpressionContext&) {
  if (a[0].is_string() && a[1].is_string()) {
    return json::value(a[0].as_string().find(a[1].as_string()) != std::string::npos);
  }
  if (a[0].is_object() && a[1].is_string()) {
    return json::value(FindIgnoreCase(&a[0].as_object(), a[1].as_string()) != nullptr);
  }
  if (a[0].is_array()) {
    for (const auto& e : a[0].as_array()) {
      if (e == a[1]) return json::value(true);
    }
    return json::value(false);
  }
  return Bad("contains() needs a string, object or array");
}

// ---- logic ----

Result<json::value> If(std::string_view, const Args& a, const ExpressionContext&) {
  if (!a[0].is_bool()) return Bad("if() needs a boolean condition");
  return a[0].as_bool() ? a[1] : a[2];
}

Result<json::value> Equals(std::string_view, const Args& a, const ExpressionContext&) {
  return json::value(a[0] == a[1]);
}

Result<json::value> Not(std::string_view, const Args& a, const ExpressionContext&) {
  if (!a[0].is_bool()) return Bad("not() needs a boolean");
  return json::value(!a[0].as_bool());
}

Result<json::value> Fold(std::string_view fn, const Args& a, bool conjunction) {
  bool acc = conjunction;
  for (const auto& v : a) {
    if (!v.is_bool()) return Bad(Name(fn) + "() needs booleans");
    acc = conjunction ? acc && v.as_bool() : acc || v.as_bool();
  }
  return json::value(acc);
}

Result<json::value> And(std::string_view fn, const Args& a, const ExpressionContext&) {
  return Fold(fn, a, true);
}

Result<json::value> Or(std::string_view fn, const Args& a, const ExpressionContext&) {
  return Fold(fn, a, false);
}

// The order is the order of the supported-functions list in messages.
constexpr std::array kFunctions = {
    TemplateFunction{"parameters", 1, 1, Parameters},
    TemplateFunction{"variables", 1, 1, Variables},
    TemplateFunction{"resourceId", 2, kMany, ResourceId},
    TemplateFunction{"subscriptionResourceId", 2, kMany, SubscriptionResourceId},
    TemplateFunction{"tenantResourceId", 2, kMany, TenantResourceId},
    TemplateFunction{"extensionResourceId", 3, kMany, ExtensionResourceId},
    TemplateFunction{"concat", 0, kMany, Concat},
    TemplateFunction{"format", 1, kMany, Format},
    TemplateFunction{"subscription", 0, 0, Subscription},
    TemplateFunction{"resourceGroup", 0, 0, ResourceGroup},
    TemplateFunction{"deployment", 0, 0, Deployment},
    TemplateFunction{"tenant", 0, 0, Tenant},
    TemplateFunction{"toLower", 1, 1, ToLowerFn},
    TemplateFunction{"toUpper", 1, 1, ToUpperFn},
    TemplateFunction{"string", 1, 1, StringFn},
    TemplateFunction{"int", 1, 1, Int},
    TemplateFunction{"bool", 1, 1, Bool},
    TemplateFunction{"empty", 1, 1, Empty},
    TemplateFunction{"length", 1, 1, Length},
    TemplateFunction{"guid", 1, kMany, Guid},
    TemplateFunction{"uniqueString", 1, kMany, UniqueString},
    TemplateFunction{"createArray", 0, kMany, CreateArray},
    TemplateFunction{"createObject", 0, kMany, CreateObject},
    TemplateFunction{"json", 1, 1, Json},
    TemplateFunction{"union", 1, kMany, Union},
    TemplateFunction{"if", 3, 3, If},
    TemplateFunction{"equals", 2, 2, Equals},
    TemplateFunction{"not", 1, 1, Not},
    TemplateFunction{"and", 2, kMany, And},
    TemplateFunction{"or", 2, kMany, Or},
    TemplateFunction{"coalesce", 0, kMany, Coalesce},
    TemplateFunction{"first", 1, 1, First},
    TemplateFunction{"last", 1, 1, Last},
    TemplateFunction{"split", 2, 2, SplitFn},
    TemplateFunction{"replace", 3, 3, Replace},
    TemplateFunction{"contains", 2, 2, Contains},
    TemplateFunction{"true", 0, 0, True},
    TemplateFunction{"false", 0, 0, False},
    TemplateFunction{"null", 0, 0, Null},
};

Status CheckArity(std::string_view fn, const TemplateFunction& f, size_t n) {
  if (n >= f.min_args && n <= f.max_args) return Status::Ok();
  std::string want = f.min_args == f.max_args ? std::to_string(f.min_args)
                     : f.max_args == kMany
                         ? "at least " + std::to_string(f.min_args)
                         : std::to_string(f.min_args) + " to " + std::to_string(f.max_args);
  return Bad("the template function '" + Name(fn) + "' expects " + want + " argument(s), not " +
             std::to_string(n));
}

}  // namespace

const TemplateFunction* FindTemplateFunction(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (EqualsIgnoreCase(f.name, name)) return &f;
  }
  return nullptr;
}

Result<json::value> CallTemplateFunction(std::string_view name,
                                         const std::vector<json::value>& args,
                                         const ExpressionContext& ctx) {
  const TemplateFunction* f = FindTemplateFunction(name);
  if (f == nullptr) {
    return Bad("The template function '" + Name(name) + "' is not valid here: the simulator " +
               "supports " + SupportedTemplateFunctions());
  }
  ATG_RETURN_IF_ERROR(CheckArity(name, *f, args.size()));
  return f->eval(name, args, ctx);
}

std::string SupportedTemplateFunctions() {
  std::string out;
  for (const auto& f : kFunctions) {
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

}  // namespace atg::sim
