// FakeTransport: an HttpTransport for tests of anything built on AzureHttpClient. A handler
// decides each answer (a response or a transport error); every request is recorded.
//
// Thread-safety: Send may be called concurrently; the handler is called under no lock, so it
// must be thread-safe itself when the test sends from several threads.
#ifndef ATG_AZURE_FAKE_TRANSPORT_H_
#define ATG_AZURE_FAKE_TRANSPORT_H_

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "azure/http_transport.h"

namespace atg::azure {

class FakeTransport : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpClientResponse>(const HttpClientRequest&)>;

  FakeTransport() = default;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  void SetHandler(Handler handler);
  // Queued answers are used first, in order; then the handler; with neither, 404.
  void Enqueue(Result<HttpClientResponse> answer);
  void EnqueueStatus(int status, std::string body = "{}", HttpHeaders headers = {});

  Result<HttpClientResponse> Send(const HttpClientRequest& request) override;

  std::vector<HttpClientRequest> Requests() const;
  size_t RequestCount() const;

  static HttpClientResponse Response(int status, std::string body = "{}", HttpHeaders headers = {});

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::deque<Result<HttpClientResponse>> queue_;
  std::vector<HttpClientRequest> requests_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_FAKE_TRANSPORT_H_
