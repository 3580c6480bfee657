#include "azure/fake_transport.h"

namespace atg::azure {

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

void FakeTransport::Enqueue(Result<HttpClientResponse> answer) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(answer));
}

void FakeTransport::EnqueueStatus(int status, std::string body, HttpHeaders headers) {
  Enqueue(Response(status, std::move(body), std::move(headers)));
}

HttpClientResponse FakeTransport::Response(int status, std::string body, HttpHeaders headers) {
  HttpClientResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

Result<HttpClientResponse> FakeTransport::Send(const HttpClientRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      Result<HttpClientResponse> answer = std::move(queue_.front());
      queue_.pop_front();
      return answer;
    }
    handler = handler_;
  }
  if (handler) return handler(request);
  return Response(404, R"({"error":{"code":"NotFound","message":"no fake answer"}})");
}

std::vector<HttpClientRequest> FakeTransport::Requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeTransport::RequestCount() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

}  // namespace atg::azure
