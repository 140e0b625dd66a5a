// Packet capture from any mpsh loop. The shell asks for it through a slot
// in the memzone MPSH_CAPTURE (one per symmetric proc-id, the server and
// each client); while the slot is active the loop copies what it handles
// (rte_pcapng_copy) into a capture pool and enqueues the copies on the
// slot's ring, which the shell drains into a pcapng file. Copying never
// blocks the loop: a copy that finds the pool empty or the ring full is
// counted as dropped. Off, a loop pays one load of a shared flag per burst.
//
// dpdk-pdump and dpdk-dumpcap cannot see what a secondary receives or sends
// on DPDK 22.11; this can, for every mpsh process.
#pragma once
#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_pcapng.h>
#include <rte_ring.h>

#include "layouts/cs_layout.h"
#include "layouts/symmetric_layout.h"

namespace mpsh {

constexpr const char* kCaptureZone = "MPSH_CAPTURE";
constexpr uint32_t kCaptureServerSlot = kMaxSymProcs;
constexpr uint32_t kCaptureSlots = kMaxSymProcs + 1 + kMaxClients;
constexpr uint32_t kCaptureAllPorts = UINT32_MAX;
constexpr uint32_t kCaptureRx = 1, kCaptureTx = 2;
constexpr uint16_t kPortOfEachMbuf = UINT16_MAX;  // Rx/Tx: each packet's own m->port
inline uint32_t CaptureSlotOfClient(uint32_t id) { return kMaxSymProcs + 1 + id; }

struct alignas(RTE_CACHE_LINE_SIZE) CaptureSlot {
  uint32_t active;      // a session number while capturing; 0: off
  uint32_t directions;  // kCaptureRx | kCaptureTx
  uint32_t port;        // kCaptureAllPorts, or one port id
  uint32_t snaplen;
  uint64_t limit;    // copies wanted in all; 0: no limit
  uint64_t copied;   // written by the loop
  uint64_t dropped;  // copies the loop could not make or hand over
  char ring[RTE_RING_NAMESIZE];
  char pool[RTE_MEMPOOL_NAMESIZE];
};

struct alignas(RTE_CACHE_LINE_SIZE) CaptureRegion {
  uint32_t magic;
  uint32_t version;
  CaptureSlot slots[kCaptureSlots];
};

// The loop's side: owned by one loop object, used on its lcore threads. A
// loop asks On() once per burst and copies only when it says so:
//   if (unlikely(tap.On())) { tap.Rx(...); tap.Tx(...); }
class CaptureTap {
 public:
  // Finds (or makes) the capture region now, so a capture asked for later is
  // seen at the next burst whatever the traffic.
  explicit CaptureTap(uint32_t slot) : index_(slot) { slot_ = FindSlot(slot, true); }

  inline bool On() {
    if (likely(slot_ != nullptr)) return __atomic_load_n(&slot_->active, __ATOMIC_RELAXED) != 0;
    // The region could not be made at start (memory): look now and then.
    if ((++lookups_ & 0x3fff) == 0) slot_ = FindSlot(index_, false);
    return false;
  }

  void Rx(uint16_t port, uint16_t queue, rte_mbuf* const* pkts, uint16_t n) { Copy(port, queue, pkts, n, kCaptureRx); }
  void Tx(uint16_t port, uint16_t queue, rte_mbuf* const* pkts, uint16_t n) { Copy(port, queue, pkts, n, kCaptureTx); }

 private:
  static CaptureSlot* FindSlot(uint32_t index, bool reserve);
  void Copy(uint16_t port, uint16_t queue, rte_mbuf* const* pkts, uint16_t n, uint32_t dir);

  uint32_t index_;
  CaptureSlot* slot_ = nullptr;
  uint32_t lookups_ = 0;
  uint32_t session_ = 0;
  rte_ring* ring_ = nullptr;
  rte_mempool* pool_ = nullptr;
};

}  // namespace mpsh
