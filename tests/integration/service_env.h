// Access to the real services that tests/services/all.sh starts for integration tests.
//
// all.sh writes their addresses and per-run credentials as ATG_TEST_* variables into
// build/services/services.env; the test runner exports them. A test that needs a service reads
// its variables with ATG_REQUIRE_SERVICE_ENV: when a variable is missing the test fails, saying
// how to start the services, unless ATG_TEST_SERVICES_OPTIONAL=1, in which case it is skipped.
#ifndef ATG_TESTS_INTEGRATION_SERVICE_ENV_H_
#define ATG_TESTS_INTEGRATION_SERVICE_ENV_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace atg::testing {

// The value of environment variable `name`, or "" when unset.
inline std::string ServiceEnv(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// The whole content of a file the test (or a child process) wrote; "" when it is missing.
inline std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

inline bool ServicesOptional() { return ServiceEnv("ATG_TEST_SERVICES_OPTIONAL") == "1"; }

inline std::string MissingServiceMessage(const char* name) {
  return std::string(name) +
         " is not set. Start the test services with `tests/services/all.sh start` and load "
         "their variables with `set -a; source build/services/services.env; set +a` (or set "
         "ATG_TEST_SERVICES_OPTIONAL=1 to skip tests that need them).";
}

// Splits "scheme://host:port[/rest]" into host and port; false when it has no such shape.
inline bool ParseServiceUrl(std::string_view url, std::string* host, int* port,
                            std::string* rest = nullptr) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view after = url.substr(scheme + 3);
  size_t slash = after.find('/');
  std::string_view authority = after.substr(0, slash);
  size_t at = authority.rfind('@');  // user info ("redis://:password@host:port")
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) return false;
  *host = std::string(authority.substr(0, colon));
  *port = std::atoi(std::string(authority.substr(colon + 1)).c_str());
  if (rest) *rest = slash == std::string_view::npos ? "" : std::string(after.substr(slash));
  return !host->empty() && *port > 0 && *port < 65536;
}

}  // namespace atg::testing

// Declares `const std::string var` holding environment variable `name`; when it is unset, fails
// the current test with instructions (or skips it when services are optional).
#define ATG_REQUIRE_SERVICE_ENV(var, name)                                      \
  const std::string var = ::atg::testing::ServiceEnv(name);                     \
  if (var.empty()) {                                                            \
    if (::atg::testing::ServicesOptional()) GTEST_SKIP() << name << " not set"; \
    FAIL() << ::atg::testing::MissingServiceMessage(name);                      \
  }

// Declares `const std::string var` holding the path of a third-party tool that
// tests/tools/all.sh installed (a variable of build/tools/tools.env); when it is unset, fails the
// current test with instructions (or skips it when services are optional).
#define ATG_REQUIRE_TOOL_ENV(var, name)                                                      \
  const std::string var = ::atg::testing::ServiceEnv(name);                                  \
  if (var.empty()) {                                                                         \
    if (::atg::testing::ServicesOptional()) GTEST_SKIP() << name << " not set";              \
    FAIL() << name << " is not set: run `ATG_TOOLS_DIR=build/tools tests/tools/all.sh` and " \
           << "export the variables of build/tools/tools.env";                               \
  }

#endif  // ATG_TESTS_INTEGRATION_SERVICE_ENV_H_
