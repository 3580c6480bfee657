#include "common/status.h"

#include <gtest/gtest.h>

namespace atg {

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::InvalidArgument("bad thing");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "invalid_argument: bad thing");
  EXPECT_EQ(s.WithContext("file.json").message(), "file.json: bad thing");
}

TEST(ResultTest, ValueOrStatus) {
  Result<int> r = 5;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 5);
  Result<int> e = Status::NotFound("x");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  Result<int> weird = Status::Ok();
  EXPECT_FALSE(weird.ok());
}

}  // namespace atg
