// EAL start-up that must happen before rte_eal_init: the address window a
// secondary needs is reserved as soon as the addon loads (see eal.cc). The
// rest of EAL's lifecycle is exported to JS by InitEal (js/exports.h).
#pragma once
#include <napi.h>

namespace mpsh {
// Reserves the address range EAL maps shared memory at, until ealInit
// hands it back; called once, first thing when the addon loads.
void ReserveDpdkVa();
}  // namespace mpsh
