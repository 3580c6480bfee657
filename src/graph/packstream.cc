#include "graph/packstream.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>
#include <limits>
#include <utility>

namespace atg::graph::packstream {
namespace {

constexpr int kMaxDepth = 64;

void PutBig(uint64_t v, int bytes, std::string* out) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// Writes the marker for a sized type: tiny (marker_tiny | size) when allowed, else the 8/16/32-bit
// size forms starting at marker_8.
Status PutSized(uint8_t tiny, bool has_tiny, uint8_t marker_8, bool has_8, size_t size,
                std::string* out) {
  if (has_tiny && size < 16) {
    out->push_back(static_cast<char>(tiny | size));
  } else if (has_8 && size <= 0xFF) {
    out->push_back(static_cast<char>(marker_8));
    PutBig(size, 1, out);
  } else if (size <= 0xFFFF) {
    out->push_back(static_cast<char>(marker_8 + 1));
    PutBig(size, 2, out);
  } else if (size <= 0xFFFFFFFFull) {
    out->push_back(static_cast<char>(marker_8 + 2));
    PutBig(size, 4, out);
  } else {
    return Status::InvalidArgument(
        fmt::format("PackStream value has {} elements; the format allows at most 2^32-1", size));
  }
  return Status::Ok();
}

void PutInt(int64_t v, std::string* out) {
  if (v >= -16 && v <= 127) {
    out->push_back(static_cast<char>(static_cast<uint8_t>(v)));
  } else if (v >= std::numeric_limits<int8_t>::min() && v <= std::numeric_limits<int8_t>::max()) {
    out->push_back(static_cast<char>(0xC8));
    PutBig(static_cast<uint8_t>(v), 1, out);
  } else if (v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max()) {
    out->push_back(static_cast<char>(0xC9));
    PutBig(static_cast<uint16_t>(v), 2, out);
  } else if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) {
    out->push_back(static_cast<char>(0xCA));
    PutBig(static_cast<uint32_t>(v), 4, out);
  } else {
    out->push_back(static_cast<char>(0xCB));
    PutBig(static_cast<uint64_t>(v), 8, out);
  }
}

class Decoder {
 public:
  explicit Decoder(std::string_view data) : data_(data) {}

  size_t position() const { return pos_; }

  Result<Value> Read(int depth) {
    if (depth > kMaxDepth) {
      return Fail(fmt::format("values nest deeper than {} levels", kMaxDepth));
    }
    uint8_t marker;
    ATG_RETURN_IF_ERROR(ReadByte(&marker));
    if (marker <= 0x7F) return Value::Int(marker);
    if (marker >= 0xF0) return Value::Int(static_cast<int8_t>(marker));
    uint8_t high = marker & 0xF0, low = marker & 0x0F;
    switch (high) {
      case 0x80:
        return ReadString(low);
      case 0x90:
        return ReadList(low, depth);
      case 0xA0:
        return ReadMap(low, depth);
      case 0xB0:
        return ReadStruct(low, depth);
      default:
        break;
    }
    uint64_t n = 0;
    switch (marker) {
      case 0xC0:
        return Value::Null();
      case 0xC1: {
        ATG_RETURN_IF_ERROR(ReadBig(8, &n));
        return Value::Float(std::bit_cast<double>(n));
      }
      case 0xC2:
        return Value::Bool(false);
      case 0xC3:
        return Value::Bool(true);
      case 0xC8:
        ATG_RETURN_IF_ERROR(ReadBig(1, &n));
        return Value::Int(static_cast<int8_t>(n));
      case 0xC9:
        ATG_RETURN_IF_ERROR(ReadBig(2, &n));
        return Value::Int(static_cast<int16_t>(n));
      case 0xCA:
        ATG_RETURN_IF_ERROR(ReadBig(4, &n));
        return Value::Int(static_cast<int32_t>(n));
      case 0xCB:
        ATG_RETURN_IF_ERROR(ReadBig(8, &n));
        return Value::Int(static_cast<int64_t>(n));
      case 0xCC:
      case 0xCD:
      case 0xCE: {
        ATG_RETURN_IF_ERROR(ReadBig(1 << (marker - 0xCC), &n));
        std::string bytes;
        ATG_RETURN_IF_ERROR(ReadRaw(n, &bytes));
        return Value::Bytes(std::move(bytes));
      }
      case 0xD0:
      case 0xD1:
      case 0xD2:
        ATG_RETURN_IF_ERROR(ReadBig(1 << (marker - 0xD0), &n));
        return ReadString(n);
      case 0xD4:
      case 0xD5:
      case 0xD6:
        ATG_RETURN_IF_ERROR(ReadBig(1 << (marker - 0xD4), &n));
        return ReadList(n, depth);
      case 0xD8:
      case 0xD9:
      case 0xDA:
        ATG_RETURN_IF_ERROR(ReadBig(1 << (marker - 0xD8), &n));
        return ReadMap(n, depth);
      default:
        return Fail(fmt::format("unknown marker byte 0x{:02X}", marker));
    }
  }

 private:
  Status Fail(std::string_view why) const {
    return Status::InvalidArgument(
        fmt::format("malformed PackStream data at byte {}: {}; the peer does not speak PackStream "
                    "v1 or the stream is out of step",
                    pos_, why));
  }

  Status ReadByte(uint8_t* b) {
    if (pos_ >= data_.size()) return Fail("input ends inside a value");
    *b = static_cast<uint8_t>(data_[pos_++]);
    return Status::Ok();
  }

  Status ReadBig(int bytes, uint64_t* v) {
    if (data_.size() - pos_ < static_cast<size_t>(bytes)) return Fail("input ends inside a value");
    *v = 0;
    for (int i = 0; i < bytes; ++i) *v = (*v << 8) | static_cast<uint8_t>(data_[pos_++]);
    return Status::Ok();
  }

  Status ReadRaw(uint64_t n, std::string* out) {
    if (data_.size() - pos_ < n) return Fail("input ends inside a value");
    out->assign(data_.substr(pos_, n));
    pos_ += n;
    return Status::Ok();
  }

  // Every element takes at least one byte, so a count beyond the remaining input is malformed;
  // checking first keeps a hostile size from reserving gigabytes.
  Status CheckCount(uint64_t n) const {
    if (n > data_.size() - pos_) return Fail("element count exceeds the remaining input");
    return Status::Ok();
  }

  Result<Value> ReadString(uint64_t n) {
    std::string s;
    ATG_RETURN_IF_ERROR(ReadRaw(n, &s));
    return Value::String(std::move(s));
  }

  Result<Value> ReadList(uint64_t n, int depth) {
    ATG_RETURN_IF_ERROR(CheckCount(n));
    std::vector<Value> items;
    items.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      Result<Value> v = Read(depth + 1);
      if (!v.ok()) return v.status();
      items.push_back(std::move(v).value());
    }
    return Value::List(std::move(items));
  }

  Result<Value> ReadMap(uint64_t n, int depth) {
    ATG_RETURN_IF_ERROR(CheckCount(n));
    std::vector<MapEntry> entries;
    entries.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      Result<Value> key = Read(depth + 1);
      if (!key.ok()) return key.status();
      if (key->type() != Value::Type::kString) return Fail("a dictionary key is not a string");
      Result<Value> v = Read(depth + 1);
      if (!v.ok()) return v.status();
      entries.push_back(MapEntry{key->as_string(), std::move(v).value()});
    }
    return Value::Map(std::move(entries));
  }

  Result<Value> ReadStruct(uint64_t n, int depth) {
    uint8_t tag;
    ATG_RETURN_IF_ERROR(ReadByte(&tag));
    std::vector<Value> fields;
    fields.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      Result<Value> v = Read(depth + 1);
      if (!v.ok()) return v.status();
      fields.push_back(std::move(v).value());
    }
    return Value::Struct(tag, std::move(fields));
  }

  std::string_view data_;
  size_t pos_ = 0;
};

void AppendDebug(const Value& v, std::string* out) {
  switch (v.type()) {
    case Value::Type::kNull:
      out->append("null");
      break;
    case Value::Type::kBool:
      out->append(v.as_bool() ? "true" : "false");
      break;
    case Value::Type::kInt:
      out->append(std::to_string(v.as_int()));
      break;
    case Value::Type::kFloat:
      out->append(fmt::format("{}", v.as_float()));
      break;
    case Value::Type::kBytes:
      out->append(fmt::format("bytes[{}]", v.as_string().size()));
      break;
    case Value::Type::kString:
      out->append(fmt::format("\"{}\"", v.as_string()));
      break;
    case Value::Type::kList:
    case Value::Type::kStruct: {
      if (v.type() == Value::Type::kStruct) out->append(fmt::format("struct 0x{:02X}", v.tag()));
      out->push_back('[');
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) out->append(", ");
        AppendDebug(v.items()[i], out);
      }
      out->push_back(']');
      break;
    }
    case Value::Type::kMap: {
      out->push_back('{');
      for (size_t i = 0; i < v.entries().size(); ++i) {
        if (i) out->append(", ");
        out->append(fmt::format("\"{}\": ", v.entries()[i].key));
        AppendDebug(v.entries()[i].value, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace

Value Value::Bool(bool b) {
  Value v;
  v.type_ = Type::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.type_ = Type::kInt;
  v.int_ = i;
  return v;
}

Value Value::Float(double f) {
  Value v;
  v.type_ = Type::kFloat;
  v.float_ = f;
  return v;
}

Value Value::Bytes(std::string b) {
  Value v;
  v.type_ = Type::kBytes;
  v.string_ = std::move(b);
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> items) {
  Value v;
  v.type_ = Type::kList;
  v.items_ = std::move(items);
  return v;
}

Value Value::Map(std::vector<MapEntry> entries) {
  Value v;
  v.type_ = Type::kMap;
  v.entries_ = std::move(entries);
  return v;
}

Value Value::Struct(uint8_t tag, std::vector<Value> fields) {
  Value v;
  v.type_ = Type::kStruct;
  v.tag_ = tag;
  v.items_ = std::move(fields);
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (type_ != Type::kMap) return nullptr;
  for (const MapEntry& e : entries_) {
    if (e.key == key) return &e.value;
  }
  return nullptr;
}

std::string Value::DebugString() const {
  std::string out;
  AppendDebug(*this, &out);
  return out;
}

bool operator==(const Value& a, const Value& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Value::Type::kNull:
      return true;
    case Value::Type::kBool:
      return a.bool_ == b.bool_;
    case Value::Type::kInt:
      return a.int_ == b.int_;
    case Value::Type::kFloat:
      // Bitwise, so NaN equals itself and 0.0 differs from -0.0, as on the wire.
      return std::bit_cast<uint64_t>(a.float_) == std::bit_cast<uint64_t>(b.float_);
    case Value::Type::kBytes:
    case Value::Type::kString:
      return a.string_ == b.string_;
    case Value::Type::kList:
      return a.items_ == b.items_;
    case Value::Type::kMap:
      return a.entries_ == b.entries_;
    case Value::Type::kStruct:
      return a.tag_ == b.tag_ && a.items_ == b.items_;
  }
  return false;
}

Status Encode(const Value& value, std::string* out) {
  switch (value.type()) {
    case Value::Type::kNull:
      out->push_back(static_cast<char>(0xC0));
      return Status::Ok();
    case Value::Type::kBool:
      out->push_back(static_cast<char>(value.as_bool() ? 0xC3 : 0xC2));
      return Status::Ok();
    case Value::Type::kInt:
      PutInt(value.as_int(), out);
      return Status::Ok();
    case Value::Type::kFloat:
      out->push_back(static_cast<char>(0xC1));
      PutBig(std::bit_cast<uint64_t>(value.as_float()), 8, out);
      return Status::Ok();
    case Value::Type::kBytes:
      ATG_RETURN_IF_ERROR(PutSized(0, false, 0xCC, true, value.as_string().size(), out));
      out->append(value.as_string());
      return Status::Ok();
    case Value::Type::kString:
      ATG_RETURN_IF_ERROR(PutSized(0x80, true, 0xD0, true, value.as_string().size(), out));
      out->append(value.as_string());
      return Status::Ok();
    case Value::Type::kList:
      ATG_RETURN_IF_ERROR(PutSized(0x90, true, 0xD4, true, value.items().size(), out));
      for (const Value& item : value.items()) ATG_RETURN_IF_ERROR(Encode(item, out));
      return Status::Ok();
    case Value::Type::kMap:
      ATG_RETURN_IF_ERROR(PutSized(0xA0, true, 0xD8, true, value.entries().size(), out));
      for (const MapEntry& e : value.entries()) {
        ATG_RETURN_IF_ERROR(Encode(Value::String(e.key), out));
        ATG_RETURN_IF_ERROR(Encode(e.value, out));
      }
      return Status::Ok();
    case Value::Type::kStruct:
      if (value.items().size() > 15) {
        return Status::InvalidArgument(
            fmt::format("PackStream structure 0x{:02X} has {} fields; the format allows at most 15",
                        value.tag(), value.items().size()));
      }
      out->push_back(static_cast<char>(0xB0 | value.items().size()));
      out->push_back(static_cast<char>(value.tag()));
      for (const Value& field : value.items()) ATG_RETURN_IF_ERROR(Encode(field, out));
      return Status::Ok();
  }
  return Status::Internal("PackStream value of unknown type");
}

Result<std::string> Encode(const Value& value) {
  std::string out;
  ATG_RETURN_IF_ERROR(Encode(value, &out));
  return out;
}

Result<Value> DecodePrefix(std::string_view data, size_t* consumed) {
  Decoder decoder(data);
  Result<Value> v = decoder.Read(0);
  if (v.ok()) *consumed = decoder.position();
  return v;
}

Result<Value> Decode(std::string_view data) {
  size_t consumed = 0;
  Result<Value> v = DecodePrefix(data, &consumed);
  if (!v.ok()) return v;
  if (consumed != data.size()) {
    return Status::InvalidArgument(
        fmt::format("PackStream data holds {} bytes after the first value; expected exactly one "
                    "value",
                    data.size() - consumed));
  }
  return v;
}

}  // namespace atg::graph::packstream
