#include "server/event_streamer.h"

#include "common/log.h"

namespace atg::server {

std::string FormatSseEvent(const jobs::JobEvent& event) {
  json::object data = event.data;
  data["seq"] = event.seq;
  data["at_ms"] = event.at_ms;
  std::string out = "id: " + std::to_string(event.seq) + "\nevent: " + event.type +
                    "\ndata: " + json::serialize(data) + "\n\n";
  return out;
}

EventStreamer::EventStreamer(std::shared_ptr<jobs::JobStore> store, std::chrono::milliseconds poll,
                             std::chrono::milliseconds heartbeat)
    : store_(std::move(store)), poll_(poll), heartbeat_(heartbeat) {
  thread_ = std::thread([this] { Loop(); });
}

EventStreamer::~EventStreamer() { Shutdown(); }

std::shared_ptr<net::PushBodySource> EventStreamer::Open(const std::string& job_id,
                                                         int64_t after_seq) {
  auto body = std::make_shared<net::PushBodySource>();
  // Tells the client how long to wait before reconnecting (SSE `retry:` field).
  body->Push("retry: 2000\n\n");
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_) {
    body->Finish();
    return body;
  }
  fresh_.push_back(Stream{job_id, after_seq, body, std::chrono::steady_clock::now()});
  cv_.notify_one();
  return body;
}

void EventStreamer::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool EventStreamer::Pump(Stream& s, std::chrono::steady_clock::time_point now) {
  if (s.body->cancelled()) return false;
  for (;;) {
    auto events = store_->EventsSince(s.job_id, s.after_seq, 200);
    if (!events.ok()) {
      LogWarning("event stream for {}: reading events failed: {}", s.job_id,
                 events.status().message());
      return true;  // try again on the next poll
    }
    for (const jobs::JobEvent& e : *events) {
      s.after_seq = e.seq;
      if (!s.body->Push(FormatSseEvent(e))) return false;
      s.last_sent = now;
      if (e.type == "state") {
        auto state = FindString(&e.data, "state");
        auto parsed = state ? jobs::ParseJobState(*state) : std::nullopt;
        if (parsed && jobs::IsTerminal(*parsed)) {
          s.body->Finish();
          return false;
        }
      }
    }
    if (events->size() < 200) break;
  }
  // A job that is terminal but whose terminal event lies before after_seq: nothing will come.
  auto job = store_->Get(s.job_id);
  if (job.ok() && (!job->has_value() || jobs::IsTerminal((*job)->state))) {
    // Re-read once: the terminal event may have been appended after our EventsSince.
    auto late = store_->EventsSince(s.job_id, s.after_seq, 200);
    if (late.ok()) {
      for (const jobs::JobEvent& e : *late) {
        s.after_seq = e.seq;
        if (!s.body->Push(FormatSseEvent(e))) return false;
      }
    }
    s.body->Finish();
    return false;
  }
  if (now - s.last_sent >= heartbeat_) {
    if (!s.body->Push(": heartbeat\n\n")) return false;
    s.last_sent = now;
  }
  return true;
}

void EventStreamer::Loop() {
  std::list<Stream> active;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (stop_) break;
    active.splice(active.end(), fresh_);
    lock.unlock();
    auto now = std::chrono::steady_clock::now();
    for (auto it = active.begin(); it != active.end();) {
      it = Pump(*it, now) ? std::next(it) : active.erase(it);
    }
    lock.lock();
    if (stop_) break;
    if (fresh_.empty()) cv_.wait_for(lock, poll_, [this] { return stop_ || !fresh_.empty(); });
  }
  active.splice(active.end(), fresh_);
  lock.unlock();
  for (Stream& s : active) s.body->Finish();
}

}  // namespace atg::server
