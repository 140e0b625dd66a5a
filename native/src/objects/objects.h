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

// Wraps a raw pointer into a new instance of `ctor` (used by create/lookup).
Napi::Object WrapPointer(Napi::FunctionReference& ctor, Napi::Env env, const void* p);
const void* PointerArg(const Napi::CallbackInfo& info);

// Base of the three classes: the JS class kept for wrapping and type
// checks, the constructor JS cannot call (instances come from create or
// lookup, which pass the pointer), and Unwrap with a TypeError.
template <typename Self, typename T>
class SharedObject : public Napi::ObjectWrap<Self> {
 public:
  static Napi::FunctionReference ctor;
  explicit SharedObject(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<Self>(info), handle_(static_cast<T*>(const_cast<void*>(PointerArg(info)))) {}

  static bool Is(const Napi::Value& v) {
    return v.IsObject() && !ctor.IsEmpty() && v.As<Napi::Object>().InstanceOf(ctor.Value());
  }
  // The object behind `v`; a TypeError when `v` is not one.
  static Self* Unwrap(const Napi::Value& v) {
    if (!Is(v)) throw Napi::TypeError::New(v.Env(), std::string("expected a ") + Self::kName);
    return Napi::ObjectWrap<Self>::Unwrap(v.As<Napi::Object>());
  }

 protected:
  // Keeps `f` as the class to wrap with; returns it for the exports.
  static Napi::Function Keep(Napi::Function f) {
    ctor = Napi::Persistent(f);
    ctor.SuppressDestruct();
    return f;
  }
  // create()/lookup()'s answer: the wrapped object, or null for none.
  static Napi::Value WrapOrNull(Napi::Env env, const T* p) {
    return p == nullptr ? env.Null() : Napi::Value(WrapPointer(ctor, env, p));
  }
  T* handle_;
};
template <typename Self, typename T>
Napi::FunctionReference SharedObject<Self, T>::ctor;

class Ring : public SharedObject<Ring, rte_ring> {
 public:
  static constexpr const char* kName = "Ring";
  static Napi::Function Define(Napi::Env env);
  using SharedObject::SharedObject;
  rte_ring* ring() const { return handle_; }

 private:
  static Napi::Value Create(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Capacity(const Napi::CallbackInfo& info);
  Napi::Value Count(const Napi::CallbackInfo& info);
  Napi::Value FreeCount(const Napi::CallbackInfo& info);
};

class Mempool : public SharedObject<Mempool, rte_mempool> {
 public:
  static constexpr const char* kName = "Mempool";
  static Napi::Function Define(Napi::Env env);
  using SharedObject::SharedObject;
  rte_mempool* pool() const { return handle_; }

 private:
  static Napi::Value Create(const Napi::CallbackInfo& info);
  static Napi::Value CreatePktmbuf(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Size(const Napi::CallbackInfo& info);
  Napi::Value EltSize(const Napi::CallbackInfo& info);
  Napi::Value InUse(const Napi::CallbackInfo& info);
  Napi::Value Avail(const Napi::CallbackInfo& info);
  Napi::Value Counts(const Napi::CallbackInfo& info);
  Napi::Value OpsName(const Napi::CallbackInfo& info);
  Napi::Value RingCursors(const Napi::CallbackInfo& info);
};

class Memzone : public SharedObject<Memzone, const rte_memzone> {
 public:
  static constexpr const char* kName = "Memzone";
  static Napi::Function Define(Napi::Env env);
  using SharedObject::SharedObject;
  const rte_memzone* zone() const { return handle_; }

 private:
  static Napi::Value Reserve(const Napi::CallbackInfo& info);
  static Napi::Value Lookup(const Napi::CallbackInfo& info);
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Length(const Napi::CallbackInfo& info);
  Napi::Value Buffer(const Napi::CallbackInfo& info);
};

// Option `key` of `o` as a Memzone of at least `need` bytes, seen as a T
// (an option-object helper, next to OptUint in errors.h).
template <typename T>
inline T* OptZone(const Napi::Object& o, const char* key, size_t need) {
  Napi::Value v = o.Get(key);
  if (!Memzone::Is(v)) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Memzone");
  const rte_memzone* mz = Memzone::Unwrap(v)->zone();
  if (mz->len < need) throw Napi::RangeError::New(o.Env(), std::string(key) + " memzone is too small");
  return static_cast<T*>(mz->addr);
}

}  // namespace mpsh
