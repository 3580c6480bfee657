// Test helper: how a conformance suite reaches one JobStore backend. Each test gets a fresh,
// empty queue namespace (a temp directory, a Redis key prefix) and can open several store
// instances on it, in this process or in a forked child. Header-only; used only by tests.
#ifndef ATG_JOBS_TESTING_STORE_BACKEND_H_
#define ATG_JOBS_TESTING_STORE_BACKEND_H_

#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "common/status.h"
#include "common/temp_dir.h"
#include "jobs/job_store.h"
#include "jobs/sqlite_job_store.h"

namespace atg::jobs::testing {

struct StoreBackend {
  std::string name;
  // Called in SetUp; may GTEST_SKIP or FAIL when the backend's service is missing.
  std::function<void()> require;
  // A fresh namespace for one test.
  std::function<std::string()> new_namespace;
  // Opens a new store instance (its own connections) on `ns`.
  std::function<Result<std::unique_ptr<JobStore>>(const std::string& ns)> open;
  // Removes what new_namespace created.
  std::function<void(const std::string& ns)> cleanup;
};

inline std::ostream& operator<<(std::ostream& os, const StoreBackend& b) { return os << b.name; }

inline StoreBackend SqliteBackend() {
  StoreBackend b;
  b.name = "sqlite";
  b.require = [] {};
  b.new_namespace = [] {
    // Owned by the test from here on: `cleanup` removes it.
    auto dir = TempDir::Create("atg-jobs-");
    return dir.ok() ? dir->Release() : std::string();
  };
  b.open = [](const std::string& ns) { return OpenSqliteJobStore(ns + "/jobs.db"); };
  b.cleanup = [](const std::string& ns) {
    std::error_code ec;
    if (!ns.empty()) std::filesystem::remove_all(ns, ec);
  };
  return b;
}

}  // namespace atg::jobs::testing

#endif  // ATG_JOBS_TESTING_STORE_BACKEND_H_
