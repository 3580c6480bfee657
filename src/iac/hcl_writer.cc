#include "iac/hcl_writer.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

namespace atg::iac {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when the bytes there are not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    return 0;
  }
  return n;
}

}  // namespace

void AppendHclTemplateText(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    switch (c) {
      case '"':
        out->append("\\\"");
        ++i;
        continue;
      case '\\':
        out->append("\\\\");
        ++i;
        continue;
      case '\n':
        out->append("\\n");
        ++i;
        continue;
      case '\r':
        out->append("\\r");
        ++i;
        continue;
      case '\t':
        out->append("\\t");
        ++i;
        continue;
      case '$':
      case '%':
        // "${" and "%{" open an interpolation / directive; doubling the sigil makes them text.
        if (i + 1 < s.size() && s[i + 1] == '{') out->push_back(c);
        out->push_back(c);
        ++i;
        continue;
      default:
        break;
    }
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) {
      out->append("\\u00");
      out->push_back(kHex[b >> 4]);
      out->push_back(kHex[b & 0xF]);
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out->append("\\uFFFD");  // not UTF-8: Terraform would reject the file
      ++i;
      continue;
    }
    out->append(s.substr(i, n));
    i += n;
  }
}

void AppendHclString(std::string* out, std::string_view s) {
  out->push_back('"');
  AppendHclTemplateText(out, s);
  out->push_back('"');
}

std::string HclString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendHclString(&out, s);
  return out;
}

bool IsHclIdentifier(std::string_view s) {
  if (s.empty()) return false;
  const auto first = static_cast<unsigned char>(s[0]);
  if (!(std::isalpha(first) || first == '_')) return false;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (!(std::isalnum(b) || b == '_' || b == '-')) return false;
  }
  // Literal keywords would be read as values, not names.
  return s != "true" && s != "false" && s != "null";
}

std::string HclNumber(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v.as_double());
  return std::string(buf, res.ptr);
}

void HclWriter::Indent() { out_->append(static_cast<size_t>(depth_) * 2, ' '); }

void HclWriter::AppendName(std::string_view name) {
  if (IsHclIdentifier(name)) {
    out_->append(name);
  } else {
    AppendHclString(out_, name);
  }
}

void HclWriter::BeginBlock(std::string_view type, std::initializer_list<std::string_view> labels) {
  Indent();
  out_->append(type);
  for (std::string_view label : labels) {
    out_->push_back(' ');
    AppendHclString(out_, label);
  }
  out_->append(" {\n");
  ++depth_;
}

void HclWriter::EndBlock() {
  --depth_;
  Indent();
  out_->append("}\n");
}

void HclWriter::Attribute(std::string_view name, std::string_view expression) {
  Indent();
  out_->append(name);
  out_->append(" = ");
  out_->append(expression);
  out_->push_back('\n');
}

void HclWriter::StringAttribute(std::string_view name, std::string_view value) {
  Indent();
  out_->append(name);
  out_->append(" = ");
  AppendHclString(out_, value);
  out_->push_back('\n');
}

void HclWriter::BoolAttribute(std::string_view name, bool value) {
  Attribute(name, value ? "true" : "false");
}

void HclWriter::JsonAttribute(std::string_view name, const json::value& value,
                              const ExpressionLookup* lookup, std::string_view path) {
  Indent();
  AppendName(name);
  out_->append(" = ");
  std::string p(path);
  AppendValue(value, lookup, &p);
  out_->push_back('\n');
}

void HclWriter::Comment(std::string_view text) {
  Indent();
  out_->append("# ");
  for (char c : text) out_->push_back(c == '\n' || c == '\r' ? ' ' : c);
  out_->push_back('\n');
}

void HclWriter::BlankLine() { out_->push_back('\n'); }

namespace {

bool IsScalar(const json::value& v) { return !v.is_object() && !v.is_array(); }

}  // namespace

void HclWriter::AppendValue(const json::value& value, const ExpressionLookup* lookup,
                            std::string* path) {
  if (lookup) {
    if (const std::string* expr = (*lookup)(*path)) {
      out_->append(*expr);
      return;
    }
  }
  switch (value.kind()) {
    case json::kind::null:
      out_->append("null");
      return;
    case json::kind::bool_:
      out_->append(value.get_bool() ? "true" : "false");
      return;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out_->append(HclNumber(value));
      return;
    case json::kind::string:
      AppendHclString(out_, value.get_string());
      return;
    case json::kind::array: {
      const json::array& a = value.get_array();
      const size_t len = path->size();
      bool inline_list = true;
      for (const json::value& e : a) inline_list = inline_list && IsScalar(e);
      if (a.empty()) {
        out_->append("[]");
        return;
      }
      out_->append(inline_list ? "[" : "[\n");
      ++depth_;
      size_t i = 0;
      for (const json::value& e : a) {
        if (lookup) {
          path->push_back('[');
          path->append(std::to_string(i));
          path->push_back(']');
        }
        if (inline_list) {
          if (i > 0) out_->append(", ");
        } else {
          Indent();
        }
        AppendValue(e, lookup, path);
        if (!inline_list) out_->append(",\n");
        path->resize(len);
        ++i;
      }
      --depth_;
      if (!inline_list) Indent();
      out_->push_back(']');
      return;
    }
    case json::kind::object: {
      const json::object& o = value.get_object();
      if (o.empty()) {
        out_->append("{}");
        return;
      }
      const size_t len = path->size();
      out_->append("{\n");
      ++depth_;
      for (const auto& kv : o) {
        Indent();
        const std::string* key_expr = nullptr;
        if (lookup && !kv.key().empty() && kv.key()[0] == '/') {
          // An id used as a key (user-assigned identities) may itself be a reference.
          path->push_back('[');
          path->append(json::serialize(json::value(kv.key())));
          path->push_back(']');
          key_expr = (*lookup)(*path);
          path->resize(len);
        }
        if (key_expr) {
          out_->push_back('(');
          out_->append(*key_expr);
          out_->push_back(')');
        } else {
          AppendName(kv.key());
        }
        out_->append(" = ");
        if (lookup) {
          if (!path->empty()) path->push_back('.');
          path->append(kv.key());
        }
        AppendValue(kv.value(), lookup, path);
        path->resize(len);
        out_->push_back('\n');
      }
      --depth_;
      Indent();
      out_->push_back('}');
      return;
    }
  }
}

namespace {

// Columns of `s` as hclwrite counts them (grapheme clusters): code points, less combining
// marks, variation selectors and zero-width joiners with what they join.
size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  bool joined = false;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    if (i + n > s.size()) n = s.size() - i;
    uint32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    const bool extend = (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
                        (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
                        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F);
    if (cp == 0x200D) {
      joined = true;
      continue;
    }
    if (!extend && !joined) ++width;
    joined = false;
  }
  return width;
}

// For a line `lead = rest`: the offset of that `=`, when the line is an assignment whose
// brackets balance after it; npos otherwise. Strings and their interpolations are followed so
// that an '=' or a bracket inside a string does not count.
size_t AssignOffset(std::string_view line) {
  size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos || line[i] == '#') return std::string_view::npos;
  size_t eq = std::string_view::npos;
  int depth = 0;  // brackets after the '=' (before it: must be balanced when it comes)
  // Open constructs: '{', '[', '(' in code, 'i' an interpolation inside a string.
  std::vector<char> open;
  bool in_string = false;
  for (size_t k = i; k < line.size(); ++k) {
    const char c = line[k];
    if (in_string) {
      if (c == '\\') {
        ++k;
      } else if (c == '"') {
        in_string = false;
      } else if ((c == '$' || c == '%') && k + 1 < line.size()) {
        if (line[k + 1] == c && k + 2 < line.size() && line[k + 2] == '{') {
          k += 2;  // "$${": a literal "${"
        } else if (line[k + 1] == '{') {
          open.push_back('i');
          in_string = false;
          ++k;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '#':
        k = line.size();
        break;
      case '{':
      case '[':
      case '(':
        open.push_back(c);
        if (eq != std::string_view::npos) ++depth;
        break;
      case '}':
      case ']':
      case ')':
        if (!open.empty() && open.back() == 'i') {
          open.pop_back();
          in_string = true;  // back in the string the interpolation was in
          break;
        }
        if (!open.empty()) open.pop_back();
        if (eq != std::string_view::npos) --depth;
        break;
      case '=': {
        if (eq != std::string_view::npos || k == i) break;
        const char next = k + 1 < line.size() ? line[k + 1] : ' ';
        const char prev = line[k - 1];
        if (next == '=' || next == '>' || prev == '=' || prev == '!' || prev == '<' ||
            prev == '>') {
          return std::string_view::npos;  // an operator before any assignment
        }
        if (!open.empty()) return std::string_view::npos;
        eq = k;
        break;
      }
      default:
        break;
    }
  }
  return eq != std::string_view::npos && depth == 0 ? eq : std::string_view::npos;
}

}  // namespace

void AlignHclAssignments(std::string* text) {
  std::string out;
  out.reserve(text->size() + text->size() / 8);
  struct Pending {
    std::string_view lead;  // up to the '=', trailing spaces removed
    std::string_view rest;  // from the '='
  };
  std::vector<Pending> run;
  size_t widest = 0;
  auto flush = [&] {
    for (const Pending& p : run) {
      out.append(p.lead);
      out.append(widest - DisplayWidth(p.lead) + 1, ' ');
      out.append(p.rest);
      out.push_back('\n');
    }
    run.clear();
    widest = 0;
  };
  std::string_view all(*text);
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    const size_t eq = AssignOffset(line);
    if (eq == std::string_view::npos) {
      flush();
      out.append(line);
      if (end < all.size()) out.push_back('\n');
    } else {
      std::string_view lead = line.substr(0, eq);
      while (!lead.empty() && lead.back() == ' ') lead.remove_suffix(1);
      run.push_back({lead, line.substr(eq)});
      widest = std::max(widest, DisplayWidth(lead));
    }
    pos = end + 1;
  }
  flush();
  *text = std::move(out);
}

}  // namespace atg::iac
