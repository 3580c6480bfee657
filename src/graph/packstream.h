// PackStream version 1: the binary value format under the Bolt protocol that Neo4j speaks.
//
// Value holds any PackStream value (null, boolean, integer, float, bytes, string, list,
// dictionary, structure); Encode turns it into bytes and Decode parses bytes back, rejecting
// malformed, truncated or too deeply nested input with a Status instead of crashing, since the
// bytes come from the network.
//
// Thread-safety: Value is a plain value type (copy freely; no shared state). The functions are
// reentrant.
#ifndef ATG_GRAPH_PACKSTREAM_H_
#define ATG_GRAPH_PACKSTREAM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atg::graph::packstream {

struct MapEntry;

class Value {
 public:
  enum class Type { kNull, kBool, kInt, kFloat, kBytes, kString, kList, kMap, kStruct };

  Value() = default;  // null
  static Value Null();
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Float(double f);
  // Raw bytes (PackStream Bytes), held in a std::string.
  static Value Bytes(std::string b);
  // UTF-8 text; the encoder does not validate the encoding.
  static Value String(std::string s);
  static Value List(std::vector<Value> items);
  // Entries keep their order when encoded; keys should be unique.
  static Value Map(std::vector<MapEntry> entries);
  // A structure: tag byte (e.g. 0x01 HELLO, 0x4E Node) and at most 15 fields.
  static Value Struct(uint8_t tag, std::vector<Value> fields);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }

  // Accessors return the held value; asking for the wrong type returns the zero value (false, 0,
  // empty), so callers check type() first where the input is untrusted.
  bool as_bool() const { return type_ == Type::kBool && bool_; }
  int64_t as_int() const { return type_ == Type::kInt ? int_ : 0; }
  double as_float() const { return type_ == Type::kFloat ? float_ : 0.0; }
  // The text of a String or the content of Bytes.
  const std::string& as_string() const { return string_; }
  // The items of a List or the fields of a Struct.
  const std::vector<Value>& items() const { return items_; }
  const std::vector<MapEntry>& entries() const { return entries_; }
  uint8_t tag() const { return tag_; }

  // The value under `key` in a Map, or nullptr when absent or when this is not a Map.
  const Value* Find(std::string_view key) const;

  // A readable rendering for test failures and debugging. It prints every string, so never pass
  // a value that may carry credentials (a HELLO or LOGON message).
  std::string DebugString() const;

  friend bool operator==(const Value& a, const Value& b);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double float_ = 0.0;
  uint8_t tag_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<MapEntry> entries_;
};

struct MapEntry {
  std::string key;
  Value value;
  friend bool operator==(const MapEntry& a, const MapEntry& b) {
    return a.key == b.key && a.value == b.value;
  }
};

inline Value Value::Null() { return Value(); }

// Appends the encoding of `value` to `out`, using the smallest representation for every size.
// Fails (InvalidArgument) only for a Struct with more than 15 fields or a size beyond 2^32-1.
Status Encode(const Value& value, std::string* out);
Result<std::string> Encode(const Value& value);

// Decodes one value from the start of `data` and stores how many bytes it used in `*consumed`.
// Fails (InvalidArgument) on truncated input, unknown markers, non-string dictionary keys, or
// nesting deeper than 64 levels.
Result<Value> DecodePrefix(std::string_view data, size_t* consumed);
// Decodes exactly one value that fills all of `data`.
Result<Value> Decode(std::string_view data);

}  // namespace atg::graph::packstream

#endif  // ATG_GRAPH_PACKSTREAM_H_
