// DPDK telemetry commands over every mempool and ring of the prefix, with
// what DPDK's own /mempool/info leaves out (objects in use, ops by name
// read off shared data) and rings, which DPDK 22.11 has no command for:
//   /mpsh/mempools   { <pool>: { size, in_use, available, cache_size, ops } }
//   /mpsh/rings      { <ring>: { count, free, capacity, flags } }
// Registered when the addon loads (as DPDK's libraries register theirs);
// only a primary serves telemetry in DPDK 22.11, so they answer when an
// mpsh process is the primary. Next to another app (testpmd), use mpsh's
// stats --json or its exporter instead, or the app's own /ethdev commands.
#include <errno.h>

#include <cstdio>
#include <cstring>

#include <napi.h>
#include <rte_eal_memconfig.h>
#include <rte_mempool.h>
#include <rte_ring.h>
#include <rte_tailq.h>
#include <rte_telemetry.h>

#include "js/exports.h"
#include "observe/walks.h"

namespace mpsh {

static void AddPool(rte_mempool* mp, void* arg) {
  auto* d = static_cast<rte_tel_data*>(arg);
  rte_tel_data* c = rte_tel_data_alloc();
  if (c == nullptr) return;
  rte_tel_data_start_dict(c);
  rte_tel_data_add_dict_u64(c, "size", mp->size);
  rte_tel_data_add_dict_u64(c, "in_use", rte_mempool_in_use_count(mp));
  rte_tel_data_add_dict_u64(c, "available", rte_mempool_avail_count(mp));
  rte_tel_data_add_dict_u64(c, "cache_size", mp->cache_size);
  rte_tel_data_add_dict_string(c, "ops", MempoolOpsName(mp).first.c_str());
  rte_tel_data_add_dict_container(d, mp->name, c, 0);
}

static int ListMempools(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  rte_mempool_walk(AddPool, d);
  return 0;
}

static int ListRings(const char*, const char*, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  rte_tailq_head* head = rte_eal_tailq_lookup("RTE_RING");
  if (head == nullptr) return 0;
  rte_mcfg_tailq_read_lock();
  rte_tailq_entry* te;
  TAILQ_FOREACH(te, &head->tailq_head, next) {
    const auto* r = static_cast<const rte_ring*>(te->data);
    rte_tel_data* c = r != nullptr ? rte_tel_data_alloc() : nullptr;
    if (c == nullptr) continue;
    rte_tel_data_start_dict(c);
    rte_tel_data_add_dict_u64(c, "count", rte_ring_count(r));
    rte_tel_data_add_dict_u64(c, "free", rte_ring_free_count(r));
    rte_tel_data_add_dict_u64(c, "capacity", r->capacity);
    rte_tel_data_add_dict_u64(c, "flags", r->flags);
    rte_tel_data_add_dict_container(d, r->name, c, 0);
  }
  rte_mcfg_tailq_read_unlock();
  return 0;
}

void InitTelemetryObjects(Napi::Env, Napi::Object) {
  static_assert(RTE_TEL_MAX_STRING_LEN >= 128, "help texts below are sized for 128");
  if (rte_telemetry_register_cmd("/mpsh/mempools", ListMempools,
                                 "Returns every mempool: size, in use, available, cache size, ops. No parameters") !=
          0 ||
      rte_telemetry_register_cmd("/mpsh/rings", ListRings,
                                 "Returns every ring: count, free, capacity, flags. No parameters") != 0)
    fprintf(stderr, "mpsh: cannot register the /mpsh/mempools and /mpsh/rings telemetry commands\n");
}

}  // namespace mpsh
