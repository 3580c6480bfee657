#include "common/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/strings.h"

extern char** environ;

namespace atg {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  void Reset() {
    if (fd >= 0) close(fd);
    fd = -1;
  }
};

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout, size_t max_output,
                                 const std::vector<std::string>* env) {
  if (argv.empty()) return Status::InvalidArgument("RunProcess: no program given");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    return Status::IoError(std::string("pipe: ") + strerror(errno));
  Fd out_r{out_pipe[0]}, out_w{out_pipe[1]};
  if (pipe2(err_pipe, O_CLOEXEC) != 0)
    return Status::IoError(std::string("pipe: ") + strerror(errno));
  Fd err_r{err_pipe[0]}, err_w{err_pipe[1]};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  if (env != nullptr) {
    for (const std::string& e : *env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(),
                       env != nullptr ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::IoError("cannot start " + argv[0] + ": " + strerror(rc));
  }
  out_w.Reset();
  err_w.Reset();

  ProcessResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  Fd* fds[2] = {&out_r, &err_r};
  std::string* sinks[2] = {&result.out, &result.err};
  while (out_r.fd >= 0 || err_r.fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    pollfd p[2];
    int n = 0;
    int which[2];
    for (int i = 0; i < 2; ++i) {
      if (fds[i]->fd >= 0) {
        p[n] = {fds[i]->fd, POLLIN, 0};
        which[n++] = i;
      }
    }
    int ready = poll(p, n, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n && ready > 0; ++k) {
      if (p[k].revents == 0) continue;
      char buf[8192];
      ssize_t got = read(p[k].fd, buf, sizeof buf);
      if (got <= 0) {
        fds[which[k]]->Reset();
      } else if (sinks[which[k]]->size() < max_output) {
        sinks[which[k]]->append(
            buf, std::min<size_t>(static_cast<size_t>(got), max_output - sinks[which[k]]->size()));
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

std::optional<std::string> FindOnPath(std::string_view program, std::string_view path_env) {
  auto executable = [](const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
  };
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string_view::npos) {
    std::string p(program);
    return executable(p) ? std::optional<std::string>(p) : std::nullopt;
  }
  for (const std::string& dir : Split(path_env, ':', /*skip_empty=*/true)) {
    std::string candidate = dir + "/" + std::string(program);
    if (executable(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace atg
