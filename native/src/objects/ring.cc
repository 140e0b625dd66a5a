// Ring: rte_ring create, lookup and counts for JS, with simple_mp's
// defaults (multi-producer, multi-consumer). The ring itself is DPDK's, in
// shared memory: the wrapper never frees it.
#include <rte_errno.h>
#include <rte_lcore.h>

#include "js/errors.h"
#include "objects/objects.h"

namespace mpsh {

Napi::Function Ring::Define(Napi::Env env) {
  Napi::Function f = DefineClass(
      env, "Ring",
      {StaticMethod("create", &Ring::Create), StaticMethod("lookup", &Ring::Lookup),
       InstanceAccessor("name", &Ring::Name, nullptr), InstanceAccessor("capacity", &Ring::Capacity, nullptr),
       InstanceMethod("count", &Ring::Count), InstanceMethod("freeCount", &Ring::FreeCount)});
  return Keep(f);
}

// Ring.create(name, count, flags = 0): same defaults as simple_mp (MP/MC).
Napi::Value Ring::Create(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  uint32_t count = ArgUint(info, 1, "count");
  uint32_t flags = info.Length() > 2 ? ArgUint(info, 2, "flags") : 0;
  rte_ring* r = rte_ring_create(name.c_str(), count, rte_socket_id(), flags);
  if (r == nullptr) ThrowRteErrno(info.Env(), "cannot create ring " + name);
  return WrapPointer(ctor, info.Env(), r);
}

// Ring.lookup(name): Ring | null (absence is an answer, not an error).
Napi::Value Ring::Lookup(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  rte_ring* r = rte_ring_lookup(name.c_str());
  return WrapOrNull(info.Env(), r);
}

Napi::Value Ring::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), handle_->name); }
Napi::Value Ring::Capacity(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), rte_ring_get_capacity(handle_));
}
Napi::Value Ring::Count(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), rte_ring_count(handle_));
}
Napi::Value Ring::FreeCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), rte_ring_free_count(handle_));
}

}  // namespace mpsh
