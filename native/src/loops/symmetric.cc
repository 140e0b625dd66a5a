// symmetric_mp's forwarding loop, which every symmetric process runs on its
// own queue of every port (its ports are set up in ports/port_setup.cc).
#include <cstring>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "idle/idle_policy.h"
#include "js/errors.h"
#include "js/exports.h"
#include "layouts/symmetric_layout.h"
#include "loops/loop.h"
#include "objects/objects.h"
#include "observe/capture.h"

namespace mpsh {

class SymmetricWorker : public LoopObject<SymmetricWorker> {
 public:
  // new SymmetricWorker({ ports: number[], queue, stats: Memzone, slot })
  explicit SymmetricWorker(const Napi::CallbackInfo& info) : LoopObject(info) {
    Napi::Env env = info.Env();
    Napi::Object o = ArgOptions(info);
    for (uint32_t p : OptUintList(o, "ports")) {
      if (p >= RTE_MAX_ETHPORTS) throw Napi::RangeError::New(env, "no port " + std::to_string(p));
      ports_.push_back(static_cast<uint16_t>(p));
    }
    if (ports_.empty() || ports_.size() % 2 != 0)
      throw Napi::RangeError::New(env, "an even, non-zero number of ports is needed");
    uint32_t queue = OptUint(o, "queue");
    if (queue > UINT16_MAX) throw Napi::RangeError::New(env, "queue out of range");
    queue_ = static_cast<uint16_t>(queue);
    auto* region = OptZone<SymStatsRegion>(o, "stats", sizeof(SymStatsRegion));
    uint32_t slot = OptUint(o, "slot");
    if (slot >= kMaxSymProcs) throw Napi::RangeError::New(env, "slot out of range");
    slot_ = &region->slots[slot];
    idle_ = IdleModeOption(o);
  }

  ~SymmetricWorker() override { Halt(); }

  static Napi::Function Define(Napi::Env env) { return DefineLoop(env, "SymmetricWorker", &SymmetricWorker::Start); }

 private:
  struct Share {
    SymmetricWorker* self;
    size_t first, count;  // indices into ports_, whole pairs
  };

  // start(): lcores used. Port pairs are shared out over the forwarding
  // lcores as the stock assign_ports_to_cores does.
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    BeginStart(env);
    std::vector<unsigned> lcores = LcoreRunner::ForwardingLcores();
    size_t pairs = ports_.size() / 2, per = pairs / lcores.size(), extra = pairs % lcores.size(), next = 0;
    shares_.clear();
    shares_.reserve(lcores.size());
    Napi::Array used = Napi::Array::New(env);
    for (unsigned l : lcores) {
      size_t n = (per + (extra > 0 ? 1 : 0)) * 2;
      if (extra > 0) extra--;
      if (n == 0) continue;
      shares_.push_back({this, next, n});
      next += n;
      runner_.Launch(env, l, &SymmetricWorker::Loop, &shares_.back());
      used.Set(used.Length(), l);
    }
    return used;
  }

  // One round: a burst from this lcore's queue of each of its ports, sent
  // out of the port's pair (0 <-> 1, 2 <-> 3, ...) on the same queue.
  static int Loop(void* arg) {
    const Share* share = static_cast<const Share*>(arg);
    SymmetricWorker* self = share->self;
    SymSlot* slot = self->slot_;
    const uint16_t q = self->queue_;
    const size_t first = share->first, end = share->first + share->count;
    std::vector<RxQueue> inputs;
    for (size_t p = first; p < end; p++) inputs.push_back({self->ports_[p], q});
    IdlePolicy idle(self->idle_, inputs, first == 0 ? &slot->head.idle_policy : nullptr);
    struct rte_mbuf* bufs[kBurst];
    CaptureTap tap(slot->head.id);
    self->RunRounds(idle, slot->head, [&] {
      Round round = Round::kNothing;
      for (size_t p = first; p < end; p++) {
        const uint16_t src = self->ports_[p];
        const uint16_t dst = self->ports_[p ^ 1];
        const uint16_t rx = rte_eth_rx_burst(src, q, bufs, kBurst);
        if (rx == 0) continue;
        round = Round::kWork;
        slot->ports[src].rx += rx;
        if (unlikely(tap.On())) {
          tap.Rx(src, q, bufs, rx);
          tap.Tx(dst, q, bufs, rx);
        }
        const uint16_t tx = rte_eth_tx_burst(dst, q, bufs, rx);
        slot->ports[dst].tx += tx;
        if (tx < rx) {
          slot->ports[dst].drop += rx - tx;
          rte_pktmbuf_free_bulk(&bufs[tx], rx - tx);
        }
      }
      return round;
    });
    return 0;
  }

  std::vector<uint16_t> ports_;
  uint16_t queue_ = 0;
  IdleMode idle_ = IdleMode::kAdaptive;
  SymSlot* slot_ = nullptr;
  std::vector<Share> shares_;
};

void InitSymmetric(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "SymmetricWorker", SymmetricWorker::Define(env));
}

}  // namespace mpsh
