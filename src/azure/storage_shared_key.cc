#include "azure/storage_shared_key.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/base64.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "common/time_format.h"

namespace atg::azure {
namespace {

// The standard headers in string-to-sign order, after the verb.
constexpr std::string_view kSignedStandardHeaders[] = {"content-encoding",
                                                       "content-language",
                                                       "content-length",
                                                       "content-md5",
                                                       "content-type",
                                                       "date",
                                                       "if-modified-since",
                                                       "if-match",
                                                       "if-none-match",
                                                       "if-unmodified-since",
                                                       "range"};

std::string_view HeaderValue(const SharedKeyRequest& request, std::string_view name) {
  for (const auto& [k, v] : request.headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

// Trims the value and folds every run of whitespace into one space, as the canonical form asks.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : Trim(value)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// The account key as Azure shows it may be pasted with line breaks or spaces; those are not part
// of the key.
Result<std::string> DecodeAccountKey(std::string_view text) {
  std::string clean;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  }
  auto key = Base64Decode(clean);
  if (!key) {
    return Status::InvalidArgument(
        "the storage account key is not valid base64" +
        std::string(clean.size() % 4 != 0 ? " (length is not a multiple of 4)" : "") +
        "; copy the key again from the storage account's access keys");
  }
  return std::move(*key);
}

}  // namespace

std::string SharedKeyStringToSign(std::string_view account, const SharedKeyRequest& request) {
  std::string s = request.method;
  s.push_back('\n');
  for (std::string_view name : kSignedStandardHeaders) {
    std::string_view value = HeaderValue(request, name);
    // Since version 2015-02-21 a zero length signs as empty.
    if (name == "content-length" && value == "0") value = {};
    s.append(value);
    s.push_back('\n');
  }

  std::vector<std::pair<std::string, std::string>> ms_headers;
  for (const auto& [k, v] : request.headers) {
    std::string lower = ToLower(Trim(k));
    if (lower.starts_with("x-ms-")) ms_headers.emplace_back(lower, CanonicalHeaderValue(v));
  }
  std::stable_sort(ms_headers.begin(), ms_headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [k, v] : ms_headers) s.append(fmt::format("{}:{}\n", k, v));

  s.append("/");
  s.append(account);
  s.append(request.path);
  // Parameters sorted by lower-cased name; repeated names list their sorted values with commas.
  std::map<std::string, std::vector<std::string>> params;
  for (const auto& [k, v] : request.query) params[ToLower(k)].push_back(v);
  for (auto& [k, values] : params) {
    std::sort(values.begin(), values.end());
    s.append(fmt::format("\n{}:{}", k, Join(values, ",")));
  }
  return s;
}

Result<std::string> SharedKeySignature(std::string_view account_key,
                                       std::string_view string_to_sign) {
  Result<std::string> key = DecodeAccountKey(account_key);
  if (!key.ok()) return key.status();
  if (key->empty()) {
    return Status::InvalidArgument(
        "the storage account key is empty; set it from the storage account's access keys");
  }
  auto mac = HmacSha256(*key, string_to_sign);
  if (!mac.ok()) return mac.status().WithContext("signing the storage request");
  return Base64Encode(*mac);
}

Result<std::string> SharedKeyAuthorization(std::string_view account, std::string_view account_key,
                                           const SharedKeyRequest& request) {
  Result<std::string> signature =
      SharedKeySignature(account_key, SharedKeyStringToSign(account, request));
  if (!signature.ok()) return signature.status();
  return fmt::format("SharedKey {}:{}", account, signature.value());
}

std::string StorageDate(std::chrono::system_clock::time_point when) { return FormatHttpDate(when); }

}  // namespace atg::azure
