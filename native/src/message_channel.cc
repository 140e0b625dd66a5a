// simple_mp's message exchange: strings of at most 127 bytes travel in
// 128-byte buffers from MSG_POOL over PRI_2_SEC / SEC_2_PRI.
//
// Sending happens on the JS thread (it is one enqueue). Receiving runs on a
// DPDK worker lcore: it dequeues, copies the text out, returns the buffer to
// the pool at once and hands the text to JS through a thread-safe function.
// Stock simple_mp polls with usleep(5) and burns ~18% of a core while idle.
// Here an idle receiver waits as every loop does (IdlePolicy, adaptive) on
// a WakeWord in a shared memzone (one per ring) that mpsh senders wake after
// each enqueue: near-zero idle CPU and wake-up in microseconds. A stock
// sender never wakes anyone, so a wait lasts at most kMsgMaxWaitUs.

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "errors.h"
#include "idle_policy.h"
#include "loop_support.h"
#include "objects.h"

namespace mpsh {

static constexpr size_t kMessageSize = 128;  // STR_TOKEN_SIZE in cmdline_parse_string.h
static constexpr uint64_t kMsgMaxWaitUs = 10000;  // idle wake-ups: 100/s

// One per ring in the MPSH_MSG_WAKE memzone, cache-line apart.
struct alignas(64) WakeSlot {
  WakeWord word;
};


struct Delivery {
  std::string text;
  unsigned lcore;
};

class MessageChannel : public Napi::ObjectWrap<MessageChannel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "MessageChannel",
        {InstanceMethod("send", &MessageChannel::Send), InstanceMethod("startReceiver", &MessageChannel::Start),
         InstanceMethod("stopReceiver", &MessageChannel::Stop),
         InstanceAccessor("receiving", &MessageChannel::Receiving, nullptr)});
  }

  // new MessageChannel(sendRing | null, recvRing | null, pool, wake?: { zone, sendSlot, recvSlot })
  explicit MessageChannel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MessageChannel>(info) {
    if (info.Length() < 3) throw Napi::TypeError::New(info.Env(), "MessageChannel(sendRing, recvRing, pool, wake?)");
    if (!info[0].IsNull()) send_ = Ring::Unwrap(info[0])->ring();
    if (!info[1].IsNull()) recv_ = Ring::Unwrap(info[1])->ring();
    pool_ = Mempool::Unwrap(info[2])->pool();
    if (info.Length() > 3 && info[3].IsObject()) {
      Napi::Object w = info[3].As<Napi::Object>();
      Napi::Value zone = w.Get("zone");
      if (!zone.IsObject() || !zone.As<Napi::Object>().InstanceOf(Memzone::ctor.Value()))
        throw Napi::TypeError::New(info.Env(), "wake.zone must be a Memzone");
      const rte_memzone* mz = Napi::ObjectWrap<Memzone>::Unwrap(zone.As<Napi::Object>())->zone();
      auto* words = static_cast<WakeSlot*>(mz->addr);
      uint32_t n = static_cast<uint32_t>(mz->len / sizeof(WakeSlot));
      uint32_t ss = w.Get("sendSlot").ToNumber().Uint32Value(), rs = w.Get("recvSlot").ToNumber().Uint32Value();
      if (ss >= n || rs >= n) throw Napi::RangeError::New(info.Env(), "wake slot outside the memzone");
      send_wake_ = &words[ss].word;
      recv_wake_ = &words[rs].word;
    }
    env_ = info.Env();
    napi_add_env_cleanup_hook(env_, &MessageChannel::CleanupHook, this);
  }

  ~MessageChannel() override {
    Halt();
    napi_remove_env_cleanup_hook(env_, &MessageChannel::CleanupHook, this);
  }

 private:
  // send(bytes: Uint8Array): "sent" | "ring-full" | "pool-empty"
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (send_ == nullptr) throw Napi::Error::New(env, "this channel has no send ring");
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(env, "bytes must be a Uint8Array");
    Napi::Uint8Array bytes = info[0].As<Napi::Uint8Array>();
    if (bytes.ByteLength() >= kMessageSize)
      throw Napi::RangeError::New(env, "message is " + std::to_string(bytes.ByteLength()) + " bytes; at most " +
                                           std::to_string(kMessageSize - 1) + " fit");
    void* msg = nullptr;
    if (rte_mempool_get(pool_, &msg) < 0) return Napi::String::New(env, "pool-empty");
    char* buf = static_cast<char*>(msg);
    memcpy(buf, bytes.Data(), bytes.ByteLength());
    buf[bytes.ByteLength()] = '\0';
    if (rte_ring_enqueue(send_, msg) < 0) {
      rte_mempool_put(pool_, msg);
      return Napi::String::New(env, "ring-full");
    }
    if (send_wake_ != nullptr) WakeConsumer(send_wake_);
    return Napi::String::New(env, "sent");
  }

  // startReceiver(lcoreId, onMessage(text, lcore))
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (recv_ == nullptr) throw Napi::Error::New(env, "this channel has no receive ring");
    if (running_) throw Napi::Error::New(env, "receiver already running");
    uint32_t lcore = ArgUint(info, 0, "lcore");
    if (info.Length() < 2 || !info[1].IsFunction()) throw Napi::TypeError::New(env, "onMessage must be a function");
    if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) || lcore == rte_get_main_lcore())
      throw Napi::Error::New(env, "lcore " + std::to_string(lcore) + " is not a worker lcore of this process");
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "mpsh-message-receiver", 0, 1);
    tsfn_.Unref(env);  // the prompt, not the receiver, keeps the process alive
    stop_.store(false);
    lcore_ = lcore;
    int ret = rte_eal_remote_launch(&MessageChannel::Loop, this, lcore);
    if (ret != 0) {
      tsfn_.Release();
      throw MakeDpdkError(env, "cannot launch receiver on lcore " + std::to_string(lcore), -ret);
    }
    running_ = true;
    return env.Undefined();
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Halt();
    return info.Env().Undefined();
  }

  Napi::Value Receiving(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), running_); }

  static void CleanupHook(void* self) { static_cast<MessageChannel*>(self)->Halt(); }

  void Halt() {
    if (!running_) return;
    stop_.store(true);
    if (recv_wake_ != nullptr) WakeAll(recv_wake_);  // cut a wait short
    rte_eal_wait_lcore(lcore_);
    running_ = false;
    tsfn_.Release();
  }

  static bool RingEmpty(void* ring) { return rte_ring_empty(static_cast<rte_ring*>(ring)) != 0; }

  static int Loop(void* arg) {
    auto* self = static_cast<MessageChannel*>(arg);
    const unsigned lcore = rte_lcore_id();
    IdlePolicy idle(IdleMode::kAdaptive, self->recv_wake_, &MessageChannel::RingEmpty, self->recv_, kMsgMaxWaitUs, nullptr);
    while (!self->stop_.load(std::memory_order_relaxed)) {
      void* msg;
      if (rte_ring_dequeue(self->recv_, &msg) == 0) {
        auto* d = new Delivery{std::string(static_cast<char*>(msg), strnlen(static_cast<char*>(msg), kMessageSize)),
                               lcore};
        rte_mempool_put(self->pool_, msg);
        if (self->tsfn_.NonBlockingCall(d, Deliver) != napi_ok) delete d;
        idle.Busy();
        continue;
      }
      idle.Idle();
    }
    return 0;
  }

  static void Deliver(Napi::Env env, Napi::Function fn, Delivery* d) {
    if (env != nullptr && fn != nullptr) {
      // Bytes, not a string: a peer may send anything but NUL (stock sends C
      // strings); JS decides how invalid UTF-8 and controls are shown.
      fn.Call({Napi::Buffer<char>::Copy(env, d->text.data(), d->text.size()), Napi::Number::New(env, d->lcore)});
    }
    delete d;
  }

  rte_ring* send_ = nullptr;
  rte_ring* recv_ = nullptr;
  WakeWord* send_wake_ = nullptr;
  WakeWord* recv_wake_ = nullptr;
  rte_mempool* pool_ = nullptr;
  napi_env env_ = nullptr;
  Napi::ThreadSafeFunction tsfn_;
  std::atomic<bool> stop_{false};
  bool running_ = false;
  unsigned lcore_ = 0;
};

void InitMessageChannel(Napi::Env env, Napi::Object exports) {
  exports.Set("MessageChannel", MessageChannel::Define(env));
}

}  // namespace mpsh
