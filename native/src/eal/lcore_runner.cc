// Launching and joining packet loops (see lcore_runner.h): a worker lcore
// through EAL's remote launch, or, with no worker lcore, a thread of ours
// that takes the main lcore's id over from Node's thread. A loop that does
// not stop in time is abandoned, never waited for forever.
#include "eal/lcore_runner.h"

#include <pthread.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_per_lcore.h>

#include "js/errors.h"

namespace mpsh {

std::vector<unsigned> LcoreRunner::ForwardingLcores() {
  std::vector<unsigned> out;
  unsigned id;
  RTE_LCORE_FOREACH_WORKER(id) { out.push_back(id); }
  if (out.empty()) out.push_back(rte_get_main_lcore());
  return out;
}

void LcoreRunner::Launch(Napi::Env env, unsigned lcore, LoopFn fn, void* arg) {
  if (lcore != rte_get_main_lcore()) {
    int ret = rte_eal_remote_launch(fn, arg, lcore);
    if (ret != 0) throw MakeDpdkError(env, "cannot launch a loop on lcore " + std::to_string(lcore), -ret);
    launched_.push_back(lcore);
    return;
  }
  if (adopted_.joinable()) throw Napi::Error::New(env, "the main lcore already runs a loop");
  if (rte_lcore_id() != lcore)
    throw Napi::Error::New(env, "the main lcore can only be handed over from the main thread");
  // Node's thread stops being lcore `lcore`: from here on it takes mempool
  // objects without a cache, and only the loop thread uses that lcore's.
  RTE_PER_LCORE(_lcore_id) = LCORE_ID_ANY;
  adopted_lcore_ = lcore;
  auto done = std::make_shared<std::atomic<bool>>(false);
  adopted_done_ = done;
  adopted_ = std::thread([fn, arg, lcore, done]() {
    RTE_PER_LCORE(_lcore_id) = lcore;
    rte_cpuset_t set = rte_lcore_cpuset(lcore);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    fn(arg);
    done->store(true);
  });
}

static std::atomic<bool> g_any_abandoned{false};

bool LcoreRunner::AnyAbandoned() { return g_any_abandoned.load(); }

bool LcoreRunner::JoinAll(unsigned timeout_ms) {
  if (abandoned_) return false;  // already waited for once: it will not come back
  const uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() / 1000 * timeout_ms;
  auto finished = [&]() {
    for (unsigned l : launched_)
      if (rte_eal_get_lcore_state(l) == RUNNING) return false;
    return !adopted_.joinable() || adopted_done_->load();
  };
  while (!finished()) {
    if (rte_get_timer_cycles() > deadline) {
      abandoned_ = true;
      g_any_abandoned.store(true);
      // A joinable std::thread destroyed at exit would call std::terminate.
      if (adopted_.joinable()) adopted_.detach();
      return false;
    }
    rte_delay_us_sleep(1000);
  }
  for (unsigned l : launched_) rte_eal_wait_lcore(l);
  launched_.clear();
  if (adopted_.joinable()) {
    adopted_.join();
    RTE_PER_LCORE(_lcore_id) = adopted_lcore_;
  }
  return true;
}

}  // namespace mpsh
