// Losing the terminal is an ordinary way for a shell to end (the window was
// closed, the SSH session dropped). Node 20 then aborts at exit: its
// ResetStdio() restores the termios it saved at start-up with tcsetattr(),
// which fails with EIO on a hung-up terminal, and a CHECK turns that into a
// native-stack abort (nodejs/node#51519; fixed only in later Node). Node skips
// the restore for a descriptor that no longer names the file it saw at
// start-up, so pointing a hung-up 0, 1 or 2 at /dev/null lets the process end
// as gracefully as on quit: whatever the clean-up still prints goes nowhere
// instead of failing with EIO.
#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include <napi.h>

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
  exports.Set("releaseHungUpStdio", Napi::Function::New(env, ReleaseHungUpStdio, "releaseHungUpStdio"));
  exports.Set("ignoreTerminalStops", Napi::Function::New(env, IgnoreTerminalStops, "ignoreTerminalStops"));
}

}  // namespace mpsh
