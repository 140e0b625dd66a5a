// client_server_mp: the server's port set-up and distribution loop, and the
// client's forwarding loop. Both loops are C++ on DPDK lcores.
#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "cs_layout.h"
#include "errors.h"
#include "lcore_runner.h"
#include "objects.h"
#include "ports.h"

namespace mpsh {

static constexpr uint16_t kBurst = 32;           // PACKET_READ_SIZE / PKT_READ_SIZE
static constexpr uint16_t kTxBufferSize = 32;    // MBQ_CAPACITY
static constexpr uint16_t kDescriptors = 1024;   // RTE_MP_RX/TX_DESC_DEFAULT
static constexpr uint64_t kIdleAfterUs = 200;
static constexpr uint64_t kMaxSleepUs = 1000;
static constexpr uint64_t kLivenessEveryUs = 10000;  // how often the server re-judges clients
static constexpr uint64_t kStalledAfterUs = 50000;   // a ring not drained this long: client gone

static uint64_t NowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

template <typename T>
static T* ZoneAs(const Napi::Object& o, const char* key, size_t need) {
  Napi::Value v = o.Get(key);
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(Memzone::ctor.Value()))
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Memzone");
  const rte_memzone* mz = Napi::ObjectWrap<Memzone>::Unwrap(v.As<Napi::Object>())->zone();
  if (mz->len < need) throw Napi::RangeError::New(o.Env(), std::string(key) + " memzone is too small");
  return static_cast<T*>(mz->addr);
}

// Back-off shared by both loops: spin while packets come, then sleep
// 10 us doubling to 1 ms once none came for 200 us.
class Backoff {
 public:
  Backoff() : idle_after_(rte_get_timer_hz() / 1000000 * kIdleAfterUs), last_(rte_get_timer_cycles()) {}
  void Busy() {
    last_ = rte_get_timer_cycles();
    sleep_us_ = 10;
  }
  // How long to sleep now: 0 while not idle.
  uint64_t Due() {
    if (rte_get_timer_cycles() - last_ < idle_after_) return 0;
    uint64_t us = sleep_us_;
    if (sleep_us_ < kMaxSleepUs) sleep_us_ = std::min(sleep_us_ * 2, kMaxSleepUs);
    return us;
  }
  // Returns true when it slept (the caller is idle).
  bool Idle() {
    uint64_t us = Due();
    if (us == 0) return false;
    struct timespec ts = {0, static_cast<long>(us * 1000)};
    nanosleep(&ts, nullptr);
    return true;
  }

 private:
  uint64_t idle_after_, last_, sleep_us_ = 10;
};

static long Futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  // Shared (not FUTEX_PRIVATE): the word lives in hugepage memory of several processes.
  return syscall(SYS_futex, addr, op, val, ts, nullptr, 0);
}

// setupServerPort(port, numClients, pool): as the stock mp_server's
// init_port: RSS mode, 1 RX queue, one TX queue per client, promiscuous.
static Napi::Value SetupServerPort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = static_cast<uint16_t>(ArgUint(info, 0, "port"));
  uint16_t clients = static_cast<uint16_t>(ArgUint(info, 1, "numClients"));
  rte_mempool* pool = Mempool::Unwrap(info[2])->pool();
  auto check = [&](int ret, const std::string& what) {
    if (ret < 0) throw MakeDpdkError(env, "port " + std::to_string(port) + ": " + what, -ret);
  };
  if (!rte_eth_dev_is_valid_port(port)) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
  struct rte_eth_conf conf;
  memset(&conf, 0, sizeof(conf));
  conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
  StopIfStartedHere(port);
  check(rte_eth_dev_configure(port, 1, clients, &conf), "cannot configure");
  uint16_t nb_rxd = kDescriptors, nb_txd = kDescriptors;
  check(rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd), "cannot adjust descriptors");
  check(rte_eth_rx_queue_setup(port, 0, nb_rxd, rte_eth_dev_socket_id(port), nullptr, pool), "cannot set up RX queue");
  for (uint16_t q = 0; q < clients; q++)
    check(rte_eth_tx_queue_setup(port, q, nb_txd, rte_eth_dev_socket_id(port), nullptr), "cannot set up TX queue");
  int ret = rte_eth_promiscuous_enable(port);
  if (ret != 0 && ret != -ENOTSUP) check(ret, "cannot enable promiscuous mode");
  check(rte_eth_dev_start(port), "cannot start");
  MarkStartedHere(port);
  return env.Undefined();
}

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
  virtual void Halt() {
    stop_.store(true);
    runner_.JoinAll();
  }
  Napi::Value StartOn(Napi::Env env, LoopFn fn) {
    if (runner_.Running()) throw Napi::Error::New(env, "already running");
    stop_.store(false);
    unsigned lcore = LcoreRunner::ForwardingLcores().front();
    runner_.Launch(env, lcore, fn, this);
    return Napi::Number::New(env, lcore);
  }
  bool Stopping() const { return stop_.load(std::memory_order_relaxed); }

  napi_env env_;
  std::atomic<bool> stop_{false};
  LcoreRunner runner_;
};

class ServerDistributor : public LoopObject<ServerDistributor> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ServerDistributor",
                       {InstanceMethod("start", &ServerDistributor::Start), InstanceMethod("stop", &ServerDistributor::Stop)});
  }

  // new ServerDistributor({ portInfo, stats, rings: Ring[], strict })
  explicit ServerDistributor(const Napi::CallbackInfo& info) : LoopObject(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "options object expected");
    Napi::Object o = info[0].As<Napi::Object>();
    ports_ = ZoneAs<PortInfo>(o, "portInfo", sizeof(PortInfo));
    stats_ = ZoneAs<CsStatsRegion>(o, "stats", sizeof(CsStatsRegion));
    Napi::Array rings = o.Get("rings").As<Napi::Array>();
    if (rings.Length() == 0 || rings.Length() > kMaxClients) throw Napi::RangeError::New(env, "1 to 16 client rings");
    for (uint32_t i = 0; i < rings.Length(); i++) rings_.push_back(Ring::Unwrap(rings.Get(i))->ring());
    strict_ = o.Get("strict").ToBoolean();
    if (ports_->num_ports == 0) throw Napi::Error::New(env, "port_info lists no ports");
  }

  ~ServerDistributor() override { Halt(); }

 private:
  Napi::Value Start(const Napi::CallbackInfo& info) { return StartOn(info.Env(), &ServerDistributor::Loop); }
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Halt();
    return info.Env().Undefined();
  }

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
    if (p.pid != 0 && p.role == kRoleClient) {
      const bool says_alive =
          p.state != kSlotStopped && (kill(static_cast<pid_t>(p.pid), 0) == 0 || errno == EPERM);
      return says_alive || moved;  // moved: a stock client drains this id now
    }
    return now - w.last_progress < stalled_cycles;
  }

  static int Loop(void* arg) {
    auto* self = static_cast<ServerDistributor*>(arg);
    PortInfo* ports = self->ports_;
    CsStatsRegion* stats = self->stats_;
    const uint32_t n_clients = static_cast<uint32_t>(self->rings_.size());
    const uint64_t hz = rte_get_timer_hz();
    const uint64_t judge_every = hz / 1000000 * kLivenessEveryUs;
    const uint64_t stalled = hz / 1000000 * kStalledAfterUs;
    std::vector<ClientWatch> watch(n_clients);
    std::vector<uint32_t> active;
    std::vector<std::vector<rte_mbuf*>> pending(n_clients);
    for (auto& v : pending) v.reserve(kBurst);
    uint64_t next_judgement = 0;
    uint32_t next_client = 0;
    uint16_t port_idx = 0;
    Backoff backoff;
    rte_mbuf* bufs[kBurst];
    while (!self->Stopping()) {
      uint64_t now = rte_get_timer_cycles();
      if (now >= next_judgement) {
        active.clear();
        uint64_t skipped = 0;
        for (uint32_t i = 0; i < n_clients; i++) {
          if (self->strict_ || self->Alive(i, watch[i], now, stalled)) active.push_back(i);
          else skipped |= 1ULL << i;
        }
        stats->skipped = skipped;
        stats->server.heartbeat_ns = NowNs(CLOCK_MONOTONIC);
        next_judgement = now + judge_every;
      }
      const uint16_t port = ports->id[port_idx];
      const uint16_t rx = rte_eth_rx_burst(port, 0, bufs, kBurst);
      if (rx > 0) {
        ports->rx_stats.rx[port_idx] += rx;
        stats->port_rx[port] += rx;
        if (active.empty()) {
          rte_pktmbuf_free_bulk(bufs, rx);
          stats->no_client_drop += rx;
        } else {
          // Round robin, packet by packet, over the clients judged alive.
          for (uint16_t i = 0; i < rx; i++) {
            if (next_client >= active.size()) next_client = 0;
            pending[active[next_client++]].push_back(bufs[i]);
          }
          for (uint32_t c = 0; c < n_clients; c++) {
            auto& q = pending[c];
            if (q.empty()) continue;
            if (rte_ring_enqueue_bulk(self->rings_[c], reinterpret_cast<void**>(q.data()), q.size(), nullptr) == 0) {
              rte_pktmbuf_free_bulk(q.data(), q.size());
              stats->client_rx_drop[c] += q.size();
            } else {
              stats->client_rx[c] += q.size();
              // An idle mpsh client sleeps on its wake word: wake it now rather
              // than let its ring fill while it sleeps out its back-off.
              CsProcess& cp = stats->clients[c];
              if (__atomic_load_n(&cp.sleeping, __ATOMIC_SEQ_CST)) {
                __atomic_add_fetch(&cp.wake_seq, 1, __ATOMIC_SEQ_CST);
                Futex(&cp.wake_seq, FUTEX_WAKE, INT32_MAX, nullptr);
              }
            }
            q.clear();
          }
        }
        backoff.Busy();
        if (stats->server.idle) stats->server.idle = 0;
      } else if (port_idx + 1u == ports->num_ports && backoff.Idle()) {
        stats->server.idle = 1;
      }
      if (++port_idx == ports->num_ports) port_idx = 0;
    }
    return 0;
  }

  PortInfo* ports_ = nullptr;
  CsStatsRegion* stats_ = nullptr;
  std::vector<rte_ring*> rings_;
  bool strict_ = false;
};

class ClientForwarder : public LoopObject<ClientForwarder> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "ClientForwarder",
                       {InstanceMethod("start", &ClientForwarder::Start), InstanceMethod("stop", &ClientForwarder::Stop)});
  }

  // new ClientForwarder({ clientId, ring, portInfo, stats })
  explicit ClientForwarder(const Napi::CallbackInfo& info) : LoopObject(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) throw Napi::TypeError::New(env, "options object expected");
    Napi::Object o = info[0].As<Napi::Object>();
    id_ = o.Get("clientId").ToNumber().Uint32Value();
    if (id_ >= kMaxClients) throw Napi::RangeError::New(env, "client id must be below 16");
    ring_ = Ring::Unwrap(o.Get("ring"))->ring();
    ports_ = ZoneAs<PortInfo>(o, "portInfo", sizeof(PortInfo));
    stats_ = ZoneAs<CsStatsRegion>(o, "stats", sizeof(CsStatsRegion));
    tx_ = &ports_->tx_stats[id_];
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

 private:
  struct DropCtx {
    volatile uint64_t* tx_drop;
  };

  Napi::Value Start(const Napi::CallbackInfo& info) { return StartOn(info.Env(), &ClientForwarder::Loop); }
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Halt();
    return info.Env().Undefined();
  }

  // Packets the port would not take: counted as tx_drop, freed.
  static void Unsent(rte_mbuf** pkts, uint16_t n, void* userdata) {
    *static_cast<DropCtx*>(userdata)->tx_drop += n;
    rte_pktmbuf_free_bulk(pkts, n);
  }

  void Forward(rte_mbuf* m) {
    uint16_t out = out_[m->port];
    tx_->tx[out] += rte_eth_tx_buffer(out, static_cast<uint16_t>(id_), buffers_[out], m);
  }

  void FlushAll() {
    for (uint16_t i = 0; i < ports_->num_ports; i++) {
      uint16_t p = ports_->id[i];
      tx_->tx[p] += rte_eth_tx_buffer_flush(p, static_cast<uint16_t>(id_), buffers_[p]);
    }
  }

  uint32_t Take(void** objs) {
    uint32_t n = rte_ring_dequeue_burst(ring_, objs, kBurst, nullptr);
    stats_->clients[id_].rx += n;
    for (uint32_t i = 0; i < n; i++) Forward(static_cast<rte_mbuf*>(objs[i]));
    return n;
  }

  static int Loop(void* arg) {
    auto* self = static_cast<ClientForwarder*>(arg);
    CsProcess& me = self->stats_->clients[self->id_];
    void* objs[kBurst];
    bool need_flush = false;
    uint32_t iter = 0;
    Backoff backoff;
    while (!self->Stopping()) {
      if ((++iter & 4095) == 0) me.heartbeat_ns = NowNs(CLOCK_MONOTONIC);
      if (self->Take(objs) > 0) {
        need_flush = true;
        backoff.Busy();
        if (me.idle) me.idle = 0;
        continue;
      }
      if (need_flush) {
        self->FlushAll();
        need_flush = false;
        continue;
      }
      if (uint64_t us = backoff.Due()) {
        me.idle = 1;
        me.heartbeat_ns = NowNs(CLOCK_MONOTONIC);
        // Sleep until the server wakes us (an mpsh server does after each
        // enqueue) or the back-off runs out (a stock server never wakes us).
        // `sleeping` is raised before the ring is re-checked, so a server
        // enqueueing after the check sees it and wakes us.
        __atomic_store_n(&me.sleeping, 1, __ATOMIC_SEQ_CST);
        uint32_t seq = __atomic_load_n(&me.wake_seq, __ATOMIC_SEQ_CST);
        if (rte_ring_empty(self->ring_)) {
          struct timespec ts = {0, static_cast<long>(us * 1000)};
          Futex(&me.wake_seq, FUTEX_WAIT, seq, &ts);
        }
        __atomic_store_n(&me.sleeping, 0, __ATOMIC_SEQ_CST);
      }
    }
    // Leaving: what is buffered goes out, and so does what waits in the
    // ring (once: a server still running may go on filling it).
    self->FlushAll();
    for (uint32_t left = rte_ring_count(self->ring_); left > 0;) {
      uint32_t n = self->Take(objs);
      if (n == 0) break;
      left = n >= left ? 0 : left - n;
    }
    self->FlushAll();
    return 0;
  }

  uint32_t id_ = 0;
  rte_ring* ring_ = nullptr;
  PortInfo* ports_ = nullptr;
  CsStatsRegion* stats_ = nullptr;
  volatile CsTxStats* tx_ = nullptr;
  uint16_t out_[RTE_MAX_ETHPORTS] = {};
  rte_eth_dev_tx_buffer* buffers_[RTE_MAX_ETHPORTS] = {};
  DropCtx drop_ctx_[RTE_MAX_ETHPORTS] = {};
};

void InitClientServer(Napi::Env env, Napi::Object exports) {
  exports.Set("setupServerPort", Napi::Function::New(env, SetupServerPort, "setupServerPort"));
  exports.Set("drainMbufRing", Napi::Function::New(env, DrainMbufRing, "drainMbufRing"));
  exports.Set("ServerDistributor", ServerDistributor::Define(env));
  exports.Set("ClientForwarder", ClientForwarder::Define(env));
}

}  // namespace mpsh
