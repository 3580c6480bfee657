#include "cli/identity_map.h"

#include <cctype>

#include "common/arm_id.h"
#include "common/strings.h"

namespace atg::cli {
namespace {

std::string Member(const std::string& base, std::string_view key) {
  return base + "[" + json::serialize(json::value(key)) + "]";
}

Status AddPair(const std::string& path, std::string_view from, const json::value& to,
               std::map<std::string, std::string>* out) {
  if (!IsGuid(from)) {
    return Status::InvalidArgument(path + ": '" + std::string(from) +
                                   "' is not an object id (a GUID); keys are source object ids");
  }
  if (!to.is_string() || !IsGuid(to.as_string())) {
    return Status::InvalidArgument(path + ": expected the target object id as a GUID string");
  }
  std::string key = ToLower(from);
  std::string value(to.as_string());
  auto [it, inserted] = out->emplace(key, value);
  if (!inserted && !EqualsIgnoreCase(it->second, value)) {
    return Status::InvalidArgument(path + ": source object id " + key + " is mapped twice, to " +
                                   it->second + " and " + value + "; keep one");
  }
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, std::string>> ParseIdentityMap(const json::value& doc) {
  if (!doc.is_object()) {
    return Status::InvalidArgument(
        "$: expected a JSON object mapping source object ids to target object ids");
  }
  std::map<std::string, std::string> out;
  for (const auto& kv : doc.as_object()) {
    std::string path = Member("$", kv.key());
    if (kv.value().is_object()) {
      for (const auto& inner : kv.value().as_object()) {
        ATG_RETURN_IF_ERROR(AddPair(Member(path, inner.key()), inner.key(), inner.value(), &out));
      }
    } else {
      ATG_RETURN_IF_ERROR(AddPair(path, kv.key(), kv.value(), &out));
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> LoadIdentityMap(const std::string& path) {
  auto doc = ReadJsonFile(path);
  if (!doc.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "--identity-map " + path + ": " + doc.status().message());
  }
  auto map = ParseIdentityMap(*doc);
  if (!map.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  "--identity-map " + path + ": " + map.status().message());
  }
  return map;
}

}  // namespace atg::cli
