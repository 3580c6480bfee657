#include "net/router.h"

#include <gtest/gtest.h>

#include <string>

namespace atg::net {
namespace {

// A handler that answers with its own name and the captures it saw.
HttpHandler Named(std::string name) {
  return [name](HttpRequest& req) {
    std::string body = name;
    for (const auto& [k, v] : req.path_params) body += " " + k + "=" + v;
    return HttpResponse::Text(200, body);
  };
}

HttpResponse Call(const Router& router, std::string method, std::string target) {
  HttpRequest req;
  req.method = std::move(method);
  req.target = std::move(target);
  req.ParseTarget();
  return router(req);
}

TEST(RouterTest, ExactSegmentsAndCaptures) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/api/v1/jobs", Named("list")).ok());
  ASSERT_TRUE(r.Add("GET", "/api/v1/jobs/{id}", Named("show")).ok());
  ASSERT_TRUE(r.Add("GET", "/api/v1/jobs/{id}/artifacts/{name}", Named("artifact")).ok());
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs").body, "list");
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs/").body, "list");
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs/j1?x=1").body, "show id=j1");
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs/a%20b").body, "show id=a b");
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs/j1/artifacts/out.tgz").body,
            "artifact id=j1 name=out.tgz");
  EXPECT_EQ(Call(r, "GET", "/api/v1/jobs/j1/other").status, 404);
  EXPECT_EQ(Call(r, "GET", "/api/v1").status, 404);
}

TEST(RouterTest, PathParamLookup) {
  Router r;
  std::string seen;
  ASSERT_TRUE(r.Add("GET", "/a/{x}/b/{y}", [&](HttpRequest& req) {
                 seen = std::string(*req.PathParam("x")) + "," + std::string(*req.PathParam("y"));
                 EXPECT_FALSE(req.PathParam("z").has_value());
                 return HttpResponse::Text(200, "");
               }).ok());
  EXPECT_EQ(Call(r, "GET", "/a/1/b/2").status, 200);
  EXPECT_EQ(seen, "1,2");
}

TEST(RouterTest, UnknownPathIs404WithTheErrorEnvelope) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/health", Named("health")).ok());
  HttpResponse resp = Call(r, "GET", "/nope");
  EXPECT_EQ(resp.status, 404);
  EXPECT_EQ(resp.body, R"({"error":{"code":"NotFound","message":"no resource at /nope"}})");
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/jobs/{id}", Named("get")).ok());
  ASSERT_TRUE(r.Add("DELETE", "/jobs/{id}", Named("delete")).ok());
  ASSERT_TRUE(r.Add("POST", "/scan", Named("scan")).ok());
  HttpResponse resp = Call(r, "PUT", "/jobs/1");
  EXPECT_EQ(resp.status, 405);
  EXPECT_EQ(resp.Header("Allow").value_or(""), "DELETE, GET, HEAD");
  EXPECT_NE(resp.body.find("MethodNotAllowed"), std::string::npos);
  HttpResponse scan = Call(r, "GET", "/scan");
  EXPECT_EQ(scan.status, 405);
  EXPECT_EQ(scan.Header("Allow").value_or(""), "POST");
  EXPECT_EQ(Call(r, "DELETE", "/jobs/1").body, "delete id=1");
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/file", Named("get")).ok());
  EXPECT_EQ(Call(r, "HEAD", "/file").body, "get");
}

TEST(RouterTest, MostSpecificPatternWins) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/{rest...}", Named("catchall")).ok());
  ASSERT_TRUE(r.Add("GET", "/jobs/{id}", Named("capture")).ok());
  ASSERT_TRUE(r.Add("GET", "/jobs/latest", Named("literal")).ok());
  ASSERT_TRUE(r.Add("*", "/jobs/{id}", Named("any")).ok());
  EXPECT_EQ(Call(r, "GET", "/jobs/latest").body, "literal");
  EXPECT_EQ(Call(r, "GET", "/jobs/7").body, "capture id=7");
  EXPECT_EQ(Call(r, "POST", "/jobs/7").body, "any id=7");
  EXPECT_EQ(Call(r, "GET", "/other/deep/path").body, "catchall rest=other/deep/path");
  EXPECT_EQ(Call(r, "GET", "/").body, "catchall rest=");
}

TEST(RouterTest, CatchAllCapturesTheRest) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/subscriptions/{sub}/{rest...}", Named("arm")).ok());
  EXPECT_EQ(Call(r, "GET", "/subscriptions/s1/resourceGroups/rg/providers/x").body,
            "arm sub=s1 rest=resourceGroups/rg/providers/x");
  EXPECT_EQ(Call(r, "GET", "/subscriptions/s1").body, "arm sub=s1 rest=");
  EXPECT_EQ(Call(r, "GET", "/subscriptions").status, 404);
}

TEST(RouterTest, CaseInsensitiveLiteralsForArm) {
  Router r(DefaultErrorResponse, /*case_insensitive_literals=*/true);
  ASSERT_TRUE(r.Add("GET", "/subscriptions/{sub}/resourceGroups", Named("rgs")).ok());
  EXPECT_EQ(Call(r, "GET", "/SUBSCRIPTIONS/S1/resourcegroups").body, "rgs sub=S1");
  Router strict;
  ASSERT_TRUE(strict.Add("GET", "/subscriptions/{sub}/resourceGroups", Named("rgs")).ok());
  EXPECT_EQ(Call(strict, "GET", "/subscriptions/s1/resourcegroups").status, 404);
}

TEST(RouterTest, InvalidPatternsAreRejected) {
  Router r;
  EXPECT_FALSE(r.Add("GET", "jobs", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/jobs/{", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/jobs/{}", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/jobs/x{id}", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/a/{id}/b/{id}", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/a/{rest...}/b", Named("x")).ok());
  EXPECT_FALSE(r.Add("GET", "/a", nullptr).ok());
  ASSERT_TRUE(r.Add("GET", "/a/{id}", Named("x")).ok());
  Status dup = r.Add("GET", "/a/{other}", Named("y"));
  EXPECT_FALSE(dup.ok());
  EXPECT_NE(dup.message().find("already routed by '/a/{id}'"), std::string::npos) << dup.message();
  EXPECT_TRUE(r.Add("POST", "/a/{other}", Named("y")).ok());
}

TEST(RouterTest, CustomErrorResponder) {
  int calls = 0;
  Router r([&](int status, std::string_view code, std::string_view, const HttpRequest* req) {
    ++calls;
    EXPECT_NE(req, nullptr);
    HttpResponse resp = HttpResponse::Text(status, std::string(code));
    resp.SetHeader("X-Request-ID", "abc");
    return resp;
  });
  ASSERT_TRUE(r.Add("GET", "/x", Named("x")).ok());
  HttpResponse nf = Call(r, "GET", "/y");
  EXPECT_EQ(nf.body, "NotFound");
  EXPECT_EQ(nf.Header("X-Request-ID").value_or(""), "abc");
  HttpResponse na = Call(r, "POST", "/x");
  EXPECT_EQ(na.body, "MethodNotAllowed");
  EXPECT_EQ(na.Header("Allow").value_or(""), "GET, HEAD");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace atg::net
