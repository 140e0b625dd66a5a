// When an idle loop should be awake: the `adaptive` policy's forecast of the
// next arrival on a periodic low-rate flow (ping, keepalives, BFD, market
// ticks, a sensor's reports).
//
// A sleeping loop pays a wake-up on every packet of such a flow: 30-50 us on
// a virtual machine whose idle vCPU halts (it is the host that wakes it),
// a few us on bare metal with shallow C-states. Keeping on polling after
// traffic does not help when packets come 50 ms apart, and polling all the
// time is the core stock burns. A flow that comes at a steady period is
// foreseeable, though: sleep until shortly before the next arrival is due,
// poll through a short window around it, and the packet finds the loop
// awake. This is what Linux's block layer calls hybrid polling (sleep for
// the expected completion time, then poll). Its cost is the window: at most
// 1/kBudget of the period, and nothing at all when no steady period shows.
//
// Times are in timer cycles (rte_get_timer_cycles). Only the first work
// after an idle spell counts as an arrival: a reply that follows its request
// within the keep-polling time is part of the same episode.
#pragma once
#include <stdint.h>

#include <algorithm>

namespace mpsh {

class ArrivalForecast {
 public:
  explicit ArrivalForecast(uint64_t hz) : us_(hz / 1000000 ? hz / 1000000 : 1) {}

  void Arrived(uint64_t now) {
    if (last_ != 0) {
      gaps_[next_] = now - last_;
      next_ = (next_ + 1) % kGaps;
      if (count_ < kGaps) count_++;
    }
    last_ = now;
    Recompute();
  }

  // The window [*start, *end) around the next arrival due at or after
  // `now`; false when there is no forecast (the loop waits as usual). An
  // arrival that does not come within its window may be one lost packet:
  // the forecast holds for the period after it, and gives up after that.
  bool Window(uint64_t now, uint64_t* start, uint64_t* end) {
    if (period_ == 0) return false;
    for (int k = 1; k <= kMaxMissed + 1; k++) {
      uint64_t due = last_ + k * period_;
      if (now < due + margin_) {
        *start = due - margin_;
        *end = due + margin_;
        return true;
      }
    }
    Forget();
    return false;
  }

  // The period in us the loop currently expects; 0 for none.
  uint64_t PeriodUs() const { return period_ / us_; }

  void Forget() {
    period_ = margin_ = 0;
    count_ = next_ = 0;
  }

 private:
  static constexpr int kGaps = 7;                 // a forecast needs this many gaps...
  static constexpr int kOutliers = 2;             // ...of which all but this many steady
  static constexpr int kMaxMissed = 1;            // arrivals a forecast survives missing
  static constexpr uint64_t kSteadyDiv = 8;       // steady: within 1/8 of the median
  static constexpr uint64_t kMinMarginUs = 150;   // a timed wake-up comes late by up to ~130 us (p99, VM)
  static constexpr uint64_t kMinPeriodUs = 1000;  // shorter gaps: keep-polling and wake-ups cover them
  static constexpr uint64_t kMaxPeriodUs = 2000000;
  static constexpr uint64_t kBudget = 20;  // the window costs at most 1/20 of the period (5% of a core)

  void Recompute() {
    period_ = margin_ = 0;
    if (count_ < kGaps) return;
    uint64_t sorted[kGaps];
    std::copy(gaps_, gaps_ + kGaps, sorted);
    std::sort(sorted, sorted + kGaps);
    const uint64_t median = sorted[kGaps / 2];
    // The jitter, leaving out the kOutliers gaps farthest from the median. A
    // sender's timer comes a tick late now and then (ping on this VM: 2% of
    // its gaps 4 ms long, then on at the new phase; or two early ones after a
    // slow echo): counted, each disabled the forecast for the next kGaps
    // arrivals, 13% of the time. The window follows the latest arrival, so
    // a shifted phase costs one wake-up, not a forecast.
    uint64_t dev[kGaps];
    for (int i = 0; i < kGaps; i++) dev[i] = sorted[i] > median ? sorted[i] - median : median - sorted[i];
    std::sort(dev, dev + kGaps);
    const uint64_t spread = dev[kGaps - 1 - kOutliers];
    if (median < kMinPeriodUs * us_ || median > kMaxPeriodUs * us_ || spread * kSteadyDiv > median) return;
    const uint64_t margin = kMinMarginUs * us_ + 2 * spread;
    if (2 * margin * kBudget > median) return;
    period_ = median;
    margin_ = margin;
  }

  const uint64_t us_;  // timer cycles per us
  uint64_t last_ = 0;  // the latest arrival
  uint64_t gaps_[kGaps] = {};
  int next_ = 0, count_ = 0;
  uint64_t period_ = 0, margin_ = 0;  // the forecast; period_ 0 for none
};

}  // namespace mpsh
