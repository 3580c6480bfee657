// RemoteClient against a small in-process stand-in of the service's API (real HTTP on
// loopback): the seam between the CLI and the service. The end-to-end path against the real
// `atg serve` is in tests/integration.
#include "client/remote_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "azure/http_transport.h"
#include "common/base64.h"
#include "common/sha256.h"
#include "net/http_server.h"
#include "net/router.h"

namespace atg::client {
namespace {

constexpr char kKey[] = "test-key-0123456789abcdef";
constexpr char kJob[] = "job_0123456789abcdef0123456789abcdef";

class RemoteClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    artifact_ = std::string(100'000, 'x');
    for (size_t i = 0; i < artifact_.size(); ++i) artifact_[i] = static_cast<char>('a' + i % 26);
    auto auth = [](net::HttpRequest& r) {
      return r.Header("Authorization").value_or("") == std::string("Bearer ") + kKey;
    };
    auto error = [](int status, std::string code, std::string message) {
      auto r = net::HttpResponse::Text(status,
                                       R"({"error":{"code":")" + code + R"(","message":")" +
                                           message + R"(","request_id":"req-1"}})",
                                       "application/json");
      r.SetHeader("X-Request-ID", "req-1");
      return r;
    };
    router_ = std::make_unique<net::Router>();
    ASSERT_TRUE(router_
                    ->Add("POST", "/api/v1/scan",
                          [=, this](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            submitted_body_ = r.body;
                            return net::HttpResponse::Text(
                                202,
                                std::string(R"({"job_id":")") + kJob + R"(","status":"pending"})",
                                "application/json");
                          })
                    .ok());
    ASSERT_TRUE(router_
                    ->Add("GET", "/api/v1/jobs/{id}",
                          [=, this](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            if (r.PathParam("id").value_or("") != kJob)
                              return error(404, "not_found", "no such job");
                            int n = ++polls_;
                            std::string status = n < 3 ? "running" : "completed";
                            return net::HttpResponse::Text(
                                200,
                                std::string(R"({"job_id":")") + kJob + R"(","type":"scan",)" +
                                    R"("status":")" + status +
                                    R"(","progress":{"phase":"resources","percent":)" +
                                    std::to_string(n * 30) + "}}",
                                "application/json");
                          })
                    .ok());
    ASSERT_TRUE(router_
                    ->Add("GET", "/api/v1/jobs/{id}/result",
                          [=](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            return net::HttpResponse::Text(
                                200, R"({"resources":7,"failed_scopes":[]})", "application/json");
                          })
                    .ok());
    ASSERT_TRUE(router_
                    ->Add("GET", "/api/v1/jobs/{id}/events",
                          [=](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            std::string after(r.Header("Last-Event-ID").value_or("0"));
                            std::string body = ": heartbeat\n\n";
                            for (int i = std::stoi(after) + 1; i <= 3; ++i)
                              body += "id: " + std::to_string(i) +
                                      "\nevent: progress\ndata: {\"n\":" + std::to_string(i) +
                                      "}\ndata: more\n\n";
                            return net::HttpResponse::Text(200, body, "text/event-stream");
                          })
                    .ok());
    ASSERT_TRUE(router_
                    ->Add("GET", "/api/v1/jobs/{id}/artifacts",
                          [=, this](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            std::string digest = corrupt_ ? Base64Encode(Sha256("other").value())
                                                          : Base64Encode(Sha256(artifact_).value());
                            auto range = r.Header("Range");
                            net::HttpResponse resp;
                            if (range && r.Header("If-Range").value_or("") == "\"v1\"") {
                              size_t from = std::stoul(std::string(range->substr(6)));
                              resp = net::HttpResponse::Text(206, artifact_.substr(from),
                                                             "application/gzip");
                              ranged_ = true;
                            } else {
                              resp = net::HttpResponse::Text(200, artifact_, "application/gzip");
                            }
                            resp.SetHeader("ETag", "\"v1\"");
                            resp.SetHeader("Repr-Digest", "sha-256=:" + digest + ":");
                            return resp;
                          })
                    .ok());
    ASSERT_TRUE(router_
                    ->Add("DELETE", "/api/v1/jobs/{id}",
                          [=](net::HttpRequest& r) {
                            if (!auth(r)) return error(401, "unauthorized", "bad key");
                            return error(409, "conflict", "the job already completed");
                          })
                    .ok());
    net::ServerOptions options;
    server_ = std::make_unique<net::HttpServer>(
        options, [this](net::HttpRequest& r) { return (*router_)(r); });
    ASSERT_TRUE(server_->Start().ok());
    settings_.service_url = "http://127.0.0.1:" + std::to_string(server_->port());
    settings_.api_key = kKey;
    settings_.poll_interval = std::chrono::milliseconds(10);
    dir_ = std::filesystem::temp_directory_path() /
           ("atg_remote_client_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    server_->Stop(std::chrono::milliseconds(100));
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<net::Router> router_;
  std::unique_ptr<net::HttpServer> server_;
  azure::CurlTransport transport_;
  RemoteSettings settings_;
  std::filesystem::path dir_;
  std::string artifact_;
  std::string submitted_body_;
  std::atomic<int> polls_{0};
  bool corrupt_ = false;
  bool ranged_ = false;
};

TEST_F(RemoteClientTest, SubmitsWaitsAndReadsTheResult) {
  RemoteClient c(settings_, &transport_);
  json::object body;
  body["tenant_id"] = "t1";
  auto id = c.Submit("scan", body);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(*id, kJob);
  EXPECT_EQ(submitted_body_, R"({"tenant_id":"t1"})");
  int updates = 0;
  auto job = c.WaitForJob(*id, {}, [&](const RemoteJob&) { ++updates; });
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->status, "completed");
  EXPECT_EQ(updates, 3);
  auto result = c.GetResult(*id);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["resources"].as_int64(), 7);
}

TEST_F(RemoteClientTest, ErrorsCarryTheServiceMessageAndRequestIdNeverTheKey) {
  RemoteSettings wrong = settings_;
  wrong.api_key = "wrong-key-0123456789abcdef";
  RemoteClient c(wrong, &transport_);
  auto job = c.GetJob(kJob);
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(job.status().message().find("bad key"), std::string::npos);
  EXPECT_NE(job.status().message().find("req-1"), std::string::npos);
  EXPECT_NE(job.status().message().find("ATG_API_KEY"), std::string::npos);
  EXPECT_EQ(job.status().message().find(wrong.api_key), std::string::npos);

  RemoteClient ok(settings_, &transport_);
  Status cancel = ok.Cancel(kJob);
  EXPECT_EQ(cancel.code(), StatusCode::kFailedPrecondition);
  auto missing = ok.GetJob("job_ffffffffffffffffffffffffffffffff");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  // Ids are checked before they reach a URL.
  auto bad = ok.GetJob("../../etc/passwd");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RemoteClientTest, UnreachableServiceIsUnavailable) {
  RemoteSettings gone = settings_;
  gone.service_url = "http://127.0.0.1:1";
  RemoteClient c(gone, &transport_);
  auto id = c.Submit("scan", {});
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(id.status().message().find("ATG_SERVICE_URL"), std::string::npos);
}

TEST_F(RemoteClientTest, StreamsEventsAndResumesAfterLastEventId) {
  RemoteClient c(settings_, &transport_);
  std::vector<RemoteEvent> seen;
  Status s = c.StreamEvents(kJob, "", {}, [&](const RemoteEvent& e) {
    seen.push_back(e);
    return true;
  });
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].id, "1");
  EXPECT_EQ(seen[0].event, "progress");
  EXPECT_EQ(seen[0].data, "{\"n\":1}\nmore");
  seen.clear();
  s = c.StreamEvents(kJob, "2", {}, [&](const RemoteEvent& e) {
    seen.push_back(e);
    return true;
  });
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, "3");
  // The callback can stop the stream.
  int n = 0;
  s = c.StreamEvents(kJob, "", {}, [&](const RemoteEvent&) { return ++n < 2; });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(n, 2);
}

TEST_F(RemoteClientTest, DownloadsVerifiesAndResumes) {
  RemoteClient c(settings_, &transport_);
  std::string path = (dir_ / "a.tar.gz").string();
  // An interrupted earlier download: the first 40,000 bytes and the ETag they belong to.
  {
    std::ofstream part(path + ".part", std::ios::binary);
    part << artifact_.substr(0, 40'000);
    std::ofstream etag(path + ".part.etag");
    etag << "\"v1\"\n";
  }
  auto d = c.DownloadArtifact(kJob, path);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(ranged_);
  EXPECT_EQ(d->resumed_from, 40'000);
  EXPECT_EQ(d->bytes, 100'000);
  EXPECT_EQ(d->sha256, HexEncode(Sha256(artifact_).value()));
  std::ifstream in(path, std::ios::binary);
  std::string got((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(got, artifact_);
  EXPECT_FALSE(std::filesystem::exists(path + ".part"));

  corrupt_ = true;
  std::string other = (dir_ / "b.tar.gz").string();
  auto bad = c.DownloadArtifact(kJob, other);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SHA-256"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(other));
  EXPECT_FALSE(std::filesystem::exists(other + ".part"));
}

}  // namespace
}  // namespace atg::client
