// Ethernet port queries shared by every role.
#include <net/if.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>

#include <cstring>
#include <set>

#include "js/errors.h"
#include "js/exports.h"
#include "objects/objects.h"
#include "ports/ports.h"

namespace mpsh {

static std::set<uint16_t> g_started_here;

void StopIfStartedHere(uint16_t port) {
  if (g_started_here.erase(port)) rte_eth_dev_stop(port);
}

void MarkStartedHere(uint16_t port) { g_started_here.insert(port); }

void RequireValidPort(Napi::Env env, uint16_t port) {
  if (!rte_eth_dev_is_valid_port(port)) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
}

void CheckPortCall(Napi::Env env, uint16_t port, int ret, const std::string& what) {
  if (ret < 0) throw MakeDpdkError(env, "port " + std::to_string(port) + ": " + what, -ret);
}

PortSetup::PortSetup(const Napi::CallbackInfo& info, const char* count_name)
    : env(info.Env()),
      port(static_cast<uint16_t>(ArgUint(info, 0, "port"))),
      count(static_cast<uint16_t>(ArgUint(info, 1, count_name))),
      pool(Mempool::Unwrap(info[2])->pool()),
      notes(Napi::Array::New(info.Env())) {
  RequireValidPort(env, port);
}

void SetUpQueuesAndStart(Napi::Env env, uint16_t port, uint16_t rx, uint16_t tx, uint16_t descriptors,
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

// ethPorts(): [{ port, name, driver }] for every port this process can use.
static Napi::Value EthPorts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint16_t pid;
  uint32_t n = 0;
  RTE_ETH_FOREACH_DEV(pid) {
    Napi::Object o = Napi::Object::New(env);
    char name[RTE_ETH_NAME_MAX_LEN] = "";
    rte_eth_dev_get_name_by_port(pid, name);
    // A port whose shared data the primary has released (its device removed,
    // or the primary cleaned up) still looks attached here; its driver would
    // read freed private data.
    if (name[0] == '\0') continue;
    struct rte_eth_dev_info dev_info;
    o.Set("port", pid);
    o.Set("name", name);
    if (rte_eth_dev_info_get(pid, &dev_info) == 0) o.Set("driver", dev_info.driver_name);
    out.Set(n++, o);
  }
  return out;
}

// portInterface(port): { ifIndex, iface, here, indexHere } for a port backed by a
// kernel interface (net_tap): ifIndex as the driver found it at probe,
// iface from the devargs (iface=...) or null, and whether that interface is
// still in this process's network namespace. The tap driver sets its queues
// up by interface name in the caller's namespace: once the interface has
// moved elsewhere, set-up would quietly make a new one here. Null for ports
// with no kernel interface.
static Napi::Value PortInterface(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = static_cast<uint16_t>(ArgUint(info, 0, "port"));
  RequireValidPort(env, port);
  struct rte_eth_dev_info dev;
  if (rte_eth_dev_info_get(port, &dev) != 0 || dev.if_index == 0) return env.Null();
  std::string iface;
  const rte_devargs* da = dev.device != nullptr ? rte_dev_devargs(dev.device) : nullptr;
  if (da != nullptr && da->args != nullptr) {
    const char* at = strstr(da->args, "iface=");
    if (at != nullptr) iface.assign(at + 6, strcspn(at + 6, ","));
  }
  char here[IF_NAMESIZE] = "";
  bool present = if_indextoname(dev.if_index, here) != nullptr && (iface.empty() || iface == here);
  Napi::Object o = Napi::Object::New(env);
  o.Set("ifIndex", dev.if_index);
  o.Set("iface", iface.empty() ? env.Null() : Napi::String::New(env, iface));
  o.Set("here", present);
  // Non-zero and different from ifIndex: another interface of that name is here.
  o.Set("indexHere", iface.empty() ? 0u : if_nametoindex(iface.c_str()));
  return o;
}

// rxQueueFill(port): { rxQueues, queues } where queues is [{ descriptors,
// pool }] per rx queue when the driver reports them (rte_eth_rx_queue_info_get),
// or null when it does not (net_tap, net_null, net_ring, net_pcap): `pools`
// tells mbufs parked in rx descriptors from leaked ones with it.
static Napi::Value RxQueueFill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = static_cast<uint16_t>(ArgUint(info, 0, "port"));
  RequireValidPort(env, port);
  struct rte_eth_dev_info dev;
  Napi::Object o = Napi::Object::New(env);
  const uint16_t queues = rte_eth_dev_info_get(port, &dev) == 0 ? dev.nb_rx_queues : 0;
  o.Set("rxQueues", queues);
  Napi::Array list = Napi::Array::New(env);
  for (uint16_t q = 0; q < queues; q++) {
    struct rte_eth_rxq_info qi;
    if (rte_eth_rx_queue_info_get(port, q, &qi) != 0) {
      o.Set("queues", env.Null());
      return o;
    }
    Napi::Object e = Napi::Object::New(env);
    e.Set("descriptors", qi.nb_desc);
    e.Set("pool", qi.mp != nullptr ? Napi::Value(Napi::String::New(env, qi.mp->name)) : env.Null());
    list.Set(q, e);
  }
  o.Set("queues", list);
  return o;
}

void InitPorts(Napi::Env env, Napi::Object exports) {
  exports.Set("rxQueueFill", Napi::Function::New(env, RxQueueFill, "rxQueueFill"));
  exports.Set("ethPorts", Napi::Function::New(env, EthPorts, "ethPorts"));
  exports.Set("portInterface", Napi::Function::New(env, PortInterface, "portInterface"));
}

}  // namespace mpsh
