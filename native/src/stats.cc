// Exports the shared counter layouts (stats_layout.h) to TypeScript as byte
// offsets, so the JS reader never restates the C layout by hand.
#include <cstddef>

#include "errors.h"
#include "cs_layout.h"
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
  slot.Set("idlePolicy", offsetof(SymSlot, idle_policy));
  slot.Set("ports", offsetof(SymSlot, ports));
  slot.Set("portSize", sizeof(PortCounters));
  sym.Set("slot", slot);
  Napi::Object pi = Napi::Object::New(env);
  pi.Set("zone", kPortInfoZone);
  pi.Set("size", sizeof(PortInfo));
  pi.Set("numPorts", offsetof(PortInfo, num_ports));
  pi.Set("id", offsetof(PortInfo, id));
  pi.Set("rx", offsetof(PortInfo, rx_stats));
  pi.Set("txStats", offsetof(PortInfo, tx_stats));
  pi.Set("txStatsSize", sizeof(CsTxStats));
  pi.Set("txDrop", offsetof(CsTxStats, tx_drop));
  Napi::Object proc = Napi::Object::New(env);
  proc.Set("size", sizeof(CsProcess));
  proc.Set("state", offsetof(CsProcess, state));
  proc.Set("pid", offsetof(CsProcess, pid));
  proc.Set("role", offsetof(CsProcess, role));
  proc.Set("id", offsetof(CsProcess, id));
  proc.Set("startedNs", offsetof(CsProcess, started_ns));
  proc.Set("heartbeatNs", offsetof(CsProcess, heartbeat_ns));
  proc.Set("idle", offsetof(CsProcess, idle));
  proc.Set("rx", offsetof(CsProcess, rx));
  proc.Set("idlePolicy", offsetof(CsProcess, idle_policy));
  Napi::Object cs = Napi::Object::New(env);
  cs.Set("zone", kCsStatsZone);
  cs.Set("pool", kCsPool);
  cs.Set("size", sizeof(CsStatsRegion));
  cs.Set("magic", kStatsMagic);
  cs.Set("version", kStatsVersion);
  cs.Set("maxClients", kMaxClients);
  cs.Set("maxPorts", kMaxPorts);
  cs.Set("numClients", offsetof(CsStatsRegion, num_clients));
  cs.Set("strict", offsetof(CsStatsRegion, strict));
  cs.Set("server", offsetof(CsStatsRegion, server));
  cs.Set("clients", offsetof(CsStatsRegion, clients));
  cs.Set("clientRx", offsetof(CsStatsRegion, client_rx));
  cs.Set("clientRxDrop", offsetof(CsStatsRegion, client_rx_drop));
  cs.Set("portRx", offsetof(CsStatsRegion, port_rx));
  cs.Set("skipped", offsetof(CsStatsRegion, skipped));
  cs.Set("noClientDrop", offsetof(CsStatsRegion, no_client_drop));
  Napi::Object ret = Napi::Object::New(env);
  ret.Set("on", offsetof(CsStatsRegion, returns) + offsetof(CsReturns, on));
  ret.Set("slots", offsetof(CsStatsRegion, returns) + offsetof(CsReturns, slots));
  ret.Set("slotSize", sizeof(CsReturnSlot));
  ret.Set("drainer", offsetof(CsReturnSlot, drainer));
  ret.Set("returned", offsetof(CsReturnSlot, returned));
  ret.Set("distrusted", offsetof(CsReturnSlot, distrusted));
  cs.Set("returns", ret);
  cs.Set("process", proc);
  cs.Set("portInfo", pi);
  cs.Set("roleServer", static_cast<uint32_t>(kRoleServer));
  cs.Set("roleClient", static_cast<uint32_t>(kRoleClient));
  Napi::Object out = Napi::Object::New(env);
  out.Set("symmetric", sym);
  out.Set("clientServer", cs);
  out.Set("stalledAfterMs", static_cast<double>(kStalledAfterMs));
  return out;
}

void InitStats(Napi::Env env, Napi::Object exports) {
  exports.Set("statsLayout", Napi::Function::New(env, StatsLayout, "statsLayout"));
}

}  // namespace mpsh
