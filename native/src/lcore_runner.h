// Runs packet loops on lcores. Loops go to EAL worker lcores through
// rte_eal_remote_launch. A process started stock-style with one lcore
// (`-l 1`) has none: then the loop runs on a thread of ours that takes over
// the main lcore's id, while Node's thread gives that id up, so the lcore's
// mempool cache still has exactly one user and `-l 1` stays a drop-in.
#pragma once
#include <napi.h>

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
  // Waits for every launched loop to return (their stop flag must be set).
  void JoinAll();
  bool Running() const { return !launched_.empty() || adopted_.joinable(); }

 private:
  std::vector<unsigned> launched_;
  std::thread adopted_;
  unsigned adopted_lcore_ = 0;
};

}  // namespace mpsh
