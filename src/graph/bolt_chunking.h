// Bolt message framing: every Bolt message travels as chunks of at most 65535 bytes, each
// preceded by its big-endian 2-byte length, and ends with an empty chunk (00 00). An empty chunk
// between messages is a keep-alive (NOOP) and carries nothing.
//
// Thread-safety: reentrant functions over caller-owned buffers.
#ifndef ATG_GRAPH_BOLT_CHUNKING_H_
#define ATG_GRAPH_BOLT_CHUNKING_H_

#include <optional>
#include <string>
#include <string_view>

namespace atg::graph {

// The wire form of one message (its PackStream bytes), ready to write to the socket.
std::string ChunkMessage(std::string_view message);

// If `buffer` (bytes read from the socket so far) starts with a complete message, removes it
// (and any keep-alive chunks before it) from `buffer` and returns its PackStream bytes;
// otherwise leaves `buffer` unchanged except for leading keep-alives and returns nullopt, and
// the caller reads more.
std::optional<std::string> TakeMessage(std::string* buffer);

}  // namespace atg::graph

#endif  // ATG_GRAPH_BOLT_CHUNKING_H_
