// Ethdev reads for any port of the prefix, whoever configured it: basic
// stats (with per-queue counters where the driver fills them), xstats, and
// what the port is (driver, queues, link, MAC, MTU, promiscuous). Thin and
// typed: counters are BigInt (64-bit), failures are DpdkErrors naming the
// port. These only read: a secondary may call them on a port the primary
// started and forwards on (the drivers' stats callbacks read shared data).
#include <rte_ethdev.h>

#include <string>
#include <vector>

#include "js/errors.h"
#include "js/exports.h"
#include "ports/ports.h"

namespace mpsh {

static uint16_t PortArg(const Napi::CallbackInfo& info) {
  uint32_t port = ArgUint(info, 0, "port");
  if (port >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port(static_cast<uint16_t>(port)))
    throw Napi::RangeError::New(info.Env(), "no port " + std::to_string(port));
  return static_cast<uint16_t>(port);
}

static Napi::Value Big(Napi::Env env, uint64_t v) { return Napi::BigInt::New(env, v); }

// One array of BigInts per queue counter, `n` queues long.
static Napi::Array QueueCounters(Napi::Env env, const uint64_t* values, uint16_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (uint16_t q = 0; q < n; q++) a.Set(q, Big(env, values[q]));
  return a;
}

// ethStats(port): rte_eth_stats_get as BigInts; the per-queue arrays cover
// the configured queues up to RTE_ETHDEV_QUEUE_STAT_CNTRS (16).
static Napi::Value EthStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = PortArg(info);
  rte_eth_stats s;
  CheckPortCall(env, port, rte_eth_stats_get(port, &s), "cannot read stats");
  rte_eth_dev_info dev;
  uint16_t rxq = 0, txq = 0;
  if (rte_eth_dev_info_get(port, &dev) == 0) {
    rxq = RTE_MIN(dev.nb_rx_queues, static_cast<uint16_t>(RTE_ETHDEV_QUEUE_STAT_CNTRS));
    txq = RTE_MIN(dev.nb_tx_queues, static_cast<uint16_t>(RTE_ETHDEV_QUEUE_STAT_CNTRS));
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("ipackets", Big(env, s.ipackets));
  o.Set("opackets", Big(env, s.opackets));
  o.Set("ibytes", Big(env, s.ibytes));
  o.Set("obytes", Big(env, s.obytes));
  o.Set("imissed", Big(env, s.imissed));
  o.Set("ierrors", Big(env, s.ierrors));
  o.Set("oerrors", Big(env, s.oerrors));
  o.Set("rxNombuf", Big(env, s.rx_nombuf));
  o.Set("qIpackets", QueueCounters(env, s.q_ipackets, rxq));
  o.Set("qIbytes", QueueCounters(env, s.q_ibytes, rxq));
  o.Set("qErrors", QueueCounters(env, s.q_errors, rxq));
  o.Set("qOpackets", QueueCounters(env, s.q_opackets, txq));
  o.Set("qObytes", QueueCounters(env, s.q_obytes, txq));
  return o;
}

// The two-call pattern of the xstats API: get(nullptr, 0) counts, get(buf,
// n) fills. What it returns is at most the count (a list that grew between
// the two calls is read whole next time).
template <typename T, typename Get>
static std::vector<T> ReadXstats(Napi::Env env, uint16_t port, Get get, const std::string& what) {
  int n = get(nullptr, 0);
  CheckPortCall(env, port, n, "cannot count " + what);
  std::vector<T> v(static_cast<size_t>(n));
  int got = get(v.data(), static_cast<unsigned>(n));
  CheckPortCall(env, port, got, "cannot read " + what);
  v.resize(static_cast<size_t>(RTE_MIN(got, n)));
  return v;
}

// ethXstatNames(port): the names, in id order (they change only when the
// port is reconfigured, so callers keep them and read values alone).
static Napi::Value EthXstatNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = PortArg(info);
  auto names = ReadXstats<rte_eth_xstat_name>(
      env, port, [port](rte_eth_xstat_name* b, unsigned n) { return rte_eth_xstats_get_names(port, b, n); },
      "xstat names");
  Napi::Array a = Napi::Array::New(env, names.size());
  for (size_t i = 0; i < names.size(); i++) a.Set(static_cast<uint32_t>(i), names[i].name);
  return a;
}

// ethXstats(port): the values in id order, a BigUint64Array (one copy).
static Napi::Value EthXstats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = PortArg(info);
  auto xs = ReadXstats<rte_eth_xstat>(
      env, port, [port](rte_eth_xstat* b, unsigned n) { return rte_eth_xstats_get(port, b, n); }, "xstats");
  const size_t got = xs.size();
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, got * sizeof(uint64_t));
  auto* out = static_cast<uint64_t*>(buf.Data());
  for (size_t i = 0; i < got; i++) out[i] = 0;
  for (const rte_eth_xstat& x : xs)
    if (x.id < got) out[x.id] = x.value;
  return Napi::TypedArrayOf<uint64_t>::New(env, got, buf, 0, napi_biguint64_array);
}

// ethInfo(port): { name, driver, rxQueues, txQueues, maxRxQueues,
// maxTxQueues, socket, mac, mtu, promiscuous, link: { up, speedMbps,
// duplex, autoneg } }. Parts a driver refuses are absent, not errors.
static Napi::Value EthInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = PortArg(info);
  rte_eth_dev_info dev;
  CheckPortCall(env, port, rte_eth_dev_info_get(port, &dev), "cannot read device info");
  Napi::Object o = Napi::Object::New(env);
  char name[RTE_ETH_NAME_MAX_LEN] = "";
  rte_eth_dev_get_name_by_port(port, name);
  o.Set("port", port);
  o.Set("name", name);
  o.Set("driver", dev.driver_name != nullptr ? dev.driver_name : "");
  o.Set("rxQueues", dev.nb_rx_queues);
  o.Set("txQueues", dev.nb_tx_queues);
  o.Set("maxRxQueues", dev.max_rx_queues);
  o.Set("maxTxQueues", dev.max_tx_queues);
  o.Set("socket", rte_eth_dev_socket_id(port));
  rte_ether_addr mac;
  if (rte_eth_macaddr_get(port, &mac) == 0) {
    char text[RTE_ETHER_ADDR_FMT_SIZE];
    rte_ether_format_addr(text, sizeof(text), &mac);
    o.Set("mac", text);
  }
  uint16_t mtu = 0;
  if (rte_eth_dev_get_mtu(port, &mtu) == 0) o.Set("mtu", mtu);
  int promisc = rte_eth_promiscuous_get(port);
  if (promisc >= 0) o.Set("promiscuous", promisc == 1);
  rte_eth_link link;
  if (rte_eth_link_get_nowait(port, &link) == 0) {
    Napi::Object l = Napi::Object::New(env);
    l.Set("up", link.link_status == RTE_ETH_LINK_UP);
    if (link.link_speed != RTE_ETH_SPEED_NUM_UNKNOWN) l.Set("speedMbps", link.link_speed);
    l.Set("fullDuplex", link.link_duplex == RTE_ETH_LINK_FULL_DUPLEX);
    l.Set("autoneg", link.link_autoneg == RTE_ETH_LINK_AUTONEG);
    o.Set("link", l);
  }
  return o;
}

void InitEthdevStats(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "ethStats", EthStats, "ethXstatNames", EthXstatNames, "ethXstats", EthXstats, "ethInfo",
         EthInfo);
}

}  // namespace mpsh
