// Losing the terminal is an ordinary way for a shell to end (the window was
// closed, the SSH session dropped). Node 20 then aborts at exit: its
// ResetStdio() restores the termios it saved at start-up with tcsetattr(),
// which fails with EIO on a hung-up terminal, and a CHECK turns that into a
// native-stack abort (nodejs/node#51519; fixed only in later Node). Node skips
// the restore for a descriptor that no longer names the file it saw at
// start-up, so pointing a hung-up 0, 1 or 2 at /dev/null lets the process end
// as gracefully as on quit: whatever the clean-up still prints goes nowhere
// instead of failing with EIO.
//
// On the TTY screen, EAL's and the drivers' log lines must not be written
// into the middle of the frame Ink draws (they were cut mid-word by the
// terminal and erased by the next redraw): ealLogToPipe() sends them to a
// pipe the shell reads and shows as log entries, in order with its own.
#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <rte_log.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include <napi.h>

#include "js/exports.h"

namespace mpsh {

// A terminal that was hung up answers every ioctl with EIO (the kernel swaps
// its file operations before it sends SIGHUP).
static bool HungUp(int fd) {
  struct termios t;
  return tcgetattr(fd, &t) != 0 && errno == EIO;
}

// releaseHungUpStdio(): how many of fds 0-2 were a hung-up terminal, now /dev/null.
static Napi::Value ReleaseHungUpStdio(const Napi::CallbackInfo& info) {
  uint32_t replaced = 0;
  int null_fd = -1;
  for (int fd = 0; fd <= 2; fd++) {
    if (!HungUp(fd)) continue;
    if (null_fd < 0) null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) break;
    if (dup2(null_fd, fd) == fd) replaced++;  // the copy is not close-on-exec
  }
  if (null_fd > 2) close(null_fd);
  return Napi::Number::New(info.Env(), replaced);
}

// Any thread may log (an lcore, EAL's interrupt and multi-process threads):
// none may block on a full pipe, so a line that does not fit is dropped
// (the pipe holds 1 MB, read 4 times a second). A line under PIPE_BUF is
// written whole or not at all.
static ssize_t WriteLog(void* cookie, const char* buf, size_t size) {
  int fd = static_cast<int>(reinterpret_cast<intptr_t>(cookie));
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, buf + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(size);  // a dropped line must not put the stream in error
}

// ealLogToPipe(): the read end (non-blocking) of the pipe EAL's log now goes to.
static Napi::Value EalLogToPipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw Napi::Error::New(env, std::string("pipe: ") + strerror(errno));
  fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);  // best effort: the default 64 KB is enough for most sessions
  cookie_io_functions_t io = {nullptr, WriteLog, nullptr, nullptr};
  FILE* stream = fopencookie(reinterpret_cast<void*>(static_cast<intptr_t>(fds[1])), "w", io);
  if (stream == nullptr) {
    close(fds[0]);
    close(fds[1]);
    throw Napi::Error::New(env, std::string("fopencookie: ") + strerror(errno));
  }
  setvbuf(stream, nullptr, _IOLBF, 0);
  rte_openlog_stream(stream);
  return Napi::Number::New(env, fds[0]);
}

// ealLogRead(fd): what the pipe holds now, as a Buffer, or null when empty.
// Read here rather than with fs.readSync, whose EAGAIN is a JS exception
// (~30 us): the session reads before every entry it appends.
static Napi::Value EalLogRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "fd must be a number");
  int fd = info[0].As<Napi::Number>().Int32Value();
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  if (out.empty()) return env.Null();
  return Napi::Buffer<char>::Copy(env, out.data(), out.size());
}

// ealLogToStderr(): EAL logs on stderr again (the screen is gone). The pipe's
// stream stays open: another thread may be writing to it right now.
static Napi::Value EalLogToStderr(const Napi::CallbackInfo& info) {
  rte_openlog_stream(stderr);
  return info.Env().Undefined();
}

// ignoreTerminalStops(): SIGTTIN and SIGTTOU ignored. By default they stop
// a process that reads, or sets the modes of, a terminal it does not own
// (a background job): stopped with EAL up, it held its hugepages, runtime
// directory and workers until someone resumed it, which after the terminal
// closed was nobody. Ignored, the read fails with EIO and the shell ends
// through its clean-up, as on any loss of its terminal. (Node can only
// catch these, which would restart the refused call for ever.)
static Napi::Value IgnoreTerminalStops(const Napi::CallbackInfo& info) {
  signal(SIGTTIN, SIG_IGN);
  signal(SIGTTOU, SIG_IGN);
  return info.Env().Undefined();
}

void InitStdio(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "releaseHungUpStdio", ReleaseHungUpStdio, "ealLogToPipe", EalLogToPipe, "ealLogToStderr",
         EalLogToStderr, "ealLogRead", EalLogRead, "ignoreTerminalStops", IgnoreTerminalStops);
}

}  // namespace mpsh
