// Watching the primary of the prefix this process attached to, and being a
// good neighbour to it.
//
// A secondary lives on memory and a config its primary owns. When the
// primary goes, that memory stays mapped here (holding the hugepage files'
// and fbarrays' locks, so the app cannot start again on its prefix) and
// rte_eal_cleanup on it walks structures that a restarting primary may
// already be re-creating (seen: SIGFPE in rte_eal_cleanup). testpmd's own
// secondaries exit without cleanup for the same reason (monitor_primary in
// app/test-pmd/testpmd.c). So the primary's end must be seen at once, not
// polled: a pidfd becomes readable the moment the process exits.
//
// Apps also ask their secondaries things over the multi-process channel.
// testpmd sends "mp_testpmd" (exit notice) to every secondary on `quit` and
// waits 5 s for each reply; a secondary without the action never replies
// and EAL logs "Cannot find action". We reply as a secondary that owns
// nothing (result 0) and take the notice as the primary leaving.
#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

namespace {

constexpr const char* kTestpmdAction = "mp_testpmd";  // TESTPMD_MP in testpmd.c
constexpr int kTestpmdReqExit = 0;                    // TESTPMD_REQ_TYPE_EXIT

struct Watch {
  std::thread thread;
  int pidfd = -1;
  int stop_fd = -1;      // eventfd: the watch is being torn down
  int announce_fd = -1;  // eventfd: the primary said it is exiting
  Napi::ThreadSafeFunction tsfn;
};

Watch* g_watch = nullptr;
std::atomic<int> g_announce_fd{-1};
bool g_actions_registered = false;

void Deliver(Napi::Env env, Napi::Function fn, const char* how) {
  if (env != nullptr && fn != nullptr) fn.Call({Napi::String::New(env, how)});
}

// An announced exit is reported once the process has really gone: letting
// go and starting afresh meanwhile would compete with the app's own exit
// for CPU (and the app may still ask this process things on its way out).
void WatchLoop(Watch* w) {
  struct pollfd fds[3] = {{w->pidfd, POLLIN, 0}, {w->announce_fd, POLLIN, 0}, {w->stop_fd, POLLIN, 0}};
  bool announced = false;
  for (;;) {
    int n = poll(fds, 3, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || fds[2].revents != 0) return;
    if (fds[1].revents != 0) {
      announced = true;
      fds[1].fd = -1;  // poll ignores it from now on
    }
    if (fds[0].revents == 0) continue;
    w->tsfn.NonBlockingCall(announced ? "announced" : "exited", Deliver);
    return;  // one report: the process then leaves or re-executes
  }
}

// EAL's multi-process thread runs this: reply first (the primary is
// waiting), then tell the watch.
int OnTestpmdRequest(const struct rte_mp_msg* msg, const void* peer) {
  struct rte_mp_msg reply;
  memset(&reply, 0, sizeof(reply));
  rte_strlcpy(reply.name, kTestpmdAction, sizeof(reply.name));
  int32_t result = 0;
  int type = 0;
  if (msg->len_param >= static_cast<int>(sizeof(type))) memcpy(&type, msg->param, sizeof(type));
  if (type != kTestpmdReqExit) result = -EINVAL;  // as testpmd's own secondaries answer
  memcpy(reply.param, &result, sizeof(result));
  reply.len_param = sizeof(result);
  rte_mp_reply(&reply, static_cast<const char*>(peer));
  int fd = g_announce_fd.load();
  if (type == kTestpmdReqExit && fd >= 0) {
    uint64_t one = 1;
    (void)!write(fd, &one, sizeof(one));
  }
  return 0;
}

void StopWatch() {
  if (g_watch == nullptr) return;
  uint64_t one = 1;
  (void)!write(g_watch->stop_fd, &one, sizeof(one));
  g_watch->thread.join();
  g_announce_fd.store(-1);
  g_watch->tsfn.Release();
  close(g_watch->pidfd);
  close(g_watch->stop_fd);
  close(g_watch->announce_fd);
  delete g_watch;
  g_watch = nullptr;
}

// primaryPid(runtimeDir): pid of the process holding the prefix's config
// lock (the primary), 0 when none. Same test as rte_eal_primary_proc_alive,
// plus who holds it.
Napi::Value PrimaryPid(const Napi::CallbackInfo& info) {
  std::string path = ArgString(info, 0, "runtimeDir") + "/config";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Napi::Number::New(info.Env(), 0);
  struct flock lk = {};
  lk.l_type = F_WRLCK;
  lk.l_whence = SEEK_SET;
  int pid = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK ? lk.l_pid : 0;
  close(fd);
  return Napi::Number::New(info.Env(), pid);
}

// watchPrimary(pid, onGone(how: 'exited' | 'announced')): calls onGone once,
// when the process has gone ('announced': it said so before it went).
Napi::Value WatchPrimary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t pid = ArgUint(info, 0, "pid");
  if (info.Length() < 2 || !info[1].IsFunction()) throw Napi::TypeError::New(env, "onGone must be a function");
  StopWatch();
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) throw Napi::Error::New(env, "cannot watch pid " + std::to_string(pid) + ": " + strerror(errno));
  auto* w = new Watch();
  w->pidfd = pidfd;
  w->stop_fd = eventfd(0, EFD_CLOEXEC);
  w->announce_fd = eventfd(0, EFD_CLOEXEC);
  w->tsfn = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "mpsh-primary-watch", 0, 1);
  w->tsfn.Unref(env);  // watching keeps nothing alive
  g_announce_fd.store(w->announce_fd);
  w->thread = std::thread(WatchLoop, w);
  g_watch = w;
  return env.Undefined();
}

Napi::Value UnwatchPrimary(const Napi::CallbackInfo& info) {
  StopWatch();
  return info.Env().Undefined();
}

// registerNeighbourActions(): the multi-process actions apps send to every
// secondary. Once per process, after rte_eal_init.
Napi::Value RegisterNeighbourActions(const Napi::CallbackInfo& info) {
  if (!g_actions_registered && rte_eal_process_type() == RTE_PROC_SECONDARY) {
    if (rte_mp_action_register(kTestpmdAction, OnTestpmdRequest) < 0 && rte_errno != EEXIST)
      throw MakeDpdkError(info.Env(), "rte_mp_action_register", rte_errno);
    g_actions_registered = true;
  }
  return info.Env().Undefined();
}

}  // namespace

void InitPrimaryWatch(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "primaryPid", PrimaryPid, "watchPrimary", WatchPrimary, "unwatchPrimary", UnwatchPrimary,
         "registerNeighbourActions", RegisterNeighbourActions);
  env.AddCleanupHook([] { StopWatch(); });
}

}  // namespace mpsh
