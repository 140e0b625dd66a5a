// Memzones are exposed as external ArrayBuffers over the shared memory
// itself: a BigUint64Array on top reads live counters written by other
// processes with no copy and no native call per read.
#include <rte_errno.h>
#include <rte_lcore.h>

#include "js/errors.h"
#include "objects/objects.h"

namespace mpsh {

Napi::Function Memzone::Define(Napi::Env env) {
  Napi::Function f =
      DefineClass(env, "Memzone",
                  {StaticMethod("reserve", &Memzone::Reserve), StaticMethod("lookup", &Memzone::Lookup),
                   InstanceAccessor("name", &Memzone::Name, nullptr),
                   InstanceAccessor("length", &Memzone::Length, nullptr), InstanceMethod("buffer", &Memzone::Buffer)});
  return Keep(f);
}

// Memzone.reserve(name, length): cache-line aligned, zero-filled.
Napi::Value Memzone::Reserve(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  uint32_t len = ArgUint(info, 1, "length");
  const rte_memzone* mz = rte_memzone_reserve(name.c_str(), len, rte_socket_id(), 0);
  if (mz == nullptr) ThrowRteErrno(info.Env(), "cannot reserve memzone " + name);
  memset(mz->addr, 0, mz->len);
  return WrapPointer(ctor, info.Env(), mz);
}

Napi::Value Memzone::Lookup(const Napi::CallbackInfo& info) {
  std::string name = ArgString(info, 0, "name");
  const rte_memzone* mz = rte_memzone_lookup(name.c_str());
  return WrapOrNull(info.Env(), mz);
}

Napi::Value Memzone::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), handle_->name); }
Napi::Value Memzone::Length(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(handle_->len));
}

// buffer(): ArrayBuffer aliasing the memzone. No finalizer frees anything:
// the memory belongs to DPDK and outlives this process's view of it.
Napi::Value Memzone::Buffer(const Napi::CallbackInfo& info) {
  return Napi::ArrayBuffer::New(info.Env(), handle_->addr, handle_->len);
}

}  // namespace mpsh
