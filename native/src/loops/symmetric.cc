// symmetric_mp: port set-up as the stock primary does it, and the forwarding
// loop every symmetric process runs on its own queue of every port.
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
#include "ports/ports.h"

namespace mpsh {

static constexpr uint16_t kRingSize = 1024;  // RX_RING_SIZE / TX_RING_SIZE

// setupSymmetricPort(port, numQueues, pool): [notes]. Mirrors the stock
// primary's smp_port_init: RSS on IP with checksum offload, falling back
// without checksum offload (-EINVAL), then without RSS (-ENOTSUP). A port
// already started (a previous spawn) is stopped and reconfigured.
static Napi::Value SetupSymmetricPort(const Napi::CallbackInfo& info) {
  PortSetup setup(info, "numQueues");
  const Napi::Env env = setup.env;
  const uint16_t port = setup.port, queues = setup.count;
  auto note = [&](const std::string& s) { setup.Note(s); };
  auto check = [&](int ret, const std::string& what) { setup.Check(ret, what); };

  struct rte_eth_conf conf;
  memset(&conf, 0, sizeof(conf));
  conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
  conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM;
  conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
  conf.txmode.mq_mode = RTE_ETH_MQ_TX_NONE;

  struct rte_eth_dev_info dev;
  check(rte_eth_dev_info_get(port, &dev), "cannot get device info");
  if (queues > dev.max_rx_queues || queues > dev.max_tx_queues)
    throw Napi::RangeError::New(env, "port " + std::to_string(port) + " supports at most " +
                                         std::to_string(std::min(dev.max_rx_queues, dev.max_tx_queues)) +
                                         " queues; asked for " + std::to_string(queues));
  dev.default_rxconf.rx_drop_en = 1;
  if (dev.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
    conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
  uint64_t wanted = conf.rx_adv_conf.rss_conf.rss_hf;
  conf.rx_adv_conf.rss_conf.rss_hf &= dev.flow_type_rss_offloads;
  if (conf.rx_adv_conf.rss_conf.rss_hf != wanted) note("RSS hash functions reduced to what the port supports");

  StopIfStartedHere(port);
  int ret = rte_eth_dev_configure(port, queues, queues, &conf);
  if (ret == -EINVAL) {
    note("configuration failed, retrying with HW checksum disabled");
    conf.rxmode.offloads &= ~RTE_ETH_RX_OFFLOAD_CHECKSUM;
    ret = rte_eth_dev_configure(port, queues, queues, &conf);
  }
  if (ret == -ENOTSUP) {
    note("configuration failed, retrying with HW RSS disabled");
    conf.rxmode.mq_mode = RTE_ETH_MQ_RX_NONE;
    ret = rte_eth_dev_configure(port, queues, queues, &conf);
  }
  check(ret, "cannot configure");
  struct rte_eth_rxconf rxq = dev.default_rxconf;
  rxq.offloads = conf.rxmode.offloads;
  struct rte_eth_txconf txq = dev.default_txconf;
  txq.offloads = conf.txmode.offloads;
  SetUpQueuesAndStart(env, port, queues, queues, kRingSize, setup.pool, &rxq, &txq);
  return setup.notes;
}

// portQueues(port): { rxQueues, txQueues, maxRxQueues, maxTxQueues, driver }
static Napi::Value PortQueues(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = static_cast<uint16_t>(ArgUint(info, 0, "port"));
  struct rte_eth_dev_info dev;
  int ret = rte_eth_dev_info_get(port, &dev);
  if (ret != 0) throw MakeDpdkError(env, "port " + std::to_string(port) + ": cannot get device info", -ret);
  Napi::Object o = Napi::Object::New(env);
  o.Set("rxQueues", dev.nb_rx_queues);
  o.Set("txQueues", dev.nb_tx_queues);
  o.Set("maxRxQueues", dev.max_rx_queues);
  o.Set("maxTxQueues", dev.max_tx_queues);
  o.Set("driver", dev.driver_name);
  return o;
}

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
  Export(env, exports, "setupSymmetricPort", SetupSymmetricPort, "portQueues", PortQueues, "SymmetricWorker",
         SymmetricWorker::Define(env));
}

}  // namespace mpsh
