#include "net/body_sources.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace atg::net {
namespace {

constexpr size_t kFilePiece = 64 * 1024;

class FileBodySource : public BodySource {
 public:
  FileBodySource(int fd, std::string path, uint64_t offset, uint64_t length)
      : fd_(fd), path_(std::move(path)), next_(offset), remaining_(length), size_(length) {}
  ~FileBodySource() override { ::close(fd_); }

  std::optional<uint64_t> Size() const override { return size_; }

  void Read(std::function<void(BodyChunk)> deliver) override {
    BodyChunk chunk;
    size_t want = static_cast<size_t>(std::min<uint64_t>(remaining_, kFilePiece));
    chunk.data.resize(want);
    size_t got = 0;
    while (got < want) {
      ssize_t n = ::pread(fd_, chunk.data.data() + got, want - got, static_cast<off_t>(next_));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        // Shrunk or unreadable while being served: the declared length can no longer be met.
        chunk.failed = true;
        deliver(std::move(chunk));
        return;
      }
      got += static_cast<size_t>(n);
      next_ += static_cast<uint64_t>(n);
    }
    remaining_ -= want;
    chunk.last = remaining_ == 0;
    deliver(std::move(chunk));
  }

 private:
  int fd_;
  std::string path_;
  uint64_t next_;
  uint64_t remaining_;
  uint64_t size_;
};

}  // namespace

Result<std::shared_ptr<BodySource>> OpenFileBody(const std::string& path, uint64_t offset,
                                                 std::optional<uint64_t> length) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string why = std::strerror(err);
    if (err == ENOENT) return Status::NotFound("cannot open " + path + ": " + why);
    return Status::IoError("cannot open " + path + ": " + why);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument("cannot serve " + path + ": it is not a regular file");
  }
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  if (offset > file_size || (length && *length > file_size - offset)) {
    ::close(fd);
    return Status::InvalidArgument(
        "the byte range starting at " + std::to_string(offset) +
        (length ? " of length " + std::to_string(*length) : std::string()) + " lies outside " +
        path + ", which has " + std::to_string(file_size) + " bytes");
  }
  uint64_t n = length ? *length : file_size - offset;
  return std::shared_ptr<BodySource>(std::make_shared<FileBodySource>(fd, path, offset, n));
}

namespace {

// Parses a run of decimal digits; false on anything else or overflow.
bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<std::optional<ByteRange>> ParseRangeHeader(std::optional<std::string_view> header,
                                                  uint64_t size) {
  using Out = std::optional<ByteRange>;
  if (!header) return Out();
  std::string_view h = *header;
  while (!h.empty() && (h.front() == ' ' || h.front() == '\t')) h.remove_prefix(1);
  while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.remove_suffix(1);
  constexpr std::string_view kUnit = "bytes=";
  if (h.size() < kUnit.size() || h.substr(0, kUnit.size()) != kUnit) return Out();
  std::string_view spec = h.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return Out();  // several ranges: send it all
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return Out();
  std::string_view first_text = spec.substr(0, dash);
  std::string_view last_text = spec.substr(dash + 1);
  auto unsatisfiable = [&] {
    return Status::InvalidArgument("the requested range '" + std::string(h) +
                                   "' lies outside the " + std::to_string(size) + "-byte resource");
  };
  ByteRange r;
  if (first_text.empty()) {  // suffix: the last N bytes
    uint64_t n = 0;
    if (!ParseU64(last_text, &n)) return Out();
    if (n == 0 || size == 0) return unsatisfiable();
    r.length = std::min(n, size);
    r.offset = size - r.length;
    return Out(r);
  }
  uint64_t first = 0;
  if (!ParseU64(first_text, &first)) return Out();
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    uint64_t asked = 0;
    if (!ParseU64(last_text, &asked) || asked < first) return Out();
    last = std::min(asked, last);
  }
  if (first >= size) return unsatisfiable();
  r.offset = first;
  r.length = last - first + 1;
  return Out(r);
}

std::string ContentRange(const ByteRange& range, uint64_t size) {
  return "bytes " + std::to_string(range.offset) + "-" +
         std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size);
}

PushBodySource::PushBodySource(size_t max_buffered_bytes)
    : max_buffered_bytes_(max_buffered_bytes) {}

std::optional<BodyChunk> PushBodySource::TakeLocked() {
  if (failed_) {
    BodyChunk c;
    c.failed = true;
    return c;
  }
  if (queue_.empty() && !finished_) return std::nullopt;
  BodyChunk c;
  if (queue_.size() == 1) {
    c.data = std::move(queue_.front());
  } else {
    c.data.reserve(buffered_bytes_);
    for (auto& piece : queue_) c.data += piece;
  }
  queue_.clear();
  buffered_bytes_ = 0;
  c.last = finished_;
  return c;
}

bool PushBodySource::Push(std::string data) {
  std::function<void(BodyChunk)> deliver;
  std::optional<BodyChunk> chunk;
  bool accepted = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_ || finished_ || failed_) return false;
    if (data.empty()) return true;
    if (buffered_bytes_ + data.size() > max_buffered_bytes_) {
      // The client is not keeping up; dropping pieces would corrupt the stream, so end it.
      cancelled_ = true;
      failed_ = true;
      accepted = false;
    } else {
      buffered_bytes_ += data.size();
      queue_.push_back(std::move(data));
    }
    if (pending_) {
      chunk = TakeLocked();
      deliver = std::move(pending_);
      pending_ = nullptr;
    }
  }
  if (deliver) deliver(std::move(*chunk));
  return accepted;
}

void PushBodySource::Finish() {
  std::function<void(BodyChunk)> deliver;
  std::optional<BodyChunk> chunk;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_ || failed_) return;
    finished_ = true;
    if (pending_) {
      chunk = TakeLocked();
      deliver = std::move(pending_);
      pending_ = nullptr;
    }
  }
  if (deliver) deliver(std::move(*chunk));
}

void PushBodySource::Fail() {
  std::function<void(BodyChunk)> deliver;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (finished_ || failed_) return;
    failed_ = true;
    deliver = std::move(pending_);
    pending_ = nullptr;
  }
  if (deliver) {
    BodyChunk c;
    c.failed = true;
    deliver(std::move(c));
  }
}

bool PushBodySource::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

void PushBodySource::Read(std::function<void(BodyChunk)> deliver) {
  std::optional<BodyChunk> chunk;
  {
    std::lock_guard<std::mutex> lock(mu_);
    chunk = TakeLocked();
    if (!chunk) {
      pending_ = std::move(deliver);
      return;
    }
  }
  deliver(std::move(*chunk));
}

void PushBodySource::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  queue_.clear();
  buffered_bytes_ = 0;
  pending_ = nullptr;
}

}  // namespace atg::net
