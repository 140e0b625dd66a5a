// client_server_mp's shared memory. `PortInfo` is the stock sample's
// `struct port_info` (shared/common.h) byte for byte, so stock servers and
// clients read and write the same memzone `MProc_port_info`; the offsets are
// checked at compile time. `CsStatsRegion` (memzone MPSH_CS_STATS) is mpsh's
// own: who is alive, and the per-client counters the stock server keeps in
// private memory.
#pragma once
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_config.h>

#include "idle/wake_word.h"
#include "layouts/process_slot.h"

namespace mpsh {

constexpr uint32_t kMaxClients = 16;  // MAX_CLIENTS in common.h
constexpr const char* kPortInfoZone = "MProc_port_info";
constexpr const char* kCsStatsZone = "MPSH_CS_STATS";
constexpr const char* kCsPool = "MProc_pktmbuf_pool";

struct alignas(RTE_CACHE_LINE_SIZE) CsRxStats {
  uint64_t rx[RTE_MAX_ETHPORTS];  // indexed by position in PortInfo::id, not port id
};
struct alignas(RTE_CACHE_LINE_SIZE) CsTxStats {
  uint64_t tx[RTE_MAX_ETHPORTS];  // indexed by port id
  uint64_t tx_drop[RTE_MAX_ETHPORTS];
};
struct PortInfo {
  uint16_t num_ports;
  uint16_t id[RTE_MAX_ETHPORTS];
  volatile CsRxStats rx_stats;
  volatile CsTxStats tx_stats[kMaxClients];
};

// The stock layout, restated from first principles: a change in either
// definition or in DPDK's constants breaks the build, not the peer.
constexpr size_t AlignUp(size_t n, size_t a) { return (n + a - 1) / a * a; }
static_assert(offsetof(PortInfo, id) == 2, "port_info.id");
static_assert(offsetof(PortInfo, rx_stats) == AlignUp(2 + 2 * RTE_MAX_ETHPORTS, RTE_CACHE_LINE_SIZE),
              "port_info.rx_stats");
static_assert(offsetof(PortInfo, tx_stats) ==
                  offsetof(PortInfo, rx_stats) + AlignUp(8 * RTE_MAX_ETHPORTS, RTE_CACHE_LINE_SIZE),
              "port_info.tx_stats");
static_assert(sizeof(CsTxStats) == AlignUp(16 * RTE_MAX_ETHPORTS, RTE_CACHE_LINE_SIZE), "tx_stats size");
static_assert(sizeof(PortInfo) == offsetof(PortInfo, tx_stats) + kMaxClients * sizeof(CsTxStats), "port_info size");

// One process's identity and liveness, written by that process only; and
// the word its producer wakes it through, on a line of its own: in the
// client's line, the server's wake-ups and the client's `rx` made one line
// bounce between their cores on every burst.
struct alignas(RTE_CACHE_LINE_SIZE) CsProcess {
  ProcessSlot head;                            // role kRoleServer / kRoleClient, id = client id
  uint64_t rx;                                 // client: packets taken from its ring
  alignas(RTE_CACHE_LINE_SIZE) WakeWord wake;  // an mpsh server wakes an idle client through it
};

// Return rings (cs_returns.h): who drains each client's, and what went through it.
struct alignas(RTE_CACHE_LINE_SIZE) CsReturnSlot {
  uint32_t drainer;  // pid of the process consuming this client's return ring; 0: none
  uint32_t reserved0;
  uint64_t returned;    // mbufs the client handed back through its return ring
  uint64_t distrusted;  // mbufs a client found in its lcore cache at start and dropped (cache of unknown keeper)
  uint64_t reclaimed;   // mbufs a client found in its lcore cache at start, left by a dead mpsh process, and kept
};
struct alignas(RTE_CACHE_LINE_SIZE) CsReturns {
  uint32_t on;  // 1 while an mpsh server drains the return rings
  uint32_t reserved0;
  uint64_t server_reclaimed;  // the same as CsReturnSlot::reclaimed, found by a starting server
  CsReturnSlot slots[kMaxClients];
  // Per lcore id: pid of the last mpsh process whose puts keep that lcore's
  // cache of the pool trustworthy (cache_reclaim.h); 0: unknown.
  uint32_t cache_keeper[RTE_MAX_LCORE];
};

struct alignas(RTE_CACHE_LINE_SIZE) CsStatsRegion {
  uint32_t magic;
  uint32_t version;
  uint32_t num_clients;
  uint32_t strict;  // 1: round robin over every client, as stock does
  CsProcess server;
  CsProcess clients[kMaxClients];
  // Written by the server only.
  alignas(RTE_CACHE_LINE_SIZE) uint64_t client_rx[kMaxClients];
  alignas(RTE_CACHE_LINE_SIZE) uint64_t client_rx_drop[kMaxClients];
  alignas(RTE_CACHE_LINE_SIZE) uint64_t port_rx[kMaxPorts];  // by port id
  alignas(RTE_CACHE_LINE_SIZE) uint64_t skipped;             // bit i: client i is being skipped
  uint64_t no_client_drop;                                   // packets with no live client to go to
  CsReturns returns;
};

}  // namespace mpsh
