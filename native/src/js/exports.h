// Every part of the addon adds its exports through one Init* function;
// addon.cc calls them in order.
#pragma once
#include <napi.h>

namespace mpsh {

using InitFn = void(Napi::Env env, Napi::Object exports);
InitFn InitEal, InitProcess, InitLcoreClaim, InitMessageChannel, InitPorts, InitSymmetric, InitStats, InitClientServer,
    InitClientForwarder, InitHotplug, InitStdio, InitTelemetry, InitCapture, InitEthdevStats, InitWalks,
    InitTelemetryObjects;

// Adds functions to the exports, each under its name:
// Export(env, exports, "name", Fn, "other", Other, ...).
inline void Export(Napi::Env, Napi::Object) {}
template <typename... Rest>
inline void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback fn, Rest... rest) {
  exports.Set(name, Napi::Function::New(env, fn, name));
  Export(env, exports, rest...);
}

}  // namespace mpsh
