#pragma once
#include <napi.h>

namespace mpsh {
void InitEal(Napi::Env env, Napi::Object exports);
void ReserveDpdkVa();
}
