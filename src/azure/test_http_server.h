// LoopbackServer: a tiny HTTP/1.1 server on 127.0.0.1 for tests of the real libcurl transport
// (test code only; included by *_test.cc files). Keep-alive, Content-Length bodies, one thread
// per connection, ephemeral port.
//
// Thread-safety: the accessors may be called while requests are served.
#ifndef ATG_AZURE_TEST_HTTP_SERVER_H_
#define ATG_AZURE_TEST_HTTP_SERVER_H_

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/strings.h"

namespace atg::azure {

// A tiny HTTP/1.1 server on 127.0.0.1 for exercising the real libcurl transport: keep-alive,
// Content-Length bodies only, one thread per connection. `respond` gets the request head and
// body and returns the raw response bytes; an empty string means "never answer".
class LoopbackServer {
 public:
  using Responder = std::function<std::string(const std::string& head, const std::string& body)>;

  explicit LoopbackServer(Responder respond) : respond_(std::move(respond)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(listen_fd_, 16), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }

  ~LoopbackServer() {
    stop_ = true;
    acceptor_.join();
    ::close(listen_fd_);
    std::lock_guard lock(mu_);
    for (auto& t : connections_) t.join();
  }

  int port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_; }
  std::vector<std::string> request_lines() const {
    std::lock_guard lock(mu_);
    return request_lines_;
  }
  std::vector<std::string> heads() const {
    std::lock_guard lock(mu_);
    return heads_;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }

  static std::string Ok(const std::string& body, const std::string& extra_headers = "") {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }

 private:
  bool WaitReadable(int fd) {
    while (!stop_) {
      pollfd p{fd, POLLIN, 0};
      int r = ::poll(&p, 1, 20);
      if (r > 0) return true;
      if (r < 0) return false;
    }
    return false;
  }

  void AcceptLoop() {
    while (WaitReadable(listen_fd_)) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      std::lock_guard lock(mu_);
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (true) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (!WaitReadable(fd)) return Close(fd);
        ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return Close(fd);
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string head = buffer.substr(0, end);
      size_t length = 0;
      for (const std::string& line : Split(head, '\n')) {
        if (StartsWithIgnoreCase(line, "content-length:")) {
          length = std::stoul(std::string(Trim(std::string_view(line).substr(15))));
        }
      }
      while (buffer.size() < end + 4 + length) {
        if (!WaitReadable(fd)) return Close(fd);
        ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
        if (n <= 0) return Close(fd);
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string body = buffer.substr(end + 4, length);
      buffer.erase(0, end + 4 + length);
      {
        std::lock_guard lock(mu_);
        request_lines_.push_back(head.substr(0, head.find("\r\n")));
        heads_.push_back(head);
        bodies_.push_back(body);
      }
      std::string response = respond_(head, body);
      if (response.empty()) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return Close(fd);
      }
      if (::send(fd, response.data(), response.size(), MSG_NOSIGNAL) < 0) return Close(fd);
    }
  }

  static void Close(int fd) { ::close(fd); }

  Responder respond_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> connections_;
  std::vector<std::string> request_lines_;
  std::vector<std::string> heads_;
  std::vector<std::string> bodies_;
};

}  // namespace atg::azure

#endif  // ATG_AZURE_TEST_HTTP_SERVER_H_
