// Shared-memory layouts of mpsh's live counters. Any process of a file
// prefix can map them; the TypeScript side reads them through a zero-copy
// BigUint64Array using the offsets exported by statsLayout() (stats.cc), so
// this header is the single definition of the layout.
//
// Writers: each slot is written only by the process that owns it (and each
// per-port counter only by the one lcore forwarding that port), so plain
// aligned 64-bit stores suffice; readers may see a counter one burst old.
#pragma once
#include <stdint.h>

#include <rte_common.h>
#include <rte_config.h>

namespace mpsh {

constexpr uint32_t kStatsMagic = 0x6d707368;  // "mpsh"
constexpr uint32_t kStatsVersion = 2;  // 2: client-server return rings
constexpr uint32_t kMaxSymProcs = 64;
constexpr uint32_t kMaxPorts = RTE_MAX_ETHPORTS;

// A running loop refreshes its heartbeat at least every few ms, busy or
// idle; this much silence means it hangs (stuck, or SIGSTOPped). `ps` shows
// such a process as stalled and the client-server distribution skips it.
constexpr uint64_t kStalledAfterMs = 2000;

enum SlotRole : uint32_t { kRoleSymmetric = 1, kRoleServer = 2, kRoleClient = 3 };
enum SlotState : uint32_t { kSlotEmpty = 0, kSlotStarting = 1, kSlotRunning = 2, kSlotStopped = 3 };

struct PortCounters {
  uint64_t rx;
  uint64_t tx;
  uint64_t drop;
};

// One per symmetric process, indexed by proc-id.
struct alignas(RTE_CACHE_LINE_SIZE) SymSlot {
  uint32_t state;         // SlotState
  uint32_t pid;
  uint32_t proc_id;
  uint32_t num_procs;
  uint32_t role;          // kRoleSymmetric
  uint32_t lcore;         // first forwarding lcore
  uint64_t started_ns;    // CLOCK_REALTIME when the slot was claimed
  uint64_t heartbeat_ns;  // CLOCK_MONOTONIC, refreshed by the forwarding loop
  uint64_t idle;          // 1 while the loop backs off for lack of packets
  uint64_t port_mask;     // ports this process forwards
  uint64_t idle_policy;   // IdleReport(): the loop's idle mode and what it waits on
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
