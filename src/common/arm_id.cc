#include "common/arm_id.h"

#include "common/strings.h"

namespace atg {
namespace {

constexpr size_t kMaxSegments = 64;

// Where the segments of "/a/b/c" are: offsets into the id, without copying.
struct Segments {
  std::string_view id;
  size_t begin[kMaxSegments];
  size_t end[kMaxSegments];
  size_t n = 0;

  std::string_view operator[](size_t k) const { return id.substr(begin[k], end[k] - begin[k]); }
  // "/seg0/.../seg{count-1}" as a prefix of the id.
  std::string_view Prefix(size_t count) const {
    return count == 0 ? std::string_view() : id.substr(0, end[count - 1]);
  }
};

Status NotAnArmId(std::string_view id, std::string_view why) {
  return Status::InvalidArgument("'" + std::string(id.substr(0, 300)) +
                                 "' is not a well-formed ARM id: " + std::string(why) +
                                 " (expected /subscriptions/{id}[/resourceGroups/{name}]"
                                 "[/providers/{Namespace}/{type}/{name}...])");
}

// Splits the id; fails on an empty inner segment, a missing leading '/' or too many segments.
// A trailing '/' is tolerated.
Status SplitPath(std::string_view id, Segments* segs) {
  segs->id = id;
  if (id.empty() || id.front() != '/') return NotAnArmId(id, "no leading '/'");
  size_t last = id.size();
  if (last > 1 && id.back() == '/') --last;
  if (last <= 1) return NotAnArmId(id, "empty path");
  size_t start = 1;
  for (;;) {
    size_t slash = id.find('/', start);
    if (slash == std::string_view::npos || slash > last) slash = last;
    if (slash == start) return NotAnArmId(id, "empty path segment");
    if (segs->n == kMaxSegments) return NotAnArmId(id, "more than 64 segments");
    segs->begin[segs->n] = start;
    segs->end[segs->n] = slash;
    ++segs->n;
    if (slash == last) break;
    start = slash + 1;
  }
  return Status::Ok();
}

// The grammar, once: fills `out` and says where the last provider section starts (its
// "providers" segment; n for subscriptions and resource groups).
Status ParseSegments(const Segments& segs, ArmIdView* out, size_t* providers_at) {
  std::string_view id = segs.id;
  size_t i = 0;
  const size_t n = segs.n;
  *providers_at = n;
  if (EqualsIgnoreCase(segs[0], "subscriptions")) {
    if (n < 2) return NotAnArmId(id, "no subscription id");
    out->subscription_id = segs[1];
    i = 2;
    if (n == 2) {
      out->name = out->subscription_id;
      return Status::Ok();
    }
    if (EqualsIgnoreCase(segs[2], "resourceGroups")) {
      if (n < 4) return NotAnArmId(id, "no resource group name");
      out->resource_group = segs[3];
      i = 4;
      if (n == 4) {
        out->name = out->resource_group;
        out->parent_id = segs.Prefix(2);
        return Status::Ok();
      }
    }
  } else if (!EqualsIgnoreCase(segs[0], "providers")) {
    return NotAnArmId(id, "does not start with /subscriptions or /providers");
  }
  // The last "providers" segment that is followed by a namespace and type/name pairs.
  size_t p = n;
  for (size_t k = n; k-- > i;) {
    if (EqualsIgnoreCase(segs[k], "providers") && n - k >= 4 && (n - k - 2) % 2 == 0) {
      p = k;
      break;
    }
  }
  if (p == n) return NotAnArmId(id, "no /providers/{namespace}/{type}/{name} part");
  if (!EqualsIgnoreCase(segs[i], "providers")) {
    return NotAnArmId(id, "unexpected segment '" + std::string(segs[i]) + "'");
  }
  out->depth = (n - p - 2) / 2;
  out->name = segs[n - 1];
  if (p > i) out->extension_scope = segs.Prefix(p);
  out->parent_id = out->depth > 1 ? segs.Prefix(n - 2) : segs.Prefix(p);
  *providers_at = p;
  return Status::Ok();
}

}  // namespace

bool ArmId::is_subscription() const {
  return EqualsIgnoreCase(type, "Microsoft.Resources/subscriptions");
}

bool ArmId::is_resource_group() const {
  return EqualsIgnoreCase(type, "Microsoft.Resources/resourceGroups");
}

Result<ArmIdView> ParseArmIdView(std::string_view id) {
  Segments segs;
  ATG_RETURN_IF_ERROR(SplitPath(id, &segs));
  ArmIdView view;
  size_t p = 0;
  ATG_RETURN_IF_ERROR(ParseSegments(segs, &view, &p));
  return view;
}

Result<ArmId> ParseArmId(std::string_view id) {
  Segments segs;
  ATG_RETURN_IF_ERROR(SplitPath(id, &segs));
  ArmIdView view;
  size_t p = 0;
  ATG_RETURN_IF_ERROR(ParseSegments(segs, &view, &p));
  ArmId out;
  out.subscription_id = std::string(view.subscription_id);
  out.resource_group = std::string(view.resource_group);
  out.parent_id = std::string(view.parent_id);
  out.extension_scope = std::string(view.extension_scope);
  out.name = std::string(view.name);
  if (view.is_subscription()) {
    out.type = "Microsoft.Resources/subscriptions";
    out.names = {out.name};
    return out;
  }
  if (view.is_resource_group()) {
    out.type = "Microsoft.Resources/resourceGroups";
    out.names = {out.name};
    return out;
  }
  out.type = std::string(segs[p + 1]);
  for (size_t k = p + 2; k < segs.n; k += 2) {
    out.type += '/';
    out.type.append(segs[k]);
    out.names.emplace_back(segs[k + 1]);
  }
  return out;
}

std::string_view SubscriptionOfPath(std::string_view path) {
  size_t start = 0;
  while (start < path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(start, slash - start);
    if (EqualsIgnoreCase(seg, "subscriptions") && slash < path.size()) {
      std::string_view rest = path.substr(slash + 1);
      return rest.substr(0, rest.find_first_of("/?#"));
    }
    start = slash + 1;
  }
  return {};
}

std::string NormalizeArmId(std::string_view id) {
  while (id.size() > 1 && id.back() == '/') id.remove_suffix(1);
  return ToLower(id);
}

bool IsGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace atg
