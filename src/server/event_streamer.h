// Server-Sent Events for GET /api/v1/jobs/{id}/events: one background thread polls the job
// store for every open stream and pushes the new events, so no I/O thread ever waits. Each
// event is "id: <seq>\nevent: <type>\ndata: <json>\n\n"; idle streams get a ": heartbeat"
// comment every `heartbeat`; a stream ends after the job's terminal state event.
//
// Thread-safety: Open and Shutdown may be called from any thread.
#ifndef ATG_SERVER_EVENT_STREAMER_H_
#define ATG_SERVER_EVENT_STREAMER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "jobs/job_store.h"
#include "net/body_sources.h"

namespace atg::server {

// One SSE frame for `event`.
std::string FormatSseEvent(const jobs::JobEvent& event);

class EventStreamer {
 public:
  EventStreamer(std::shared_ptr<jobs::JobStore> store, std::chrono::milliseconds poll,
                std::chrono::milliseconds heartbeat);
  ~EventStreamer();  // Shutdown()

  // A body that replays `job_id`'s events after `after_seq`, then follows new ones.
  std::shared_ptr<net::PushBodySource> Open(const std::string& job_id, int64_t after_seq);

  // Ends all streams and stops the thread. Idempotent.
  void Shutdown();

 private:
  struct Stream {
    std::string job_id;
    int64_t after_seq = 0;
    std::shared_ptr<net::PushBodySource> body;
    std::chrono::steady_clock::time_point last_sent;
  };
  void Loop();
  // Pushes what is new; false when the stream is over.
  bool Pump(Stream& s, std::chrono::steady_clock::time_point now);

  std::shared_ptr<jobs::JobStore> store_;
  const std::chrono::milliseconds poll_;
  const std::chrono::milliseconds heartbeat_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::list<Stream> fresh_;  // opened, not yet pumped
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace atg::server

#endif  // ATG_SERVER_EVENT_STREAMER_H_
