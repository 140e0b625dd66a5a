// Taking over the lcore cache a killed process left, instead of dropping it.
//
// Why: an lcore's cache of a pool lives in the pool's shared memory; a
// process SIGKILLed with mbufs in it leaves them there, and whoever gets that
// lcore id next inherits them. DPDK's put raises the length before it copies
// the pointers (rte_mempool_do_generic_put), so the top slots of a dead
// process's cache may name mbufs given out long ago: until now a client
// dropped whatever it found (about 80 mbufs a kill, so a group killed often
// enough drained its pool).
//
// How: every mpsh process of the client-server group keeps one invariant on
// its cache of MProc_pktmbuf_pool: every slot at or above the length is null
// whenever a put may start. A put killed between raising the length and
// copying leaves nulls, never stale pointers, and every non-null slot below
// the length is an mbuf the cache owns. The cache is only ever emptied by
// forgetting first (length 0), then handing the slots on, then clearing them:
// a kill in between loses those mbufs, it never names them twice. A process
// that keeps the invariant records itself as the lcore's keeper
// (CsReturns::cache_keeper); its successor on that lcore id (the lcore claim
// says the keeper is gone) keeps the non-null slots. A cache of unknown
// keeper (a stock process, a first use) is still dropped, as before.
#pragma once
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include <rte_common.h>
#include <rte_mempool.h>

namespace mpsh {

constexpr uint32_t kCacheSlots = RTE_DIM(rte_mempool_cache::objs);

// Nulls slots [from, to): what the invariant needs before the next put.
inline void ClearSlots(rte_mempool_cache* c, uint32_t from, uint32_t to) {
  to = RTE_MIN(to, kCacheSlots);
  if (from < to) memset(&c->objs[from], 0, (to - from) * sizeof(void*));
}

// Empties the cache into the pool, forgetting first (DPDK's
// rte_mempool_cache_flush enqueues first: a kill in between doubles them),
// then nulls the slots up to `used` (above it they are null already).
inline void ForgetAndFlush(rte_mempool* mp, rte_mempool_cache* c, uint32_t used) {
  const uint32_t n = c->len;
  __atomic_store_n(&c->len, 0u, __ATOMIC_RELEASE);
  if (n > 0) rte_mempool_ops_enqueue_bulk(mp, c->objs, n);
  ClearSlots(c, 0, RTE_MAX(n, used));
}

struct CacheTakeover {
  uint64_t kept = 0;     // mbufs a dead keeper left, now ours
  uint64_t dropped = 0;  // mbufs of an unknown predecessor, never freed
};

// On the lcore thread, before the first put or get: makes the cache ours.
inline CacheTakeover TakeOverCache(rte_mempool_cache* c, volatile uint32_t* keeper) {
  CacheTakeover t;
  const uint32_t len = RTE_MIN(c->len, c->flushthresh);
  if (__atomic_load_n(keeper, __ATOMIC_ACQUIRE) != 0) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < len; i++)
      if (c->objs[i] != nullptr) c->objs[k++] = c->objs[i];
    t.kept = k;
    c->len = k;
  } else {
    t.dropped = len;
    c->len = 0;
  }
  ClearSlots(c, c->len, kCacheSlots);
  __atomic_store_n(keeper, static_cast<uint32_t>(getpid()), __ATOMIC_RELEASE);
  return t;
}

}  // namespace mpsh
