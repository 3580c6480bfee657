#include "sim/arm_template_expression.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "common/strings.h"
#include "sim/api_common.h"
#include "sim/arm_template_functions.h"

namespace atg::sim {

namespace {

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
    return CallTemplateFunction(name, args, ctx_);
  }

  std::string_view s_;
  const ExpressionContext& ctx_;
  size_t pos_ = 0;
};

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
