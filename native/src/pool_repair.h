// Repairs a mempool ring that a dead process left half-updated.
//
// A process killed between moving a ring's head and publishing its tail
// leaves head != tail for good; the next producer (or consumer) waits for the
// tail to catch up and spins forever. In a client-server group of mpsh
// processes only the server uses the pool's ring (clients return mbufs
// through return rings, cs_returns.h), so a server killed inside a pool
// operation would freeze the server restarted after it.
//
// The repair runs before the restarted server's first pool operation. It
// acts only on a ring that is both half-updated and still for a while: a
// live process finishes a ring operation in nanoseconds. The producer side
// gives up the slots the dead producer reserved (what it meant to put there
// is lost); the consumer side hands back the entries the dead consumer had
// claimed (they never left the ring).
#pragma once
#include <time.h>

#include <cstdint>
#include <cstring>

#include <rte_mempool.h>
#include <rte_ring.h>

namespace mpsh {

struct RingRepair {
  uint32_t producer_slots = 0;  // reserved by a dead producer, dropped
  uint32_t consumer_slots = 0;  // claimed by a dead consumer, handed back
};

inline RingRepair RepairAbandonedPoolRing(rte_mempool* pool, long still_ms = 100) {
  RingRepair done;
  if (pool == nullptr || strncmp(rte_mempool_get_ops(pool->ops_index)->name, "ring_", 5) != 0) return done;
  rte_ring* r = static_cast<rte_ring*>(pool->pool_data);
  if (r->prod.sync_type != RTE_RING_SYNC_MT && r->prod.sync_type != RTE_RING_SYNC_ST) return done;
  auto snap = [r](uint32_t* s) {
    s[0] = __atomic_load_n(&r->prod.head, __ATOMIC_ACQUIRE);
    s[1] = __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE);
    s[2] = __atomic_load_n(&r->cons.head, __ATOMIC_ACQUIRE);
    s[3] = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
  };
  uint32_t a[4], b[4];
  snap(a);
  if (a[0] == a[1] && a[2] == a[3]) return done;
  struct timespec ts = {still_ms / 1000, (still_ms % 1000) * 1000000L};
  nanosleep(&ts, nullptr);
  snap(b);
  for (int i = 0; i < 4; i++)
    if (a[i] != b[i]) return done;  // moving: a live process is in the middle of it
  uint32_t h = b[0];
  if (h != b[1] && __atomic_compare_exchange_n(&r->prod.head, &h, b[1], false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    done.producer_slots = b[0] - b[1];
  h = b[2];
  if (h != b[3] && __atomic_compare_exchange_n(&r->cons.head, &h, b[3], false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    done.consumer_slots = b[2] - b[3];
  return done;
}

}  // namespace mpsh
