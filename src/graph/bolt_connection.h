// BoltConnection: a blocking client connection to Neo4j over the Bolt protocol (versions 5.0 to
// 5.8, then 4.4), enough to authenticate and run Cypher: handshake, HELLO (+ LOGON from Bolt
// 5.1), RUN/PULL/DISCARD, explicit transactions (BEGIN/COMMIT/ROLLBACK), GOODBYE. Plain TCP only
// (bolt:// and neo4j:// URIs, connecting directly to the given host; no routing, no TLS).
//
// The password is sent only inside HELLO/LOGON, is registered with RegisterSecret, and never
// appears in an error: a refused login is kUnauthenticated carrying Neo4j's code and message.
//
// Thread-safety: a connection is used by one thread at a time. Ownership: the connection owns
// its socket and closes it on destruction (after GOODBYE when the session is open).
#ifndef ATG_GRAPH_BOLT_CONNECTION_H_
#define ATG_GRAPH_BOLT_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "graph/packstream.h"

namespace atg::graph {

struct BoltAddress {
  std::string scheme;  // "bolt" or "neo4j"
  std::string host;
  int port = 7687;
};

// Parses "bolt://host[:port]" or "neo4j://host[:port]" (a trailing path is ignored). The
// encrypted schemes (bolt+s, neo4j+s, +ssc) are kInvalidArgument saying TLS is not supported;
// `uri` appears in errors, so it must not carry a password.
Result<BoltAddress> ParseBoltUri(std::string_view uri, int default_port = 7687);

struct BoltConnectOptions {
  std::string host;
  int port = 7687;
  std::string user = "neo4j";
  std::string password;  // a secret
  std::string user_agent = "atg/" ATG_VERSION;
  std::chrono::milliseconds timeout{5000};  // connect, and every read and write
  // When non-zero, replaces `timeout` for reads and writes once the login succeeded: a store
  // that runs long queries waits longer for their answers than for a connection.
  std::chrono::milliseconds query_timeout{0};
};

// A message from the server.
struct BoltMessage {
  uint8_t tag = 0;  // 0x70 SUCCESS, 0x71 RECORD, 0x7E IGNORED, 0x7F FAILURE
  std::vector<packstream::Value> fields;
  // The metadata map of SUCCESS/FAILURE (or null).
  const packstream::Value& metadata() const;
};

struct BoltQueryResult {
  std::vector<std::string> keys;
  std::vector<std::vector<packstream::Value>> records;
};

class BoltConnection {
 public:
  static constexpr uint8_t kSuccess = 0x70, kRecord = 0x71, kIgnored = 0x7E, kFailure = 0x7F;

  // Connects, negotiates a version and authenticates (basic scheme). Errors: kUnavailable
  // (resolve/connect failed, connection closed), kDeadlineExceeded (no answer in time),
  // kFailedPrecondition (no common Bolt version, or not a Bolt server), kUnauthenticated (the
  // login was refused). Messages name host:port, never the password.
  static Result<std::unique_ptr<BoltConnection>> Connect(const BoltConnectOptions& options);
  ~BoltConnection();
  BoltConnection(const BoltConnection&) = delete;
  BoltConnection& operator=(const BoltConnection&) = delete;

  int major() const { return major_; }
  int minor() const { return minor_; }
  const std::string& server_agent() const { return server_agent_; }  // e.g. "Neo4j/5.26.0"

  // Runs `query` with `parameters` (a Map) in an auto-commit transaction and pulls every
  // record. A FAILURE is kInvalidArgument (client errors) or kUnavailable, with Neo4j's code and
  // message; the connection is reset so it can be used again.
  Result<BoltQueryResult> Run(const std::string& query,
                              packstream::Value parameters = packstream::Value::Map({}));

  // Runs `query` and hands each record to `on_record` as it arrives, pulling `fetch_size`
  // records at a time, so a large result never sits in memory whole. A non-OK status from
  // `on_record` stops the query (the rest is discarded) and is returned. Errors as Run.
  using RecordSink = std::function<Status(std::vector<packstream::Value>&& record)>;
  Status RunEach(const std::string& query, packstream::Value parameters,
                 const RecordSink& on_record, int64_t fetch_size = 1000);

  // Explicit transactions: Run/RunEach between Begin and Commit belong to one transaction. A
  // failed query resets the connection, which rolls the transaction back; Commit then fails
  // with kAborted. Rollback does nothing outside a transaction.
  Status Begin();
  Status Commit();
  Status Rollback();

  // Low level: one message out, one message in.
  Status Send(const packstream::Value& message);
  Result<BoltMessage> Receive();

  // Sends GOODBYE and closes the socket. Idempotent.
  void Close();

 private:
  BoltConnection(int fd, BoltConnectOptions options);
  Status Handshake();
  Status Authenticate();
  Status WriteAll(std::string_view data);
  Status ReadSome();
  std::string Where() const;
  Status QueryFailure(const BoltMessage& m) const;
  // Sends `message` and expects SUCCESS; a FAILURE resets the connection.
  Status Simple(const packstream::Value& message, std::string_view what);

  int fd_ = -1;
  BoltConnectOptions options_;
  int major_ = 0, minor_ = 0;
  std::string server_agent_;
  std::string buffer_;
  std::vector<std::string> last_keys_;  // the fields of the last RUN
  bool in_transaction_ = false;
};

}  // namespace atg::graph

#endif  // ATG_GRAPH_BOLT_CONNECTION_H_
