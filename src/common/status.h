// Status and Result<T>: how every module reports failure across its public boundary.
//
// A Status is either OK or carries a code and a message written for the person who will read it:
// what failed, why, and what to do. Modules never throw across their public headers; they return
// Status or Result<T>.
//
// Thread-safety: values; safe to copy and move between threads.
#ifndef ATG_COMMON_STATUS_H_
#define ATG_COMMON_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace atg {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong (usage error, bad file, bad field)
  kNotFound,            // the named thing does not exist
  kAlreadyExists,       // the named thing exists and must not be replaced
  kPermissionDenied,    // authenticated but not allowed (HTTP 403)
  kUnauthenticated,     // no or bad credentials (HTTP 401)
  kResourceExhausted,   // throttled or a limit reached (HTTP 429)
  kFailedPrecondition,  // the system is not in a state that allows this
  kUnavailable,         // a dependency could not be reached; retrying may help
  kDeadlineExceeded,    // timed out
  kCancelled,           // stopped on request
  kIoError,             // filesystem or socket failure
  kInternal,            // a bug: an invariant did not hold
  kAborted,             // lost a race (e.g. a job lease); the caller must drop its work
};

// The lower-case name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_argument: <message>", or "ok".
  std::string ToString() const;

  // A copy whose message is "<prefix>: <message>"; OK stays OK.
  Status WithContext(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status. Accessing value() of a failed Result is a bug (aborts).
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace atg

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define ATG_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::atg::Status atg_status_ = (expr);        \
    if (!atg_status_.ok()) return atg_status_; \
  } while (0)

#endif  // ATG_COMMON_STATUS_H_
