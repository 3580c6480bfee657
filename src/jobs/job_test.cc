#include "jobs/job.h"

#include <gtest/gtest.h>

#include <set>

#include "jobs/list_cursor.h"

namespace atg::jobs {
namespace {

TEST(JobTest, IdsAreRandomAndValidated) {
  std::set<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    std::string id = NewJobId();
    EXPECT_TRUE(ValidJobId(id)) << id;
    EXPECT_EQ(id.size(), 36u);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_FALSE(ValidJobId(""));
  EXPECT_FALSE(ValidJobId("job_"));
  EXPECT_FALSE(ValidJobId("job_0123456789ABCDEF0123456789abcdef"));  // upper case
  EXPECT_FALSE(ValidJobId("job_0123456789abcdef0123456789abcde"));   // short
  EXPECT_FALSE(ValidJobId("jab_0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(ValidJobId("job_0123456789abcdef0123456789abcde/"));
}

TEST(JobTest, StateNamesRoundTrip) {
  for (JobState s : {JobState::kPending, JobState::kRunning, JobState::kCompleted,
                     JobState::kFailed, JobState::kCancelled}) {
    EXPECT_EQ(ParseJobState(JobStateName(s)), s);
  }
  EXPECT_FALSE(ParseJobState("done").has_value());
  EXPECT_FALSE(IsTerminal(JobState::kRunning));
  EXPECT_TRUE(IsTerminal(JobState::kCancelled));
}

TEST(JobTest, JsonRoundTrip) {
  Job j;
  j.id = NewJobId();
  j.type = "generate-iac";
  j.owner = "key1";
  j.tenant_id = "t";
  j.state = JobState::kFailed;
  j.request = json::object{{"format", "bicep"}};
  j.progress = json::object{{"phase", "emit"}, {"percent", 40}};
  j.error = "boom";
  j.error_type = "internal";
  j.created_at_ms = 1700000000123;
  j.started_at_ms = 1700000000200;
  j.finished_at_ms = 1700000000300;
  j.attempts = 2;
  j.cancel_requested = true;
  json::object o = JobToJson(j);
  EXPECT_EQ(FindString(&o, "state").value_or(""), "failed");
  auto back = JobFromJson(o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(json::serialize(JobToJson(*back)), json::serialize(o));

  o["state"] = "done";
  EXPECT_EQ(JobFromJson(o).status().code(), StatusCode::kInvalidArgument);
  o.erase("id");
  EXPECT_NE(JobFromJson(o).status().message().find("'id'"), std::string::npos);
}

TEST(JobTest, CursorRoundTripAndRejectsGarbage) {
  ListPosition p{1700000000123, NewJobId()};
  std::string c = EncodeListCursor(p);
  auto back = DecodeListCursor(c);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->created_at_ms, p.created_at_ms);
  EXPECT_EQ(back->id, p.id);
  EXPECT_FALSE(DecodeListCursor("abc").ok());
  EXPECT_FALSE(DecodeListCursor("!!").ok());
  EXPECT_FALSE(DecodeListCursor(EncodeListCursor({5, "job_x"})).ok());
}

TEST(JobTest, ErrorTypes) {
  EXPECT_EQ(ErrorTypeFor(StatusCode::kDeadlineExceeded), "timeout");
  EXPECT_EQ(ErrorTypeFor(StatusCode::kUnavailable), "unavailable");
  EXPECT_EQ(ErrorTypeFor(StatusCode::kInternal), "internal");
}

TEST(ClientSafeErrorTest, HidesServerPathsButKeepsAzureIds) {
  const std::string dir = "/srv/atg-data";
  EXPECT_EQ(ClientSafeError("graph database /srv/atg-data/tenants/t1/graph.db: disk I/O error",
                            dir + "/"),
            "graph database $ATG_DATA_DIR/tenants/t1/graph.db: disk I/O error");
  EXPECT_EQ(ClientSafeError("cannot open '/home/ops/.cache/x.json' (denied)", dir),
            "cannot open '<server path>' (denied)");
  EXPECT_EQ(ClientSafeError("/tmp/atg-1/work/job_1: gone", dir), "<server path>: gone");
  const std::string azure =
      "ARM answered 404 for /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg "
      "at https://management.azure.com/subscriptions/x";
  EXPECT_EQ(ClientSafeError(azure, dir), azure);
  EXPECT_EQ(ClientSafeError("no path here", ""), "no path here");
}

}  // namespace
}  // namespace atg::jobs
