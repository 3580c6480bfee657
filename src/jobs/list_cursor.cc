#include "jobs/list_cursor.h"

#include <charconv>

#include "jobs/job.h"

namespace atg::jobs {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

Status BadCursor() {
  return Status::InvalidArgument(
      "invalid cursor: pass the next_cursor value of the previous page unchanged, or omit it to "
      "start from the newest job");
}

}  // namespace

std::string EncodeListCursor(const ListPosition& pos) {
  std::string raw = std::to_string(pos.created_at_ms) + ":" + pos.id;
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    buf = (buf << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buf >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buf << (6 - bits)) & 0x3f]);
  return out;
}

Result<ListPosition> DecodeListCursor(std::string_view cursor) {
  if (cursor.size() > 200) return BadCursor();
  std::string raw;
  uint32_t buf = 0;
  int bits = 0;
  for (char c : cursor) {
    int v = Value(c);
    if (v < 0) return BadCursor();
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw.push_back(static_cast<char>((buf >> bits) & 0xff));
    }
  }
  size_t colon = raw.find(':');
  if (colon == std::string::npos) return BadCursor();
  ListPosition pos;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + colon, pos.created_at_ms);
  if (ec != std::errc() || p != raw.data() + colon) return BadCursor();
  pos.id = raw.substr(colon + 1);
  if (!ValidJobId(pos.id)) return BadCursor();
  return pos;
}

Status ValidateListLimits(std::string_view owner, int limit) {
  if (owner.empty()) {
    return Status::InvalidArgument("listing jobs needs an owner: a key lists only its own jobs");
  }
  if (limit < 1 || limit > 200) {
    return Status::InvalidArgument("limit " + std::to_string(limit) +
                                   " is out of range; use 1..200");
  }
  return Status::Ok();
}

}  // namespace atg::jobs
