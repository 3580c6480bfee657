// Scan progress on stderr: on a terminal, one line redrawn in place (phase, what was found,
// requests per second, throttling); otherwise a plain line every few seconds, so logs of a
// long scan stay readable.
//
// Thread-safety: OnProgress is called from one thread at a time (the scanner's reporter);
// Finish from the thread that ran the scan, after Run returned.
#ifndef ATG_CLI_PROGRESS_H_
#define ATG_CLI_PROGRESS_H_

#include <cstdio>
#include <string>

#include "scan/scanner.h"

namespace atg::cli {

class ScanProgressPrinter : public scan::ProgressSink {
 public:
  // `tty`: redraw one line; otherwise print a line at most every `interval_seconds`.
  ScanProgressPrinter(std::FILE* out, bool tty, double interval_seconds = 5);
  // Whether stderr is a terminal.
  static bool StderrIsTty();

  void OnProgress(const scan::ScanProgress& p) override;
  // Ends the redrawn line.
  void Finish();

  // The text of one progress line (tests).
  static std::string Format(const scan::ScanProgress& p, double requests_per_second);

 private:
  std::FILE* out_;
  bool tty_;
  double interval_;
  double last_print_ = -1e9;
  double last_time_ = 0;
  int64_t last_requests_ = 0;
  double rate_ = 0;
  size_t last_width_ = 0;
  bool drew_ = false;
};

}  // namespace atg::cli

#endif  // ATG_CLI_PROGRESS_H_
