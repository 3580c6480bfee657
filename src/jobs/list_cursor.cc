#include "jobs/list_cursor.h"

#include <charconv>

#include "jobs/job.h"

namespace atg::jobs {

namespace {

Status BadCursor() {
  return Status::InvalidArgument(
      "invalid cursor: pass the next_cursor value of the previous page unchanged, or omit it to "
      "start from the newest job");
}

}  // namespace

std::string EncodeListCursor(const ListPosition& pos) {
  return std::to_string(pos.created_at_ms) + "." + pos.id;
}

Result<ListPosition> DecodeListCursor(std::string_view cursor) {
  size_t dot = cursor.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 16) return BadCursor();
  ListPosition pos;
  auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + dot, pos.created_at_ms);
  if (ec != std::errc() || p != cursor.data() + dot || pos.created_at_ms < 0) return BadCursor();
  pos.id = std::string(cursor.substr(dot + 1));
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
