// The kernel side of net_tap queues: see tap_queues.h.
#include "idle/tap_queues.h"

#include <dirent.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_ethdev.h>

namespace mpsh {

// The tap driver's multi-process request for a port's queue fds and the
// layout of its parameter (`struct ipc_queues`, drivers/net/tap/rte_eth_tap.c
// in DPDK 22.11): the reply carries the RX queues' fds, then the TX queues'.
static constexpr const char* kTapSyncQueues = "tap_mp_sync_queues";
struct TapIpcQueues {
  char port_name[RTE_DEV_NAME_MAX_LEN];
  int rxq_count;
  int txq_count;
};

static bool IsTap(uint16_t port, struct rte_eth_dev_info* dev) {
  return rte_eth_dev_info_get(port, dev) == 0 && dev->if_index != 0 && strcmp(dev->driver_name, "net_tap") == 0;
}

// A primary's tap interface, as the devargs name it (iface=), else as this
// namespace knows its index: remembered, since once the interface has moved
// to another namespace the index names nothing here. Empty when unknown.
static std::string TapInterface(uint16_t port) {
  static std::mutex lock;
  // Never freed: an lcore may still look a name up while the process exits.
  static auto* known = new std::map<uint16_t, std::string>();
  struct rte_eth_dev_info dev;
  if (!IsTap(port, &dev)) return "";
  const rte_devargs* da = dev.device != nullptr ? rte_dev_devargs(dev.device) : nullptr;
  if (da != nullptr && da->args != nullptr) {
    const char* at = strstr(da->args, "iface=");
    if (at != nullptr) return std::string(at + 6, strcspn(at + 6, ","));
  }
  std::lock_guard<std::mutex> hold(lock);
  char name[IF_NAMESIZE] = "";
  // The first name only: after a move, the index may name another device here.
  if (known->count(port) == 0 && if_indextoname(dev.if_index, name) != nullptr) (*known)[port] = name;
  auto it = known->find(port);
  return it != known->end() ? it->second : "";
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
  if (iface.empty()) return false;
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
  std::vector<int> dups;
  for (int fd : found) {
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own < 0) {  // out of fds: a partial set could leave packets unwatched
      for (int d : dups) close(d);
      return false;
    }
    dups.push_back(own);
  }
  out->insert(out->end(), dups.begin(), dups.end());
  return !found.empty();
}

bool TapQueueFds(const std::vector<RxQueue>& queues, std::vector<int>* out) {
  if (queues.empty()) return false;
  const bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
  std::vector<int> fds;
  std::vector<uint16_t> found_ports;
  for (const RxQueue& q : queues) {
    // A primary finds every fd of a port at once: once per port.
    if (primary && std::find(found_ports.begin(), found_ports.end(), q.port) != found_ports.end()) continue;
    found_ports.push_back(q.port);
    // A secondary needs no name: the primary's driver knows its queues.
    struct rte_eth_dev_info dev;
    bool ok =
        primary ? FindOwn(TapInterface(q.port), &fds) : IsTap(q.port, &dev) && FetchFromPrimary(q.port, q.queue, &fds);
    if (!ok) {
      for (int fd : fds) close(fd);
      return false;
    }
  }
  out->insert(out->end(), fds.begin(), fds.end());
  return true;
}

void TapSignalRoute::Route(const std::vector<int>& fds) {
  const bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
  const pid_t self = getpid();
  struct f_owner_ex to;
  memset(&to, 0, sizeof(to));
  to.type = primary ? F_OWNER_TID : F_OWNER_PID;
  to.pid = primary ? static_cast<pid_t>(syscall(SYS_gettid)) : 0;  // pid 0: no signal at all
  for (int fd : fds) {
    struct f_owner_ex was;
    int flags = fcntl(fd, F_GETFL);
    bool signals = flags >= 0 && (flags & O_ASYNC) != 0 && fcntl(fd, F_GETOWN_EX, &was) == 0 && was.pid != 0;
    // A primary takes only what its driver gave the process; a secondary
    // holds exactly its own queues' fds.
    if (signals && primary) signals = was.type == F_OWNER_PID && was.pid == self;
    if (!signals || fcntl(fd, F_SETOWN_EX, &to) != 0) continue;
    // Our own duplicate, to put the owner back whatever the caller does with its fd.
    const int own = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (own >= 0) routed_.push_back({own, was, to});
  }
}

TapSignalRoute::~TapSignalRoute() {
  for (const Routed& r : routed_) {
    struct f_owner_ex cur;
    // Only a primary puts its owners back (to itself: it is alive, and it
    // has the handler). A secondary leaves its queues without signals: the
    // owner it found may be a primary's loop thread, or a primary, that is
    // gone by now, and a reused id would get a signal it has no handler for.
    // Put back only what is still ours: a primary may have set the queue up again since.
    if (r.now.type == F_OWNER_TID && fcntl(r.fd, F_GETOWN_EX, &cur) == 0 && cur.type == r.now.type &&
        cur.pid == r.now.pid) {
      fcntl(r.fd, F_SETOWN_EX, &r.was);
    }
    close(r.fd);
  }
}

}  // namespace mpsh
