// mpsh's native boundary: the only code that talks to DPDK. Everything here
// is a thin typed wrapper; policy lives in src/core. Each folder of
// native/src adds its exports through its Init* functions (js/exports.h).
#include <napi.h>

#include "eal/eal.h"
#include "js/exports.h"

namespace mpsh {

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ReserveDpdkVa();  // first: before V8 scatters heap pages over the window (eal.h)
  for (InitFn* init :
       {InitErrors,      InitEal,       InitProcess,         InitLcoreClaim, InitStdio,          InitObjects,
        InitPorts,       InitPortSetup, InitHotplug,         InitLayouts,    InitMessageChannel, InitSymmetric,
        InitServer,      InitClient,    InitTelemetry,       InitCapture,    InitPrimaryWatch,   InitPortState,
        InitEthdevStats, InitWalks,     InitTelemetryObjects})
    init(env, exports);
  return exports;
}

}  // namespace mpsh

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return mpsh::Init(env, exports); }
NODE_API_MODULE(mpsh_addon, InitAddon)
