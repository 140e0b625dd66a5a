#pragma once
#include <stdint.h>

namespace mpsh {
// A port this process started (an earlier spawn) must be stopped before it
// can be reconfigured; one it never started is left alone (stopping an
// unstarted port only makes ethdev complain).
void StopIfStartedHere(uint16_t port);
void MarkStartedHere(uint16_t port);
}  // namespace mpsh
