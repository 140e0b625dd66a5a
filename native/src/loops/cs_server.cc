// client_server_mp's server: the distribution loop (C++ on a DPDK lcore)
// with liveness-aware round robin (its ports are set up in
// ports/port_setup.cc, as the stock mp_server's init does).
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "idle/idle_policy.h"
#include "idle/wake_word.h"
#include "js/errors.h"
#include "js/exports.h"
#include "kill_safety/cs_returns.h"
#include "kill_safety/pool_repair.h"
#include "layouts/cs_layout.h"
#include "loops/loop.h"
#include "observe/capture.h"
#include "ports/ports.h"

namespace mpsh {

static constexpr uint64_t kLivenessEveryUs = 10000;  // how often the server re-judges clients
static constexpr uint64_t kStalledAfterUs = 50000;   // a ring not drained this long: client gone

// drainMbufRing(ring): frees every mbuf left in a ring; returns how many.
static Napi::Value DrainMbufRing(const Napi::CallbackInfo& info) {
  rte_ring* ring = Ring::Unwrap(info[0])->ring();
  void* objs[kBurst];
  uint32_t total = 0, n;
  while ((n = rte_ring_dequeue_burst(ring, objs, kBurst, nullptr)) > 0) {
    rte_pktmbuf_free_bulk(reinterpret_cast<rte_mbuf**>(objs), n);
    total += n;
  }
  return Napi::Number::New(info.Env(), total);
}

// repairPoolRing(pool): { producerSlots, consumerSlots } (pool_repair.h).
// Called by a server before its first pool operation.
static Napi::Value RepairPoolRing(const Napi::CallbackInfo& info) {
  RingRepair done = RepairAbandonedPoolRing(Mempool::Unwrap(info[0])->pool());
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("producerSlots", done.producer_slots);
  out.Set("consumerSlots", done.consumer_slots);
  return out;
}

// Fault injection for tests (MPSH_TEST_DIE_IN_POOL_OP=<file>): die as a
// server SIGKILLed inside a pool ring enqueue does, with one slot reserved
// and never published; once (the file marks it done), so the server
// restarted after it lives.
static void DieInPoolOp(rte_mempool* pool) {
  const char* mark = getenv("MPSH_TEST_DIE_IN_POOL_OP");
  int fd = open(mark, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return;
  close(fd);
  auto* r = static_cast<rte_ring*>(pool->pool_data);
  __atomic_add_fetch(&r->prod.head, 1, __ATOMIC_ACQ_REL);
  raise(SIGKILL);
}

// Packets the server cannot hand on: through its kill-safe cache puts when
// it drains return rings (cs_returns.h), the usual way otherwise.
static inline void Drop(ReturnDrainer* returns, rte_mbuf** pkts, unsigned n) {
  if (returns != nullptr)
    returns->Free(pkts, n);
  else
    rte_pktmbuf_free_bulk(pkts, n);
}

class ServerDistributor : public LoopObject<ServerDistributor> {
 public:
  // new ServerDistributor({ portInfo, stats, rings: Ring[], strict, pool?, returnRings?: (Ring|null)[] })
  explicit ServerDistributor(const Napi::CallbackInfo& info) : LoopObject(info) {
    Napi::Env env = info.Env();
    Napi::Object o = ArgOptions(info);
    ports_ = OptZone<PortInfo>(o, "portInfo", sizeof(PortInfo));
    stats_ = OptZone<CsStatsRegion>(o, "stats", sizeof(CsStatsRegion));
    Napi::Array rings = OptArray(o, "rings");
    if (rings.Length() == 0 || rings.Length() > kMaxClients) throw Napi::RangeError::New(env, "1 to 16 client rings");
    for (uint32_t i = 0; i < rings.Length(); i++) rings_.push_back(Ring::Unwrap(rings.Get(i))->ring());
    strict_ = OptBool(o, "strict");
    idle_ = IdleModeOption(o);
    // The pool and the clients' return rings (null where a client has none).
    Napi::Value pool = o.Get("pool"), ret = o.Get("returnRings");
    if (!pool.IsUndefined() && !ret.IsUndefined()) {
      Napi::Array arr = OptArray(o, "returnRings");
      std::vector<rte_ring*> rr(rings_.size(), nullptr);
      for (uint32_t i = 0; i < arr.Length() && i < rr.size(); i++)
        if (!arr.Get(i).IsNull() && !arr.Get(i).IsUndefined()) rr[i] = Ring::Unwrap(arr.Get(i))->ring();
      pool_ = Mempool::Unwrap(pool)->pool();
      returns_ = std::make_unique<ReturnDrainer>(std::move(rr), pool_, stats_);
    }
    if (ports_->num_ports == 0) throw Napi::Error::New(env, "port_info lists no ports");
    for (uint16_t i = 0; i < ports_->num_ports; i++) rx_queues_[i] = std::max<uint16_t>(RxQueueCount(ports_->id[i]), 1);
  }

  ~ServerDistributor() override { Halt(); }

  static Napi::Function Define(Napi::Env env) {
    return DefineLoop(env, "ServerDistributor", &ServerDistributor::Start);
  }

 private:
  Napi::Value Start(const Napi::CallbackInfo& info) { return StartOn(info.Env(), &ServerDistributor::Loop); }

  struct ClientWatch {
    uint32_t last_tail = 0;
    uint64_t last_progress = 0;
  };

  // Whether client i should get packets: an mpsh client says so in its slot
  // (and its pid must be alive); any client, stock or not, that drains its
  // ring is alive; a ring left full and untouched means nobody is there.
  bool Alive(uint32_t i, ClientWatch& w, uint64_t now, uint64_t stalled_cycles) {
    rte_ring* r = rings_[i];
    const uint32_t tail = __atomic_load_n(&r->cons.tail, __ATOMIC_RELAXED);
    const bool moved = tail != w.last_tail;
    w.last_tail = tail;
    if (moved || rte_ring_empty(r)) w.last_progress = now;
    const CsProcess& p = stats_->clients[i];
    if (p.head.pid != 0 && p.head.role == kRoleClient) {
      // Judged as `ps` judges it: a process that lives is not enough, its
      // loop must beat (a SIGSTOPped client is skipped until it resumes).
      // A beat younger than one judgement proves life by itself (a zombie
      // beats no more); only an older one asks PidAlive, whose /proc read
      // then runs once per judgement and client, never per packet.
      const uint64_t silent_ns = NowNs(CLOCK_MONOTONIC) - p.head.heartbeat_ns;
      const bool beats = silent_ns < kStalledAfterMs * 1000000ULL;
      const bool says_alive =
          p.head.state != kSlotStopped && beats && (silent_ns < kLivenessEveryUs * 1000 || PidAlive(p.head.pid));
      return says_alive || moved;  // moved: a stock client drains this id now
    }
    return now - w.last_progress < stalled_cycles;
  }

  // Judges every client again (Alive), and takes the return rings of new
  // clients over (cs_returns.h); `active` becomes the clients to serve.
  void Judge(std::vector<ClientWatch>& watch, std::vector<uint32_t>& active, uint64_t now, uint64_t stalled) {
    if (returns_) returns_->Claim();
    active.clear();
    uint64_t skipped = 0;
    for (uint32_t i = 0; i < rings_.size(); i++) {
      if (strict_ || Alive(i, watch[i], now, stalled))
        active.push_back(i);
      else
        skipped |= 1ULL << i;
    }
    stats_->skipped = skipped;
  }

  // Hands a burst out, packet by packet round robin over the `active`
  // clients, one enqueue per client; what no client can take is dropped.
  void Distribute(rte_mbuf** bufs, uint16_t rx, const std::vector<uint32_t>& active, uint32_t& next_client,
                  std::vector<std::vector<rte_mbuf*>>& pending) {
    ReturnDrainer* returns = returns_.get();
    if (active.empty()) {
      Drop(returns, bufs, rx);
      stats_->no_client_drop += rx;
      return;
    }
    for (uint16_t i = 0; i < rx; i++) {
      if (next_client >= active.size()) next_client = 0;
      pending[active[next_client++]].push_back(bufs[i]);
    }
    for (uint32_t c = 0; c < pending.size(); c++) {
      auto& q = pending[c];
      if (q.empty()) continue;
      if (rte_ring_enqueue_bulk(rings_[c], reinterpret_cast<void**>(q.data()), q.size(), nullptr) == 0) {
        Drop(returns, q.data(), q.size());
        stats_->client_rx_drop[c] += q.size();
      } else {
        stats_->client_rx[c] += q.size();
        // An idle mpsh client sleeps on its wake word: wake it now rather
        // than let its ring fill while it sleeps out its back-off.
        WakeConsumer(&stats_->clients[c].wake);
      }
      q.clear();
    }
  }

  // An RX queue the server reads: `index` is the port's position in PortInfo::id.
  struct Input {
    uint16_t index, port, queue;
  };

  // One round: a burst from every queue of every port, distributed. Before
  // each burst the return rings are drained and, every kLivenessEveryUs,
  // the clients judged again. Idle only after a whole round brought
  // nothing: one quiet port must not put the server to sleep while another
  // has traffic.
  static int Loop(void* arg) {
    auto* self = static_cast<ServerDistributor*>(arg);
    PortInfo* ports = self->ports_;
    CsStatsRegion* stats = self->stats_;
    const uint64_t hz = rte_get_timer_hz();
    const uint64_t judge_every = hz / 1000000 * kLivenessEveryUs;
    const uint64_t stalled = hz / 1000000 * kStalledAfterUs;
    std::vector<ClientWatch> watch(self->rings_.size());
    std::vector<uint32_t> active;
    std::vector<std::vector<rte_mbuf*>> pending(self->rings_.size());
    for (auto& v : pending) v.reserve(kBurst);
    uint64_t next_judgement = 0;
    uint32_t next_client = 0;
    std::vector<Input> reads;
    std::vector<RxQueue> inputs;
    for (uint16_t i = 0; i < ports->num_ports; i++) {
      for (uint16_t q = 0; q < self->rx_queues_[i]; q++) {
        reads.push_back({i, ports->id[i], q});
        inputs.push_back({ports->id[i], q});
      }
    }
    IdlePolicy idle(self->idle_, inputs, &stats->server.head.idle_policy);
    rte_mbuf* bufs[kBurst];
    ReturnDrainer* returns = self->returns_.get();
    if (returns) returns->Begin();
    PrepareProducer();  // wakes without a fence per enqueue (wake_word.h)
    CaptureTap tap(kCaptureServerSlot);
    const bool die_in_pool_op = returns && getenv("MPSH_TEST_DIE_IN_POOL_OP") != nullptr;
    uint64_t busy_bursts = 0;
    self->RunRounds(idle, stats->server.head, [&] {
      Round round = Round::kNothing;
      for (const Input& in : reads) {
        const uint64_t now = rte_get_timer_cycles();
        if (returns) returns->Drain();
        if (now >= next_judgement) {
          self->Judge(watch, active, now, stalled);
          next_judgement = now + judge_every;
        }
        const uint16_t rx = rte_eth_rx_burst(in.port, in.queue, bufs, kBurst);
        if (rx == 0) continue;
        round = Round::kWork;
        if (unlikely(tap.On())) tap.Rx(in.port, in.queue, bufs, rx);
        ports->rx_stats.rx[in.index] += rx;
        stats->port_rx[in.port] += rx;
        self->Distribute(bufs, rx, active, next_client, pending);
        if (die_in_pool_op && ++busy_bursts == 100000) DieInPoolOp(self->pool_);
      }
      return round;
    });
    if (returns) returns->End();
    return 0;
  }

  PortInfo* ports_ = nullptr;
  CsStatsRegion* stats_ = nullptr;
  std::vector<rte_ring*> rings_;
  uint16_t rx_queues_[RTE_MAX_ETHPORTS] = {};  // by position in PortInfo::id
  bool strict_ = false;
  IdleMode idle_ = IdleMode::kAdaptive;
  std::unique_ptr<ReturnDrainer> returns_;
  rte_mempool* pool_ = nullptr;
};

void InitServer(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "drainMbufRing", DrainMbufRing, "repairPoolRing", RepairPoolRing, "ServerDistributor",
         ServerDistributor::Define(env));
}

}  // namespace mpsh
