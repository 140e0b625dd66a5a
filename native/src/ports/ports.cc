// Every ethdev port query JS makes, in one place: which ports there are
// (ethPorts, ethPortNames), their queues (portQueues), the device behind one
// (portDevice) and its kernel interface (portInterface). Set-ups are in
// port_setup.cc, device attach and detach in hotplug.cc.
#include <net/if.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>

#include <cstring>
#include <string>

#include "js/errors.h"
#include "js/exports.h"
#include "ports/ports.h"

namespace mpsh {

void RequireValidPort(Napi::Env env, uint16_t port) {
  if (!rte_eth_dev_is_valid_port(port)) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
}

void CheckPortCall(Napi::Env env, uint16_t port, int ret, const std::string& what) {
  if (ret < 0) throw MakeDpdkError(env, "port " + std::to_string(port) + ": " + what, -ret);
}

uint16_t RxQueueCount(uint16_t port) {
  struct rte_eth_dev_info dev;
  return rte_eth_dev_info_get(port, &dev) == 0 ? dev.nb_rx_queues : 0;
}

// [{ port, name, ...more(port) }] for every port this process can use. A
// port whose shared data the primary has released (its device removed, or
// the primary cleaned up) still looks attached here, with an empty name;
// its driver would read freed private data, so it is left out.
template <typename More>
static Napi::Array NamedPorts(Napi::Env env, More&& more) {
  Napi::Array out = Napi::Array::New(env);
  uint16_t pid;
  RTE_ETH_FOREACH_DEV(pid) {
    char name[RTE_ETH_NAME_MAX_LEN] = "";
    if (rte_eth_dev_get_name_by_port(pid, name) != 0 || name[0] == '\0') continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("port", pid);
    o.Set("name", name);
    more(pid, o);
    out.Set(out.Length(), o);
  }
  return out;
}

// ethPorts(): [{ port, name, driver }], the driver asked for its name.
static Napi::Value EthPorts(const Napi::CallbackInfo& info) {
  return NamedPorts(info.Env(), [](uint16_t pid, Napi::Object& o) {
    struct rte_eth_dev_info dev_info;
    if (rte_eth_dev_info_get(pid, &dev_info) == 0) o.Set("driver", dev_info.driver_name);
  });
}

// ethPortNames(): [{ port, name }], from shared data only (no driver call):
// cheap and safe to poll while other processes attach and detach.
static Napi::Value EthPortNames(const Napi::CallbackInfo& info) {
  return NamedPorts(info.Env(), [](uint16_t, Napi::Object&) {});
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

// portDevice(port): { port, name, device, bus, linkUp } — the device behind a
// port, which is what detach names (one device may carry several ports).
static Napi::Value PortDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t port = ArgUint(info, 0, "port");
  if (port >= RTE_MAX_ETHPORTS) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
  RequireValidPort(env, static_cast<uint16_t>(port));
  char name[RTE_ETH_NAME_MAX_LEN] = "";
  rte_eth_dev_get_name_by_port(static_cast<uint16_t>(port), name);
  if (name[0] == '\0') throw Napi::RangeError::New(env, "port " + std::to_string(port) + " has been released");
  struct rte_eth_dev_info dev_info;
  CheckPortCall(env, static_cast<uint16_t>(port), rte_eth_dev_info_get(static_cast<uint16_t>(port), &dev_info),
                "cannot get device info");
  Napi::Object o = Napi::Object::New(env);
  o.Set("port", port);
  o.Set("name", name);
  o.Set("device", dev_info.device != nullptr ? rte_dev_name(dev_info.device) : name);
  const struct rte_bus* bus = dev_info.device != nullptr ? rte_dev_bus(dev_info.device) : nullptr;
  o.Set("bus", bus != nullptr ? rte_bus_name(bus) : "");
  struct rte_eth_link link = {};
  o.Set("linkUp",
        rte_eth_link_get_nowait(static_cast<uint16_t>(port), &link) == 0 && link.link_status == RTE_ETH_LINK_UP);
  return o;
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
  Export(env, exports, "ethPorts", EthPorts, "ethPortNames", EthPortNames, "portQueues", PortQueues, "portDevice",
         PortDevice, "portInterface", PortInterface, "rxQueueFill", RxQueueFill);
}

}  // namespace mpsh
