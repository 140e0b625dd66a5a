// The symmetric workers' live counters in shared memory (memzone
// MPSH_SYM_STATS): one slot per proc-id, each a ProcessSlot header and the
// rx/tx/drop counters of every port. Any process of a file prefix can map
// it; the TypeScript side reads it through a zero-copy BigUint64Array using
// the offsets exported by statsLayout() (layout_exports.cc), so this header
// is the single definition of the layout. (The client-server layout is
// cs_layout.h; what both share is in process_slot.h.)
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

constexpr uint32_t kMaxSymProcs = 64;
constexpr const char* kSymPool = "SMP_MBUF_POOL";  // _SMP_MBUF_POOL in symmetric_mp's main.c

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
