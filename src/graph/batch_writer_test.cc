#include "graph/batch_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace atg::graph {
namespace {

std::vector<Node> Nodes(int n) {
  std::vector<Node> v(n);
  for (int i = 0; i < n; ++i) v[i].key = "/k/" + std::to_string(i);
  return v;
}

TEST(BatchWriterTest, WritesEveryBatchAndMergesUpToTheRowLimits) {
  std::vector<size_t> calls;
  size_t edges = 0;
  std::atomic<bool> gate{false};
  BatchWriter w({.max_queued_bytes = 1u << 20, .max_nodes_per_write = 5, .max_edges_per_write = 5},
                [&](std::vector<Node> n, std::vector<Edge> e) {
                  while (!gate) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                  calls.push_back(n.size());
                  edges += e.size();
                  return Status::Ok();
                });
  w.Start();
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(w.AddNodes(Nodes(2)).ok());
  ASSERT_TRUE(w.AddEdges(std::vector<Edge>(3, Edge{"/a", "/b", "USES", ""})).ok());
  gate = true;
  ASSERT_TRUE(w.Stop(/*discard=*/false).ok());
  size_t total = 0;
  for (size_t c : calls) {
    total += c;
    EXPECT_LE(c, 6u);  // a merge stops once the limit is reached: at most limit + one batch
  }
  EXPECT_EQ(total, 12u);
  EXPECT_EQ(edges, 3u);
  EXPECT_LT(calls.size(), 7u) << "queued batches were not merged";
}

TEST(BatchWriterTest, ProducersWaitWhileTheQueueIsFull) {
  std::atomic<bool> gate{false};
  std::atomic<int> written{0};
  BatchWriter w({.max_queued_bytes = 1}, [&](std::vector<Node> n, std::vector<Edge>) {
    while (!gate) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    written += static_cast<int>(n.size());
    return Status::Ok();
  });
  w.Start();
  // Accepted into the empty queue; its bytes count until the sink has written it.
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  std::atomic<bool> second_done{false};
  std::thread producer([&] {
    EXPECT_TRUE(w.AddNodes(Nodes(1)).ok());
    second_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(second_done) << "a full queue did not hold the producer back";
  gate = true;
  producer.join();
  ASSERT_TRUE(w.Stop(/*discard=*/false).ok());
  EXPECT_EQ(written, 2);
}

TEST(BatchWriterTest, FirstErrorStopsWritingAndReachesProducersAndStop) {
  std::atomic<int> calls{0};
  BatchWriter w({}, [&](std::vector<Node>, std::vector<Edge>) {
    ++calls;
    return Status::Unavailable("disk full");
  });
  w.Start();
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  Status later;
  for (int i = 0; i < 200 && later.ok(); ++i) {
    later = w.AddNodes(Nodes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(later.code(), StatusCode::kUnavailable);
  EXPECT_EQ(w.Stop(/*discard=*/false).message(), "disk full");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kUnavailable);
}

TEST(BatchWriterTest, FailFromOutsideAndDiscardDropQueuedBatches) {
  std::atomic<bool> gate{false};
  std::atomic<int> calls{0};
  BatchWriter w({}, [&](std::vector<Node>, std::vector<Edge>) {
    while (!gate) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ++calls;
    return Status::Ok();
  });
  w.Start();
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the writer holds it
  ASSERT_TRUE(w.AddNodes(Nodes(1)).ok());
  w.Fail(Status::Aborted("lost the lock"));
  EXPECT_EQ(w.AddNodes(Nodes(1)).code(), StatusCode::kAborted);
  gate = true;
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
