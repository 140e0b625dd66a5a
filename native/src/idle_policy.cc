// The idle policy of every packet loop: see idle_policy.h.
#include "idle_policy.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

namespace mpsh {

static constexpr uint64_t kKeepPollingUs = 300;  // adaptive: poll this long after the last work
static constexpr uint64_t kMinWaitUs = 10;
static constexpr uint64_t kMaxSleepUs = 1000;     // bounded waits: sleeps, and futex timeouts
static constexpr int kFdWaitMs = 10;              // an fd wait still returns to beat the heartbeat
static constexpr uint64_t kRenewFdsUs = 1000000;  // fetch the queue fds again after this long idle

// The tap driver's multi-process request for a port's queue fds and the
// layout of its parameter (`struct ipc_queues`, drivers/net/tap/rte_eth_tap.c
// in DPDK 22.11): the reply carries the RX queues' fds, then the TX queues'.
static constexpr const char* kTapSyncQueues = "tap_mp_sync_queues";
struct TapIpcQueues {
  char port_name[RTE_DEV_NAME_MAX_LEN];
  int rxq_count;
  int txq_count;
};

static long Futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  // Shared (not FUTEX_PRIVATE): the word lives in hugepage memory of several processes.
  return syscall(SYS_futex, addr, op, val, ts, nullptr, 0);
}

void WakeConsumer(WakeWord* w) {
  __atomic_add_fetch(&w->seq, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&w->waiters, __ATOMIC_SEQ_CST) != 0) Futex(&w->seq, FUTEX_WAKE, INT32_MAX, nullptr);
}

void WakeAll(WakeWord* w) {
  __atomic_add_fetch(&w->seq, 1, __ATOMIC_SEQ_CST);
  Futex(&w->seq, FUTEX_WAKE, INT32_MAX, nullptr);
}

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

// The kernel interface behind a tap port, as the devargs name it (iface=),
// else as this namespace knows its index. Empty when there is none.
static std::string TapInterface(uint16_t port) {
  struct rte_eth_dev_info dev;
  if (rte_eth_dev_info_get(port, &dev) != 0 || dev.if_index == 0 || strcmp(dev.driver_name, "net_tap") != 0) return "";
  const rte_devargs* da = dev.device != nullptr ? rte_dev_devargs(dev.device) : nullptr;
  if (da != nullptr && da->args != nullptr) {
    const char* at = strstr(da->args, "iface=");
    if (at != nullptr) return std::string(at + 6, strcspn(at + 6, ","));
  }
  char name[IF_NAMESIZE] = "";
  return if_indextoname(dev.if_index, name) != nullptr ? name : "";
}

// A secondary: the primary's tap driver hands out the port's queue fds.
static bool FetchFromPrimary(uint16_t port, uint16_t queue, std::vector<int>* out) {
  struct rte_mp_msg req;
  memset(&req, 0, sizeof(req));
  strncpy(req.name, kTapSyncQueues, sizeof(req.name) - 1);
  auto* param = reinterpret_cast<TapIpcQueues*>(req.param);
  if (rte_eth_dev_get_name_by_port(port, param->port_name) != 0) return false;
  req.len_param = sizeof(TapIpcQueues);
  struct rte_mp_reply reply;
  memset(&reply, 0, sizeof(reply));
  struct timespec ts = {1, 0};
  if (rte_mp_request_sync(&req, &reply, &ts) != 0 || reply.nb_received != 1) {
    free(reply.msgs);
    return false;
  }
  const rte_mp_msg& m = reply.msgs[0];
  const auto* got = reinterpret_cast<const TapIpcQueues*>(m.param);
  bool ok = m.len_param >= static_cast<int>(sizeof(TapIpcQueues)) && got->rxq_count + got->txq_count == m.num_fds &&
            queue < got->rxq_count;
  for (int i = 0; i < m.num_fds; i++) {
    if (ok && i == queue)
      out->push_back(m.fds[i]);
    else
      close(m.fds[i]);
  }
  free(reply.msgs);
  return ok;
}

// A primary: its own tun fds of that interface (every queue of it: which
// fd is which queue is the driver's secret). Duplicated, so they stay valid
// whatever the driver does with its own.
static bool FindOwn(const std::string& iface, std::vector<int>* out) {
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return false;
  std::vector<int> found;
  while (dirent* e = readdir(d)) {
    int fd = atoi(e->d_name);
    if (fd <= 2 || fd == dirfd(d)) continue;
    char target[64] = "";
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0 || strncmp(target, "/dev/net/tun", static_cast<size_t>(n)) != 0) continue;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    if (ioctl(fd, TUNGETIFF, &ifr) != 0 || iface != ifr.ifr_name) continue;
    found.push_back(fd);
  }
  closedir(d);
  for (int fd : found) {
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own >= 0) out->push_back(own);
  }
  return !found.empty();
}

IdlePolicy::IdlePolicy(IdleMode mode, const std::vector<RxQueue>& queues, volatile uint64_t* report)
    : mode_(mode), queues_(queues) {
  if (mode_ != IdleMode::kPoll) wait_ = OpenQueueFds() ? IdleWait::kQueueFds : IdleWait::kSleep;
  Init(report);
}

IdlePolicy::IdlePolicy(IdleMode mode, WakeWord* word, bool (*empty)(void*), void* ctx, uint64_t max_wait_us,
                       volatile uint64_t* report)
    : mode_(mode), word_(word), empty_(empty), ctx_(ctx), max_wait_us_(max_wait_us) {
  if (mode_ != IdleMode::kPoll) wait_ = word_ != nullptr ? IdleWait::kWakeWord : IdleWait::kSleep;
  Init(report);
}

void IdlePolicy::Init(volatile uint64_t* report) {
  // Per thread: this loop's short sleeps and timeouts end when asked, not 50 us later.
  if (mode_ != IdleMode::kPoll) prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  keep_polling_ = mode_ == IdleMode::kAdaptive ? rte_get_timer_hz() / 1000000 * kKeepPollingUs : 0;
  last_busy_ = rte_get_timer_cycles();
  wait_us_ = kMinWaitUs;
  if (report != nullptr) *report = IdleReport(mode_, wait_);
}

IdlePolicy::~IdlePolicy() { CloseQueueFds(); }

// Every input queue must have an fd, or a wait on the others could miss packets.
bool IdlePolicy::OpenQueueFds() {
  CloseQueueFds();
  if (queues_.empty()) return false;
  const bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
  std::vector<int> fds;
  for (const RxQueue& q : queues_) {
    std::string iface = TapInterface(q.port);
    bool ok = !iface.empty() && (primary ? FindOwn(iface, &fds) : FetchFromPrimary(q.port, q.queue, &fds));
    if (!ok) {
      for (int fd : fds) close(fd);
      return false;
    }
  }
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
  fds_ = fds;
  fds_since_ = rte_get_timer_cycles();
  return true;
}

void IdlePolicy::CloseQueueFds() {
  for (int fd : fds_) close(fd);
  fds_.clear();
  if (epoll_ >= 0) close(epoll_);
  epoll_ = -1;
}

void IdlePolicy::Busy() {
  last_busy_ = rte_get_timer_cycles();
  wait_us_ = kMinWaitUs;
}

uint64_t IdlePolicy::NextWaitUs() {
  uint64_t us = wait_us_;
  wait_us_ = std::min(wait_us_ * 2, max_wait_us_);
  return us;
}

bool IdlePolicy::Idle() {
  if (mode_ == IdleMode::kPoll) return false;
  if (keep_polling_ != 0 && rte_get_timer_cycles() - last_busy_ < keep_polling_) return false;
  switch (wait_) {
    case IdleWait::kQueueFds: return WaitOnFds();
    case IdleWait::kWakeWord: return WaitOnWord();
    default: return Sleep();
  }
}

bool IdlePolicy::WaitOnFds() {
  // A primary that set the port up again may have given its queues new fds.
  if (rte_get_timer_cycles() - fds_since_ > rte_get_timer_hz() / 1000000 * kRenewFdsUs &&
      rte_get_timer_cycles() - last_busy_ > rte_get_timer_hz() / 1000000 * kRenewFdsUs) {
    if (!OpenQueueFds()) {
      wait_ = IdleWait::kSleep;
      return Sleep();
    }
  }
  struct epoll_event evs[8];
  epoll_wait(epoll_, evs, 8, kFdWaitMs);
  return true;
}

bool IdlePolicy::WaitOnWord() {
  __atomic_add_fetch(&word_->waiters, 1, __ATOMIC_SEQ_CST);
  uint32_t seq = __atomic_load_n(&word_->seq, __ATOMIC_SEQ_CST);
  if (empty_(ctx_)) {
    uint64_t us = NextWaitUs();
    struct timespec ts = {static_cast<time_t>(us / 1000000), static_cast<long>(us % 1000000 * 1000)};
    Futex(&word_->seq, FUTEX_WAIT, seq, &ts);
  }
  __atomic_sub_fetch(&word_->waiters, 1, __ATOMIC_SEQ_CST);
  return true;
}

bool IdlePolicy::Sleep() {
  uint64_t us = std::min(NextWaitUs(), kMaxSleepUs);
  struct timespec ts = {0, static_cast<long>(us * 1000)};
  nanosleep(&ts, nullptr);
  return true;
}

}  // namespace mpsh
