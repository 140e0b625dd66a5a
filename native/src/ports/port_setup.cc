// Port set-up, one function per role as its stock sample does it:
// setupSymmetricPort (symmetric_mp's smp_port_init) and setupServerPort
// (client_server_mp's init_port), both ending in the same queue set-up and
// start. A port this process started (an earlier spawn) is stopped before
// it is configured again, and before its device is detached.
#include <rte_ethdev.h>
#include <rte_mempool.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>

#include "js/errors.h"
#include "js/exports.h"
#include "objects/objects.h"
#include "ports/ports.h"

namespace mpsh {

static constexpr uint16_t kSymmetricRingSize = 1024;  // symmetric_mp's RX_RING_SIZE / TX_RING_SIZE
static constexpr uint16_t kServerDescriptors = 1024;  // mp_server's RTE_MP_RX/TX_DESC_DEFAULT

// A port this process started (an earlier spawn) must be stopped before it
// can be reconfigured; one it never started is left alone (stopping an
// unstarted port only makes ethdev complain).
static std::set<uint16_t> g_started_here;

static void StopIfStartedHere(uint16_t port) {
  if (g_started_here.erase(port)) rte_eth_dev_stop(port);
}

static void MarkStartedHere(uint16_t port) { g_started_here.insert(port); }

// The arguments of every port set-up, (port, count, pool), checked (the
// port must exist), and the notes it returns to JS.
struct PortSetup {
  PortSetup(const Napi::CallbackInfo& info, const char* count_name);
  void Note(const std::string& text) { notes.Set(notes.Length(), text); }
  void Check(int ret, const std::string& what) const { CheckPortCall(env, port, ret, what); }
  Napi::Env env;
  uint16_t port;
  uint16_t count;
  rte_mempool* pool;
  Napi::Array notes;
};

PortSetup::PortSetup(const Napi::CallbackInfo& info, const char* count_name)
    : env(info.Env()),
      port(static_cast<uint16_t>(ArgUint(info, 0, "port"))),
      count(static_cast<uint16_t>(ArgUint(info, 1, count_name))),
      pool(Mempool::Unwrap(info[2])->pool()),
      notes(Napi::Array::New(info.Env())) {
  RequireValidPort(env, port);
}

// The end of every port set-up, once the port is configured: `rx` RX
// queues fed from `pool` and `tx` TX queues of `descriptors` descriptors
// (as the port adjusts them; confs null for the driver's defaults),
// promiscuous mode where the port has it, then start.
static void SetUpQueuesAndStart(Napi::Env env, uint16_t port, uint16_t rx, uint16_t tx, uint16_t descriptors,
                                rte_mempool* pool, const rte_eth_rxconf* rxconf, const rte_eth_txconf* txconf) {
  auto check = [&](int ret, const std::string& what) { CheckPortCall(env, port, ret, what); };
  uint16_t nb_rxd = descriptors, nb_txd = descriptors;
  check(rte_eth_dev_adjust_nb_rx_tx_desc(port, &nb_rxd, &nb_txd), "cannot adjust descriptors");
  const int socket = rte_eth_dev_socket_id(port);
  for (uint16_t q = 0; q < rx; q++)
    check(rte_eth_rx_queue_setup(port, q, nb_rxd, socket, rxconf, pool), "cannot set up RX queue");
  for (uint16_t q = 0; q < tx; q++)
    check(rte_eth_tx_queue_setup(port, q, nb_txd, socket, txconf), "cannot set up TX queue");
  int ret = rte_eth_promiscuous_enable(port);
  if (ret != 0 && ret != -ENOTSUP) check(ret, "cannot enable promiscuous mode");
  check(rte_eth_dev_start(port), "cannot start");
  MarkStartedHere(port);
}

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
  SetUpQueuesAndStart(env, port, queues, queues, kSymmetricRingSize, setup.pool, &rxq, &txq);
  return setup.notes;
}

// setupServerPort(port, numClients, pool): [notes]. As the stock
// mp_server's init_port: RSS mode, 1 RX queue, one TX queue per client,
// promiscuous. A port that needs as many RX as TX queues (net_tap) gets one
// RX queue per client instead; the server reads every one of them.
static Napi::Value SetupServerPort(const Napi::CallbackInfo& info) {
  PortSetup setup(info, "numClients");
  const Napi::Env env = setup.env;
  const uint16_t port = setup.port, clients = setup.count;
  struct rte_eth_conf conf;
  memset(&conf, 0, sizeof(conf));
  conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
  StopIfStartedHere(port);
  uint16_t rx_queues = 1;
  int ret = rte_eth_dev_configure(port, rx_queues, clients, &conf);
  if (ret < 0 && clients > 1 && rte_eth_dev_configure(port, clients, clients, &conf) == 0) {
    rx_queues = clients;
    ret = 0;
    setup.Note("the port needs as many RX queues as TX queues: " + std::to_string(clients) +
               " RX queues, the server reads them all");
  }
  if (ret < 0) {
    throw MakeDpdkError(env,
                        "port " + std::to_string(port) + ": cannot configure 1 RX queue and " +
                            std::to_string(clients) + " TX queues (one per client)" +
                            (clients > 1 ? ", nor as many RX as TX queues" : ""),
                        -ret);
  }
  SetUpQueuesAndStart(env, port, rx_queues, clients, kServerDescriptors, setup.pool, nullptr, nullptr);
  return setup.notes;
}

// stopPortIfStartedHere(port): a port this process configured and started
// (an earlier spawn) is stopped before its device goes.
static Napi::Value StopPortIfStartedHere(const Napi::CallbackInfo& info) {
  uint32_t port = ArgUint(info, 0, "port");
  if (port < RTE_MAX_ETHPORTS) StopIfStartedHere(static_cast<uint16_t>(port));
  return info.Env().Undefined();
}

void InitPortSetup(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "setupSymmetricPort", SetupSymmetricPort, "setupServerPort", SetupServerPort,
         "stopPortIfStartedHere", StopPortIfStartedHere);
}

}  // namespace mpsh
