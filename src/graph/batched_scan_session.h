// BatchedScanSession: the part of a ScanSession (graph_store.h) that every backend shares, so
// that SQLite and Neo4j differ only in how they store a batch and how they commit:
//
//   Start   the backend takes its scan lock, then StartWriting() writes the tenant node and
//           starts the BatchWriter (batch_writer.h): producers' batches queue, bounded in
//           memory, for one writer thread;
//   Add     UpsertNodes / AddEdges queue a batch; the writer thread checks it (no empty key,
//           endpoint or type), drops Tag and Region nodes this scan already wrote, and hands it
//           to WriteBatch;
//   Commit  drains the queue, then Finish() settles and switches the scan in; on any error
//           (a write's, Finish's) Discard() undoes the scan and the error is returned;
//   Abort   drops what is queued and Discard()s; also what destruction without Commit does.
// Commit and Abort are each final: a second Commit is kFailedPrecondition, Abort is idempotent.
//
// A subclass implements WriteBatch, Finish and Discard, and its destructor must call Abort()
// first: the writer thread calls WriteBatch, which must not run once the subclass is gone.
//
// Thread-safety: as ScanSession. WriteBatch runs on the writer thread only; Finish and Discard
// on the thread that calls Commit or Abort, after the writer thread stopped.
#ifndef ATG_GRAPH_BATCHED_SCAN_SESSION_H_
#define ATG_GRAPH_BATCHED_SCAN_SESSION_H_

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "graph/batch_writer.h"
#include "graph/graph_store.h"
#include "graph/model.h"

namespace atg::graph {

class BatchedScanSession : public ScanSession {
 public:
  Status UpsertNodes(std::vector<Node> nodes) final;
  Status AddEdges(std::vector<Edge> edges) final;
  Result<CommitSummary> Commit() final;
  void Abort() final;
  void SetReport(json::object report) final;

 protected:
  // `scope.tenant_id` is the store's (lower-cased) tenant.
  BatchedScanSession(ScanScope scope, BatchWriter::Options writer_options);
  ~BatchedScanSession() override;

  // Writes the tenant node through WriteBatch (on the calling thread) and starts the writer
  // thread. Call once, after the backend holds its scan lock. (The clock of
  // CommitSummary::seconds and started_at() start when the session is made, at BeginScan.)
  Status StartWriting();

  // Marks the session finished without writing through it (a restore uses the backend's lock
  // and Discard, but not the writer). Later Add calls fail, Commit is kFailedPrecondition.
  void MarkFinished();

  // Stores one batch: the nodes, then the edges, checked as above. On the writer thread (and
  // once in StartWriting). A non-OK status fails the scan.
  virtual Status WriteBatch(std::vector<Node> nodes, std::vector<Edge> edges) = 0;

  // After every batch is stored: settle edges, remove what the scan no longer saw, record the
  // scan (ScanRecordSummary) and make it visible. Errors leave the session for Discard.
  virtual Result<CommitSummary> Finish() = 0;

  // Undoes everything this session wrote and releases the scan lock. Best effort, idempotent.
  virtual void Discard() = 0;

  // Lets the writer fail with `error` (e.g. the backend lost its scan lock): queued batches are
  // dropped, producers and Commit get `error`.
  void FailWriting(Status error) { writer_.Fail(std::move(error)); }

  // The {nodes_written, ..., dangling_edges_dropped, report} object stored with the scan
  // (GraphStats::last_scan's "commit" and "report").
  json::object ScanRecordSummary(const CommitSummary& summary);

  const ScanScope& scope() const { return scope_; }
  const std::string& started_at() const { return started_at_; }
  // The counters: WriteBatch adds nodes_written and edges_written (writer thread), Finish the
  // rest (Commit's thread, after the writer stopped).
  CommitSummary& summary() { return summary_; }

 private:
  // Checks `nodes` and `edges` and drops repeated Tag and Region nodes.
  Status Prepare(std::vector<Node>& nodes, const std::vector<Edge>& edges);

  const ScanScope scope_;
  std::chrono::steady_clock::time_point start_;
  std::string started_at_;
  CommitSummary summary_;
  std::unordered_set<std::string> derived_seen_;  // writer thread only

  std::mutex mu_;
  bool finished_ = false;
  json::object report_;
  BatchWriter writer_;  // last: its thread uses the members above until Stop
};

}  // namespace atg::graph

#endif  // ATG_GRAPH_BATCHED_SCAN_SESSION_H_
