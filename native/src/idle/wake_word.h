// The one wake-up protocol between a producer and a sleeping consumer
// (server -> client ring, simple_mp sender -> receiver). A WakeWord lives
// in shared memory, one per consumer. Producers call WakeConsumer() after
// each enqueue; a consumer (IdlePolicy) raises `waiters` before re-checking
// its input and sleeping on `seq`, so no enqueue after the check goes
// unnoticed. A producer writes the word (and pays a syscall) only while
// someone waits: otherwise it only reads `waiters`.
#pragma once
#include <stdint.h>

namespace mpsh {

struct WakeWord {
  uint32_t seq;
  uint32_t waiters;
};
static_assert(sizeof(WakeWord) == 8, "WakeWord is two words in shared layouts");

void WakeConsumer(WakeWord* w);
// Wakes every waiter whether or not it raised `waiters` (to stop a loop).
void WakeAll(WakeWord* w);

}  // namespace mpsh
