// The cursor of JobStore::List: "<created_at_ms>.<job id>", the position of the last job of the
// previous page. Clients treat it as opaque; its shape is simple enough to be checked by the
// OpenAPI pattern, so every cursor the schema allows is one the store can decode. Both backends
// list newest first by (created_at_ms, id).
//
// Thread-safety: reentrant.
#ifndef ATG_JOBS_LIST_CURSOR_H_
#define ATG_JOBS_LIST_CURSOR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atg::jobs {

struct ListPosition {
  int64_t created_at_ms = 0;
  std::string id;
};

std::string EncodeListCursor(const ListPosition& pos);
// InvalidArgument ("invalid cursor ...") for anything EncodeListCursor did not produce.
Result<ListPosition> DecodeListCursor(std::string_view cursor);

// InvalidArgument unless 1 <= limit <= 200 and the owner is set.
Status ValidateListLimits(std::string_view owner, int limit);

}  // namespace atg::jobs

#endif  // ATG_JOBS_LIST_CURSOR_H_
