// The header every process slot starts with, whatever the role: who owns
// the slot, whether its loop lives, and how it waits when idle. Symmetric
// workers (symmetric_layout.h) and the client-server processes (cs_layout.h)
// embed it, and TypeScript reads it through one module (processSlot.ts)
// from the offsets, roles and states layout_exports.cc exports. Written only by the
// process that owns the slot, except exit_status: the parent that saw it end.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <rte_config.h>

namespace mpsh {

// What every counter region (symmetric_layout.h, cs_layout.h, the capture
// region) is stamped with, checked by its readers, and the bound of its
// per-port counters (indexed by port id).
constexpr uint32_t kStatsMagic = 0x6d707368;  // "mpsh"
// 2: client-server return rings; 3: every slot starts with a ProcessSlot; 4: cache keepers, exit status.
constexpr uint32_t kStatsVersion = 4;
constexpr uint32_t kMaxPorts = RTE_MAX_ETHPORTS;

enum SlotRole : uint32_t { kRoleSymmetric = 1, kRoleServer = 2, kRoleClient = 3 };
enum SlotState : uint32_t { kSlotEmpty = 0, kSlotStarting = 1, kSlotRunning = 2, kSlotStopped = 3 };

// A running loop refreshes its heartbeat at least every few ms, busy or
// idle; this much silence means it hangs (stuck, or SIGSTOPped). `ps` shows
// such a process as stalled and the client-server distribution skips it.
constexpr uint64_t kStalledAfterMs = 2000;

// Names by value, as TypeScript shows them (exported by layout_exports.cc).
constexpr const char* kRoleNames[] = {"", "symmetric", "server", "client"};
constexpr const char* kStateNames[] = {"empty", "starting", "running", "stopped"};

// exit_status: how the slot's process ended, as its parent saw it (0 while
// nobody knows), so every reader words it as `ps` does: "exited (0)",
// "killed (SIGKILL)". Flag | exit code, or flag | signal number.
constexpr uint32_t kExitedFlag = 1u << 16;
constexpr uint32_t kKilledFlag = 2u << 16;

inline uint64_t NowNs(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

// The one liveness rule (pidAlive in src/core/os/pids.ts says the same):
// `pid` names a process that has not exited. kill(pid, 0) alone is not
// enough, it succeeds on a zombie (exited, not yet collected by a parent
// that is stopped, or by init busy after the shell died), so the state
// letter in /proc/<pid>/stat decides. A system call and a /proc read: never
// on the packet path.
inline bool PidAlive(uint32_t pid) {
  if (pid == 0) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  char path[32];
  snprintf(path, sizeof(path), "/proc/%u/stat", pid);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;  // gone between the probe and the open
  char line[256];
  const ssize_t n = read(fd, line, sizeof(line) - 1);
  close(fd);
  if (n <= 0) return false;
  line[n] = '\0';
  // "pid (comm) S ...": the command name may hold spaces and parentheses.
  const char* comm_end = strrchr(line, ')');
  if (comm_end == nullptr || comm_end[1] != ' ') return false;
  return comm_end[2] != 'Z' && comm_end[2] != 'X';
}

struct ProcessSlot {
  uint32_t role;  // SlotRole
  uint32_t id;    // proc-id or client id; 0 for the server
  uint32_t pid;
  uint32_t state;         // SlotState
  uint64_t started_ns;    // CLOCK_REALTIME when the slot was claimed
  uint64_t heartbeat_ns;  // CLOCK_MONOTONIC, refreshed by the loop
  uint32_t idle;          // 1 while the loop waits for lack of packets
  uint32_t exit_status;   // kExitedFlag | code or kKilledFlag | signo, written by the parent; 0 while unknown
  uint64_t idle_policy;   // IdleReport() (idle_policy.h): the loop's idle mode and what it waits on

  // The loop's sign of life: a reader judges a loop stalled by its age.
  void Beat() { heartbeat_ns = NowNs(CLOCK_MONOTONIC); }
  // Busy again: written only on a change, so the line stays shared-clean.
  void Busy() {
    if (idle) idle = 0;
  }
  void Idle() {
    idle = 1;
    Beat();
  }

  // As `ps` says it (liveness.ts stateOf, for a slot alone): a slot whose
  // process is gone (PidAlive) is dead; a running one whose loop has not
  // beaten for kStalledAfterMs is stalled.
  const char* StateName() const {
    if (state == kSlotStopped || state == kSlotEmpty) return kStateNames[state];
    if (!PidAlive(pid)) return "dead";
    if (state == kSlotRunning && NowNs(CLOCK_MONOTONIC) - heartbeat_ns > kStalledAfterMs * 1000000ULL) return "stalled";
    return kStateNames[state];
  }

  // The state in `ps`'s words, the way it ended included when known (one
  // vocabulary for telemetry and the shell: processSlot.ts stateOf).
  const char* StateText(char* buf, size_t size) const {
    if (state != kSlotEmpty && (exit_status & kExitedFlag)) {
      snprintf(buf, size, "exited (%u)", exit_status & 0xffffu);
      return buf;
    }
    if (state != kSlotEmpty && (exit_status & kKilledFlag)) {
      const char* abbrev = sigabbrev_np(static_cast<int>(exit_status & 0xffffu));
      if (abbrev)
        snprintf(buf, size, "killed (SIG%s)", abbrev);
      else
        snprintf(buf, size, "killed (signal %u)", exit_status & 0xffffu);
      return buf;
    }
    return StateName();
  }
};

}  // namespace mpsh
