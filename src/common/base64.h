// Base64 (RFC 4648): the standard alphabet with padding (HTTP digests, storage keys, block ids)
// and the URL-safe alphabet without padding (JWTs, opaque tokens in URLs).
//
// Decoding is strict about the alphabet: the standard decoder refuses '-' and '_', the URL-safe
// one '+' and '/', and neither skips whitespace, so a value from the wrong family is rejected
// rather than silently mis-decoded. Bits left over in the last character are ignored, as most
// decoders do.
//
// Thread-safety: pure functions.
#ifndef ATG_COMMON_BASE64_H_
#define ATG_COMMON_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace atg {

// RFC 4648 §4: "+/" alphabet, padded to a multiple of four characters.
std::string Base64Encode(std::string_view bytes);

// The bytes of padded standard base64; nullopt when the length is not a multiple of four, a
// character is outside the alphabet, or '=' appears anywhere but in the last two places.
std::optional<std::string> Base64Decode(std::string_view text);

// RFC 4648 §5: "-_" alphabet, no padding (as JWTs use it).
std::string Base64UrlEncode(std::string_view bytes);

// The bytes of URL-safe base64, with or without padding; nullopt for characters outside the
// alphabet, misplaced or excess '=', or a length that no encoding produces (4n+1).
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace atg

#endif  // ATG_COMMON_BASE64_H_
