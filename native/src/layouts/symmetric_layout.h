// Shared-memory layouts of mpsh's live counters. Any process of a file
// prefix can map them; the TypeScript side reads them through a zero-copy
// BigUint64Array using the offsets exported by statsLayout() (layout_exports.cc), so
// this header is the single definition of the layout.
//
// Writers: each slot is written only by the process that owns it (and each
// per-port counter only by the one lcore forwarding that port), so plain
// aligned 64-bit stores suffice; readers may see a counter one burst old.
#pragma once
#include <stdint.h>

#include <rte_common.h>
#include <rte_config.h>

#include "layouts/process_slot.h"

namespace mpsh {

constexpr uint32_t kStatsMagic = 0x6d707368;  // "mpsh"
constexpr uint32_t kStatsVersion =
    4;  // 2: client-server return rings; 3: every slot starts with a ProcessSlot; 4: cache keepers
constexpr uint32_t kMaxSymProcs = 64;
constexpr uint32_t kMaxPorts = RTE_MAX_ETHPORTS;

struct PortCounters {
  uint64_t rx;
  uint64_t tx;
  uint64_t drop;
};

// One per symmetric process, indexed by proc-id.
struct alignas(RTE_CACHE_LINE_SIZE) SymSlot {
  ProcessSlot head;  // role kRoleSymmetric, id = proc-id
  uint32_t num_procs;
  uint32_t lcore;      // first forwarding lcore
  uint64_t port_mask;  // ports this process forwards
  alignas(RTE_CACHE_LINE_SIZE) PortCounters ports[kMaxPorts];
};

struct alignas(RTE_CACHE_LINE_SIZE) SymStatsRegion {
  uint32_t magic;
  uint32_t version;
  uint32_t max_procs;
  uint32_t max_ports;
  alignas(RTE_CACHE_LINE_SIZE) SymSlot slots[kMaxSymProcs];
};

constexpr const char* kSymStatsZone = "MPSH_SYM_STATS";

}  // namespace mpsh
