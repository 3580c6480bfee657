#include "graph/bolt_chunking.h"

#include <algorithm>
#include <cstdint>

namespace atg::graph {
namespace {

constexpr size_t kMaxChunk = 0xFFFF;

size_t ChunkSize(const std::string& buffer, size_t pos) {
  return (static_cast<size_t>(static_cast<uint8_t>(buffer[pos])) << 8) |
         static_cast<uint8_t>(buffer[pos + 1]);
}

}  // namespace

std::string ChunkMessage(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 2 * (message.size() / kMaxChunk + 2));
  for (size_t pos = 0; pos < message.size(); pos += kMaxChunk) {
    size_t n = std::min(kMaxChunk, message.size() - pos);
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
    out.append(message.substr(pos, n));
  }
  out.append("\0\0", 2);
  return out;
}

std::optional<std::string> TakeMessage(std::string* buffer) {
  // Keep-alive chunks before a message carry nothing; drop them.
  size_t start = 0;
  while (buffer->size() - start >= 2 && ChunkSize(*buffer, start) == 0) start += 2;
  buffer->erase(0, start);

  std::string message;
  size_t pos = 0;
  while (buffer->size() - pos >= 2) {
    size_t n = ChunkSize(*buffer, pos);
    if (n == 0) {
      buffer->erase(0, pos + 2);
      return message;
    }
    if (buffer->size() - pos - 2 < n) return std::nullopt;
    message.append(*buffer, pos + 2, n);
    pos += 2 + n;
  }
  return std::nullopt;
}

}  // namespace atg::graph
