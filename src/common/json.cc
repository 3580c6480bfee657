#include "common/json.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/file.h"
#include "common/strings.h"

namespace atg {

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 256;
  json::value v = json::parse(text, ec, json::storage_ptr(), opt);
  if (ec) {
    return Status::InvalidArgument("invalid JSON: " + ec.message());
  }
  return v;
}

Result<json::value> ReadJsonFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto r = ParseJson(*text);
  if (!r.ok()) return r.status().WithContext(path);
  return r;
}

static void PrettyPrint(std::string& out, const json::value& v, int indent) {
  auto pad = [&](int n) { out.append(static_cast<size_t>(n) * 2, ' '); };
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ",\n";
        first = false;
        pad(indent + 1);
        out += json::serialize(json::value(kv.key()));
        out += ": ";
        PrettyPrint(out, kv.value(), indent + 1);
      }
      out += "\n";
      pad(indent);
      out += "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      bool first = true;
      for (const auto& e : a) {
        if (!first) out += ",\n";
        first = false;
        pad(indent + 1);
        PrettyPrint(out, e, indent + 1);
      }
      out += "\n";
      pad(indent);
      out += "]";
      return;
    }
    default:
      out += json::serialize(v);
  }
}

std::string PrettyJson(const json::value& v) {
  std::string out;
  PrettyPrint(out, v, 0);
  out += "\n";
  return out;
}

Status WriteJsonFile(const std::string& path, const json::value& v, bool pretty) {
  return WriteFileAtomically(path, pretty ? PrettyJson(v) : json::serialize(v));
}

const json::value* Find(const json::object* obj, std::string_view key) {
  if (!obj) return nullptr;
  auto it = obj->find(key);
  return it == obj->end() ? nullptr : &it->value();
}

std::optional<std::string_view> FindString(const json::object* obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v || !v->is_string()) return std::nullopt;
  const auto& s = v->get_string();
  return std::string_view(s.data(), s.size());
}

std::optional<int64_t> FindInt(const json::object* obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return std::nullopt;
}

std::optional<bool> FindBool(const json::object* obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

const json::object* FindObject(const json::object* obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* FindArray(const json::object* obj, std::string_view key) {
  const json::value* v = Find(obj, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

const json::value* FindIgnoreCase(const json::object* obj, std::string_view key) {
  if (!obj) return nullptr;
  if (auto* v = Find(obj, key)) return v;
  for (const auto& kv : *obj) {
    if (EqualsIgnoreCase(std::string_view(kv.key().data(), kv.key().size()), key))
      return &kv.value();
  }
  return nullptr;
}

static std::string FieldPath(std::string_view path, std::string_view key) {
  std::string p(path);
  p += ".";
  p += key;
  return p;
}

Result<std::string> RequireString(const json::object& obj, std::string_view key,
                                  std::string_view path) {
  const json::value* v = Find(&obj, key);
  if (!v) return Status::InvalidArgument(FieldPath(path, key) + ": required string is missing");
  if (!v->is_string()) return Status::InvalidArgument(FieldPath(path, key) + ": expected a string");
  return std::string(v->get_string());
}

Result<const json::object*> RequireObject(const json::object& obj, std::string_view key,
                                          std::string_view path) {
  const json::value* v = Find(&obj, key);
  if (!v) return Status::InvalidArgument(FieldPath(path, key) + ": required object is missing");
  if (!v->is_object())
    return Status::InvalidArgument(FieldPath(path, key) + ": expected an object");
  return &v->get_object();
}

Result<const json::array*> RequireArray(const json::object& obj, std::string_view key,
                                        std::string_view path) {
  const json::value* v = Find(&obj, key);
  if (!v) return Status::InvalidArgument(FieldPath(path, key) + ": required array is missing");
  if (!v->is_array()) return Status::InvalidArgument(FieldPath(path, key) + ": expected an array");
  return &v->get_array();
}

}  // namespace atg
