#pragma once
#include <stdint.h>

#include <string>

#include <napi.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

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

// The arguments of every port set-up, (port, count, pool), checked (the
// port must exist), and the notes it returns to JS.
struct PortSetup {
  PortSetup(const Napi::CallbackInfo& info, const char* count_name);
  void Note(const std::string& text) { notes.Set(notes.Length(), text); }
  void Check(int ret, const std::string& what) const { CheckPortCall(env, port, ret, what); }
  Napi::Env env;
  uint16_t port;
  uint16_t count;
  rte_mempool* pool;
  Napi::Array notes;
};

// The end of every port set-up, once the port is configured: `rx` RX
// queues fed from `pool` and `tx` TX queues of `descriptors` descriptors
// (as the port adjusts them; confs null for the driver's defaults),
// promiscuous mode where the port has it, then start.
void SetUpQueuesAndStart(Napi::Env env, uint16_t port, uint16_t rx, uint16_t tx, uint16_t descriptors,
                         rte_mempool* pool, const rte_eth_rxconf* rxconf, const rte_eth_txconf* txconf);
}  // namespace mpsh
