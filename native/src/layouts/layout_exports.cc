// statsLayout(): the shared-memory layouts of this folder (process_slot.h,
// symmetric_layout.h, cs_layout.h) as byte offsets, sizes, zone names and
// the names of roles and states, so the TypeScript readers never restate
// the C layout by hand. Exports layouts, not counters: the counters are
// read through Memzone.buffer().
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <utility>

#include "js/errors.h"
#include "js/exports.h"
#include "layouts/cs_layout.h"
#include "layouts/process_slot.h"
#include "layouts/symmetric_layout.h"

namespace mpsh {

static_assert(sizeof(SymSlot) % RTE_CACHE_LINE_SIZE == 0, "slots must not share cache lines");
static_assert(offsetof(SymStatsRegion, slots) % RTE_CACHE_LINE_SIZE == 0, "slots must be cache aligned");
static_assert(offsetof(SymSlot, head) == 0 && offsetof(CsProcess, head) == 0, "every slot starts with its header");
static_assert(std::size(kStateNames) == kSlotStopped + 1, "a name per state");
static_assert(std::size(kRoleNames) == kRoleClient + 1, "a name per role");

// An object of numbers: the offsets and sizes of one layout, by name.
using Numbers = std::initializer_list<std::pair<const char*, double>>;
static Napi::Object Layout(Napi::Env env, Numbers numbers) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [name, value] : numbers) o.Set(name, value);
  return o;
}

template <size_t N>
static Napi::Array Names(Napi::Env env, const char* const (&list)[N]) {
  Napi::Array a = Napi::Array::New(env, N);
  for (uint32_t i = 0; i < N; i++) a.Set(i, list[i]);
  return a;
}

// The ProcessSlot header: offsets, and the names of its roles, states and
// idle policies by value.
static Napi::Object HeaderLayout(Napi::Env env) {
  Napi::Object h = Layout(env, {{"size", sizeof(ProcessSlot)},
                                {"role", offsetof(ProcessSlot, role)},
                                {"id", offsetof(ProcessSlot, id)},
                                {"pid", offsetof(ProcessSlot, pid)},
                                {"state", offsetof(ProcessSlot, state)},
                                {"startedNs", offsetof(ProcessSlot, started_ns)},
                                {"heartbeatNs", offsetof(ProcessSlot, heartbeat_ns)},
                                {"idle", offsetof(ProcessSlot, idle)},
                                {"exitStatus", offsetof(ProcessSlot, exit_status)},
                                {"exitedFlag", kExitedFlag},
                                {"killedFlag", kKilledFlag},
                                {"idlePolicy", offsetof(ProcessSlot, idle_policy)}});
  h.Set("roles", Names(env, kRoleNames));
  h.Set("states", Names(env, kStateNames));
  return h;
}

// What every counter region starts with: its zone, its size and the stamp
// its readers check, then its own `numbers`.
static Napi::Object RegionLayout(Napi::Env env, const char* zone, size_t size, Numbers numbers) {
  Napi::Object o = Layout(env, numbers);
  o.Set("zone", zone);
  o.Set("size", size);
  o.Set("magic", kStatsMagic);
  o.Set("version", kStatsVersion);
  return o;
}

static Napi::Object SymmetricLayout(Napi::Env env) {
  Napi::Object sym = RegionLayout(env, kSymStatsZone, sizeof(SymStatsRegion),
                                  {{"maxProcs", kMaxSymProcs},
                                   {"maxPorts", kMaxPorts},
                                   {"slotsOffset", offsetof(SymStatsRegion, slots)},
                                   {"slotSize", sizeof(SymSlot)}});
  sym.Set("pool", kSymPool);
  sym.Set("slot", Layout(env, {{"numProcs", offsetof(SymSlot, num_procs)},
                               {"lcore", offsetof(SymSlot, lcore)},
                               {"portMask", offsetof(SymSlot, port_mask)},
                               {"ports", offsetof(SymSlot, ports)},
                               {"portSize", sizeof(PortCounters)}}));
  return sym;
}

static Napi::Object ClientServerLayout(Napi::Env env) {
  Napi::Object cs = RegionLayout(env, kCsStatsZone, sizeof(CsStatsRegion),
                                 {{"maxClients", kMaxClients},
                                  {"maxPorts", kMaxPorts},
                                  {"numClients", offsetof(CsStatsRegion, num_clients)},
                                  {"strict", offsetof(CsStatsRegion, strict)},
                                  {"server", offsetof(CsStatsRegion, server)},
                                  {"clients", offsetof(CsStatsRegion, clients)},
                                  {"clientRx", offsetof(CsStatsRegion, client_rx)},
                                  {"clientRxDrop", offsetof(CsStatsRegion, client_rx_drop)},
                                  {"portRx", offsetof(CsStatsRegion, port_rx)},
                                  {"skipped", offsetof(CsStatsRegion, skipped)},
                                  {"noClientDrop", offsetof(CsStatsRegion, no_client_drop)}});
  cs.Set("pool", kCsPool);
  const size_t returns = offsetof(CsStatsRegion, returns);
  cs.Set("returns", Layout(env, {{"on", returns + offsetof(CsReturns, on)},
                                 {"serverReclaimed", returns + offsetof(CsReturns, server_reclaimed)},
                                 {"slots", returns + offsetof(CsReturns, slots)},
                                 {"slotSize", sizeof(CsReturnSlot)},
                                 {"drainer", offsetof(CsReturnSlot, drainer)},
                                 {"returned", offsetof(CsReturnSlot, returned)},
                                 {"distrusted", offsetof(CsReturnSlot, distrusted)},
                                 {"reclaimed", offsetof(CsReturnSlot, reclaimed)}}));
  cs.Set("process", Layout(env, {{"size", sizeof(CsProcess)}, {"rx", offsetof(CsProcess, rx)}}));
  // The stock `struct port_info` (MProc_port_info).
  Napi::Object pi = Layout(env, {{"size", sizeof(PortInfo)},
                                 {"numPorts", offsetof(PortInfo, num_ports)},
                                 {"id", offsetof(PortInfo, id)},
                                 {"rx", offsetof(PortInfo, rx_stats)},
                                 {"txStats", offsetof(PortInfo, tx_stats)},
                                 {"txStatsSize", sizeof(CsTxStats)},
                                 {"txDrop", offsetof(CsTxStats, tx_drop)}});
  pi.Set("zone", kPortInfoZone);
  cs.Set("portInfo", pi);
  return cs;
}

static Napi::Value StatsLayout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("header", HeaderLayout(env));
  out.Set("symmetric", SymmetricLayout(env));
  out.Set("clientServer", ClientServerLayout(env));
  out.Set("stalledAfterMs", static_cast<double>(kStalledAfterMs));
  return out;
}

void InitLayouts(Napi::Env env, Napi::Object exports) { Export(env, exports, "statsLayout", StatsLayout); }

}  // namespace mpsh
