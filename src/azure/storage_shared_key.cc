#include "azure/storage_shared_key.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "common/strings.h"

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

Result<std::string> Base64Decode(std::string_view in) {
  std::string clean;
  for (char c : in) {
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  }
  if (clean.size() % 4 != 0) {
    return Status::InvalidArgument(
        "the storage account key is not valid base64 (length is not a multiple of 4); copy the "
        "key again from the storage account's access keys");
  }
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) {
    return Status::InvalidArgument(
        "the storage account key is not valid base64; copy the key again from the storage "
        "account's access keys");
  }
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t pad = 0;
  if (!clean.empty() && clean.back() == '=') ++pad;
  if (clean.size() >= 2 && clean[clean.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

std::string Base64Encode(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
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
  Result<std::string> key = Base64Decode(account_key);
  if (!key.ok()) return key.status();
  if (key->empty()) {
    return Status::InvalidArgument(
        "the storage account key is empty; set it from the storage account's access keys");
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
           reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(),
           mac, &mac_len) == nullptr) {
    return Status::Internal("OpenSSL HMAC-SHA256 failed while signing a storage request");
  }
  return Base64Encode(mac, mac_len);
}

Result<std::string> SharedKeyAuthorization(std::string_view account, std::string_view account_key,
                                           const SharedKeyRequest& request) {
  Result<std::string> signature =
      SharedKeySignature(account_key, SharedKeyStringToSign(account, request));
  if (!signature.ok()) return signature.status();
  return fmt::format("SharedKey {}:{}", account, signature.value());
}

std::string StorageDate(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Fixed English names: strftime's %a/%b would follow the process locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace atg::azure
