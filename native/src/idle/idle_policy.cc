// The idle policy of every packet loop: see idle_policy.h.
#include "idle/idle_policy.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

namespace mpsh {

static constexpr uint64_t kKeepPollingUs = 300;   // adaptive: poll this long after the last work
static constexpr uint64_t kMaxSleepUs = 1000;     // bounded waits: sleeps, and futex timeouts
static constexpr uint64_t kFdWaitUs = 10000;      // an fd wait still returns to beat the heartbeat
static constexpr uint64_t kRenewFdsUs = 1000000;  // fetch the queue fds again after this long idle

IdleMode IdleModeOption(const Napi::Object& options) {
  Napi::Value v = options.Get("idle");
  if (v.IsUndefined() || v.IsNull()) return IdleMode::kAdaptive;
  if (!v.IsString()) throw Napi::TypeError::New(options.Env(), "idle must be poll, interrupt or adaptive");
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s == "poll") return IdleMode::kPoll;
  if (s == "interrupt") return IdleMode::kInterrupt;
  if (s == "adaptive") return IdleMode::kAdaptive;
  throw Napi::TypeError::New(options.Env(), "idle must be poll, interrupt or adaptive, not '" + s + "'");
}

IdlePolicy::IdlePolicy(IdleMode mode, const std::vector<RxQueue>& queues, volatile uint64_t* report)
    : mode_(mode), queues_(queues), forecast_(rte_get_timer_hz()) {
  // One fetch (a multi-process request per queue in a secondary) serves the
  // signal route, which every policy needs, and the wait.
  std::vector<int> fds;
  const bool tap = TapQueueFds(queues_, &fds);
  signals_.Route(fds);
  if (mode_ == IdleMode::kPoll) {
    for (int fd : fds) close(fd);
  } else {
    wait_ = tap && WatchFds(std::move(fds)) ? IdleWait::kQueueFds : IdleWait::kSleep;
  }
  Init(report);
}

IdlePolicy::IdlePolicy(IdleMode mode, WakeWord* word, rte_ring* ring, uint64_t max_wait_us, volatile uint64_t* report)
    : mode_(mode), word_(word), ring_(ring), max_wait_us_(max_wait_us), forecast_(rte_get_timer_hz()) {
  if (mode_ != IdleMode::kPoll) wait_ = word_ != nullptr ? IdleWait::kWakeWord : IdleWait::kSleep;
  Init(report);
}

void IdlePolicy::Init(volatile uint64_t* report) {
  // Per thread: this loop's short sleeps and timeouts end when asked, not 50 us later.
  if (mode_ != IdleMode::kPoll) prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  us_ = std::max<uint64_t>(rte_get_timer_hz() / 1000000, 1);
  keep_polling_ = mode_ == IdleMode::kAdaptive ? us_ * kKeepPollingUs : 0;
  last_busy_ = rte_get_timer_cycles();
  wait_us_ = kMinWaitUs;
  report_ = report;
  if (report_ != nullptr) *report_ = reported_ = IdleReport(mode_, wait_);
}

// Written only on a change: the slot's line stays shared-clean.
void IdlePolicy::Report() {
  if (report_ == nullptr) return;
  uint64_t now = IdleReport(mode_, wait_, forecast_.PeriodUs());
  if (now != reported_) *report_ = reported_ = now;
}

IdlePolicy::~IdlePolicy() { CloseQueueFds(); }

// Every input queue must have an fd, or a wait on the others could miss packets.
bool IdlePolicy::OpenQueueFds() {
  CloseQueueFds();
  std::vector<int> fds;
  return TapQueueFds(queues_, &fds) && WatchFds(std::move(fds));
}

// Takes the fds: waits on them from now on, in place of any before.
bool IdlePolicy::WatchFds(std::vector<int> fds) {
  CloseQueueFds();
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    for (int fd : fds) close(fd);
    return false;
  }
  for (int fd : fds) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = EPOLLIN;  // level-triggered: a queue left non-empty wakes us again
    ev.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  fds_ = std::move(fds);
  fds_since_ = rte_get_timer_cycles();
  return true;
}

void IdlePolicy::CloseQueueFds() {
  for (int fd : fds_) close(fd);
  fds_.clear();
  if (epoll_ >= 0) close(epoll_);
  epoll_ = -1;
}

void IdlePolicy::ArrivedAfterIdle(uint64_t now) {
  forecast_.Arrived(now);
  Report();
}

uint64_t IdlePolicy::NextWaitUs() {
  uint64_t us = wait_us_;
  wait_us_ = std::min(wait_us_ * 2, max_wait_us_);
  return us;
}

bool IdlePolicy::Wait() {
  const uint64_t now = rte_get_timer_cycles();
  if (keep_polling_ != 0 && now - last_busy_ < keep_polling_) return PolitePoll();
  uint64_t max_us = UINT64_MAX;
  if (keep_polling_ != 0) {
    uint64_t start = 0, end = 0;
    const bool window = forecast_.Window(now, &start, &end);
    Report();
    if (window && now >= start) return PolitePoll();  // the forecast window
    if (window) max_us = (start - now) / us_;         // wake up when it opens
  }
  switch (wait_) {
    case IdleWait::kQueueFds: return WaitOnFds(max_us);
    case IdleWait::kWakeWord: return WaitOnWord(max_us);
    default: return Sleep(max_us);
  }
}

// adaptive polls on while nothing comes, but not at the expense of a thread
// that shares its CPU: another loop of the group (a client the scheduler
// placed next to the server that woke it), or the application the packets
// are for. Without the yield such a thread waits out the whole polling time.
bool IdlePolicy::PolitePoll() {
  sched_yield();
  return false;
}

bool IdlePolicy::WaitOnFds(uint64_t max_us) {
  // A primary that set the port up again may have given its queues new fds.
  const uint64_t now = rte_get_timer_cycles(), renew = us_ * kRenewFdsUs;
  if (now - fds_since_ > renew && now - last_busy_ > renew) {
    if (!OpenQueueFds()) {
      wait_ = IdleWait::kSleep;
      Report();
      return Sleep(max_us);
    }
  }
  const uint64_t us = std::min(max_us, kFdWaitUs);
  const struct timespec ts = Timespec(us);
  struct epoll_event evs[8];
  // epoll_pwait2 (Linux 5.11) waits to the us; where a kernel or a seccomp
  // profile refuses it, epoll_wait in whole ms rather than a silent spin.
  static std::atomic<bool> pwait2{true};
  if (pwait2.load(std::memory_order_relaxed) && epoll_pwait2(epoll_, evs, 8, &ts, nullptr) < 0 &&
      (errno == ENOSYS || errno == EPERM)) {
    pwait2.store(false, std::memory_order_relaxed);
  }
  if (!pwait2.load(std::memory_order_relaxed)) epoll_wait(epoll_, evs, 8, static_cast<int>((us + 999) / 1000));
  return true;
}

bool IdlePolicy::WaitOnWord(uint64_t max_us) {
  WaitForWake(word_, ring_, std::min(NextWaitUs(), max_us));
  return true;
}

bool IdlePolicy::Sleep(uint64_t max_us) {
  uint64_t us = std::min({NextWaitUs(), kMaxSleepUs, max_us});
  const struct timespec ts = Timespec(us);
  nanosleep(&ts, nullptr);
  return true;
}

}  // namespace mpsh
