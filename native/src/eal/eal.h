#pragma once
#include <napi.h>

namespace mpsh {
void ReserveDpdkVa();
}
