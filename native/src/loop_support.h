// What the packet loops share (their idle policy is idle_policy.h): clocks,
// memzone options, and the base of a JS object that owns one loop on an
// lcore (stop flag, runner, clean-up hook).
#pragma once
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>

#include <napi.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "lcore_runner.h"
#include "objects.h"

namespace mpsh {

inline std::string StuckMessage() {
  return "the packet loop did not stop within 2 s: it is stuck inside DPDK (a process sharing the mbuf pool "
         "was probably killed in the middle of a pool operation); leaving without EAL cleanup";
}


inline uint64_t NowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

template <typename T>
inline T* ZoneAs(const Napi::Object& o, const char* key, size_t need) {
  Napi::Value v = o.Get(key);
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(Memzone::ctor.Value()))
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Memzone");
  const rte_memzone* mz = Napi::ObjectWrap<Memzone>::Unwrap(v.As<Napi::Object>())->zone();
  if (mz->len < need) throw Napi::RangeError::New(o.Env(), std::string(key) + " memzone is too small");
  return static_cast<T*>(mz->addr);
}

// Base for the two loops: options, stop flag, lcore runner, cleanup hook.
template <typename Self>
class LoopObject : public Napi::ObjectWrap<Self> {
 public:
  explicit LoopObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Self>(info), env_(info.Env()) {
    napi_add_env_cleanup_hook(env_, &LoopObject::Hook, this);
  }
  ~LoopObject() override { napi_remove_env_cleanup_hook(env_, &LoopObject::Hook, this); }

 protected:
  static void Hook(void* self) { static_cast<LoopObject*>(self)->Halt(); }
  // False when the loop did not stop in time (see LcoreRunner::JoinAll).
  virtual bool Halt() {
    stop_.store(true);
    return runner_.JoinAll();
  }
  // stop() from JS: a loop stuck inside DPDK becomes an exception, so the
  // process can still leave (without EAL cleanup, which would wait forever).
  void HaltOrThrow(Napi::Env env) {
    if (!Halt()) throw Napi::Error::New(env, StuckMessage());
  }
  Napi::Value StartOn(Napi::Env env, LoopFn fn) {
    if (runner_.Running()) throw Napi::Error::New(env, "already running");
    stop_.store(false);
    unsigned lcore = LcoreRunner::ForwardingLcores().front();
    runner_.Launch(env, lcore, fn, this);
    return Napi::Number::New(env, lcore);
  }
  bool Stopping() const {
    if (!stop_.load(std::memory_order_relaxed)) return false;
    // Fault injection for tests (MPSH_TEST_STALL_ON_STOP=1): behave like a
    // loop stuck inside DPDK, spinning on shared memory (as on a pool ring a
    // killed process left half-updated) and never seeing the stop flag
    // again. Checked only once the flag is up: the packet path pays nothing.
    if (getenv("MPSH_TEST_STALL_ON_STOP") != nullptr) {
      auto* word = static_cast<volatile uint32_t*>(rte_zmalloc("mpsh_stall", 64, 64));
      while (word == nullptr || *word == 0) rte_pause();
    }
    return true;
  }

  napi_env env_;
  std::atomic<bool> stop_{false};
  LcoreRunner runner_;
};

}  // namespace mpsh
