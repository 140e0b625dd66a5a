// Whether a port is started, as the process that started it sees it.
//
// A secondary that did not start a port cannot ask ethdev whether some other
// process did: `dev_started` lives in the port's shared rte_eth_dev_data
// (the "rte_eth_dev_data" memzone every process of the prefix maps), and
// that struct is in ethdev_driver.h, which Debian does not ship. Its head is
// made of public types, so it is restated here up to the flags byte, for
// DPDK 22.11 only (ABI 23). Every reading is checked against what the entry
// must say about itself (its name and its port id): any mismatch, as under
// another DPDK, answers "unknown" rather than guessing.
#include <cstddef>
#include <cstring>
#include <string>

#include <rte_ethdev.h>
#include <rte_memzone.h>

#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

namespace {

// struct rte_eth_dev_data of DPDK 22.11 (lib/ethdev/ethdev_driver.h), as far
// as the flags byte.
struct EthDevDataHead {
  char name[RTE_ETH_NAME_MAX_LEN];
  void** rx_queues;
  void** tx_queues;
  uint16_t nb_rx_queues;
  uint16_t nb_tx_queues;
  struct rte_eth_dev_sriov sriov;
  void* dev_private;
  struct rte_eth_link dev_link;
  struct rte_eth_conf dev_conf;
  uint16_t mtu;
  uint32_t min_rx_buf_size;
  uint64_t rx_mbuf_alloc_failed;
  struct rte_ether_addr* mac_addrs;
  uint64_t mac_pool_sel[RTE_ETH_NUM_RECEIVE_MAC_ADDR];
  struct rte_ether_addr* hash_mac_addrs;
  uint16_t port_id;
  uint8_t flags;  // promiscuous:1, scattered_rx:1, all_multicast:1, dev_started:1, ...
};
constexpr uint8_t kDevStartedBit = 1u << 3;
// struct eth_dev_shared (lib/ethdev/ethdev_private.h): an owner id and a
// lock, then the cache-aligned array.
constexpr size_t kSharedHeader = RTE_CACHE_LINE_SIZE;

// The prefix's shared array of rte_eth_dev_data (the "rte_eth_dev_data"
// memzone), or {nullptr, 0} when its size does not fit the layout above.
struct SharedTable {
  const char* base;
  size_t stride;
  const EthDevDataHead* Entry(uint16_t port) const {
    return reinterpret_cast<const EthDevDataHead*>(base + kSharedHeader + port * stride);
  }
};

SharedTable FindSharedTable() {
  const struct rte_memzone* mz = rte_memzone_lookup("rte_eth_dev_data");
  if (mz == nullptr || mz->len <= kSharedHeader) return {nullptr, 0};
  const size_t stride = (mz->len - kSharedHeader) / RTE_MAX_ETHPORTS;
  if (stride < sizeof(EthDevDataHead) || stride % RTE_CACHE_LINE_SIZE != 0) return {nullptr, 0};
  return {static_cast<const char*>(mz->addr), stride};
}

// portStartedShared(port): true / false from the port's shared data, or
// null when this DPDK's layout is not the one restated above.
Napi::Value PortStartedShared(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint16_t port = static_cast<uint16_t>(ArgUint(info, 0, "port"));
  if (port >= RTE_MAX_ETHPORTS) return env.Null();
  const SharedTable table = FindSharedTable();
  if (table.base == nullptr) return env.Null();
  const EthDevDataHead* entry = table.Entry(port);
  char name[RTE_ETH_NAME_MAX_LEN] = "";
  if (rte_eth_dev_get_name_by_port(port, name) != 0 || name[0] == '\0') return env.Null();
  if (entry->port_id != port || strncmp(entry->name, name, sizeof(name)) != 0) return env.Null();
  return Napi::Boolean::New(env, (entry->flags & kDevStartedBit) != 0);
}

// sharedPortNames(): [{ port, name }] of every port the prefix's shared
// table holds, which is the primary's port table (the primary clears an
// entry when it releases the port; a secondary never does), or null when
// this DPDK's layout is not the one restated above. How a secondary sees a
// port the primary kept after a failed hotplug that it lacks itself.
Napi::Value SharedPortNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const SharedTable table = FindSharedTable();
  if (table.base == nullptr) return env.Null();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (uint16_t port = 0; port < RTE_MAX_ETHPORTS; port++) {
    const EthDevDataHead* entry = table.Entry(port);
    if (entry->name[0] == '\0') continue;
    // An entry in use names its own index: anything else is another layout.
    if (entry->port_id != port || memchr(entry->name, '\0', sizeof(entry->name)) == nullptr) return env.Null();
    Napi::Object p = Napi::Object::New(env);
    p.Set("port", port);
    p.Set("name", std::string(entry->name));
    out.Set(n++, p);
  }
  return out;
}

}  // namespace

void InitPortState(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "portStartedShared", PortStartedShared);
  Export(env, exports, "sharedPortNames", SharedPortNames);
}

}  // namespace mpsh
