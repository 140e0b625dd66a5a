// Both halves of the wake-up protocol: see wake_word.h for why the barrier
// is asymmetric.
#include "idle/wake_word.h"

#include <linux/futex.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <mutex>

namespace mpsh {

bool g_light_producer = false;

static long Futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  // Shared (not FUTEX_PRIVATE): the word lives in hugepage memory of several processes.
  return syscall(SYS_futex, addr, op, val, ts, nullptr, 0);
}

static long Membarrier(int cmd) { return syscall(SYS_membarrier, cmd, 0, 0); }

// What this kernel offers (MEMBARRIER_CMD_QUERY); 0 where it has no membarrier.
static long Offered() {
  static const long offered = [] {
    const long q = Membarrier(MEMBARRIER_CMD_QUERY);
    return q < 0 ? 0L : q;
  }();
  return offered;
}

bool PrepareProducer() {
  static std::once_flag once;
  std::call_once(once, [] {
    const long need = MEMBARRIER_CMD_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
    // Set only after the registration took: until then this process fences.
    if ((Offered() & need) == need && Membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0)
      __atomic_store_n(&g_light_producer, true, __ATOMIC_RELEASE);
  });
  return g_light_producer;
}

void WakeAll(WakeWord* w) {
  __atomic_add_fetch(&w->seq, 1, __ATOMIC_SEQ_CST);
  Futex(&w->seq, FUTEX_WAKE, INT32_MAX, nullptr);
}

// The store-load barrier between the consumer's raise of `waiters` and its
// look at the ring, on every CPU that runs a light producer too. False when
// the kernel offers the command and refused it (a seccomp filter, say):
// then only this CPU fenced, and a light producer may not have seen us.
static bool HeavyBarrier() {
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  if ((Offered() & MEMBARRIER_CMD_GLOBAL_EXPEDITED) == 0) return true;  // then no producer is light either
  return Membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) == 0;
}

// A wait no longer than kUnsureWaitUs (the first after work) keeps the
// local fence only: a wake lost there costs no more than the wait itself,
// and the IPIs stay off the path of a packet that comes right back (a
// ping's reply).
void WaitForWake(WakeWord* w, rte_ring* ring, uint64_t us) {
  __atomic_add_fetch(&w->waiters, 1, __ATOMIC_SEQ_CST);
  if (us <= kUnsureWaitUs)
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
  else if (!HeavyBarrier())
    us = kUnsureWaitUs;
  const uint32_t seq = __atomic_load_n(&w->seq, __ATOMIC_SEQ_CST);
  if (rte_ring_empty(ring)) {
    const struct timespec ts = Timespec(us);
    Futex(&w->seq, FUTEX_WAIT, seq, &ts);
  }
  __atomic_sub_fetch(&w->waiters, 1, __ATOMIC_SEQ_CST);
}

}  // namespace mpsh
