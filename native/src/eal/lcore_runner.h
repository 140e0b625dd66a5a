// Runs packet loops on lcores. Loops go to EAL worker lcores through
// rte_eal_remote_launch. A process started stock-style with one lcore
// (`-l 1`) has none: then the loop runs on a thread of ours that takes over
// the main lcore's id, while Node's thread gives that id up, so the lcore's
// mempool cache still has exactly one user and `-l 1` stays a drop-in.
#pragma once
#include <napi.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace mpsh {

using LoopFn = int (*)(void*);

class LcoreRunner {
 public:
  // The lcores loops should run on: every worker lcore, or the main one alone.
  static std::vector<unsigned> ForwardingLcores();

  // Throws a DpdkError on failure.
  void Launch(Napi::Env env, unsigned lcore, LoopFn fn, void* arg);
  // Waits up to `timeout_ms` for every launched loop to return (their stop
  // flag must be set). False when one did not: it is stuck inside DPDK
  // (for instance in a pool whose ring a killed process left half-updated)
  // and is left running.
  bool JoinAll(unsigned timeout_ms = 2000);
  bool Running() const { return !launched_.empty() || adopted_.joinable() || abandoned_; }
  // Whether any loop of this process was left running stuck. EAL must then
  // not be cleaned up: that unmaps the memory the loop spins on (it would
  // crash the process in the middle of the clean-up, with shared locks held
  // that every other process of the prefix then waits on).
  static bool AnyAbandoned();

 private:
  bool abandoned_ = false;
  std::vector<unsigned> launched_;
  std::thread adopted_;
  std::shared_ptr<std::atomic<bool>> adopted_done_;
  unsigned adopted_lcore_ = 0;
};

}  // namespace mpsh
