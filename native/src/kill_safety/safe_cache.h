// Kill-safe puts into this lcore's mempool cache.
//
// DPDK's put raises the cache's length before it copies the pointers in
// (rte_mempool_do_generic_put). A process killed in between leaves a cache
// whose top slots name mbufs that were handed out long ago; whoever gets
// this lcore id next and trusts the cache gives them out a second time. The
// server puts a million bursts a second, so a kill lands in that window
// about once in a hundred. Its own puts (what it drains from return rings,
// what it drops) go through here instead: pointers first, then the length,
// so its cache can be trusted by the server restarted after it. (Gets lower
// the length before copying out: a kill there loses objects, never
// duplicates them.)
#pragma once
#include <rte_mbuf.h>
#include <rte_mempool.h>

namespace mpsh {

inline void SafePut(rte_mempool* mp, rte_mempool_cache* c, void* const* objs, unsigned n) {
  if (c == nullptr || n > c->flushthresh) {
    rte_mempool_ops_enqueue_bulk(mp, objs, n);
    return;
  }
  uint32_t len = c->len;
  if (len + n > c->flushthresh) {
    // Forget before flushing: a kill in the flush loses these, never doubles them.
    __atomic_store_n(&c->len, 0u, __ATOMIC_RELEASE);
    rte_mempool_ops_enqueue_bulk(mp, c->objs, len);
    len = 0;
  }
  for (unsigned i = 0; i < n; i++) c->objs[len + i] = objs[i];
  __atomic_store_n(&c->len, len + n, __ATOMIC_RELEASE);
}

// Frees mbufs of `mp` through SafePut (segments of other pools, and what
// is still referenced elsewhere, the usual way).
inline void SafeFree(rte_mempool* mp, rte_mempool_cache* c, rte_mbuf** pkts, unsigned n) {
  void* batch[64];
  unsigned k = 0;
  for (unsigned i = 0; i < n; i++) {
    for (rte_mbuf* seg = pkts[i]; seg != nullptr;) {
      rte_mbuf* next = seg->next;
      seg = rte_pktmbuf_prefree_seg(seg);
      if (seg != nullptr) {
        if (seg->pool == mp) {
          batch[k++] = seg;
          if (k == 64) {
            SafePut(mp, c, batch, k);
            k = 0;
          }
        } else {
          rte_mbuf_raw_free(seg);
        }
      }
      seg = next;
    }
  }
  if (k > 0) SafePut(mp, c, batch, k);
}

}  // namespace mpsh
