// Shared Key authorization for Azure Storage (Blob, Queue, File) requests, version 2009-09-19 and
// later: the string-to-sign built from the request, its HMAC-SHA256 signature under the account
// key, and the resulting "Authorization: SharedKey <account>:<signature>" header value.
//
// The caller adds x-ms-date (see StorageDate) and x-ms-version before signing, then sends exactly
// the method, path, query and headers it signed.
//
// Thread-safety: reentrant functions; no shared state.
#ifndef ATG_AZURE_STORAGE_SHARED_KEY_H_
#define ATG_AZURE_STORAGE_SHARED_KEY_H_

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace atg::azure {

// The parts of a request that Shared Key signs.
struct SharedKeyRequest {
  std::string method;  // "GET", "PUT", ...
  // The URL path exactly as sent (percent-encoded), starting with '/'. With the storage emulator
  // the path starts with the account name ("/devstoreaccount1/container").
  std::string path;
  // Query parameters, decoded (the signature covers decoded values).
  std::vector<std::pair<std::string, std::string>> query;
  // Request headers as sent; names in any case. Content-Length "0" signs as empty.
  std::vector<std::pair<std::string, std::string>> headers;
};

// The string-to-sign for `request` against storage account `account`: the verb, twelve standard
// headers, the canonicalized x-ms-* headers and the canonicalized resource, newline-separated.
std::string SharedKeyStringToSign(std::string_view account, const SharedKeyRequest& request);

// Base64(HMAC-SHA256(Base64Decode(account_key), string_to_sign)). Fails (InvalidArgument) when
// the key is not valid base64; the message never contains the key.
Result<std::string> SharedKeySignature(std::string_view account_key,
                                       std::string_view string_to_sign);

// The Authorization header value "SharedKey <account>:<signature>" for `request`.
Result<std::string> SharedKeyAuthorization(std::string_view account, std::string_view account_key,
                                           const SharedKeyRequest& request);

// `when` in the RFC 1123 form the x-ms-date header takes, e.g. "Sun, 11 Oct 2009 21:49:13 GMT".
std::string StorageDate(std::chrono::system_clock::time_point when);

}  // namespace atg::azure

#endif  // ATG_AZURE_STORAGE_SHARED_KEY_H_
