// The one wake-up protocol between a producer and a sleeping consumer
// (server -> client ring, simple_mp sender -> receiver). A WakeWord lives
// in shared memory, one per consumer. Producers call WakeConsumer() after
// each enqueue; a consumer (IdlePolicy) raises `waiters` before re-checking
// its input and sleeping on `seq` (WaitForWake), so no enqueue after the
// check goes unnoticed. A producer writes the word (and pays a syscall)
// only while someone waits: otherwise it only reads `waiters`.
//
// The ordering is Dekker's: the producer stores the ring's tail then loads
// `waiters`, the consumer stores `waiters` then loads the tail, and each
// pair needs a store-load barrier, or both may miss the other's store and
// the consumer sleeps on a packet. A full fence on the producer's side, once
// per enqueue, cost 6% of client-server throughput (it waits for the ring
// stores to leave the store buffer, lines the consumer's core holds). So
// the barrier is made asymmetric, as liburcu and folly do: a producer that
// registered for membarrier(2)'s global expedited command (PrepareProducer)
// keeps only a compiler barrier, and a consumer about to sleep, rarely by
// comparison, has the kernel run a full barrier on every CPU that runs a
// registered process (MEMBARRIER_CMD_GLOBAL_EXPEDITED) between its store
// of `waiters` and its look at the ring. A producer that could not register
// fences as before; a consumer whose membarrier call fails bounds its sleep
// to kUnsureWaitUs, so a missed wake costs that much and no more, and a
// wait that short anyway (the first after work) does without the IPIs.
#pragma once
#include <stdint.h>
#include <time.h>

#include <rte_atomic.h>
#include <rte_ring.h>

namespace mpsh {

struct WakeWord {
  uint32_t seq;
  uint32_t waiters;
};
static_assert(sizeof(WakeWord) == 8, "WakeWord is two words in shared layouts");

// A consumer whose heavy barrier failed sleeps at most this long; a wait
// this short needs none.
constexpr uint64_t kUnsureWaitUs = 10;

// True once this process registered as a light producer (PrepareProducer).
extern bool g_light_producer;

// Registers this process for the consumers' heavy barrier (once; later
// calls only answer). True: WakeConsumer needs no fence here.
bool PrepareProducer();

// Wakes every waiter whether or not it raised `waiters` (to stop a loop;
// and WakeConsumer's slow path, out of line: taken only while one sleeps).
void WakeAll(WakeWord* w);

// After each enqueue, on the producer's packet path: a compiler barrier
// (registered producer) or a full fence, then one read of a line the
// consumer writes only around its sleeps.
inline void WakeConsumer(WakeWord* w) {
  if (__atomic_load_n(&g_light_producer, __ATOMIC_RELAXED))  // a plain load; set once, before the loop
    rte_compiler_barrier();
  else
    rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
  if (__atomic_load_n(&w->waiters, __ATOMIC_RELAXED) != 0) WakeAll(w);
}

// The consumer's half: sleeps on `w` for up to `us` microseconds unless
// `ring` holds something once `waiters` is raised. A stock producer never
// wakes anyone: `us` bounds the wait for its sake.
void WaitForWake(WakeWord* w, rte_ring* ring, uint64_t us);

// A microsecond count as a timespec (for the waits of idle_policy.cc too).
inline struct timespec Timespec(uint64_t us) {
  return {static_cast<time_t>(us / 1000000), static_cast<long>(us % 1000000 * 1000)};
}

}  // namespace mpsh
