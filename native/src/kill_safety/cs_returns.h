// Return rings: how an mpsh client hands the mbufs it has sent back to the
// server without ever touching the shared pool's ring.
//
// Why: the pool's ring (ring_mp_mc) is multi-producer. A producer killed
// between reserving slots and publishing them leaves prod.tail behind for
// good, and every other producer then spins forever in its next put. With
// every client freeing sent mbufs into that ring, one `kill -9` of a client
// could freeze the other clients (and any process restarted after it).
//
// How: the PMD frees a sent mbuf into this lcore's cache of the pool
// (rte_pktmbuf_free -> rte_mempool_put -> the default cache). After each
// burst the client moves what that cache holds into its own single-producer
// ring MPSH_Client_<i>_RET, so the cache never reaches its flush threshold and
// the client never enqueues into the pool's ring. The server, sole consumer of
// every return ring while it runs, puts what it drains into its own cache,
// where its RX takes them again. A killed client can leave only its own
// return ring with an unpublished burst, which nobody waits for.
//
// Each return ring holds the whole pool, so a push never fails for lack of
// room even while no server drains. Who consumes a return ring is recorded
// (pid in `drainer`) so a client leaving while no server runs can take its
// leftovers back itself; a dead holder's claim is taken over.
#pragma once
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "kill_safety/cache_reclaim.h"
#include "kill_safety/safe_cache.h"
#include "layouts/cs_layout.h"

namespace mpsh {

// A client pushes once its cache holds this many (or when it runs out of
// packets): a ring operation every few bursts, not every burst, so the
// server's and the client's cores trade cache lines rarely (pushing every
// 32 cost 10-20% of client-server throughput). A kill loses at most this
// many more (the cache's length is lowered before the push: a kill in
// between loses what was being pushed, it never names it twice).
static constexpr uint32_t kPushAt = 256;
static constexpr uint32_t kReturnBurst = 256;
static constexpr uint32_t kMinDrain = 32;     // less room than this in the server's cache: drain later
static constexpr uint32_t kDrainBelow = 128;  // the server drains once its cache holds fewer (4 RX bursts)
static constexpr uint32_t kDrainMax = 512;    // and takes at most this many from one ring at a time

// Claims the consumer side of one return ring for this process: free, held
// by us already, or held by a process that no longer lives (PidAlive: a
// zombie's claim is taken over too).
inline bool ClaimDrainer(volatile uint32_t* word) {
  const uint32_t me = static_cast<uint32_t>(getpid());
  uint32_t held = __atomic_load_n(word, __ATOMIC_ACQUIRE);
  if (held == me) return true;
  if (held != 0 && PidAlive(held)) return false;
  return __atomic_compare_exchange_n(word, &held, me, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

inline void ReleaseDrainer(volatile uint32_t* word) {
  uint32_t me = static_cast<uint32_t>(getpid());
  __atomic_compare_exchange_n(word, &me, 0u, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

// Moves every mbuf in `ring` into `pool` (through this lcore's cache).
inline uint64_t DrainInto(rte_ring* ring, rte_mempool* pool, rte_mempool_cache* cache) {
  void* objs[kReturnBurst];
  uint64_t total = 0;
  unsigned n;
  while ((n = rte_ring_sc_dequeue_burst(ring, objs, kReturnBurst, nullptr)) > 0) {
    SafePut(pool, cache, objs, n);
    total += n;
  }
  return total;
}

// The client's side, used on its lcore thread only.
class ReturnSender {
 public:
  ReturnSender(rte_ring* ring, rte_mempool* pool, CsStatsRegion* stats, uint32_t id)
      : ring_(ring), pool_(pool), returns_(&stats->returns), slot_(&stats->returns.slots[id]) {}

  // Before the loop, on the lcore thread.
  void Begin() {
    if (ring_ == nullptr || pool_ == nullptr) return;
    cache_ = rte_mempool_default_cache(pool_, rte_lcore_id());
    if (cache_ == nullptr) return;
    const CacheTakeover t = TakeOverCache(cache_, &returns_->cache_keeper[rte_lcore_id()]);
    slot_->reclaimed += t.kept;
    slot_->distrusted += t.dropped;
    if (t.kept + t.dropped > 0)
      fprintf(stderr, "lcore %u: %lu mbufs taken back from the cache a killed process left, %lu dropped\n",
              rte_lcore_id(), static_cast<unsigned long>(t.kept), static_cast<unsigned long>(t.dropped));
    // A predecessor killed inside its enqueue may have moved prod.head past
    // prod.tail; the slots between were never published and never will be.
    // We are the ring's only producer now.
    ring_->prod.head = ring_->prod.tail;
  }

  // After each burst: what the PMD freed goes to our return ring, while an
  // mpsh server drains them (under a stock server the cache works as usual).
  // `all`: the client has nothing more to do for now, push whatever is there.
  // Under a stock server the cache goes to the pool's ring instead, by the
  // same forget-first rule (DPDK's own flush at the threshold breaks it).
  inline void Send(bool all) {
    if (cache_ == nullptr) return;
    if (!__atomic_load_n(&returns_->on, __ATOMIC_RELAXED)) {
      if (cache_->len >= kPushAt) ForgetAndFlush(pool_, cache_, cache_->len);
      return;
    }
    if (cache_->len >= (all ? 1 : kPushAt)) Push();
  }

  // How many mbufs this lcore's cache holds now (for the test hook below).
  uint32_t CacheLen() const { return cache_ != nullptr ? cache_->len : 0; }

  // Leaving gracefully: with a live server draining, hand everything to it;
  // otherwise take our own leftovers back into the pool, and leave the
  // lcore's cache empty for whoever gets this lcore id next.
  void End() {
    if (cache_ == nullptr) return;
    if (ClaimDrainer(&slot_->drainer)) {
      DrainInto(ring_, pool_, cache_);
      ReleaseDrainer(&slot_->drainer);
    } else {
      // The server holds our ring (it may be past its last drain, then the
      // next drainer, we or a server, takes these): push whatever the flag says.
      Push();
    }
    ForgetAndFlush(pool_, cache_, kCacheSlots);
  }

 private:
  // The cache forgets the mbufs before the ring gets them, and the slots
  // are nulled after (cache_reclaim.h): a kill anywhere in between loses
  // this push, never doubles it.
  inline void Push() {
    const uint32_t n = cache_->len;
    __atomic_store_n(&cache_->len, 0u, __ATOMIC_RELEASE);
    const uint32_t done = rte_ring_sp_enqueue_burst(ring_, cache_->objs, n, nullptr);
    if (done < n) memmove(cache_->objs, cache_->objs + done, (n - done) * sizeof(void*));
    ClearSlots(cache_, n - done, n);
    __atomic_store_n(&cache_->len, n - done, __ATOMIC_RELEASE);
    slot_->returned += done;
  }

  rte_ring* ring_;
  rte_mempool* pool_;
  CsReturns* returns_;
  CsReturnSlot* slot_;
  rte_mempool_cache* cache_ = nullptr;
};

// The server's side, used on its lcore thread only.
class ReturnDrainer {
 public:
  ReturnDrainer(std::vector<rte_ring*> rings, rte_mempool* pool, CsStatsRegion* stats)
      : rings_(std::move(rings)), owned_(rings_.size(), false), pool_(pool), returns_(&stats->returns) {}

  void Begin() {
    if (pool_ == nullptr) return;
    // A server's own puts publish the length last (SafePut) and a client's
    // keep the slots above it null: a predecessor's cache is kept either way.
    cache_ = rte_mempool_default_cache(pool_, rte_lcore_id());
    if (cache_ != nullptr)
      returns_->server_reclaimed += TakeOverCache(cache_, &returns_->cache_keeper[rte_lcore_id()]).kept;
    Claim();
    __atomic_store_n(&returns_->on, 1u, __ATOMIC_RELEASE);
  }

  // Takes over return rings nobody drains (a client leaving may hold its own
  // for a moment; a killed server's claims are taken over).
  void Claim() {
    for (size_t i = 0; i < rings_.size(); i++)
      if (rings_[i] != nullptr && !owned_[i]) owned_[i] = ClaimDrainer(&returns_->slots[i].drainer);
  }

  // The server's drops go back through the same kill-safe puts.
  inline void Free(rte_mbuf** pkts, unsigned n) {
    if (cache_ != nullptr)
      SafeFree(pool_, cache_, pkts, n);
    else
      rte_pktmbuf_free_bulk(pkts, n);
  }

  // Straight into our cache, and only as much as it has room for below its
  // flush threshold: RX takes them from there, and the pool's ring is left
  // alone (letting the cache overflow into the ring and refilling it from
  // there again doubled the ring operations). Slots above the length are
  // ignored until the length, stored last, covers them.
  //
  // Only once the cache runs low, and then as much as it takes: draining a
  // burst's worth before every RX burst wrote the rings' consumer indices
  // (lines the clients read on every push) 32 packets at a time. The ring
  // drained first turns round, so no client's ring waits behind another's.
  inline void Drain() {
    if (cache_ == nullptr || cache_->len >= kDrainBelow) return;
    const size_t count = rings_.size();
    for (size_t k = 0; k < count; k++) {
      const size_t i = (first_ + k) % count;
      if (!owned_[i]) continue;
      const uint32_t len = cache_->len;
      if (len + kMinDrain > cache_->flushthresh) {
        first_ = i;
        return;
      }
      const uint32_t room = std::min(cache_->flushthresh - len, kDrainMax);
      const unsigned n = rte_ring_sc_dequeue_burst(rings_[i], &cache_->objs[len], room, nullptr);
      if (n > 0) __atomic_store_n(&cache_->len, len + n, __ATOMIC_RELEASE);
    }
    first_ = count > 0 ? (first_ + 1) % count : 0;
  }

  // Leaving gracefully: clients go back to freeing into the pool, what they
  // returned so far goes back, and our cache is left empty.
  void End() {
    if (pool_ == nullptr) return;
    __atomic_store_n(&returns_->on, 0u, __ATOMIC_RELEASE);
    for (size_t i = 0; i < rings_.size(); i++) {
      if (!owned_[i]) continue;
      DrainInto(rings_[i], pool_, cache_);
      ReleaseDrainer(&returns_->slots[i].drainer);
      owned_[i] = false;
    }
    if (cache_ != nullptr) ForgetAndFlush(pool_, cache_, kCacheSlots);
  }

 private:
  std::vector<rte_ring*> rings_;
  std::vector<bool> owned_;
  rte_mempool* pool_;
  CsReturns* returns_;
  rte_mempool_cache* cache_ = nullptr;
  size_t first_ = 0;  // the ring Drain() starts with
};

}  // namespace mpsh
