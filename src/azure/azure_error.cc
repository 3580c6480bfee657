#include "azure/azure_error.h"

#include "azure/http_transport.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"

namespace atg::azure {

AzureErrorInfo ParseAzureError(std::string_view body) {
  AzureErrorInfo info;
  auto parsed = ParseJson(body);
  if (parsed.ok() && parsed->is_object()) {
    const json::object& root = parsed->as_object();
    if (const json::object* err = FindObject(&root, "error")) {
      info.code = std::string(FindString(err, "code").value_or(""));
      info.message = std::string(FindString(err, "message").value_or(""));
    } else if (auto err_str = FindString(&root, "error")) {
      info.code = std::string(*err_str);
      info.message = std::string(FindString(&root, "error_description").value_or(""));
    } else {
      info.code = std::string(FindString(&root, "code").value_or(""));
      info.message = std::string(FindString(&root, "message").value_or(""));
    }
    if (!info.code.empty() || !info.message.empty()) return info;
  }
  std::string_view text = Trim(body);
  constexpr size_t kMax = 300;
  info.message = std::string(text.substr(0, kMax));
  if (text.size() > kMax) info.message += "...";
  return info;
}

namespace {

std::string_view AdviceFor(int status) {
  switch (status) {
    case 400:
      return "The request was rejected as malformed; this is likely a bug or an unsupported "
             "api-version for this cloud.";
    case 401:
      return "Check the credentials (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or "
             "the managed identity) and that the endpoints belong to the same cloud.";
    case 403:
      return "Grant the principal a role that allows this read (for example Reader on the "
             "subscription, or Directory.Read.All for Microsoft Graph), or leave this scope out.";
    case 404:
      return "The resource or scope does not exist, or is not visible to this principal.";
    case 408:
    case 504:
      return "Azure did not answer in time; try again later.";
    case 429:
      return "Azure kept throttling the requests; lower the concurrency, narrow the scan, or "
             "try again later.";
    default:
      if (status >= 500) return "Azure reported a server error; try again later.";
      return "";
  }
}

}  // namespace

Status StatusFromHttpError(std::string_view method, std::string_view url, int http_status,
                           std::string_view body, int attempts) {
  AzureErrorInfo info = ParseAzureError(body);
  std::string msg = std::string(method) + " " + RedactUrl(url) + " failed with HTTP " +
                    std::to_string(http_status);
  if (!info.code.empty()) msg += " " + info.code;
  if (!info.message.empty()) msg += ": " + info.message;
  while (!msg.empty() && (msg.back() == '.' || msg.back() == ' ')) msg.pop_back();
  if (attempts > 1) msg += " (after " + std::to_string(attempts) + " attempts)";
  msg += ".";
  if (std::string_view advice = AdviceFor(http_status); !advice.empty()) {
    msg += " ";
    msg += advice;
  }
  // Azure's messages do not carry our secrets, but a misbehaving proxy might echo a request.
  msg = RedactSecrets(msg);

  switch (http_status) {
    case 400:
      return Status::InvalidArgument(std::move(msg));
    case 401:
      return Status::Unauthenticated(std::move(msg));
    case 403:
      return Status::PermissionDenied(std::move(msg));
    case 404:
      return Status::NotFound(std::move(msg));
    case 408:
    case 504:
      return Status::DeadlineExceeded(std::move(msg));
    case 409:
    case 412:
      return Status::FailedPrecondition(std::move(msg));
    case 429:
      return Status::ResourceExhausted(std::move(msg));
    default:
      if (http_status >= 500) return Status::Unavailable(std::move(msg));
      return Status::InvalidArgument(std::move(msg));
  }
}

}  // namespace atg::azure
