// simple_mp's message exchange: strings of at most 127 bytes travel in
// 128-byte buffers from MSG_POOL over PRI_2_SEC / SEC_2_PRI.
//
// Sending happens on the JS thread (it is one enqueue). Receiving runs on a
// DPDK worker lcore: it dequeues, copies the text out, returns the buffer to
// the pool at once and hands the text to JS through a thread-safe function.
// Stock simple_mp polls with usleep(5) and burns ~18% of a core while idle.
// Here an idle receiver sleeps on a futex in a shared memzone (one word per
// ring) that mpsh senders bump and wake after each enqueue: near-zero idle
// CPU and wake-up in microseconds. A stock sender never wakes anyone, so the
// futex wait has a timeout; a message found after a timed-out wait means a
// non-waking sender is about, and the loop switches to bounded polling
// (growing back-off up to kMsgMaxSleepUs) for a while.
#include <time.h>

#include <cstring>
#include <string>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "errors.h"
#include "init.h"
#include "loop_support.h"
#include "objects.h"

namespace mpsh {

static constexpr size_t kMessageSize = 128;  // STR_TOKEN_SIZE in cmdline_parse_string.h
static constexpr uint64_t kSpinWindowUs = 50;
static constexpr uint64_t kMsgMinSleepUs = 5;    // polling for a stock sender
static constexpr uint64_t kMsgMaxSleepUs = 400;
static constexpr long kFutexTimeoutNs = 10 * 1000 * 1000;   // idle wake-ups: 100/s
static constexpr uint64_t kPollModeUs = 10 * 1000 * 1000;   // after a non-waking sender

// One per ring in the MPSH_MSG_WAKE memzone, cache-line apart.
struct alignas(64) WakeWord {
  uint32_t seq;      // bumped to wake receivers
  uint32_t waiters;  // receivers inside futex_wait
};

struct Delivery {
  std::string text;
  unsigned lcore;
};

class MessageChannel : public LoopObject<MessageChannel> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineLoop(env, "MessageChannel", &MessageChannel::Start, {"startReceiver", "stopReceiver", "receiving"},
                      {InstanceMethod("send", &MessageChannel::Send)});
  }

  // new MessageChannel(sendRing | null, recvRing | null, pool, wake?: { zone, sendSlot, recvSlot })
  explicit MessageChannel(const Napi::CallbackInfo& info) : LoopObject(info) {
    if (info.Length() < 3) throw Napi::TypeError::New(info.Env(), "MessageChannel(sendRing, recvRing, pool, wake?)");
    if (!info[0].IsNull()) send_ = Ring::Unwrap(info[0])->ring();
    if (!info[1].IsNull()) recv_ = Ring::Unwrap(info[1])->ring();
    pool_ = Mempool::Unwrap(info[2])->pool();
    if (info.Length() > 3 && !info[3].IsUndefined()) {
      Napi::Object w = ArgOptions(info, 3);
      uint32_t ss = OptUint(w, "sendSlot"), rs = OptUint(w, "recvSlot");
      auto* words = OptZone<WakeWord>(w, "zone", (std::max(ss, rs) + 1) * sizeof(WakeWord));
      send_wake_ = &words[ss];
      recv_wake_ = &words[rs];
    }
  }

  ~MessageChannel() override { Halt(); }

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
    if (send_wake_ != nullptr) WakeIfWaiting(&send_wake_->seq, &send_wake_->waiters);
    return Napi::String::New(env, "sent");
  }

  // startReceiver(lcoreId, onMessage(text, lcore))
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (recv_ == nullptr) throw Napi::Error::New(env, "this channel has no receive ring");
    if (runner_.Running()) throw Napi::Error::New(env, "receiver already running");
    uint32_t lcore = ArgUint(info, 0, "lcore");
    if (info.Length() < 2 || !info[1].IsFunction()) throw Napi::TypeError::New(env, "onMessage must be a function");
    if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) || lcore == rte_get_main_lcore())
      throw Napi::Error::New(env, "lcore " + std::to_string(lcore) + " is not a worker lcore of this process");
    BeginStart(env);
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "mpsh-message-receiver", 0, 1);
    tsfn_.Unref(env);  // the prompt, not the receiver, keeps the process alive
    try {
      runner_.Launch(env, lcore, &MessageChannel::Loop, this);
    } catch (...) {
      tsfn_.Release();
      throw;
    }
    has_tsfn_ = true;
    return env.Undefined();
  }

  bool Halt() override {
    if (runner_.Running()) {
      stop_.store(true);
      if (recv_wake_ != nullptr) WakeAll(&recv_wake_->seq);  // cut a futex wait short: it sees the flag
    }
    if (!LoopObject::Halt()) return false;
    if (has_tsfn_) tsfn_.Release();
    has_tsfn_ = false;
    return true;
  }

  // Sleeps until an mpsh sender wakes us or the timeout passes. Returns
  // true when the wait timed out.
  bool WaitForWake() {
    return SleepUnlessWork(&recv_wake_->seq, &recv_wake_->waiters, kFutexTimeoutNs, [&] { return !rte_ring_empty(recv_); });
  }

  static int Loop(void* arg) {
    auto* self = static_cast<MessageChannel*>(arg);
    const unsigned lcore = rte_lcore_id();
    const uint64_t hz = rte_get_timer_hz();
    const uint64_t spin_cycles = hz * kSpinWindowUs / 1000000;
    const uint64_t poll_mode_cycles = hz / 1000000 * kPollModeUs;
    uint64_t last_activity = rte_get_timer_cycles();
    uint64_t poll_until = self->recv_wake_ == nullptr ? UINT64_MAX : 0;
    uint64_t sleep_us = kMsgMinSleepUs;
    bool after_timeout = false;
    while (!self->Stopping()) {
      void* msg;
      if (rte_ring_dequeue(self->recv_, &msg) == 0) {
        auto* d = new Delivery{std::string(static_cast<char*>(msg), strnlen(static_cast<char*>(msg), kMessageSize)),
                               lcore};
        rte_mempool_put(self->pool_, msg);
        if (self->tsfn_.NonBlockingCall(d, Deliver) != napi_ok) delete d;
        last_activity = rte_get_timer_cycles();
        // Found only because the wait timed out: the sender does not wake us.
        if (after_timeout && poll_until != UINT64_MAX) poll_until = last_activity + poll_mode_cycles;
        after_timeout = false;
        sleep_us = kMsgMinSleepUs;
        continue;
      }
      uint64_t now = rte_get_timer_cycles();
      if (now - last_activity < spin_cycles) {
        rte_pause();
        continue;
      }
      if (now >= poll_until) {
        after_timeout = self->WaitForWake();
        continue;
      }
      struct timespec ts = {0, static_cast<long>(sleep_us * 1000)};
      nanosleep(&ts, nullptr);
      if (sleep_us < kMsgMaxSleepUs) sleep_us = sleep_us * 2 > kMsgMaxSleepUs ? kMsgMaxSleepUs : sleep_us * 2;
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
  Napi::ThreadSafeFunction tsfn_;
  bool has_tsfn_ = false;
};

void InitMessageChannel(Napi::Env env, Napi::Object exports) {
  exports.Set("MessageChannel", MessageChannel::Define(env));
}

}  // namespace mpsh
