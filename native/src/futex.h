// Shared futex words: how an mpsh producer wakes a consumer that sleeps in
// another process (a client on its ring, a simple_mp receiver on its
// channel). The word lives in hugepage memory every process maps, so the
// futex is a shared one (not FUTEX_PRIVATE). A consumer raises its waiter
// count before it re-checks for work; a producer makes work before it reads
// the count: one of the two always sees the other.
#pragma once
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>

namespace mpsh {

inline long Futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  return syscall(SYS_futex, addr, op, val, ts, nullptr, 0);
}

// Bumps `seq` and wakes every sleeper on it.
inline void WakeAll(uint32_t* seq) {
  __atomic_add_fetch(seq, 1, __ATOMIC_SEQ_CST);
  Futex(seq, FUTEX_WAKE, INT32_MAX, nullptr);
}

// Producer side, after making work: wakes sleepers only if there are some
// (one load on the hot path when nobody sleeps).
inline void WakeIfWaiting(uint32_t* seq, const uint32_t* waiters) {
  if (__atomic_load_n(waiters, __ATOMIC_SEQ_CST) != 0) WakeAll(seq);
}

// Consumer side: sleeps on `seq` for up to `timeout_ns` unless `has_work()`
// finds something once `waiters` is raised. True when the wait timed out.
template <typename HasWork>
inline bool SleepUnlessWork(uint32_t* seq, uint32_t* waiters, uint64_t timeout_ns, HasWork has_work) {
  __atomic_add_fetch(waiters, 1, __ATOMIC_SEQ_CST);
  const uint32_t seen = __atomic_load_n(seq, __ATOMIC_SEQ_CST);
  bool timed_out = false;
  if (!has_work()) {
    struct timespec ts = {static_cast<time_t>(timeout_ns / 1000000000ULL), static_cast<long>(timeout_ns % 1000000000ULL)};
    timed_out = Futex(seq, FUTEX_WAIT, seen, &ts) != 0 && errno == ETIMEDOUT;
  }
  __atomic_sub_fetch(waiters, 1, __ATOMIC_SEQ_CST);
  return timed_out;
}

}  // namespace mpsh
