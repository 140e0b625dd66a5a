#pragma once
#include <stdint.h>

#include <string>

#include <napi.h>

namespace mpsh {
// A port this process started (an earlier spawn) must be stopped before it
// can be reconfigured; one it never started is left alone (stopping an
// unstarted port only makes ethdev complain).
void StopIfStartedHere(uint16_t port);
void MarkStartedHere(uint16_t port);

// Port set-up errors: RangeError for a port that does not exist, DpdkError
// "port <p>: <what>: <rte_strerror>" for a failed ethdev call (ret < 0).
void RequireValidPort(Napi::Env env, uint16_t port);
void CheckPortCall(Napi::Env env, uint16_t port, int ret, const std::string& what);
}  // namespace mpsh
