// mpsh's native boundary: the only code that talks to DPDK. Everything here
// is a thin typed wrapper; policy lives in src/core.
#include <napi.h>

#include "eal/eal.h"
#include "js/errors.h"
#include "js/exports.h"
#include "objects/objects.h"

namespace mpsh {

static Napi::Value SetErrorClassJs(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected a class");
  SetErrorClass(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  ReserveDpdkVa();
  exports.Set("setErrorClass", Napi::Function::New(env, SetErrorClassJs, "setErrorClass"));
  InitEal(env, exports);
  InitProcess(env, exports);
  InitLcoreClaim(env, exports);
  exports.Set("Ring", Ring::Define(env));
  exports.Set("Mempool", Mempool::Define(env));
  exports.Set("Memzone", Memzone::Define(env));
  InitMessageChannel(env, exports);
  InitPorts(env, exports);
  InitSymmetric(env, exports);
  InitStats(env, exports);
  InitClientServer(env, exports);
  InitHotplug(env, exports);
  InitStdio(env, exports);
  InitTelemetry(env, exports);
  InitCapture(env, exports);
  InitEthdevStats(env, exports);
  InitWalks(env, exports);
  InitTelemetryObjects(env, exports);
  return exports;
}

}  // namespace mpsh

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return mpsh::Init(env, exports); }
NODE_API_MODULE(mpsh_addon, InitAddon)
