#include "sim/arm_template_expression.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "common/strings.h"
#include "sim/api_common.h"

namespace atg::sim {

namespace {

constexpr const char* kSupported =
    "the simulator supports parameters, variables, resourceId, subscriptionResourceId, "
    "tenantResourceId, extensionResourceId, concat, format, subscription, resourceGroup, "
    "deployment, tenant, toLower, toUpper, string, int, bool, empty, length, guid, uniqueString, "
    "createArray, createObject, json, union, if, equals, not, and, or, coalesce, first, last, "
    "split, replace and contains";

Status Bad(std::string m) { return Status::InvalidArgument(std::move(m)); }

// Recursive-descent parser that evaluates as it parses (expressions are small and evaluated
// once per template value).
class Evaluator {
 public:
  Evaluator(std::string_view text, const ExpressionContext& ctx) : s_(text), ctx_(ctx) {}

  Result<json::value> Run() {
    auto v = Expr();
    if (!v.ok()) return v;
    Skip();
    if (pos_ != s_.size()) {
      return Bad("unexpected '" + std::string(s_.substr(pos_)) + "' after the expression '" +
                 std::string(s_.substr(0, pos_)) + "'");
    }
    return v;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Expect(char c) {
    if (Eat(c)) return Status::Ok();
    std::string at = pos_ < s_.size() ? "'" + std::string(1, s_[pos_]) + "'" : "the end";
    return Bad(std::string("expected '") + c + "' at position " + std::to_string(pos_ + 1) +
               " but found " + at + " in '" + std::string(s_) + "'");
  }

  Result<json::value> Expr() {
    auto v = Primary();
    if (!v.ok()) return v;
    json::value cur = std::move(v).value();
    for (;;) {
      if (Eat('.')) {
        std::string name = Ident();
        if (name.empty())
          return Bad("expected a property name after '.' in '" + std::string(s_) + "'");
        auto r = Member(cur, name);
        if (!r.ok()) return r;
        cur = std::move(r).value();
      } else if (Eat('[')) {
        auto idx = Expr();
        if (!idx.ok()) return idx;
        ATG_RETURN_IF_ERROR(Expect(']'));
        if (idx->is_string()) {
          auto r = Member(cur, std::string(idx->as_string()));
          if (!r.ok()) return r;
          cur = std::move(r).value();
        } else if (idx->is_int64() && cur.is_array()) {
          int64_t i = idx->as_int64();
          const auto& a = cur.as_array();
          if (i < 0 || static_cast<size_t>(i) >= a.size()) {
            return Bad("index " + std::to_string(i) + " is out of range for an array of " +
                       std::to_string(a.size()));
          }
          json::value e = a[static_cast<size_t>(i)];
          cur = std::move(e);
        } else {
          return Bad("cannot index " + TemplateValueToString(cur) + " with " +
                     TemplateValueToString(*idx));
        }
      } else {
        return cur;
      }
    }
  }

  static Result<json::value> Member(const json::value& v, const std::string& name) {
    const json::object* o = v.if_object();
    if (o == nullptr) {
      return Bad("the language expression property '" + name +
                 "' can only be read from an object, not from " + TemplateValueToString(v));
    }
    const json::value* m = FindIgnoreCase(o, name);
    if (m == nullptr) {
      std::string have;
      for (const auto& kv : *o) have += (have.empty() ? "" : ", ") + std::string(kv.key());
      return Bad("the language expression property '" + name +
                 "' doesn't exist, available "
                 "properties are '" +
                 have + "'");
    }
    return *m;
  }

  std::string Ident() {
    Skip();
    size_t b = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      ++pos_;
    return std::string(s_.substr(b, pos_ - b));
  }

  Result<json::value> Primary() {
    Skip();
    if (pos_ >= s_.size()) return Bad("the expression '" + std::string(s_) + "' ends too early");
    char c = s_[pos_];
    if (c == '\'') {
      ++pos_;
      std::string out;
      for (;;) {
        if (pos_ >= s_.size())
          return Bad("unterminated string literal in '" + std::string(s_) + "'");
        if (s_[pos_] == '\'') {
          if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '\'') {
            out += '\'';
            pos_ += 2;
            continue;
          }
          ++pos_;
          return json::value(out);
        }
        out += s_[pos_++];
      }
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      size_t b = pos_++;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      std::string digits(s_.substr(b, pos_ - b));
      if (digits == "-") return Bad("'-' must be followed by digits in '" + std::string(s_) + "'");
      try {
        return json::value(static_cast<int64_t>(std::stoll(digits)));
      } catch (...) {
        return Bad("the number " + digits + " is out of range");
      }
    }
    std::string name = Ident();
    if (name.empty()) {
      return Bad("unexpected '" + std::string(1, c) + "' at position " + std::to_string(pos_ + 1) +
                 " in '" + std::string(s_) + "'");
    }
    if (!Eat('(')) {
      std::string l = ToLower(name);
      if (l == "true") return json::value(true);
      if (l == "false") return json::value(false);
      if (l == "null") return json::value();
      return Bad("'" + name + "' is not a function call; did you mean '" + name + "()'?");
    }
    std::vector<json::value> args;
    if (!Eat(')')) {
      for (;;) {
        auto a = Expr();
        if (!a.ok()) return a;
        args.push_back(std::move(a).value());
        if (Eat(')')) break;
        ATG_RETURN_IF_ERROR(Expect(','));
      }
    }
    return Call(name, args);
  }

  Result<json::value> Call(const std::string& name, const std::vector<json::value>& a);

  std::string_view s_;
  const ExpressionContext& ctx_;
  size_t pos_ = 0;
};

Status Arity(const std::string& fn, const std::vector<json::value>& a, size_t lo, size_t hi) {
  if (a.size() >= lo && a.size() <= hi) return Status::Ok();
  std::string want = lo == hi         ? std::to_string(lo)
                     : hi == SIZE_MAX ? "at least " + std::to_string(lo)
                                      : std::to_string(lo) + " to " + std::to_string(hi);
  return Bad("the template function '" + fn + "' expects " + want + " argument(s), not " +
             std::to_string(a.size()));
}

Result<std::string> Str(const std::string& fn, const json::value& v, size_t i) {
  if (!v.is_string()) {
    return Bad("argument " + std::to_string(i + 1) + " of the template function '" + fn +
               "' must be a string, not " + TemplateValueToString(v));
  }
  return std::string(v.as_string());
}

// ".../providers/{type}/{names}" interleaved the way ARM ids are: type "A/B/C" with names
// (n1, n2) gives "A/B/n1/C/n2".
Result<std::string> TypedPath(const std::string& fn, const std::vector<json::value>& a,
                              size_t type_at) {
  auto type = Str(fn, a[type_at], type_at);
  if (!type.ok()) return type.status();
  std::vector<std::string> segs = Split(*type, '/');
  if (segs.size() < 2) {
    return Bad("the template function '" + fn +
               "' needs a resource type such as "
               "'Microsoft.Network/virtualNetworks', not '" +
               *type + "'");
  }
  std::vector<std::string> names;
  for (size_t i = type_at + 1; i < a.size(); ++i) {
    auto n = Str(fn, a[i], i);
    if (!n.ok()) return n.status();
    for (auto& part : Split(*n, '/')) names.push_back(part);
  }
  if (names.size() != segs.size() - 1) {
    return Bad("the template function '" + fn + "': the type '" + *type + "' needs " +
               std::to_string(segs.size() - 1) + " name segment(s) but got " +
               std::to_string(names.size()));
  }
  std::string out = segs[0] + "/" + segs[1] + "/" + names[0];
  for (size_t i = 2; i < segs.size(); ++i) out += "/" + segs[i] + "/" + names[i - 1];
  return out;
}

// A version-4-shaped GUID that is a function of `parts` (ARM's guid() is deterministic too).
std::string HashGuid(const std::vector<std::string>& parts) {
  std::string joined;
  for (const auto& p : parts) joined += p + "\x1f";
  return StableGuid(joined);
}

Result<json::value> Evaluator::Call(const std::string& fn, const std::vector<json::value>& a) {
  const std::string f = ToLower(fn);
  if (f == "parameters" || f == "variables") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    auto n = Str(fn, a[0], 0);
    if (!n.ok()) return n.status();
    const auto& cb = f == "parameters" ? ctx_.parameter : ctx_.variable;
    if (!cb) return Bad("the template function '" + fn + "' is not available here");
    return cb(*n);
  }
  if (f == "resourceid") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, SIZE_MAX));
    size_t type_at = 0;
    while (type_at < a.size() &&
           !(a[type_at].is_string() && a[type_at].as_string().find('/') != std::string::npos))
      ++type_at;
    if (type_at >= a.size() || type_at > 2) {
      return Bad(
          "the template function 'resourceId' needs a resource type (a string with '/') "
          "as its first, second or third argument");
    }
    std::string sub = ctx_.subscription_id, rg = ctx_.resource_group;
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
  if (f == "subscriptionresourceid") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, SIZE_MAX));
    std::string sub = ctx_.subscription_id;
    size_t type_at = 0;
    if (a[0].is_string() && a[0].as_string().find('/') == std::string::npos) {
      sub = std::string(a[0].as_string());
      type_at = 1;
    }
    auto path = TypedPath(fn, a, type_at);
    if (!path.ok()) return path.status();
    return json::value("/subscriptions/" + sub + "/providers/" + *path);
  }
  if (f == "tenantresourceid") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, SIZE_MAX));
    auto path = TypedPath(fn, a, 0);
    if (!path.ok()) return path.status();
    return json::value("/providers/" + *path);
  }
  if (f == "extensionresourceid") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 3, SIZE_MAX));
    auto scope = Str(fn, a[0], 0);
    if (!scope.ok()) return scope.status();
    auto path = TypedPath(fn, a, 1);
    if (!path.ok()) return path.status();
    return json::value(*scope + "/providers/" + *path);
  }
  if (f == "concat") {
    if (!a.empty() && a[0].is_array()) {
      json::array out;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_array())
          return Bad("concat() of arrays got a non-array argument " + std::to_string(i + 1));
        for (const auto& e : a[i].as_array()) out.push_back(e);
      }
      return json::value(std::move(out));
    }
    std::string out;
    for (const auto& v : a) out += TemplateValueToString(v);
    return json::value(out);
  }
  if (f == "format") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, SIZE_MAX));
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
  if (f == "subscription") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 0, 0));
    json::object o;
    o["id"] = "/subscriptions/" + ctx_.subscription_id;
    o["subscriptionId"] = ctx_.subscription_id;
    o["tenantId"] = ctx_.tenant_id;
    o["displayName"] = ctx_.subscription_display_name;
    return json::value(std::move(o));
  }
  if (f == "resourcegroup") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 0, 0));
    if (ctx_.resource_group.empty()) {
      return Bad(
          "the template function 'resourceGroup' is not expected at this location: the "
          "deployment is at subscription scope; deploy to a resource group or use a "
          "nested deployment with 'resourceGroup' and inner expression scope");
    }
    json::object o;
    o["id"] = "/subscriptions/" + ctx_.subscription_id + "/resourceGroups/" + ctx_.resource_group;
    o["name"] = ctx_.resource_group;
    o["type"] = "Microsoft.Resources/resourceGroups";
    o["location"] = ctx_.resource_group_location;
    o["properties"] = json::object{{"provisioningState", "Succeeded"}};
    return json::value(std::move(o));
  }
  if (f == "deployment") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 0, 0));
    return json::value(json::object{{"name", ctx_.deployment_name}});
  }
  if (f == "tenant") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 0, 0));
    return json::value(json::object{{"tenantId", ctx_.tenant_id}});
  }
  if (f == "tolower" || f == "toupper") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    auto s = Str(fn, a[0], 0);
    if (!s.ok()) return s.status();
    std::string out = *s;
    for (char& c : out) {
      c = static_cast<char>(f == "tolower" ? std::tolower(static_cast<unsigned char>(c))
                                           : std::toupper(static_cast<unsigned char>(c)));
    }
    return json::value(out);
  }
  if (f == "string") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    return json::value(TemplateValueToString(a[0]));
  }
  if (f == "int") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    if (a[0].is_int64()) return a[0];
    try {
      if (a[0].is_string())
        return json::value(static_cast<int64_t>(std::stoll(std::string(a[0].as_string()))));
    } catch (...) {
    }
    return Bad("int(): cannot convert " + TemplateValueToString(a[0]) + " to an integer");
  }
  if (f == "bool") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    if (a[0].is_bool()) return a[0];
    if (a[0].is_string()) return json::value(EqualsIgnoreCase(a[0].as_string(), "true"));
    if (a[0].is_int64()) return json::value(a[0].as_int64() != 0);
    return Bad("bool(): cannot convert " + TemplateValueToString(a[0]));
  }
  if (f == "empty" || f == "length") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    size_t n = 0;
    if (a[0].is_string())
      n = a[0].as_string().size();
    else if (a[0].is_array())
      n = a[0].as_array().size();
    else if (a[0].is_object())
      n = a[0].as_object().size();
    else if (!a[0].is_null())
      return Bad(fn + "() needs a string, array or object");
    if (f == "empty") return json::value(n == 0);
    return json::value(static_cast<int64_t>(n));
  }
  if (f == "guid" || f == "uniquestring") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, SIZE_MAX));
    std::vector<std::string> parts;
    for (size_t i = 0; i < a.size(); ++i) {
      auto s = Str(fn, a[i], i);
      if (!s.ok()) return s.status();
      parts.push_back(*s);
    }
    std::string g = HashGuid(parts);
    if (f == "guid") return json::value(g);
    // uniqueString: 13 lower-case base-32 characters, as Azure's.
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    uint64_t h = Fnv1a64(g);
    std::string out;
    for (int i = 0; i < 13; ++i) {
      out += kAlphabet[h % 32];
      h = h / 32 + Fnv1a64(out);
    }
    return json::value(out);
  }
  if (f == "true" || f == "false" || f == "null") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 0, 0));
    if (f == "null") return json::value();
    return json::value(f == "true");
  }
  if (f == "createarray") return json::value(json::array(a.begin(), a.end()));
  if (f == "createobject") {
    if (a.size() % 2 != 0) return Bad("createObject() needs key/value pairs");
    json::object o;
    for (size_t i = 0; i < a.size(); i += 2) {
      auto k = Str(fn, a[i], i);
      if (!k.ok()) return k.status();
      o[*k] = a[i + 1];
    }
    return json::value(std::move(o));
  }
  if (f == "json") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    auto s = Str(fn, a[0], 0);
    if (!s.ok()) return s.status();
    auto v = ParseJson(*s);
    if (!v.ok()) return Bad("json(): " + v.status().message());
    return v;
  }
  if (f == "union") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, SIZE_MAX));
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
  if (f == "if") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 3, 3));
    if (!a[0].is_bool()) return Bad("if() needs a boolean condition");
    return a[0].as_bool() ? a[1] : a[2];
  }
  if (f == "equals") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, 2));
    return json::value(a[0] == a[1]);
  }
  if (f == "not") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    if (!a[0].is_bool()) return Bad("not() needs a boolean");
    return json::value(!a[0].as_bool());
  }
  if (f == "and" || f == "or") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, SIZE_MAX));
    bool acc = f == "and";
    for (const auto& v : a) {
      if (!v.is_bool()) return Bad(fn + "() needs booleans");
      acc = f == "and" ? acc && v.as_bool() : acc || v.as_bool();
    }
    return json::value(acc);
  }
  if (f == "coalesce") {
    for (const auto& v : a)
      if (!v.is_null()) return v;
    return json::value();
  }
  if (f == "first" || f == "last") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 1, 1));
    if (a[0].is_array()) {
      const auto& arr = a[0].as_array();
      if (arr.empty()) return json::value();
      return f == "first" ? arr.front() : arr.back();
    }
    auto s = Str(fn, a[0], 0);
    if (!s.ok()) return s.status();
    if (s->empty()) return json::value("");
    return json::value(f == "first" ? s->substr(0, 1) : s->substr(s->size() - 1));
  }
  if (f == "split") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, 2));
    auto s = Str(fn, a[0], 0);
    auto d = Str(fn, a[1], 1);
    if (!s.ok()) return s.status();
    if (!d.ok() || d->size() != 1) return Bad("split() here takes a one-character delimiter");
    json::array out;
    for (auto& p : Split(*s, (*d)[0])) out.emplace_back(p);
    return json::value(std::move(out));
  }
  if (f == "replace") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 3, 3));
    auto s = Str(fn, a[0], 0), from = Str(fn, a[1], 1), to = Str(fn, a[2], 2);
    if (!s.ok() || !from.ok() || !to.ok() || from->empty())
      return Bad("replace() needs three strings");
    std::string out = *s;
    for (size_t p = out.find(*from); p != std::string::npos; p = out.find(*from, p + to->size()))
      out.replace(p, from->size(), *to);
    return json::value(out);
  }
  if (f == "contains") {
    ATG_RETURN_IF_ERROR(Arity(fn, a, 2, 2));
    if (a[0].is_string() && a[1].is_string())
      return json::value(a[0].as_string().find(a[1].as_string()) != std::string::npos);
    if (a[0].is_object() && a[1].is_string())
      return json::value(FindIgnoreCase(&a[0].as_object(), a[1].as_string()) != nullptr);
    if (a[0].is_array()) {
      for (const auto& e : a[0].as_array())
        if (e == a[1]) return json::value(true);
      return json::value(false);
    }
    return Bad("contains() needs a string, object or array");
  }
  return Bad("The template function '" + fn + "' is not valid here: " + kSupported);
}

}  // namespace

bool IsTemplateExpression(std::string_view text) {
  return text.size() >= 2 && text.front() == '[' && text.back() == ']' && text[1] != '[';
}

Result<json::value> EvaluateTemplateString(std::string_view text, const ExpressionContext& ctx) {
  if (text.size() >= 2 && text[0] == '[' && text[1] == '[') return json::value(text.substr(1));
  if (!IsTemplateExpression(text)) return json::value(text);
  return Evaluator(text.substr(1, text.size() - 2), ctx).Run();
}

Result<json::value> EvaluateTemplateValue(const json::value& v, const ExpressionContext& ctx,
                                          const std::string& path) {
  if (v.is_string()) {
    auto r = EvaluateTemplateString(v.as_string(), ctx);
    if (!r.ok()) return r.status().WithContext(path);
    return r;
  }
  if (v.is_object()) {
    json::object out;
    for (const auto& kv : v.as_object()) {
      std::string key(kv.key());
      std::string member_path = path + "." + key;
      if (IsTemplateExpression(key) || key.starts_with("[[")) {
        // ARM evaluates member names too (userAssignedIdentities keyed by resourceId(...)).
        auto k = EvaluateTemplateString(key, ctx);
        if (!k.ok()) return k.status().WithContext(member_path);
        if (!k->is_string()) {
          return Status::InvalidArgument(member_path +
                                         ": a property name must evaluate to a "
                                         "string, not " +
                                         TemplateValueToString(*k));
        }
        key = std::string(k->as_string());
      }
      auto r = EvaluateTemplateValue(kv.value(), ctx, member_path);
      if (!r.ok()) return r;
      out[key] = std::move(r).value();
    }
    return json::value(std::move(out));
  }
  if (v.is_array()) {
    json::array out;
    const auto& a = v.as_array();
    for (size_t i = 0; i < a.size(); ++i) {
      auto r = EvaluateTemplateValue(a[i], ctx, path + "[" + std::to_string(i) + "]");
      if (!r.ok()) return r;
      out.push_back(std::move(r).value());
    }
    return json::value(std::move(out));
  }
  return v;
}

std::string TemplateValueToString(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_bool()) return v.as_bool() ? "True" : "False";
  if (v.is_null()) return "";
  return json::serialize(v);
}

}  // namespace atg::sim
