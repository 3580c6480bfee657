// Writing HCL (Terraform's configuration language) text: quoted strings with every escape
// Terraform needs, JSON values as HCL expressions, and blocks / attributes with consistent
// two-space indentation.
//
// Strings: `"`, `\`, control characters and non-ASCII code points are safe; `${` and `%{` are
// written `$${` and `%%{` so that no value from a scanned tenant can become a template
// interpolation or directive.
//
// Thread-safety: the free functions are reentrant; an HclWriter is used by one thread at a time.
#ifndef ATG_IAC_HCL_WRITER_H_
#define ATG_IAC_HCL_WRITER_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/json.h"

namespace atg::iac {

// Appends `s` as the inside of an HCL template (no surrounding quotes), escaped.
void AppendHclTemplateText(std::string* out, std::string_view s);
// Appends `s` as a quoted HCL string literal.
void AppendHclString(std::string* out, std::string_view s);
std::string HclString(std::string_view s);

// True for an HCL identifier: a letter or '_' first, then letters, digits, '_' or '-'.
bool IsHclIdentifier(std::string_view s);

// A number as an HCL literal: integers exactly, doubles in their shortest round-trip form.
std::string HclNumber(const json::value& v);

// Rewrites `text` (a whole HCL file) into `tofu fmt` / `terraform fmt` canonical alignment:
// in each run of consecutive lines that assign a single-line value (`name = value`, brackets
// balanced after the `=`), the `=` signs line up one column after the longest name. A blank
// line, a block header, a multi-line value's first or last line and a comment end a run.
// Widths count characters as the formatter does (grapheme clusters, approximated as code
// points without combining marks). Everything else is left as written.
void AlignHclAssignments(std::string* text);

// Given the JSON path of a value (graph::ArmIdRef::path syntax: "a.b[0].c", an id used as an
// object key as `obj["<key as JSON>"]`), returns the HCL expression to write instead of the
// value, or nullptr to write the value itself. Must stay valid until the call that uses it ends.
using ExpressionLookup = std::function<const std::string*(std::string_view path)>;

// Builds HCL text into a caller-owned string (which it only appends to), so that a whole file
// is one growing buffer.
class HclWriter {
 public:
  explicit HclWriter(std::string* out, int depth = 0) : out_(out), depth_(depth) {}

  // `type "label1" "label2" {` ... `}`.
  void BeginBlock(std::string_view type, std::initializer_list<std::string_view> labels = {});
  void EndBlock();
  // `name = <expression>`, the expression written verbatim.
  void Attribute(std::string_view name, std::string_view expression);
  void StringAttribute(std::string_view name, std::string_view value);
  void BoolAttribute(std::string_view name, bool value);
  // `name = <value>` for any JSON value (objects and arrays over several lines). With a
  // lookup, every value (at any depth) whose path it knows is replaced by its expression;
  // `path` is the path of `value` itself.
  void JsonAttribute(std::string_view name, const json::value& value,
                     const ExpressionLookup* lookup = nullptr, std::string_view path = {});
  void Comment(std::string_view text);  // "# text", one line; newlines become spaces
  void BlankLine();

  int depth() const { return depth_; }
  std::string* out() { return out_; }

  // Appends `value` as an HCL expression at the writer's current depth (for callers that
  // compose expressions such as lists of references).
  void AppendValue(const json::value& value, const ExpressionLookup* lookup, std::string* path);

 private:
  void Indent();
  void AppendName(std::string_view name);

  std::string* out_;
  int depth_;
};

}  // namespace atg::iac

#endif  // ATG_IAC_HCL_WRITER_H_
