// Mempool: the pools simple_mp (plain) and the packet samples (pktmbuf)
// create, their lookup and counts, and a ring-backed pool's cursors (to
// see a ring a killed process left half-updated, kill_safety/pool_repair.h).
// The pool is DPDK's, in shared memory: the wrapper never frees it.
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "js/errors.h"
#include "kill_safety/pool_repair.h"
#include "objects/objects.h"

namespace mpsh {

Napi::Function Mempool::Define(Napi::Env env) {
  Napi::Function f = DefineClass(
      env, "Mempool",
      {StaticMethod("create", &Mempool::Create), StaticMethod("createPktmbuf", &Mempool::CreatePktmbuf),
       StaticMethod("lookup", &Mempool::Lookup), InstanceAccessor("name", &Mempool::Name, nullptr),
       InstanceAccessor("size", &Mempool::Size, nullptr), InstanceAccessor("eltSize", &Mempool::EltSize, nullptr),
       InstanceAccessor("ops", &Mempool::OpsName, nullptr), InstanceMethod("inUseCount", &Mempool::InUse),
       InstanceMethod("availCount", &Mempool::Avail), InstanceMethod("counts", &Mempool::Counts),
       InstanceMethod("ringCursors", &Mempool::RingCursors)});
  return Keep(f);
}

// Mempool.create(name, n, eltSize, cacheSize): plain pool as simple_mp makes.
Napi::Value Mempool::Create(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  uint32_t n = ArgUint(info, 1, "n");
  uint32_t elt = ArgUint(info, 2, "eltSize");
  uint32_t cache = ArgUint(info, 3, "cacheSize");
  rte_mempool* mp =
      rte_mempool_create(name.c_str(), n, elt, cache, 0, nullptr, nullptr, nullptr, nullptr, rte_socket_id(), 0);
  if (mp == nullptr) ThrowRteErrno(info.Env(), "cannot create mempool " + name);
  return WrapPointer(ctor, info.Env(), mp);
}

// Mempool.createPktmbuf(name, n, cacheSize, ops?): mbuf pool with the
// default data room, as the symmetric and client-server samples make, with
// the given mempool ops (default: the platform's, a ring).
Napi::Value Mempool::CreatePktmbuf(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  uint32_t n = ArgUint(info, 1, "n");
  uint32_t cache = ArgUint(info, 2, "cacheSize");
  std::string ops = info.Length() > 3 && info[3].IsString() ? info[3].As<Napi::String>().Utf8Value() : "";
  rte_mempool* mp = rte_pktmbuf_pool_create_by_ops(name.c_str(), n, cache, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                                   rte_socket_id(), ops.empty() ? nullptr : ops.c_str());
  if (mp == nullptr) ThrowRteErrno(info.Env(), "cannot create mbuf pool " + name);
  return WrapPointer(ctor, info.Env(), mp);
}

Napi::Value Mempool::OpsName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), rte_mempool_get_ops(handle_->ops_index)->name);
}

Napi::Value Mempool::Lookup(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  rte_mempool* mp = rte_mempool_lookup(name.c_str());
  return WrapOrNull(info.Env(), mp);
}

Napi::Value Mempool::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), handle_->name); }
Napi::Value Mempool::Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), handle_->size); }
Napi::Value Mempool::EltSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), handle_->elt_size);
}
// In-use counts include objects sitting in per-lcore caches of other
// processes only once those caches are flushed; rte_mempool_in_use_count
// already subtracts every lcore cache, which lives in shared memory.
Napi::Value Mempool::InUse(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), rte_mempool_in_use_count(handle_));
}
Napi::Value Mempool::Avail(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), rte_mempool_avail_count(handle_));
}

// counts(): { inPool, inCaches } from one pass, so that in use (size minus
// both) and available (both) add up to the size even under traffic: two
// separate calls (inUseCount, availCount) read moving caches twice.
Napi::Value Mempool::Counts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // rte_mempool_ops_get_count is not exported; the ops table is.
  const uint32_t in_pool = rte_mempool_get_ops(handle_->ops_index)->get_count(handle_);
  uint64_t in_caches = 0;
  if (handle_->cache_size != 0)
    for (unsigned lcore = 0; lcore < RTE_MAX_LCORE; lcore++) in_caches += handle_->local_cache[lcore].len;
  Napi::Object o = Napi::Object::New(env);
  o.Set("inPool", in_pool);
  o.Set("inCaches", static_cast<double>(in_caches));
  return o;
}

// ringCursors(): { prodHead, prodTail, consHead, consTail } of a ring-backed
// pool (null for other ops). A head that stays ahead of its tail means a
// process died between reserving slots and publishing them: every later
// producer (or consumer) of the pool waits for that tail forever.
Napi::Value Mempool::RingCursors(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const rte_ring* r = PoolRing(handle_);
  if (r == nullptr) return env.Null();
  const mpsh::RingCursors c = ReadCursors(r);
  Napi::Object o = Napi::Object::New(env);
  o.Set("prodHead", c.prod_head);
  o.Set("prodTail", c.prod_tail);
  o.Set("consHead", c.cons_head);
  o.Set("consTail", c.cons_tail);
  return o;
}

}  // namespace mpsh
