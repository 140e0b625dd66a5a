// Exports the shared counter layouts (stats_layout.h) to TypeScript as byte
// offsets, so the JS reader never restates the C layout by hand.
#include <cstddef>

#include "cs_layout.h"
#include "errors.h"
#include "init.h"
#include "process_slot.h"
#include "stats_layout.h"

namespace mpsh {

static_assert(sizeof(SymSlot) % RTE_CACHE_LINE_SIZE == 0, "slots must not share cache lines");
static_assert(offsetof(SymStatsRegion, slots) % RTE_CACHE_LINE_SIZE == 0, "slots must be cache aligned");
static_assert(offsetof(SymSlot, head) == 0 && offsetof(CsProcess, head) == 0, "every slot starts with its header");
static_assert(sizeof(kStateNames) / sizeof(kStateNames[0]) == kSlotStopped + 1, "a name per state");
static_assert(sizeof(kRoleNames) / sizeof(kRoleNames[0]) == kRoleClient + 1, "a name per role");

// The ProcessSlot header: offsets, and the names of its roles, states and
// idle policies by value.
static Napi::Object HeaderLayout(Napi::Env env) {
  Napi::Object h = Napi::Object::New(env);
  h.Set("size", sizeof(ProcessSlot));
  h.Set("role", offsetof(ProcessSlot, role));
  h.Set("id", offsetof(ProcessSlot, id));
  h.Set("pid", offsetof(ProcessSlot, pid));
  h.Set("state", offsetof(ProcessSlot, state));
  h.Set("startedNs", offsetof(ProcessSlot, started_ns));
  h.Set("heartbeatNs", offsetof(ProcessSlot, heartbeat_ns));
  h.Set("idle", offsetof(ProcessSlot, idle));
  h.Set("idlePolicy", offsetof(ProcessSlot, idle_policy));
  auto names = [&](const char* const* list, size_t n) {
    Napi::Array a = Napi::Array::New(env, n);
    for (uint32_t i = 0; i < n; i++) a.Set(i, list[i]);
    return a;
  };
  h.Set("roles", names(kRoleNames, sizeof(kRoleNames) / sizeof(kRoleNames[0])));
  h.Set("states", names(kStateNames, sizeof(kStateNames) / sizeof(kStateNames[0])));
  h.Set("idlePolicies", names(kIdlePolicyNames, sizeof(kIdlePolicyNames) / sizeof(kIdlePolicyNames[0])));
  return h;
}

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
  slot.Set("numProcs", offsetof(SymSlot, num_procs));
  slot.Set("lcore", offsetof(SymSlot, lcore));
  slot.Set("portMask", offsetof(SymSlot, port_mask));
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
  proc.Set("rx", offsetof(CsProcess, rx));
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
  Napi::Object out = Napi::Object::New(env);
  out.Set("header", HeaderLayout(env));
  out.Set("symmetric", sym);
  out.Set("clientServer", cs);
  out.Set("stalledAfterMs", static_cast<double>(kStalledAfterMs));
  return out;
}

void InitStats(Napi::Env env, Napi::Object exports) {
  exports.Set("statsLayout", Napi::Function::New(env, StatsLayout, "statsLayout"));
}

}  // namespace mpsh
