// How the addon shows itself to JavaScript. Every part adds its exports in
// one Init* function, which addon.cc calls in order, and every Init* is one
// Export() call: the names JS sees, each next to what it is. The names are
// the contract with src/core/native.ts.
#pragma once
#include <napi.h>

namespace mpsh {

using InitFn = void(Napi::Env env, Napi::Object exports);
InitFn InitErrors, InitEal, InitProcess, InitLcoreClaim, InitStdio, InitObjects, InitPorts, InitPortSetup, InitHotplug,
    InitLayouts, InitMessageChannel, InitSymmetric, InitServer, InitClient, InitTelemetry, InitCapture,
    InitPrimaryWatch, InitPortState, InitEthdevStats, InitWalks, InitTelemetryObjects;

// Adds each (name, what) pair to the exports:
//   Export(env, exports, "fn", Fn, "Class", Class::Define(env), "constant", Napi::Number::New(env, n), ...)
// A function (a Napi callback) is wrapped under its name; any other value
// (a class, a number) is set as it is.
inline void Export(Napi::Env, Napi::Object) {}
template <typename... Rest>
void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback fn, Rest... rest);
template <typename... Rest>
void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Value value, Rest... rest);

template <typename... Rest>
inline void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Function::Callback fn, Rest... rest) {
  exports.Set(name, Napi::Function::New(env, fn, name));
  Export(env, exports, rest...);
}
template <typename... Rest>
inline void Export(Napi::Env env, Napi::Object exports, const char* name, Napi::Value value, Rest... rest) {
  exports.Set(name, value);
  Export(env, exports, rest...);
}

}  // namespace mpsh
