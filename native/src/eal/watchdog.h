// Ends the process if a step that must finish does not. EAL clean-up can
// wait forever on a lock in shared memory that another process left held or
// re-initialised (seen: rte_service_finalize spinning at 100% after a
// failed primary start re-created the prefix's config under its
// secondaries); the process must still leave rather than ignore every
// signal until SIGKILL.
#pragma once
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace mpsh {

class Watchdog {
 public:
  Watchdog(int seconds, const char* what) {
    thread_ = std::thread([this, seconds, what] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (cv_.wait_for(lock, std::chrono::seconds(seconds), [this] { return done_; })) return;
      dprintf(STDERR_FILENO,
              "mpsh: %s did not finish within %d s (stuck on shared memory another process left inconsistent); "
              "leaving without it\n",
              what, seconds);
      _exit(1);
    });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace mpsh
