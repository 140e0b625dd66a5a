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

#include <cstring>
#include <string>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "idle/idle_policy.h"
#include "js/errors.h"
#include "js/exports.h"
#include "loops/loop.h"
#include "objects/objects.h"

namespace mpsh {

static constexpr size_t kMessageSize = 128;       // STR_TOKEN_SIZE in cmdline_parse_string.h
static constexpr uint64_t kMsgMaxWaitUs = 10000;  // idle wake-ups: 100/s

// One per ring in the MPSH_MSG_WAKE memzone, cache-line apart.
struct alignas(64) WakeSlot {
  WakeWord word;
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
      auto* words = OptZone<WakeSlot>(w, "zone", (std::max(ss, rs) + 1) * sizeof(WakeSlot));
      send_wake_ = &words[ss].word;
      recv_wake_ = &words[rs].word;
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
    if (send_wake_ != nullptr) WakeConsumer(send_wake_);
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
      if (recv_wake_ != nullptr) WakeAll(recv_wake_);  // cut a wait short: it sees the flag
    }
    if (!LoopObject::Halt()) return false;
    if (has_tsfn_) tsfn_.Release();
    has_tsfn_ = false;
    return true;
  }

  // One round: one message from the ring, handed to JS.
  static int Loop(void* arg) {
    auto* self = static_cast<MessageChannel*>(arg);
    const unsigned lcore = rte_lcore_id();
    IdlePolicy idle(IdleMode::kAdaptive, self->recv_wake_, self->recv_, kMsgMaxWaitUs, nullptr);
    ProcessSlot unseen{};  // a receiver has no slot in shared memory: its beats go nowhere
    self->RunRounds(idle, unseen, [&] {
      void* msg;
      if (rte_ring_dequeue(self->recv_, &msg) != 0) return Round::kNothing;
      auto* d =
          new Delivery{std::string(static_cast<char*>(msg), strnlen(static_cast<char*>(msg), kMessageSize)), lcore};
      rte_mempool_put(self->pool_, msg);
      if (self->tsfn_.NonBlockingCall(d, Deliver) != napi_ok) delete d;
      return Round::kWork;
    });
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
  Export(env, exports, "MessageChannel", MessageChannel::Define(env));
}

}  // namespace mpsh
