// Small string utilities shared by every module.
//
// Thread-safety: all functions are reentrant.
#ifndef ATG_COMMON_STRINGS_H_
#define ATG_COMMON_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

namespace atg {

std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
std::string_view Trim(std::string_view s);
// Splits on `sep`; empty pieces are kept unless `skip_empty`.
std::vector<std::string> Split(std::string_view s, char sep, bool skip_empty = false);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

// Percent-decoding for URL query components ('+' becomes a space).
std::string UrlDecode(std::string_view s);
// Percent-encoding of everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);
// `url` with the password of its user information replaced by "****", for messages and reports
// ("redis://:s3cret@host:6379/0" → "redis://:****@host:6379/0"; a lone user information,
// "redis://s3cret@host", is taken for a password). Text that is not a URL comes back unchanged.
std::string MaskUrlPassword(std::string_view url);

// `s` with every byte sequence that is not well-formed UTF-8 (stray continuation bytes,
// truncated or overlong sequences, surrogates, code points above U+10FFFF) replaced by U+FFFD,
// so that text from a request can be quoted in JSON and logs. Valid input comes back unchanged.
std::string ValidUtf8(std::string_view s);

// Compares two secrets in time that depends only on their lengths, never on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace atg

#endif  // ATG_COMMON_STRINGS_H_
