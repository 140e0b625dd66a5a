// Exports the shared counter layouts (stats_layout.h) to TypeScript as byte
// offsets, so the JS reader never restates the C layout by hand.
#include <cstddef>

#include "errors.h"
#include "stats_layout.h"

namespace mpsh {

static_assert(sizeof(SymSlot) % RTE_CACHE_LINE_SIZE == 0, "slots must not share cache lines");
static_assert(offsetof(SymStatsRegion, slots) % RTE_CACHE_LINE_SIZE == 0, "slots must be cache aligned");

static Napi::Value StatsLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object sym = Napi::Object::New(env);
  sym.Set("zone", kSymStatsZone);
  sym.Set("size", sizeof(SymStatsRegion));
  sym.Set("magic", kStatsMagic);
  sym.Set("version", kStatsVersion);
  sym.Set("maxProcs", kMaxSymProcs);
  sym.Set("maxPorts", kMaxPorts);
  sym.Set("slotsOffset", offsetof(SymStatsRegion, slots));
  sym.Set("slotSize", sizeof(SymSlot));
  Napi::Object slot = Napi::Object::New(env);
  slot.Set("state", offsetof(SymSlot, state));
  slot.Set("pid", offsetof(SymSlot, pid));
  slot.Set("procId", offsetof(SymSlot, proc_id));
  slot.Set("numProcs", offsetof(SymSlot, num_procs));
  slot.Set("role", offsetof(SymSlot, role));
  slot.Set("lcore", offsetof(SymSlot, lcore));
  slot.Set("startedNs", offsetof(SymSlot, started_ns));
  slot.Set("heartbeatNs", offsetof(SymSlot, heartbeat_ns));
  slot.Set("idle", offsetof(SymSlot, idle));
  slot.Set("portMask", offsetof(SymSlot, port_mask));
  slot.Set("ports", offsetof(SymSlot, ports));
  slot.Set("portSize", sizeof(PortCounters));
  sym.Set("slot", slot);
  Napi::Object out = Napi::Object::New(env);
  out.Set("symmetric", sym);
  return out;
}

void InitStats(Napi::Env env, Napi::Object exports) {
  exports.Set("statsLayout", Napi::Function::New(env, StatsLayout, "statsLayout"));
}

}  // namespace mpsh
