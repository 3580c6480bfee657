#include "graph/batch_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace atg::graph {
namespace {

// Holds the writer inside its sink until the test opens it, and tells the test when the writer
// got there: the tests order events with it instead of sleeping and hoping.
class Gate {
 public:
  // In the sink: says the writer is here, then waits until Open.
  void Pass() {
    std::unique_lock lk(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lk, [&] { return open_; });
  }
  void Open() {
    std::lock_guard lk(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until the writer has entered the sink `n` times; false after a deadline no healthy
  // run comes near.
  bool WaitEntered(int n = 1) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, std::chrono::seconds(30), [&] { return entered_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  int entered_ = 0;
};

// What happened, in the order it happened, across threads.
class Events {
 public:
  void Add(std::string e) {
    std::lock_guard lk(mu_);
    events_.push_back(std::move(e));
    cv_.notify_all();
  }
  // Waits up to `wait` for `e`; true when it happened.
  bool WaitFor(const std::string& e, std::chrono::milliseconds wait) {
    std::unique_lock lk(mu_);
    return cv_.wait_for(lk, wait, [&] { return Index(e) >= 0; });
  }
  int Index(const std::string& e) {
    for (size_t i = 0; i < events_.size(); ++i) {
      if (events_[i] == e) return static_cast<int>(i);
    }
    return -1;
  }
  std::vector<std::string> Snapshot() {
    std::lock_guard lk(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

std::vector<Node> Nodes(int n) {
  std::vector<Node> v(n);
  for (int i = 0; i < n; ++i) v[i].key = "/k/" + std::to_string(i);
  return v;
}

TEST(BatchWriterTest, WritesEveryBatchAndMergesUpToTheRowLimits) {
  std::vector<size_t> calls;
  size_t edges = 0;
  Gate gate;
  BatchWriter w({.max_queued_bytes = 1u << 20, .max_nodes_per_write = 5, .max_edges_per_write = 5},
                [&](std::vector<Node> n, std::vector<Edge> e) {
                  gate.Pass();
                  calls.push_back(n.size());
                  edges += e.size();
                  return Status::Ok();
                });
  w.Start();
  // The writer takes the first batch and is held in the sink while the rest queue up.
  ASSERT_TRUE(w.AddNodes(Nodes(2)).ok());
  ASSERT_TRUE(gate.WaitEntered());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(w.AddNodes(Nodes(2)).ok());
  ASSERT_TRUE(w.AddEdges(std::vector<Edge>(3, Edge{"/a", "/b", "USES", ""})).ok());
  gate.Open();
  ASSERT_TRUE(w.Stop(/*discard=*/false).ok());
  size_t total = 0;
  for (size_t c : calls) {
    total += c;
    EXPECT_LE(c, 6u);  // a merge stops once the limit is reached: at most limit + one batch
  }
  EXPECT_EQ(total, 12u);
  EXPECT_EQ(edges, 3u);
  // The first batch alone, then 10 nodes and 3 edges in at most 5 + one batch per call.
  EXPECT_LE(calls.size(), 3u) << "queued batches were not merged";
}

TEST(BatchWriterTest, ProducersWaitWhileTheQueueIsFull) {
  Gate gate;
  Events events;
  int batch = 0;  // writer thread only
  BatchWriter w({.max_queued_bytes = 1}, [&](std::vector<Node>, std::vector<Edge>) {
    gate.Pass();
    events.Add("wrote " + std::to_string(++batch));
    return Status::Ok();
  });
  w.Start();
  // Accepted into the empty queue; its bytes count until the sink has written it.
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  ASSERT_TRUE(gate.WaitEntered());
  std::thread producer([&] {
    EXPECT_TRUE(w.AddNodes(Nodes(1)).ok());
    events.Add("second accepted");
  });
  // Held back: the second batch cannot be accepted while the first is being written. (A
  // writer without back-pressure accepts it at once, well within this wait.)
  EXPECT_FALSE(events.WaitFor("second accepted", std::chrono::milliseconds(200)))
      << "a full queue did not hold the producer back";
  gate.Open();
  producer.join();
  ASSERT_TRUE(w.Stop(/*discard=*/false).ok());
  // And whatever the timing: it was accepted only after the first batch was written.
  const int wrote = events.Index("wrote 1"), accepted = events.Index("second accepted");
  ASSERT_GE(wrote, 0);
  ASSERT_GE(accepted, 0);
  EXPECT_LT(wrote, accepted) << "the producer went ahead while the queue was full";
  EXPECT_GE(events.Index("wrote 2"), 0);
}

TEST(BatchWriterTest, FirstErrorStopsWritingAndReachesProducersAndStop) {
  std::atomic<int> calls{0};
  BatchWriter w({}, [&](std::vector<Node>, std::vector<Edge>) {
    ++calls;
    return Status::Unavailable("disk full");
  });
  w.Start();
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  // The error reaches producers without a Stop: add until it does, with a deadline no healthy
  // run comes near (the batches added meanwhile are dropped, never written).
  Status later;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (later.ok() && std::chrono::steady_clock::now() < deadline) {
    later = w.AddNodes(Nodes(1));
    std::this_thread::yield();
  }
  EXPECT_EQ(later.code(), StatusCode::kUnavailable);
  EXPECT_EQ(w.Stop(/*discard=*/false).message(), "disk full");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kUnavailable);
}

TEST(BatchWriterTest, FailFromOutsideAndDiscardDropQueuedBatches) {
  Gate gate;
  std::atomic<int> calls{0};
  BatchWriter w({}, [&](std::vector<Node>, std::vector<Edge>) {
    gate.Pass();
    ++calls;
    return Status::Ok();
  });
  w.Start();
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  ASSERT_TRUE(gate.WaitEntered());  // the writer holds the first batch
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  w.Fail(Status::Aborted("lost the lock"));
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kAborted);
  gate.Open();
  EXPECT_EQ(w.Stop(/*discard=*/true).code(), StatusCode::kAborted);
  EXPECT_EQ(calls, 1);  // the batch queued behind the failure was dropped
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kAborted);
}

TEST(BatchWriterTest, AddAfterACleanStopIsRefused) {
  BatchWriter w({}, [](std::vector<Node>, std::vector<Edge>) { return Status::Ok(); });
  w.Start();
  ASSERT_TRUE(w.Stop(/*discard=*/false).ok());
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(w.Stop(/*discard=*/false).ok());
}

}  // namespace
}  // namespace atg::graph
