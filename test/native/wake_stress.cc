// The wake-up protocol (native/src/idle/wake_word.h) under stress, across
// two processes: a producer (registered as light: no fence per enqueue)
// hands one item at a time through a DPDK ring in shared memory to a
// consumer that sleeps in WaitForWake whenever the ring is empty, and waits
// for it to be taken before the next. The producer's pause between items
// is random and short, so enqueues keep landing inside the consumer's way
// into its sleep, where a missing store-load barrier loses the wake. A lost
// wake leaves the consumer asleep on an item until its timeout: such a
// wait is counted. Without the consumer's heavy barrier, 300,000 round
// trips with pauses below 8 counted 1 to 99 (median 8) in 9 runs on the
// 2-vCPU test VM; with it, none in 3 million.
//
//   wake_stress <round trips> <max pause in spin iterations>
// prints one JSON line: {"light":1,"trips":N,"waits":W,"slept_on_item":K}
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <rte_pause.h>
#include <rte_ring.h>

#include "idle/wake_word.h"

namespace {

constexpr uint64_t kWaitUs = 20000;            // the consumer's bound on one wait
constexpr uint64_t kSleptOnItemNs = 10000000;  // a wait this long with an item there was never woken

struct Shared {
  mpsh::WakeWord word;
  alignas(64) volatile uint64_t waits;
  alignas(64) volatile uint64_t slept_on_item;
};

uint64_t Ns() {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1000000000ULL + static_cast<uint64_t>(t.tv_nsec);
}

void Consume(Shared* sh, rte_ring* ring, long trips) {
  void* item;
  uint64_t waits = 0,
           slept_on_item = 0;  // written to shared memory once, at the end: no extra line on the way to sleep
  for (long got = 0; got < trips;) {
    if (rte_ring_sc_dequeue(ring, &item) == 0) {
      got++;
      continue;
    }
    const uint64_t start = Ns();
    mpsh::WaitForWake(&sh->word, ring, kWaitUs);
    waits++;
    if (Ns() - start > kSleptOnItemNs && !rte_ring_empty(ring)) slept_on_item++;
  }
  sh->waits = waits;
  sh->slept_on_item = slept_on_item;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: wake_stress <round trips> <max pause>\n");
    return 2;
  }
  const long trips = atol(argv[1]);
  const int max_pause = atoi(argv[2]);
  const size_t ring_size = rte_ring_get_memsize(64);
  void* mem = mmap(nullptr, 4096 + ring_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED || trips <= 0 || max_pause <= 0) return 2;
  auto* sh = static_cast<Shared*>(mem);
  auto* ring = reinterpret_cast<rte_ring*>(static_cast<char*>(mem) + 4096);
  if (rte_ring_init(ring, "wake_stress", 64, RING_F_SP_ENQ | RING_F_SC_DEQ) != 0) return 2;
  const pid_t consumer = fork();
  if (consumer < 0) return 2;
  if (consumer == 0) {
    Consume(sh, ring, trips);
    _exit(0);
  }
  const bool light = mpsh::PrepareProducer();
  srand(static_cast<unsigned>(getpid()));
  for (long i = 0; i < trips; i++) {
    rte_ring_sp_enqueue(ring, reinterpret_cast<void*>(i + 1));
    mpsh::WakeConsumer(&sh->word);
    while (!rte_ring_empty(ring)) rte_pause();
    for (volatile int k = rand() % max_pause; k > 0; k = k - 1) {
    }
  }
  int status = 0;
  waitpid(consumer, &status, 0);
  printf("{\"light\":%d,\"trips\":%ld,\"waits\":%lu,\"slept_on_item\":%lu}\n", light ? 1 : 0, trips,
         static_cast<unsigned long>(sh->waits), static_cast<unsigned long>(sh->slept_on_item));
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
