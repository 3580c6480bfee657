#include "graph/batch_writer.h"

#include <iterator>
#include <utility>

namespace atg::graph {
namespace {

size_t NodeBytes(const Node& n) {
  return sizeof(Node) + n.key.size() + n.properties.size() + n.original_id.size() + n.name.size();
}
size_t EdgeBytes(const Edge& e) {
  return sizeof(Edge) + e.from.size() + e.to.size() + e.properties.size();
}

}  // namespace

BatchWriter::BatchWriter(Options options, Sink sink) : options_(options), sink_(std::move(sink)) {}

BatchWriter::~BatchWriter() { (void)Stop(/*discard=*/true); }

void BatchWriter::Start() {
  thread_ = std::thread([this] { Loop(); });
}

Status BatchWriter::AddNodes(std::vector<Node> nodes) {
  Batch b;
  for (const auto& n : nodes) b.bytes += NodeBytes(n);
  b.nodes = std::move(nodes);
  return Enqueue(std::move(b));
}

Status BatchWriter::AddEdges(std::vector<Edge> edges) {
  Batch b;
  for (const auto& e : edges) b.bytes += EdgeBytes(e);
  b.edges = std::move(edges);
  return Enqueue(std::move(b));
}

Status BatchWriter::Enqueue(Batch b) {
  std::unique_lock lk(mu_);
  if (!error_.ok()) return error_;
  if (closing_) return Status::FailedPrecondition("the scan session is closed; start a new scan");
  producer_cv_.wait(lk, [&] {
    return !error_.ok() || closing_ || queued_bytes_ == 0 ||
           queued_bytes_ + b.bytes <= options_.max_queued_bytes;
  });
  if (!error_.ok()) return error_;
  if (closing_) {
    return Status::FailedPrecondition("the scan session was closed while this batch waited");
  }
  queued_bytes_ += b.bytes;
  queue_.push_back(std::move(b));
  writer_cv_.notify_one();
  return Status::Ok();
}

void BatchWriter::Fail(Status error) {
  std::lock_guard lk(mu_);
  if (error_.ok()) error_ = std::move(error);
  producer_cv_.notify_all();
}

void BatchWriter::Loop() {
  while (true) {
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    size_t bytes = 0;
    bool skip;
    {
      std::unique_lock lk(mu_);
      writer_cv_.wait(lk, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      do {
        Batch& b = queue_.front();
        if (nodes.empty() && edges.empty()) {
          nodes = std::move(b.nodes);
          edges = std::move(b.edges);
        } else {
          std::move(b.nodes.begin(), b.nodes.end(), std::back_inserter(nodes));
          std::move(b.edges.begin(), b.edges.end(), std::back_inserter(edges));
        }
        bytes += b.bytes;
        queue_.pop_front();
      } while (!queue_.empty() && nodes.size() < options_.max_nodes_per_write &&
               edges.size() < options_.max_edges_per_write);
      skip = discard_ || !error_.ok();
    }
    Status s;
    if (!skip) s = sink_(std::move(nodes), std::move(edges));
    nodes = {};  // freed before producers are woken
    edges = {};
    std::lock_guard lk(mu_);
    queued_bytes_ -= bytes;
    if (!s.ok() && error_.ok()) error_ = s;
    producer_cv_.notify_all();
  }
}

Status BatchWriter::Stop(bool discard) {
  {
    std::lock_guard lk(mu_);
    closing_ = true;
    if (discard) discard_ = true;
    writer_cv_.notify_all();
    producer_cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lk(mu_);
  return error_;
}

}  // namespace atg::graph
