// client_server_mp's client: takes bursts from its ring and sends each
// packet out of the paired port on its own TX queue, with buffered TX
// (C++ on a DPDK lcore). An idle client sleeps on a futex the server wakes.
#include <signal.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "idle/idle_policy.h"
#include "js/errors.h"
#include "js/exports.h"
#include "kill_safety/cs_returns.h"
#include "layouts/cs_layout.h"
#include "loops/loop.h"
#include "observe/capture.h"
#include "ports/ports.h"

namespace mpsh {

static constexpr uint16_t kTxBufferSize = 32;  // MBQ_CAPACITY

class ClientForwarder : public LoopObject<ClientForwarder> {
 public:
  // new ClientForwarder({ clientId, ring, portInfo, stats, pool?, returnRing? })
  explicit ClientForwarder(const Napi::CallbackInfo& info) : LoopObject(info) {
    Napi::Env env = info.Env();
    Napi::Object o = ArgOptions(info);
    id_ = OptUint(o, "clientId");
    if (id_ >= kMaxClients) throw Napi::RangeError::New(env, "client id must be below 16");
    tap_ = CaptureTap(CaptureSlotOfClient(id_));
    ring_ = Ring::Unwrap(o.Get("ring"))->ring();
    ports_ = OptZone<PortInfo>(o, "portInfo", sizeof(PortInfo));
    stats_ = OptZone<CsStatsRegion>(o, "stats", sizeof(CsStatsRegion));
    // Without both (a group a stock server made), mbufs go back the stock way.
    Napi::Value pool = o.Get("pool"), ret = o.Get("returnRing");
    if (!pool.IsUndefined() && !ret.IsUndefined() && !ret.IsNull())
      returns_ = std::make_unique<ReturnSender>(Ring::Unwrap(ret)->ring(), Mempool::Unwrap(pool)->pool(), stats_, id_);
    tx_ = &ports_->tx_stats[id_];
    idle_ = IdleModeOption(o);
    // Ports pair up as in the stock client: id[0] <-> id[1], id[2] <-> id[3], ...
    for (uint16_t i = 0; i + 1 < ports_->num_ports; i += 2) {
      out_[ports_->id[i]] = ports_->id[i + 1];
      out_[ports_->id[i + 1]] = ports_->id[i];
    }
    for (uint16_t i = 0; i < ports_->num_ports; i++) {
      uint16_t p = ports_->id[i];
      auto* b = static_cast<rte_eth_dev_tx_buffer*>(
          rte_zmalloc_socket("mpsh_tx_buffer", RTE_ETH_TX_BUFFER_SIZE(kTxBufferSize), 0, rte_eth_dev_socket_id(p)));
      if (b == nullptr) throw Napi::Error::New(env, "cannot allocate a TX buffer for port " + std::to_string(p));
      rte_eth_tx_buffer_init(b, kTxBufferSize);
      drop_ctx_[p] = {&tx_->tx_drop[p]};
      rte_eth_tx_buffer_set_err_callback(b, &ClientForwarder::Unsent, &drop_ctx_[p]);
      buffers_[p] = b;
    }
  }

  ~ClientForwarder() override {
    Halt();
    for (auto* b : buffers_) rte_free(b);
  }

  static Napi::Function Define(Napi::Env env) { return DefineLoop(env, "ClientForwarder", &ClientForwarder::Start); }

 private:
  struct DropCtx {
    volatile uint64_t* tx_drop;
  };

  Napi::Value Start(const Napi::CallbackInfo& info) { return StartOn(info.Env(), &ClientForwarder::Loop); }

  // Packets the port would not take: counted as tx_drop, freed.
  static void Unsent(rte_mbuf** pkts, uint16_t n, void* userdata) {
    *static_cast<DropCtx*>(userdata)->tx_drop += n;
    rte_pktmbuf_free_bulk(pkts, n);
  }

  void Forward(rte_mbuf* m) {
    uint16_t out = out_[m->port];
    // Shared counters are written once per flushed burst, not per packet.
    if (uint16_t sent = rte_eth_tx_buffer(out, static_cast<uint16_t>(id_), buffers_[out], m)) tx_->tx[out] += sent;
  }

  void FlushAll() {
    for (uint16_t i = 0; i < ports_->num_ports; i++) {
      uint16_t p = ports_->id[i];
      if (uint16_t sent = rte_eth_tx_buffer_flush(p, static_cast<uint16_t>(id_), buffers_[p])) tx_->tx[p] += sent;
    }
  }

  // What it took (on the port each came in) and where each goes out.
  void Capture(rte_mbuf** pkts, uint16_t n) {
    tap_.Rx(kPortOfEachMbuf, 0, pkts, n);
    for (uint16_t i = 0; i < n; i++) tap_.Tx(out_[pkts[i]->port], static_cast<uint16_t>(id_), &pkts[i], 1);
  }

  uint32_t Take(void** objs) {
    uint32_t n = rte_ring_dequeue_burst(ring_, objs, kBurst, nullptr);
    if (n == 0) return 0;  // an empty poll writes no shared line
    stats_->clients[id_].rx += n;
    if (unlikely(tap_.On())) Capture(reinterpret_cast<rte_mbuf**>(objs), static_cast<uint16_t>(n));
    for (uint32_t i = 0; i < n; i++) Forward(static_cast<rte_mbuf*>(objs[i]));
    return n;
  }

  // Fault injection for tests (MPSH_TEST_DIE_WITH_CACHE=<n>): the client
  // stops pushing 200 ms after it started forwarding (so that its start is
  // seen) and SIGKILLs itself once its lcore cache holds n mbufs (below the
  // push threshold): every kill leaves a cache of n or more for its
  // successor to take over.
  static uint32_t DieWithCacheAt() {
    const char* v = getenv("MPSH_TEST_DIE_WITH_CACHE");
    const long n = v != nullptr ? strtol(v, nullptr, 10) : 0;
    return n > 0 && n < static_cast<long>(kPushAt) ? static_cast<uint32_t>(n) : 0;
  }

  // One round: a burst from the ring, forwarded; once the ring is empty,
  // what TX buffered goes out (and the sent mbufs go back) before the loop
  // may wait.
  static int Loop(void* arg) {
    auto* self = static_cast<ClientForwarder*>(arg);
    CsProcess& me = self->stats_->clients[self->id_];
    void* objs[kBurst];
    bool need_flush = false;
    // Sleeps until the server wakes us (an mpsh server does after each
    // enqueue), or a bounded wait runs out (a stock server never wakes us).
    IdlePolicy idle(self->idle_, &me.wake, self->ring_, 1000, &me.head.idle_policy);
    ReturnSender* returns = self->returns_.get();
    if (returns) returns->Begin();
    const uint32_t die_at = returns ? DieWithCacheAt() : 0;
    const uint64_t die_armed = rte_get_timer_cycles() + rte_get_timer_hz() / 5;
    self->RunRounds(idle, me.head, [&] {
      if (self->Take(objs) > 0) {
        if (unlikely(die_at != 0) && rte_get_timer_cycles() > die_armed) {
          // Armed, pushes are held back until the cache holds n: whatever the load, every kill leaves n.
          if (returns->CacheLen() >= die_at) raise(SIGKILL);
        } else if (returns) {
          returns->Send(false);
        }
        need_flush = true;
        return Round::kWork;
      }
      if (!need_flush) return Round::kNothing;
      self->FlushAll();
      if (returns && (die_at == 0 || rte_get_timer_cycles() <= die_armed)) returns->Send(true);
      need_flush = false;
      return Round::kPending;
    });
    // Leaving: what is buffered goes out, and so does what waits in the
    // ring (once: a server still running may go on filling it).
    self->FlushAll();
    for (uint32_t left = rte_ring_count(self->ring_); left > 0;) {
      uint32_t n = self->Take(objs);
      if (n == 0) break;
      left = n >= left ? 0 : left - n;
    }
    self->FlushAll();
    if (returns) returns->End();
    return 0;
  }

  uint32_t id_ = 0;
  IdleMode idle_ = IdleMode::kAdaptive;
  rte_ring* ring_ = nullptr;
  PortInfo* ports_ = nullptr;
  CsStatsRegion* stats_ = nullptr;
  volatile CsTxStats* tx_ = nullptr;
  uint16_t out_[RTE_MAX_ETHPORTS] = {};
  rte_eth_dev_tx_buffer* buffers_[RTE_MAX_ETHPORTS] = {};
  DropCtx drop_ctx_[RTE_MAX_ETHPORTS] = {};
  std::unique_ptr<ReturnSender> returns_;
  CaptureTap tap_{0};  // set to this client's slot in the constructor
};

void InitClient(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "ClientForwarder", ClientForwarder::Define(env));
}

}  // namespace mpsh
