#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

namespace atg::cli {

ScanProgressPrinter::ScanProgressPrinter(std::FILE* out, bool tty, double interval_seconds)
    : out_(out), tty_(tty), interval_(interval_seconds) {}

bool ScanProgressPrinter::StderrIsTty() { return isatty(2) == 1; }

std::string ScanProgressPrinter::Format(const scan::ScanProgress& p, double rps) {
  std::string line = fmt::format(
      "[{:>10}] {} subscriptions, {} resource groups, {} resources, {} users, {} groups, {} "
      "service principals | {} requests ({:.0f}/s)",
      scan::ScanPhaseName(p.phase), p.subscriptions, p.resource_groups, p.resources, p.users,
      p.groups, p.service_principals, p.requests, rps);
  if (p.throttled > 0 || p.throttle_wait_seconds >= 0.05) {
    line += fmt::format(", throttled {} ({:.1f}s waited)", p.throttled, p.throttle_wait_seconds);
  }
  if (p.failed_scopes > 0) line += fmt::format(", {} failed scopes", p.failed_scopes);
  line += fmt::format(" | {:.0f}s", p.elapsed_seconds);
  return line;
}

void ScanProgressPrinter::OnProgress(const scan::ScanProgress& p) {
  double dt = p.elapsed_seconds - last_time_;
  if (dt >= 0.5) {
    double instant = static_cast<double>(p.requests - last_requests_) / dt;
    rate_ = rate_ == 0 ? instant : 0.5 * rate_ + 0.5 * instant;
    last_time_ = p.elapsed_seconds;
    last_requests_ = p.requests;
  }
  if (tty_) {
    std::string line = Format(p, rate_);
    size_t width = line.size();
    if (width < last_width_) line.append(last_width_ - width, ' ');
    last_width_ = width;
    std::fprintf(out_, "\r%s", line.c_str());
    std::fflush(out_);
    drew_ = true;
    return;
  }
  if (p.phase != scan::ScanPhase::kDone && p.elapsed_seconds - last_print_ < interval_) return;
  last_print_ = p.elapsed_seconds;
  std::fprintf(out_, "atg scan: %s\n", Format(p, rate_).c_str());
  std::fflush(out_);
}

void ScanProgressPrinter::Finish() {
  if (tty_ && drew_) {
    std::fprintf(out_, "\n");
    std::fflush(out_);
    drew_ = false;
  }
}

}  // namespace atg::cli
