// DPDK telemetry commands over mpsh's shared counters, registered by a
// primary (DPDK 22.11 runs telemetry in the primary only), so the standard
// client (dpdk-telemetry.py -f <prefix>) sees every process of the prefix,
// secondaries included:
//   /mpsh/processes          names of every process with a slot
//   /mpsh/process,<name>     one process: role, pid, state, flat totals and
//                            one container per port (telemetry nests one level)
//   /mpsh/ports              per port, summed over every process
#include <errno.h>
#include <signal.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <string>

#include <napi.h>
#include <rte_memzone.h>
#include <rte_telemetry.h>

#include "js/exports.h"
#include "layouts/cs_layout.h"
#include "layouts/symmetric_layout.h"

namespace mpsh {

static const SymStatsRegion* Sym() {
  const rte_memzone* mz = rte_memzone_lookup(kSymStatsZone);
  auto* r = mz ? static_cast<const SymStatsRegion*>(mz->addr) : nullptr;
  return r && r->magic == kStatsMagic && r->version == kStatsVersion ? r : nullptr;
}
static const CsStatsRegion* Cs() {
  const rte_memzone* mz = rte_memzone_lookup(kCsStatsZone);
  auto* r = mz ? static_cast<const CsStatsRegion*>(mz->addr) : nullptr;
  return r && r->magic == kStatsMagic && r->version == kStatsVersion ? r : nullptr;
}
static const PortInfo* Ports() {
  const rte_memzone* mz = rte_memzone_lookup(kPortInfoZone);
  return mz ? static_cast<const PortInfo*>(mz->addr) : nullptr;
}

static uint32_t CsClients(const CsStatsRegion* cs) {
  return cs->num_clients < kMaxClients ? cs->num_clients : kMaxClients;
}

// Process names as TypeScript builds and parses them
// (src/core/roles/processNames.ts): sym<proc-id>, server, client<id>.
static std::string ProcessName(uint32_t role, uint32_t id) {
  if (role == kRoleServer) return "server";
  return (role == kRoleSymmetric ? "sym" : "client") + std::to_string(id);
}

// The role and id (0 for the server) a name stands for; false for any other name.
static bool ParseProcessName(const char* name, uint32_t* role, uint32_t* id) {
  const char* digits;
  if (strcmp(name, "server") == 0) {
    *role = kRoleServer;
    *id = 0;
    return true;
  }
  if (strncmp(name, "sym", 3) == 0) {
    *role = kRoleSymmetric;
    digits = name + 3;
  } else if (strncmp(name, "client", 6) == 0) {
    *role = kRoleClient;
    digits = name + 6;
  } else {
    return false;
  }
  uint64_t n = 0;
  for (const char* c = digits; *c != '\0'; c++) {
    if (*c < '0' || *c > '9' || (n = n * 10 + static_cast<uint64_t>(*c - '0')) > UINT32_MAX) return false;
  }
  *id = static_cast<uint32_t>(n);
  return *digits != '\0';
}

static int ListProcesses(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
  if (const SymStatsRegion* sym = Sym()) {
    for (uint32_t i = 0; i < kMaxSymProcs; i++) {
      if (sym->slots[i].head.state == kSlotEmpty) continue;
      rte_tel_data_add_array_string(d, ProcessName(kRoleSymmetric, sym->slots[i].head.id).c_str());
    }
  }
  if (const CsStatsRegion* cs = Cs()) {
    if (cs->server.head.state != kSlotEmpty) rte_tel_data_add_array_string(d, ProcessName(kRoleServer, 0).c_str());
    for (uint32_t i = 0; i < CsClients(cs); i++) {
      if (cs->clients[i].head.state == kSlotEmpty) continue;
      rte_tel_data_add_array_string(d, ProcessName(kRoleClient, i).c_str());
    }
  }
  return 0;
}

// One container of u64 values per port, named "port<p>".
static void AddPort(rte_tel_data* d, uint16_t port, const char* const* keys, const uint64_t* values, int n) {
  rte_tel_data* c = rte_tel_data_alloc();
  if (c == nullptr) return;
  rte_tel_data_start_dict(c);
  for (int i = 0; i < n; i++) rte_tel_data_add_dict_u64(c, keys[i], values[i]);
  char name[16];
  snprintf(name, sizeof(name), "port%u", port);
  rte_tel_data_add_dict_container(d, name, c, 0);
}

static void Header(rte_tel_data* d, const char* name, const ProcessSlot& s) {
  rte_tel_data_add_dict_string(d, "name", name);
  rte_tel_data_add_dict_string(d, "role", s.role <= kRoleClient ? kRoleNames[s.role] : "");
  rte_tel_data_add_dict_u64(d, "pid", s.pid);
  char state[32];
  rte_tel_data_add_dict_string(d, "state", s.StateText(state, sizeof(state)));
  rte_tel_data_add_dict_u64(d, "idle", s.idle ? 1 : 0);
}

static int ShowProcess(const char*, const char* params, rte_tel_data* d) {
  if (params == nullptr || *params == '\0') return -EINVAL;
  uint32_t role = 0, id = 0;
  if (!ParseProcessName(params, &role, &id)) return -ENOENT;
  rte_tel_data_start_dict(d);
  if (role == kRoleSymmetric) {
    const SymStatsRegion* sym = Sym();
    if (sym == nullptr) return -ENOENT;
    for (uint32_t i = 0; i < kMaxSymProcs; i++) {
      const SymSlot& s = sym->slots[i];
      if (s.head.state == kSlotEmpty || s.head.id != id) continue;
      Header(d, params, s.head);
      rte_tel_data_add_dict_u64(d, "proc_id", s.head.id);
      uint64_t rx = 0, tx = 0, drop = 0;
      for (uint16_t p = 0; p < kMaxPorts; p++) {
        if (p >= 64 || !(s.port_mask >> p & 1)) continue;
        rx += s.ports[p].rx;
        tx += s.ports[p].tx;
        drop += s.ports[p].drop;
        static const char* const keys[] = {"rx", "tx", "drop"};
        const uint64_t v[] = {s.ports[p].rx, s.ports[p].tx, s.ports[p].drop};
        AddPort(d, p, keys, v, 3);
      }
      rte_tel_data_add_dict_u64(d, "rx", rx);
      rte_tel_data_add_dict_u64(d, "tx", tx);
      rte_tel_data_add_dict_u64(d, "drop", drop);
      return 0;
    }
    return -ENOENT;
  }
  const CsStatsRegion* cs = Cs();
  const PortInfo* pi = Ports();
  if (cs == nullptr || pi == nullptr) return -ENOENT;
  if (role == kRoleServer && cs->server.head.state != kSlotEmpty) {
    Header(d, params, cs->server.head);
    uint64_t rx = 0;
    for (uint16_t i = 0; i < pi->num_ports && i < RTE_MAX_ETHPORTS; i++) {
      uint16_t p = pi->id[i];
      rx += cs->port_rx[p];
      static const char* const keys[] = {"rx"};
      const uint64_t v[] = {cs->port_rx[p]};
      AddPort(d, p, keys, v, 1);
    }
    rte_tel_data_add_dict_u64(d, "rx", rx);
    rte_tel_data_add_dict_u64(d, "no_client_drop", cs->no_client_drop);
    return 0;
  }
  if (role == kRoleClient && id < CsClients(cs) && cs->clients[id].head.state != kSlotEmpty) {
    Header(d, params, cs->clients[id].head);
    rte_tel_data_add_dict_u64(d, "client", id);
    uint64_t tx = 0, tx_drop = 0;
    for (uint16_t i = 0; i < pi->num_ports && i < RTE_MAX_ETHPORTS; i++) {
      uint16_t p = pi->id[i];
      tx += pi->tx_stats[id].tx[p];
      tx_drop += pi->tx_stats[id].tx_drop[p];
      static const char* const keys[] = {"tx", "tx_drop"};
      const uint64_t v[] = {pi->tx_stats[id].tx[p], pi->tx_stats[id].tx_drop[p]};
      AddPort(d, p, keys, v, 2);
    }
    rte_tel_data_add_dict_u64(d, "rx", cs->client_rx[id]);
    rte_tel_data_add_dict_u64(d, "rx_drop", cs->client_rx_drop[id]);
    rte_tel_data_add_dict_u64(d, "tx", tx);
    rte_tel_data_add_dict_u64(d, "tx_drop", tx_drop);
    return 0;
  }
  return -ENOENT;
}

static int ShowPorts(const char*, const char*, rte_tel_data* d) {
  uint64_t rx[kMaxPorts] = {}, tx[kMaxPorts] = {}, drop[kMaxPorts] = {};
  bool used[kMaxPorts] = {};
  if (const SymStatsRegion* sym = Sym()) {
    for (uint32_t i = 0; i < kMaxSymProcs; i++) {
      const SymSlot& s = sym->slots[i];
      if (s.head.state == kSlotEmpty) continue;
      for (uint16_t p = 0; p < kMaxPorts && p < 64; p++) {
        if (!(s.port_mask >> p & 1)) continue;
        used[p] = true;
        rx[p] += s.ports[p].rx;
        tx[p] += s.ports[p].tx;
        drop[p] += s.ports[p].drop;
      }
    }
  }
  const CsStatsRegion* cs = Cs();
  if (const PortInfo* pi = Ports()) {
    for (uint16_t i = 0; i < pi->num_ports && i < RTE_MAX_ETHPORTS; i++) {
      uint16_t p = pi->id[i];
      used[p] = true;
      // mpsh's server counts 64-bit by port id; port_info (stock's) by position.
      rx[p] += cs && cs->server.head.state != kSlotEmpty ? cs->port_rx[p] : pi->rx_stats.rx[i];
      for (uint32_t c = 0; c < kMaxClients; c++) {
        tx[p] += pi->tx_stats[c].tx[p];
        drop[p] += pi->tx_stats[c].tx_drop[p];
      }
    }
  }
  rte_tel_data_start_dict(d);
  static const char* const keys[] = {"rx", "tx", "drop"};
  for (uint16_t p = 0; p < kMaxPorts; p++) {
    if (!used[p]) continue;
    const uint64_t v[] = {rx[p], tx[p], drop[p]};
    AddPort(d, p, keys, v, 3);
  }
  return 0;
}

static void Register(const char* cmd, telemetry_cb fn, const char* help) {
  if (strlen(help) >= RTE_TEL_MAX_STRING_LEN || rte_telemetry_register_cmd(cmd, fn, help) != 0)
    fprintf(stderr, "mpsh: cannot register telemetry command %s\n", cmd);
}

// registerTelemetry(): adds the /mpsh commands (primary only; idempotent).
static Napi::Value RegisterTelemetry(const Napi::CallbackInfo& info) {
  static bool done = false;
  if (!done) {
    // Help texts must stay under RTE_TEL_MAX_STRING_LEN (128), or registration fails.
    static_assert(RTE_TEL_MAX_STRING_LEN >= 128, "help texts below are sized for 128");
    Register("/mpsh/processes", ListProcesses, "Returns the names of every process of the prefix. Takes no parameters");
    Register("/mpsh/process", ShowProcess,
             "Returns one process: role, pid, state, totals, per-port counters. Parameters: string name");
    Register("/mpsh/ports", ShowPorts,
             "Returns rx, tx and drop per port, summed over every process. Takes no parameters");
    done = true;
  }
  return info.Env().Undefined();
}

void InitTelemetry(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "registerTelemetry", RegisterTelemetry);
}

}  // namespace mpsh
