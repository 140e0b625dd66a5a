// Every part of the addon adds its exports through one Init* function;
// addon.cc calls them in order.
#pragma once
#include <napi.h>

namespace mpsh {
void InitEal(Napi::Env env, Napi::Object exports);
void InitProcess(Napi::Env env, Napi::Object exports);
void InitLcoreClaim(Napi::Env env, Napi::Object exports);
void InitMessageChannel(Napi::Env env, Napi::Object exports);
void InitPorts(Napi::Env env, Napi::Object exports);
void InitSymmetric(Napi::Env env, Napi::Object exports);
void InitStats(Napi::Env env, Napi::Object exports);
void InitClientServer(Napi::Env env, Napi::Object exports);
void InitClientForwarder(Napi::Env env, Napi::Object exports);
}  // namespace mpsh
