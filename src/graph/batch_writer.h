// BatchWriter: the hand-off between the threads that produce a scan's nodes and edges and the
// one thread that writes them to a store. Memory stays bounded: a producer waits while the
// queued batches hold more than `max_queued_bytes` (a single batch larger than that is still
// accepted when the queue is empty). The first write error stops the writing, and every later
// Add and Stop returns it, so a scan fails fast instead of producing into a broken store.
//
// Thread-safety: AddNodes, AddEdges and Fail may be called from any thread at once; Start and
// Stop from the owner's thread. The sink runs on the writer thread only, so state it touches
// needs no lock while the writer runs.
#ifndef ATG_GRAPH_BATCH_WRITER_H_
#define ATG_GRAPH_BATCH_WRITER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "graph/model.h"

namespace atg::graph {

class BatchWriter {
 public:
  struct Options {
    size_t max_queued_bytes = 64u << 20;
    // Queued batches are merged into one sink call up to these many rows (a store whose writes
    // have a fixed cost per call wants them large); 0 hands each batch over on its own.
    size_t max_nodes_per_write = 0;
    size_t max_edges_per_write = 0;
  };
  // Writes nodes, then edges. A non-OK status becomes the writer's error.
  using Sink = std::function<Status(std::vector<Node> nodes, std::vector<Edge> edges)>;

  BatchWriter(Options options, Sink sink);
  // Stops as Stop(/*discard=*/true) does.
  ~BatchWriter();

  BatchWriter(const BatchWriter&) = delete;
  BatchWriter& operator=(const BatchWriter&) = delete;

  // Starts the writer thread. Call once, before the first Add.
  void Start();

  // Queues a batch, waiting while the queue is full. The writer's error once it has one;
  // kFailedPrecondition after Stop.
  Status AddNodes(std::vector<Node> nodes);
  Status AddEdges(std::vector<Edge> edges);

  // Makes `error` the writer's error unless it already has one (e.g. the store lost a lock the
  // scan needs); queued batches are dropped and waiting producers get it.
  void Fail(Status error);

  // Closes the queue, lets the writer finish what is queued (or drops it when `discard`) and
  // joins it. Returns the writer's error, OK when every batch was written. Idempotent.
  Status Stop(bool discard);

 private:
  struct Batch {
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    size_t bytes = 0;
  };

  Status Enqueue(Batch b);
  void Loop();

  const Options options_;
  const Sink sink_;
  std::mutex mu_;
  std::condition_variable producer_cv_, writer_cv_;
  std::deque<Batch> queue_;
  size_t queued_bytes_ = 0;
  bool closing_ = false;
  bool discard_ = false;
  Status error_;
  std::thread thread_;
};

}  // namespace atg::graph

#endif  // ATG_GRAPH_BATCH_WRITER_H_
