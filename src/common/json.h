// JSON helpers on top of Boost.JSON: parsing with errors that say where, typed field access
// that reports the JSON path of a problem, and file I/O.
//
// Thread-safety: all functions are reentrant; values are not shared.
#ifndef ATG_COMMON_JSON_H_
#define ATG_COMMON_JSON_H_

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atg {

namespace json = boost::json;

// Parses `text`. On failure the message names the byte offset and the parser's reason.
Result<json::value> ParseJson(std::string_view text);

// Reads and parses a whole file. Errors name the file.
Result<json::value> ReadJsonFile(const std::string& path);

// Writes `v` to `path` atomically (temp file + rename). `pretty` indents with two spaces.
Status WriteJsonFile(const std::string& path, const json::value& v, bool pretty = false);

// Serializes with two-space indentation and a trailing newline (stable, for files people read).
std::string PrettyJson(const json::value& v);

// Field access that never throws. Each returns nullopt when the field is absent or of another
// kind; `FindString` etc. accept a null `obj` to make chained look-ups simple.
const json::value* Find(const json::object* obj, std::string_view key);
std::optional<std::string_view> FindString(const json::object* obj, std::string_view key);
std::optional<int64_t> FindInt(const json::object* obj, std::string_view key);
std::optional<bool> FindBool(const json::object* obj, std::string_view key);
const json::object* FindObject(const json::object* obj, std::string_view key);
const json::array* FindArray(const json::object* obj, std::string_view key);

// Case-insensitive key look-up (ARM property names are case-insensitive on the wire).
const json::value* FindIgnoreCase(const json::object* obj, std::string_view key);

// Required-field access for validating documents. `path` is the JSON path of `obj`
// (e.g. "$.resources[3]"); on failure the Status names "<path>.<key>" and what was expected.
Result<std::string> RequireString(const json::object& obj, std::string_view key,
                                  std::string_view path);
Result<const json::object*> RequireObject(const json::object& obj, std::string_view key,
                                          std::string_view path);
Result<const json::array*> RequireArray(const json::object& obj, std::string_view key,
                                        std::string_view path);

}  // namespace atg

#endif  // ATG_COMMON_JSON_H_
