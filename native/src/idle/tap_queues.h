// The kernel side of net_tap queues, which DPDK 22.11 does not expose to an
// application: the fd of each queue (to wait on it) and the real-time
// signal the driver asks the kernel to send on each packet (to route it).
#pragma once
#include <fcntl.h>
#include <stdint.h>

#include <vector>

namespace mpsh {

struct RxQueue {
  uint16_t port;
  uint16_t queue;
};

// Duplicates of the kernel fds behind the rx queues; the caller closes them.
// A secondary gets each queue's own fd from the primary's tap driver; a
// primary finds every tun fd of each port's interface (which fd is which
// queue is the driver's secret). False, and nothing, unless every queue is
// a tap queue with an fd.
bool TapQueueFds(const std::vector<RxQueue>& queues, std::vector<int>* out);

// net_tap has the kernel send a real-time signal to the process that made a
// queue (the primary) on every packet the queue receives, and a primary's rx
// burst reads nothing until that signal's handler has run. Left alone, every
// packet wakes the primary's main thread (an idle Node thread, or a shell
// that reads no queue at all): a wake-up on another CPU, charged as an IPI
// to whoever sent the packet, on the packet's own path. While a loop runs,
// the signals of its queues go where they are needed:
//   - in the primary, to the loop's own thread, as stock's loop, which runs
//     on the main thread, gets them;
//   - in a secondary, whose rx burst never waits for them, to nobody.
// A primary puts its owners back when the loop ends; a secondary leaves its
// queues without signals (the owner it found may be gone by then, and its id
// reused). Only a primary reading that very queue itself would miss them,
// and in a multi-process group a queue has one reader.
class TapSignalRoute {
 public:
  TapSignalRoute() = default;
  // Routes the signals of these queue fds (TapQueueFds'); keeps duplicates
  // of the ones it routed, the caller keeps its own.
  void Route(const std::vector<int>& fds);
  ~TapSignalRoute();
  TapSignalRoute(const TapSignalRoute&) = delete;
  TapSignalRoute& operator=(const TapSignalRoute&) = delete;

 private:
  struct Routed {
    int fd;                 // our duplicate of the queue's fd
    struct f_owner_ex was;  // the owner before
    struct f_owner_ex now;  // the owner we set
  };
  std::vector<Routed> routed_;
};

}  // namespace mpsh
