// The served OpenAPI document checked by an independent validator (openapi-spec-validator,
// installed by tests/tools/openapi.sh).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/subprocess.h"
#include "server/openapi.h"
#include "service_env.h"

namespace atg {
namespace {

ProcessResult Validate(const std::string& tool, const std::string& document) {
  auto dir = std::filesystem::temp_directory_path() / ("atg-openapi-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = (dir / "openapi.json").string();
  std::ofstream(file) << document;
  auto r = RunProcess({tool, file}, std::chrono::seconds(120));
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : ProcessResult{};
}

TEST(OpenApiValidatorTest, DocumentPassesOpenApiSpecValidator) {
  const char* tool = std::getenv("ATG_TOOL_OPENAPI_SPEC_VALIDATOR");
  if (!tool || !*tool) {
    if (testing::ServicesOptional()) GTEST_SKIP() << "ATG_TOOL_OPENAPI_SPEC_VALIDATOR not set";
    FAIL() << "ATG_TOOL_OPENAPI_SPEC_VALIDATOR is not set: run `ATG_TOOLS_DIR=build/tools "
              "tests/tools/all.sh` and export build/tools/tools.env";
  }
  ProcessResult ok = Validate(tool, server::OpenApiJson());
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  // The validator does reject a broken document (a response without a description).
  json::object broken = server::BuildOpenApiDocument();
  broken["paths"].as_object()["/health"].as_object()["get"].as_object()["responses"] =
      json::object{{"200", json::object{}}};
  ProcessResult bad = Validate(tool, json::serialize(broken));
  EXPECT_NE(bad.exit_code, 0) << bad.out;
}

}  // namespace
}  // namespace atg
