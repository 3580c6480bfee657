// Ready-made BodySource implementations (see net/http_message.h):
//   - OpenFileBody: a file or a byte range of it, read piece by piece (artifact downloads with
//     `Range`), so a multi-gigabyte file never sits in memory;
//   - PushBodySource: pieces pushed by a producer on any thread (Server-Sent Events, progress
//     streams), sent with chunked transfer encoding.
#ifndef ATG_NET_BODY_SOURCES_H_
#define ATG_NET_BODY_SOURCES_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "net/http_message.h"

namespace atg::net {

// Opens `path` and returns a source of its bytes [offset, offset + length); no `length` means
// up to the end of the file. The file is opened now (so a missing file is an error the handler
// can turn into 404) and read in 64 KiB pieces as the client accepts them. Errors: the file
// cannot be opened, or the range does not lie within the file (the caller answers 416).
// Thread-safety: as BodySource. Reads are synchronous on the I/O thread (files served are local;
// the page cache makes them short).
Result<std::shared_ptr<BodySource>> OpenFileBody(const std::string& path, uint64_t offset = 0,
                                                 std::optional<uint64_t> length = std::nullopt);

// One satisfiable byte range of a resource.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
};

// Interprets a `Range` request header for a resource of `size` bytes (RFC 9110 section 14):
// "bytes=0-99", "bytes=100-" and "bytes=-500" (the last 500 bytes). Returns nullopt when the
// header should be ignored and the whole resource sent with 200 (no header, another unit,
// several ranges, or malformed syntax, as the RFC allows); a range to send with 206 and
// `Content-Range: bytes first-last/size`; or an error when the range is unsatisfiable (answer
// 416 with `Content-Range: bytes */size`).
Result<std::optional<ByteRange>> ParseRangeHeader(std::optional<std::string_view> header,
                                                  uint64_t size);

// The `Content-Range` value for `range` of a resource of `size` bytes.
std::string ContentRange(const ByteRange& range, uint64_t size);

// A body of unknown length whose pieces a producer pushes when it has them.
//
// Thread-safety: Push, Finish, Fail and cancelled() may be called from any thread, concurrently
// with the server's Read and Cancel.
class PushBodySource : public BodySource {
 public:
  // A client that reads slower than the producer pushes may leave up to `max_buffered_bytes`
  // unsent; beyond that the stream is abandoned (Push returns false, the connection closes).
  explicit PushBodySource(size_t max_buffered_bytes = 4 << 20);

  // Queues `data` for sending. False when the stream is over (the client left, the server is
  // stopping, the buffer limit was hit, or Finish/Fail was called): the producer should stop.
  bool Push(std::string data);
  // Ends the body after everything pushed so far.
  void Finish();
  // Abandons the body: the connection is closed, the client sees a truncated response.
  void Fail();
  // True once the connection ended early or the buffer overflowed.
  bool cancelled() const;

  std::optional<uint64_t> Size() const override { return std::nullopt; }
  void Read(std::function<void(BodyChunk)> deliver) override;
  void Cancel() override;

 private:
  // Takes the queued data as one piece if there is something to deliver; needs mu_ held.
  std::optional<BodyChunk> TakeLocked();

  const size_t max_buffered_bytes_;
  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  size_t buffered_bytes_ = 0;
  bool finished_ = false;
  bool failed_ = false;
  bool cancelled_ = false;
  std::function<void(BodyChunk)> pending_;  // a Read waiting for data
};

}  // namespace atg::net

#endif  // ATG_NET_BODY_SOURCES_H_
