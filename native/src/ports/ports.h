// What the port set-ups (port_setup.cc) and the port queries (ports.cc)
// share, and what a loop asks of a port: the checks that turn a bad port
// or a failed ethdev call into the error JS sees, and a port's RX queues.
#pragma once
#include <stdint.h>

#include <string>

#include <napi.h>

namespace mpsh {

// Port errors: RangeError for a port that does not exist, DpdkError
// "port <p>: <what>: <rte_strerror>" for a failed ethdev call (ret < 0).
void RequireValidPort(Napi::Env env, uint16_t port);
void CheckPortCall(Napi::Env env, uint16_t port, int ret, const std::string& what);

// How many RX queues the port is configured with (0 when it cannot say).
uint16_t RxQueueCount(uint16_t port);

}  // namespace mpsh
