// The base of every lcore loop: the JS object that owns loops on lcores
// (stop flag, runner, clean-up hook, the stall fault injection), and the
// loop skeleton every loop runs (RunRounds): burst size, heartbeat, idle
// flag and idle policy, written once. A loop supplies only its round.
#pragma once
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <vector>

#include <napi.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "eal/lcore_runner.h"
#include "idle/idle_policy.h"
#include "layouts/process_slot.h"
#include "objects/objects.h"

namespace mpsh {

inline std::string StuckMessage() {
  return "the packet loop did not stop within 2 s: it is stuck inside DPDK (a process sharing the mbuf pool "
         "was probably killed in the middle of a pool operation); leaving without EAL cleanup";
}

// The most packets a loop reads at once: MAX_PKT_BURST in symmetric_mp,
// PACKET_READ_SIZE / PKT_READ_SIZE in client_server_mp.
constexpr uint16_t kBurst = 32;

// How often (in rounds) a busy loop refreshes its heartbeat; an idle one
// beats each time it has waited (ProcessSlot::Idle).
constexpr uint32_t kBeatEvery = 4096;

// What one round of a loop brought. A round reads each of the loop's
// inputs once (every port queue of a symmetric share, every queue of the
// server's ports, a client's ring, a receiver's ring).
enum class Round : uint8_t {
  kNothing,  // no work: the idle policy may wait
  kWork,     // packets (or messages) were handled
  kPending,  // no input, but something was finished (a TX flush): go round again without waiting
};

// Base of every JS object that runs loops on lcores: stop flag, lcore
// runner, cleanup hook. A loop polls Stopping().
template <typename Self>
class LoopObject : public Napi::ObjectWrap<Self> {
 public:
  explicit LoopObject(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Self>(info), env_(info.Env()) {
    napi_add_env_cleanup_hook(env_, &LoopObject::Hook, this);
  }
  ~LoopObject() override { napi_remove_env_cleanup_hook(env_, &LoopObject::Hook, this); }

 protected:
  using Method = typename Napi::ObjectWrap<Self>::InstanceMethodCallback;
  // What JS calls the loop's methods: start()/stop()/running by default.
  struct Verbs {
    const char* start = "start";
    const char* stop = "stop";
    const char* running = "running";
  };
  // The JS class of a loop: its start, the common stop and running, and
  // whatever else the loop offers (`extra`).
  static Napi::Function DefineLoop(Napi::Env env, const char* name, Method start, Verbs verbs = {},
                                   std::vector<Napi::ClassPropertyDescriptor<Self>> extra = {}) {
    extra.push_back(Self::InstanceMethod(verbs.start, start));
    extra.push_back(Self::InstanceMethod(verbs.stop, &Self::StopJs));
    extra.push_back(Self::InstanceAccessor(verbs.running, &Self::RunningJs, nullptr));
    return Self::DefineClass(env, name, extra);
  }

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
  // Before launching: refuses a second start and lowers the stop flag.
  void BeginStart(Napi::Env env) {
    if (runner_.Running()) throw Napi::Error::New(env, "already running");
    stop_.store(false);
  }
  // One loop, `fn(this)`, on the first forwarding lcore; returns that lcore.
  Napi::Value StartOn(Napi::Env env, LoopFn fn) {
    BeginStart(env);
    unsigned lcore = LcoreRunner::ForwardingLcores().front();
    runner_.Launch(env, lcore, fn, this);
    return Napi::Number::New(env, lcore);
  }
  Napi::Value StopJs(const Napi::CallbackInfo& info) {
    HaltOrThrow(info.Env());
    return info.Env().Undefined();
  }
  Napi::Value RunningJs(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), runner_.Running()); }
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

  // The skeleton of every loop, as testpmd's run_pkt_fwd_on_lcore around a
  // forwarding engine's packet_fwd, but with the round a template argument
  // (a lambda) rather than a function pointer: it is inlined, so the packet
  // path pays no call for the skeleton. Around each round, until stopped:
  // a heartbeat every kBeatEvery rounds; after work, Busy() to the idle
  // policy and the slot (a store only when the idle flag changes); after
  // nothing, Idle(), which may wait, and the slot says so if it did.
  template <typename RoundFn>
  void RunRounds(IdlePolicy& idle, ProcessSlot& head, RoundFn&& round) const {
    uint32_t turn = 0;
    while (!Stopping()) {
      if ((++turn % kBeatEvery) == 0) head.Beat();
      const Round r = round();
      if (r == Round::kWork) {
        idle.Busy();
        head.Busy();
      } else if (r == Round::kNothing && idle.Idle()) {
        head.Idle();
      }
    }
  }

  napi_env env_;
  std::atomic<bool> stop_{false};
  LcoreRunner runner_;
};

}  // namespace mpsh
