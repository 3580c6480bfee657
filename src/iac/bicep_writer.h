// Rendering JSON values as Bicep source.
//
// Strings become single-quoted literals with Bicep's escapes (\\, \', \n, \r, \t, \${ and
// \u{...} for other control characters); objects put each member on its own line with the key
// bare when it is an identifier and quoted otherwise; arrays put each element on its own line;
// integers stay as they are, and non-integral numbers become json('1.5') because Bicep has no
// decimal literal. Selected values (and object keys) can be replaced by Bicep expressions, which
// is how references and parameters get into a resource body.
//
// Thread-safety: pure functions; BicepOverrides is a plain value.
#ifndef ATG_IAC_BICEP_WRITER_H_
#define ATG_IAC_BICEP_WRITER_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "common/json.h"

namespace atg::iac {

// Bicep expressions that replace parts of a value being written, keyed by address inside it.
struct BicepOverrides {
  // The value at this address is written as this expression text.
  std::unordered_map<const json::value*, std::string> values;
  // The member whose value is at this address gets this key (expression text, e.g. '${x.id}').
  std::unordered_map<const json::value*, std::string> keys;
};

// 'text' with Bicep escapes.
std::string BicepString(std::string_view s);

// Appends BicepString(s) to `out`.
void AppendBicepString(std::string& out, std::string_view s);

// True for names Bicep accepts bare: [A-Za-z_][A-Za-z0-9_]* and not a keyword.
bool IsBicepIdentifier(std::string_view s);

// An object key: bare when identifier-shaped (keywords included: `type: ...` is the norm) except
// true/false/null; quoted otherwise.
std::string BicepKey(std::string_view key);

// Appends `v` as Bicep. `indent` is the indentation (in levels of two spaces) of the line the
// value starts on; nested lines are indented one level more. `overrides` may be null.
void AppendBicepValue(std::string& out, const json::value& v, int indent,
                      const BicepOverrides* overrides = nullptr);

}  // namespace atg::iac

#endif  // ATG_IAC_BICEP_WRITER_H_
