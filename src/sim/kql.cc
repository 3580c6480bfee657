#include "sim/kql.h"

#include <cctype>

#include "common/strings.h"

namespace atg::sim::kql {

namespace {

enum class Tok { kIdent, kString, kNumber, kSymbol, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  size_t pos = 0;
};

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto err = [&](std::string what) {
    return Status::InvalidArgument(what + " at character " + std::to_string(i + 1));
  };
  while (i < s.size()) {
    unsigned char c = s[i];
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (std::isalpha(c) || c == '_') {
      size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                              s[j] == '.' || s[j] == '-')) {
        // '-' only inside keywords like project-away; never start or end a name with it.
        if (s[j] == '-' &&
            (j + 1 >= s.size() || !std::isalpha(static_cast<unsigned char>(s[j + 1])))) {
          break;
        }
        ++j;
      }
      if (j < s.size() && s[j] == '~') ++j;  // in~, has~ ...
      t.kind = Tok::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '\'' || c == '"') {
      char q = char(c);
      size_t j = i + 1;
      std::string v;
      while (j < s.size() && s[j] != q) {
        if (s[j] == '\\' && j + 1 < s.size()) ++j;
        v += s[j++];
      }
      if (j >= s.size()) return err("unterminated string literal");
      t.kind = Tok::kString;
      t.text = std::move(v);
      i = j + 1;
    } else if (std::isdigit(c)) {
      size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      t.kind = Tok::kNumber;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '!' && i + 1 < s.size() && std::isalpha(static_cast<unsigned char>(s[i + 1]))) {
      size_t j = i + 1;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '~') ++j;
      t.kind = Tok::kSymbol;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else {
      static const char* kTwo[] = {"==", "=~", "!=", "!~"};
      bool two = false;
      for (const char* op : kTwo) {
        if (s.substr(i, 2) == op) {
          t.text = op;
          two = true;
        }
      }
      if (!two) {
        if (std::string_view("|,()=").find(char(c)) == std::string_view::npos) {
          return err(std::string("unexpected character '") + char(c) + "'");
        }
        t.text = std::string(1, char(c));
      }
      t.kind = Tok::kSymbol;
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = s.size();
  out.push_back(end);
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  Result<Query> Run() {
    Query q;
    const Token& t = Next();
    if (t.kind != Tok::kIdent) return Error(t, "expected a table name");
    std::string table = ToLower(t.text);
    if (table == "resources") {
      q.table = Table::kResources;
    } else if (table == "resourcecontainers") {
      q.table = Table::kResourceContainers;
    } else if (table == "authorizationresources") {
      q.table = Table::kAuthorizationResources;
    } else {
      return Error(t, "unsupported table '" + t.text +
                          "' (supported: Resources, ResourceContainers, AuthorizationResources)");
    }
    while (Peek().kind != Tok::kEnd) {
      const Token& bar = Next();
      if (bar.text != "|") return Error(bar, "expected '|' before the next operator");
      const Token& op = Next();
      std::string name = ToLower(op.text);
      if (op.kind != Tok::kIdent) return Error(op, "expected an operator after '|'");
      Status s;
      if (name == "where") {
        if (!q.project.empty()) return Error(op, "'where' after 'project' is not supported");
        s = ParseWhere(q);
      } else if (name == "project") {
        s = ParseProject(q);
      } else if (name == "order" || name == "sort") {
        s = ParseOrder(q);
      } else if (name == "limit" || name == "take") {
        const Token& n = Next();
        if (n.kind != Tok::kNumber || n.text.size() > 12) {
          return Error(n, "expected a number after '" + op.text + "'");
        }
        size_t v = std::stoull(n.text);
        q.limit = q.limit ? std::min(*q.limit, v) : v;
      } else {
        return Error(op, "unsupported operator '" + op.text +
                             "' (supported: where, project, order by, sort by, limit, take)");
      }
      if (!s.ok()) return s;
    }
    return q;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  static Status Error(const Token& t, std::string what) {
    std::string near = t.kind == Tok::kEnd ? "end of query" : "'" + t.text + "'";
    return Status::InvalidArgument(what + " (near " + near + " at character " +
                                   std::to_string(t.pos + 1) + ")");
  }

  Result<std::vector<std::string>> Column(const Token& t) {
    if (t.kind != Tok::kIdent) return Error(t, "expected a column name");
    auto parts = Split(t.text, '.', /*skip_empty=*/false);
    for (const auto& p : parts) {
      if (p.empty()) return Error(t, "malformed column path");
    }
    return parts;
  }

  Status ParseWhere(Query& q) {
    while (true) {
      const Token& col = Next();
      auto path = Column(col);
      if (!path.ok()) return path.status();
      Condition c;
      c.column = std::move(*path);
      const Token& op = Next();
      std::string o = ToLower(op.text);
      bool list = false;
      if (op.kind == Tok::kSymbol && o == "==") {
        c.op = Op::kEq;
      } else if (o == "=~") {
        c.op = Op::kEqNoCase;
      } else if (o == "!=") {
        c.op = Op::kNe;
      } else if (o == "!~") {
        c.op = Op::kNeNoCase;
      } else if (o == "in" || o == "in~" || o == "!in" || o == "!in~") {
        c.op = o == "in"    ? Op::kIn
               : o == "in~" ? Op::kInNoCase
               : o == "!in" ? Op::kNotIn
                            : Op::kNotInNoCase;
        list = true;
      } else if (o == "contains" || o == "contains~") {
        c.op = Op::kContains;
      } else if (o == "!contains") {
        c.op = Op::kNotContains;
      } else if (o == "startswith") {
        c.op = Op::kStartsWith;
      } else if (o == "endswith") {
        c.op = Op::kEndsWith;
      } else if (o == "has") {
        c.op = Op::kHas;
      } else {
        return Error(op, "unsupported comparison '" + op.text +
                             "' (supported: ==, =~, !=, !~, in, in~, !in, !in~, contains, "
                             "!contains, startswith, endswith, has)");
      }
      if (list) {
        if (Next().text != "(")
          return Error(toks_[pos_ - 1], "expected '(' after '" + op.text + "'");
        while (true) {
          const Token& v = Next();
          if (v.kind != Tok::kString && v.kind != Tok::kNumber) {
            return Error(v, "expected a literal in the list");
          }
          c.values.push_back(v.text);
          const Token& sep = Next();
          if (sep.text == ")") break;
          if (sep.text != ",") return Error(sep, "expected ',' or ')' in the list");
        }
      } else {
        const Token& v = Next();
        if (v.kind == Tok::kString || v.kind == Tok::kNumber) {
          c.values.push_back(v.text);
        } else if (v.kind == Tok::kIdent &&
                   (ToLower(v.text) == "true" || ToLower(v.text) == "false")) {
          c.values.push_back(ToLower(v.text));
        } else {
          return Error(v, "expected a literal to compare with");
        }
      }
      q.where.push_back(std::move(c));
      const Token& nx = Peek();
      if (nx.kind == Tok::kIdent && ToLower(nx.text) == "and") {
        Next();
        continue;
      }
      if (nx.kind == Tok::kIdent && ToLower(nx.text) == "or") {
        return Error(nx, "'or' is not supported (use 'in~ (...)' for alternatives)");
      }
      if (nx.kind == Tok::kEnd || nx.text == "|") return Status::Ok();
      return Error(nx, "expected 'and', '|' or the end of the query");
    }
  }

  Status ParseProject(Query& q) {
    std::vector<ProjectColumn> cols;
    while (true) {
      const Token& first = Next();
      ProjectColumn pc;
      if (Peek().text == "=" && Peek().kind == Tok::kSymbol) {
        if (first.kind != Tok::kIdent || first.text.find('.') != std::string::npos) {
          return Error(first, "expected an alias name before '='");
        }
        Next();
        pc.output_name = first.text;
        auto path = Column(Next());
        if (!path.ok()) return path.status();
        pc.column = std::move(*path);
      } else {
        auto path = Column(first);
        if (!path.ok()) return path.status();
        pc.column = std::move(*path);
        pc.output_name = Join(pc.column, "_");
      }
      cols.push_back(std::move(pc));
      const Token& nx = Peek();
      if (nx.text == ",") {
        Next();
        continue;
      }
      if (nx.kind == Tok::kEnd || nx.text == "|") break;
      return Error(nx, "expected ',', '|' or the end of the query in 'project'");
    }
    // A later project narrows an earlier one: resolve its names through the earlier aliases.
    if (!q.project.empty()) {
      for (auto& c : cols) {
        bool found = false;
        for (const auto& prev : q.project) {
          if (c.column.size() == 1 && EqualsIgnoreCase(prev.output_name, c.column[0])) {
            c.column = prev.column;
            found = true;
          }
        }
        if (!found) {
          return Status::InvalidArgument("'project' names column '" + Join(c.column, ".") +
                                         "' that an earlier 'project' removed");
        }
      }
    }
    q.project = std::move(cols);
    return Status::Ok();
  }

  Status ParseOrder(Query& q) {
    const Token& by = Next();
    if (ToLower(by.text) != "by") return Error(by, "expected 'by' after 'order'");
    std::vector<OrderKey> keys;
    while (true) {
      auto path = Column(Next());
      if (!path.ok()) return path.status();
      OrderKey k;
      k.column = std::move(*path);
      // Resolve a projected alias to the column it names.
      for (const auto& pc : q.project) {
        if (k.column.size() == 1 && EqualsIgnoreCase(pc.output_name, k.column[0])) {
          k.column = pc.column;
        }
      }
      const Token& nx = Peek();
      if (nx.kind == Tok::kIdent && (ToLower(nx.text) == "asc" || ToLower(nx.text) == "desc")) {
        k.descending = ToLower(Next().text) == "desc";
      }
      keys.push_back(std::move(k));
      if (Peek().text == ",") {
        Next();
        continue;
      }
      if (Peek().kind == Tok::kEnd || Peek().text == "|") break;
      return Error(Peek(),
                   "expected ',', 'asc', 'desc', '|' or the end of the query in 'order by'");
    }
    q.order = std::move(keys);
    return Status::Ok();
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

}  // namespace

Result<Query> Parse(std::string_view text) {
  auto toks = Lex(text);
  if (!toks.ok()) return toks.status();
  if (toks->size() == 1) return Status::InvalidArgument("the query is empty");
  return Parser(std::move(*toks)).Run();
}

}  // namespace atg::sim::kql
