// JS classes over DPDK objects that live in shared memory. Each wraps a
// pointer found by create or lookup; the object itself belongs to DPDK (it is
// shared with other processes), so the wrappers never free it on GC.
#pragma once
#include <napi.h>

#include <string>

#include <rte_mempool.h>
#include <rte_memzone.h>
#include <rte_ring.h>

namespace mpsh {

class Ring : public Napi::ObjectWrap<Ring> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::FunctionReference ctor;
  static Ring* Unwrap(Napi::Value v);  // throws TypeError if not a Ring
  explicit Ring(const Napi::CallbackInfo& info);
  rte_ring* ring() const { return ring_; }

 private:
  static Napi::Value Create(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Capacity(const Napi::CallbackInfo& info);
  Napi::Value Count(const Napi::CallbackInfo& info);
  Napi::Value FreeCount(const Napi::CallbackInfo& info);
  rte_ring* ring_ = nullptr;
};

class Mempool : public Napi::ObjectWrap<Mempool> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::FunctionReference ctor;
  static Mempool* Unwrap(Napi::Value v);
  explicit Mempool(const Napi::CallbackInfo& info);
  rte_mempool* pool() const { return pool_; }

 private:
  static Napi::Value Create(const Napi::CallbackInfo& info);
  static Napi::Value CreatePktmbuf(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Size(const Napi::CallbackInfo& info);
  Napi::Value EltSize(const Napi::CallbackInfo& info);
  Napi::Value InUse(const Napi::CallbackInfo& info);
  Napi::Value Avail(const Napi::CallbackInfo& info);
  Napi::Value OpsName(const Napi::CallbackInfo& info);
  rte_mempool* pool_ = nullptr;
};

class Memzone : public Napi::ObjectWrap<Memzone> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::FunctionReference ctor;
  explicit Memzone(const Napi::CallbackInfo& info);
  const rte_memzone* zone() const { return mz_; }

 private:
  static Napi::Value Reserve(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Length(const Napi::CallbackInfo& info);
  Napi::Value Buffer(const Napi::CallbackInfo& info);
  const rte_memzone* mz_ = nullptr;
};

// Option `key` of `o` as a Memzone of at least `need` bytes, seen as a T
// (an option-object helper, next to OptUint in errors.h).
template <typename T>
inline T* OptZone(const Napi::Object& o, const char* key, size_t need) {
  Napi::Value v = o.Get(key);
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(Memzone::ctor.Value()))
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Memzone");
  const rte_memzone* mz = Napi::ObjectWrap<Memzone>::Unwrap(v.As<Napi::Object>())->zone();
  if (mz->len < need) throw Napi::RangeError::New(o.Env(), std::string(key) + " memzone is too small");
  return static_cast<T*>(mz->addr);
}

// Wraps a raw pointer into a new instance of `ctor` (used by create/lookup).
Napi::Object WrapPointer(Napi::FunctionReference& ctor, Napi::Env env, const void* p);
const void* PointerArg(const Napi::CallbackInfo& info);

}  // namespace mpsh
