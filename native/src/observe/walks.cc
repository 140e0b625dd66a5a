// Walks over the shared objects of the prefix, whoever made them: every
// mempool, every ring of the RTE_RING tailq, every memzone. What each walk
// returns is a plain snapshot (names, sizes, counts), so JS never holds a
// pointer into an object another process may free.
//
// Mempool ops by name: a pool records its ops as an index into the ops
// table of the process that created it, and each process numbers its table
// in the order its drivers registered (dpdk-proc-info prints ring_sp_sc for
// testpmd's ring_mp_mc pool). Function pointers cannot be compared across
// processes either. What is shared is the backing object itself: the ring
// and stack drivers name it "MP_<pool>" and record their mode in its
// flags. So the ops are read off pool_data: a ring of that name at that
// address gives ring_{sp,mp}_{sc,mc}, ring_mt_rts or ring_mt_hts from its
// flags; a stack gives stack or lf_stack. Any other driver (bucket, a
// hardware pool) falls back to this process's table, marked unverified.
#include <rte_eal_memconfig.h>
#include <rte_mempool.h>
#include <rte_memzone.h>
#include <rte_ring.h>
#include <rte_stack.h>
#include <rte_tailq.h>

#include <string>

#include "js/errors.h"
#include "js/exports.h"
#include "observe/walks.h"

namespace mpsh {

// Ring mode names as the ring mempool driver registers them.
static std::string RingOpsName(const rte_ring* r) {
  const uint32_t f = r->flags;
  if (f & (RING_F_MP_RTS_ENQ | RING_F_MC_RTS_DEQ)) return "ring_mt_rts";
  if (f & (RING_F_MP_HTS_ENQ | RING_F_MC_HTS_DEQ)) return "ring_mt_hts";
  return std::string("ring_") + (f & RING_F_SP_ENQ ? "sp" : "mp") + "_" + (f & RING_F_SC_DEQ ? "sc" : "mc");
}

// The pool's ops name and whether it was read off shared data (see above).
std::pair<std::string, bool> MempoolOpsName(const rte_mempool* mp) {
  char backing[RTE_MEMZONE_NAMESIZE];
  if (snprintf(backing, sizeof(backing), RTE_MEMPOOL_MZ_FORMAT, mp->name) < static_cast<int>(sizeof(backing))) {
    const rte_ring* r = rte_ring_lookup(backing);
    if (r != nullptr && r == mp->pool_data) return {RingOpsName(r), true};
    const rte_stack* s = rte_stack_lookup(backing);
    if (s != nullptr && s == mp->pool_data) return {s->flags & RTE_STACK_F_LF ? "lf_stack" : "stack", true};
  }
  const rte_mempool_ops* ops =
      mp->ops_index >= 0 && static_cast<uint32_t>(mp->ops_index) < rte_mempool_ops_table.num_ops
          ? rte_mempool_get_ops(mp->ops_index)
          : nullptr;
  return {ops != nullptr ? ops->name : "unknown", false};
}

struct WalkCtx {
  Napi::Env env;
  Napi::Array out;
};

static void AddPool(rte_mempool* mp, void* arg) {
  auto* w = static_cast<WalkCtx*>(arg);
  Napi::Object o = Napi::Object::New(w->env);
  o.Set("name", mp->name);
  o.Set("size", mp->size);
  o.Set("eltSize", mp->elt_size);
  o.Set("cacheSize", mp->cache_size);
  o.Set("socket", mp->socket_id);
  o.Set("inUse", rte_mempool_in_use_count(mp));
  o.Set("available", rte_mempool_avail_count(mp));
  auto ops = MempoolOpsName(mp);
  o.Set("ops", ops.first);
  o.Set("opsVerified", ops.second);
  // Objects parked in each lcore's cache (shared memory, after the pool
  // header): which lcores hold how many, only those holding any.
  Napi::Array caches = Napi::Array::New(w->env);
  if (mp->cache_size > 0 && mp->local_cache != nullptr) {
    for (uint32_t l = 0; l < RTE_MAX_LCORE; l++) {
      const uint32_t len = __atomic_load_n(&mp->local_cache[l].len, __ATOMIC_RELAXED);
      if (len == 0) continue;
      Napi::Object c = Napi::Object::New(w->env);
      c.Set("lcore", l);
      c.Set("count", len);
      caches.Set(caches.Length(), c);
    }
  }
  o.Set("lcoreCaches", caches);
  w->out.Set(w->out.Length(), o);
}

// mempoolList(): every mempool of the prefix.
static Napi::Value MempoolList(const Napi::CallbackInfo& info) {
  WalkCtx w{info.Env(), Napi::Array::New(info.Env())};
  rte_mempool_walk(AddPool, &w);
  return w.out;
}

// ringList(): every ring of the RTE_RING tailq (mempools' own rings
// included, named MP_<pool>): name, size, capacity, count, free, flags.
static Napi::Value RingList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  rte_tailq_head* head = rte_eal_tailq_lookup("RTE_RING");
  if (head == nullptr) return out;
  rte_mcfg_tailq_read_lock();
  rte_tailq_entry* te;
  TAILQ_FOREACH(te, &head->tailq_head, next) {
    const auto* r = static_cast<const rte_ring*>(te->data);
    if (r == nullptr) continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", r->name);
    o.Set("size", r->size);
    o.Set("capacity", r->capacity);
    o.Set("count", rte_ring_count(r));
    o.Set("free", rte_ring_free_count(r));
    o.Set("flags", r->flags);
    out.Set(out.Length(), o);
  }
  rte_mcfg_tailq_read_unlock();
  return out;
}

static void AddZone(const rte_memzone* mz, void* arg) {
  auto* w = static_cast<WalkCtx*>(arg);
  Napi::Object o = Napi::Object::New(w->env);
  o.Set("name", mz->name);
  o.Set("length", static_cast<double>(mz->len));
  o.Set("socket", mz->socket_id);
  o.Set("flags", mz->flags);
  o.Set("hugepageSz", static_cast<double>(mz->hugepage_sz));
  w->out.Set(w->out.Length(), o);
}

// memzoneList(): every memzone of the prefix.
static Napi::Value MemzoneList(const Napi::CallbackInfo& info) {
  WalkCtx w{info.Env(), Napi::Array::New(info.Env())};
  rte_memzone_walk(AddZone, &w);
  return w.out;
}

void InitWalks(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "mempoolList", MempoolList, "ringList", RingList, "memzoneList", MemzoneList);
}

}  // namespace mpsh
