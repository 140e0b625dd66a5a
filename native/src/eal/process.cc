// Process utilities that are not EAL's own: cleaning up the hugepage files
// EAL leaves behind, keeping EAL's descriptors out of children, and
// re-executing this process after a failed EAL start.
#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

// removeUnusedHugepageFiles(dir, prefix): number removed. EAL leaves its
// hugepage files behind at exit (the pages stay reserved until the next
// primary of the prefix clears them). Every process mapping a file holds a
// shared flock on it, so a file we can lock exclusively is used by nobody:
// the same test EAL's own clear_hugedir makes.
static Napi::Value RemoveUnusedHugepageFiles(const Napi::CallbackInfo& info) {
  std::string dir = ArgString(info, 0, "dir");
  std::string prefix = ArgString(info, 1, "prefix") + "map_";
  DIR* d = opendir(dir.c_str());
  uint32_t removed = 0;
  if (d == nullptr) return Napi::Number::New(info.Env(), 0);
  while (struct dirent* e = readdir(d)) {
    if (strncmp(e->d_name, prefix.c_str(), prefix.size()) != 0) continue;
    int fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0 && unlinkat(dirfd(d), e->d_name, 0) == 0) removed++;
    close(fd);
  }
  closedir(d);
  return Napi::Number::New(info.Env(), removed);
}

// execSelf(file, argv, keepFds?): replaces this process with a fresh run of
// itself (same pid, same stdio, and the descriptors in keepFds: a listening
// socket handed over). Only returns on failure. Used when a secondary's
// address space collided with its primary's memory map (see ReserveDpdkVa):
// a fresh process gets fresh random V8 placements.
// EAL opens its descriptors (hugepage files, fbarray locks, the
// multi-process socket) without close-on-exec, and keeps opening them as the
// heap grows. Anything this process starts must not inherit them: a child
// holding the primary's socket keeps it bound after the primary dies, so
// every later request to it waits out EAL's timeout instead of failing at
// once, and a child holding flock'd files keeps their locks.
static void MarkDescriptorsCloseOnExec() {
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  for (int fd = 3; fd < 65536; fd++) {  // kernels before 5.11
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
}

static Napi::Value CloseOnExec(const Napi::CallbackInfo& info) {
  MarkDescriptorsCloseOnExec();
  return info.Env().Undefined();
}

static Napi::Value ExecSelf(const Napi::CallbackInfo& info) {
  std::string file = ArgString(info, 0, "file");
  if (info.Length() < 2 || !info[1].IsArray()) throw Napi::TypeError::New(info.Env(), "argv must be an array");
  Napi::Array arr = info[1].As<Napi::Array>();
  std::vector<std::string> store;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(info.Env(), "argv must be an array of strings");
    store.push_back(v.As<Napi::String>().Utf8Value());
  }
  std::vector<char*> argv;
  for (auto& a : store) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  fflush(stdout);
  fflush(stderr);
  // Node marks its stdio close-on-exec; the new image must keep them.
  for (int fd = 0; fd <= 2; fd++) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) & ~FD_CLOEXEC);
  // Everything else must go. The failed EAL attempt's fbarray locks would make
  // the next attempt fail ("Cannot initialize local memory map"), its
  // multi-process socket would stay bound with no reader (the primary's
  // requests to it time out, failing other processes' allocations), and its
  // lcore claims would stay held.
  MarkDescriptorsCloseOnExec();
  if (info.Length() > 2 && info[2].IsArray()) {
    Napi::Array keep = info[2].As<Napi::Array>();
    for (uint32_t i = 0; i < keep.Length(); i++) {
      int fd = keep.Get(i).ToNumber().Int32Value();
      if (fd > 2) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) & ~FD_CLOEXEC);
    }
  }
  execv(file.c_str(), argv.data());
  throw Napi::Error::New(info.Env(), std::string("cannot re-execute: ") + strerror(errno));
}

void InitProcess(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "removeUnusedHugepageFiles", RemoveUnusedHugepageFiles, "execSelf", ExecSelf, "closeOnExec",
         CloseOnExec);
}

}  // namespace mpsh
