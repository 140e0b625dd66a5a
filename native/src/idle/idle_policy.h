// What a packet loop does when a round brought nothing: the one idle policy
// of every loop (symmetric worker, server, client, simple_mp receiver).
// A loop calls Busy() when it got work and Idle() when it did not; Idle()
// may wait, on what the loop's inputs allow:
//
//   poll       never waits (stock behaviour: a core at 100%).
//   interrupt  waits at once for the inputs to become readable.
//   adaptive   (default) keeps polling for kKeepPollingUs after the last
//              work, then waits like interrupt; on a flow that comes at a
//              steady period it wakes shortly before the next arrival is
//              due and polls through a window around it
//              (arrival_forecast.h).
//
// How it waits depends on the inputs, found when the policy is made (on the
// loop's own thread):
//   - rx queues of ports whose every queue has a kernel fd (net_tap): epoll
//     on those fds. Ethdev Rx interrupts do not work in a secondary on DPDK
//     22.11 (dev->intr_handle is never set there, and net_tap has no
//     rx_queue_intr_enable op), so the fds come from the tap driver itself:
//     a secondary asks the primary with the driver's own multi-process
//     request `tap_mp_sync_queues` and receives them over SCM_RIGHTS; a
//     primary finds its own by asking the kernel which tun fd belongs to
//     which interface. Level-triggered EPOLLIN; their flags (O_NONBLOCK, a
//     shared open file) are never touched. Renewed every second of idleness.
//   - a ring whose producer wakes its consumer (a client's ring fed by an
//     mpsh server, a simple_mp ring): a futex on the consumer's WakeWord,
//     with a timeout that grows, since a stock producer never wakes anyone.
//   - anything else (net_null, net_pcap, net_ring): short sleeps, 10 us
//     doubling to 1 ms, with the thread's timer slack lowered to 1 us (Linux
//     would otherwise add 50 us to each).
#pragma once
#include <stdint.h>

#include <string>
#include <vector>

#include <napi.h>
#include <rte_cycles.h>
#include <rte_ring.h>

#include "idle/arrival_forecast.h"
#include "idle/tap_queues.h"
#include "idle/wake_word.h"

namespace mpsh {

// The first wait after work, and the shortest.
constexpr uint64_t kMinWaitUs = 10;
static_assert(kMinWaitUs <= kUnsureWaitUs, "the first wait after work goes without membarrier's IPIs (wake_word.h)");

enum class IdleMode : uint8_t { kPoll = 1, kInterrupt = 2, kAdaptive = 3 };
// What an idle loop waits on; reported next to the mode.
enum class IdleWait : uint8_t { kNothing = 0, kQueueFds = 1, kWakeWord = 2, kSleep = 3 };

// options.idle: "poll" | "interrupt" | "adaptive"; absent means adaptive.
IdleMode IdleModeOption(const Napi::Object& options);

// The report word in a process's stats slot: mode in bits 0-7, wait in 8-15,
// the forecast period in us (0: none) in 32-63.
inline uint64_t IdleReport(IdleMode m, IdleWait w, uint64_t period_us = 0) {
  return static_cast<uint64_t>(m) | static_cast<uint64_t>(w) << 8 | period_us << 32;
}

class IdlePolicy {
 public:
  // A loop reading rx queues of ports.
  IdlePolicy(IdleMode mode, const std::vector<RxQueue>& queues, volatile uint64_t* report);
  // A loop reading a ring, re-checked before each sleep.
  // `max_wait_us` bounds a wait (a stock producer never wakes anyone).
  IdlePolicy(IdleMode mode, WakeWord* word, rte_ring* ring, uint64_t max_wait_us, volatile uint64_t* report);
  ~IdlePolicy();
  IdlePolicy(const IdlePolicy&) = delete;
  IdlePolicy& operator=(const IdlePolicy&) = delete;

  // Work this round. Poll never waits, so it keeps no times. Inline, the
  // other modes' bookkeeping too: as a call into this file's object it cost
  // a symmetric worker on net_null 4-5% in alternated trials (7 of 8 lower),
  // the same code only placed elsewhere by an unrelated change.
  void Busy() {
    if (mode_ == IdleMode::kPoll) return;
    const uint64_t now = rte_get_timer_cycles();
    // The first work after an idle spell is an arrival the forecast learns from.
    if (keep_polling_ != 0 && now - last_busy_ > keep_polling_) ArrivedAfterIdle(now);
    last_busy_ = now;
    wait_us_ = kMinWaitUs;
  }
  // Nothing this round. True when it waited (the loop is idle).
  bool Idle() { return mode_ != IdleMode::kPoll && Wait(); }

 private:
  void ArrivedAfterIdle(uint64_t now);
  bool Wait();
  void Init(volatile uint64_t* report);
  void Report();
  bool OpenQueueFds();
  bool WatchFds(std::vector<int> fds);
  void CloseQueueFds();
  bool PolitePoll();
  // Each waits at most max_us.
  bool WaitOnFds(uint64_t max_us);
  bool WaitOnWord(uint64_t max_us);
  bool Sleep(uint64_t max_us);
  uint64_t NextWaitUs();

  IdleMode mode_;
  IdleWait wait_ = IdleWait::kNothing;
  std::vector<RxQueue> queues_;
  TapSignalRoute signals_;  // a queue loop's: see tap_queues.h
  std::vector<int> fds_;
  int epoll_ = -1;
  uint64_t fds_since_ = 0;  // when the fds were fetched (timer cycles)
  WakeWord* word_ = nullptr;
  rte_ring* ring_ = nullptr;
  uint64_t max_wait_us_ = 1000;
  uint64_t keep_polling_ = 0;  // timer cycles
  uint64_t last_busy_ = 0;
  uint64_t wait_us_ = 0;
  uint64_t us_ = 1;  // timer cycles per us
  ArrivalForecast forecast_;
  volatile uint64_t* report_ = nullptr;
  uint64_t reported_ = 0;
};

}  // namespace mpsh
