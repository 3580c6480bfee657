#include "iac/hcl_writer.h"

#include <cctype>
#include <charconv>
#include <cstdint>

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

}  // namespace atg::iac
