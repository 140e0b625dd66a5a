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

// The ring behind a ring-backed pool whose heads and tails are plain
// counters (MT or ST sync); null for any other pool.
inline rte_ring* PoolRing(const rte_mempool* pool) {
  if (pool == nullptr || strncmp(rte_mempool_get_ops(pool->ops_index)->name, "ring_", 5) != 0) return nullptr;
  auto* r = static_cast<rte_ring*>(pool->pool_data);
  return r->prod.sync_type == RTE_RING_SYNC_MT || r->prod.sync_type == RTE_RING_SYNC_ST ? r : nullptr;
}

struct RingCursors {
  uint32_t prod_head, prod_tail, cons_head, cons_tail;
  bool HalfDone() const { return prod_head != prod_tail || cons_head != cons_tail; }
  bool operator==(const RingCursors& o) const {
    return prod_head == o.prod_head && prod_tail == o.prod_tail && cons_head == o.cons_head && cons_tail == o.cons_tail;
  }
};

inline RingCursors ReadCursors(const rte_ring* r) {
  return {__atomic_load_n(&r->prod.head, __ATOMIC_ACQUIRE), __atomic_load_n(&r->prod.tail, __ATOMIC_ACQUIRE),
          __atomic_load_n(&r->cons.head, __ATOMIC_ACQUIRE), __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE)};
}

struct RingRepair {
  uint32_t producer_slots = 0;  // reserved by a dead producer, dropped
  uint32_t consumer_slots = 0;  // claimed by a dead consumer, handed back
};

inline RingRepair RepairAbandonedPoolRing(rte_mempool* pool, long still_ms = 100) {
  RingRepair done;
  rte_ring* r = PoolRing(pool);
  if (r == nullptr) return done;
  const RingCursors a = ReadCursors(r);
  if (!a.HalfDone()) return done;
  struct timespec ts = {still_ms / 1000, (still_ms % 1000) * 1000000L};
  nanosleep(&ts, nullptr);
  const RingCursors b = ReadCursors(r);
  if (!(a == b)) return done;  // moving: a live process is in the middle of it
  uint32_t h = b.prod_head;
  if (h != b.prod_tail &&
      __atomic_compare_exchange_n(&r->prod.head, &h, b.prod_tail, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    done.producer_slots = b.prod_head - b.prod_tail;
  h = b.cons_head;
  if (h != b.cons_tail &&
      __atomic_compare_exchange_n(&r->cons.head, &h, b.cons_tail, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    done.consumer_slots = b.cons_head - b.cons_tail;
  return done;
}

}  // namespace mpsh
