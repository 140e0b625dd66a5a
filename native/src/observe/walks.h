// Shared by the walks (walks.cc) and their telemetry (telemetry_objects.cc).
#pragma once
#include <rte_mempool.h>

#include <string>
#include <utility>

namespace mpsh {
// The pool's ops name, and whether it was read off shared data (the
// backing ring's or stack's flags) rather than this process's ops table,
// which other processes number differently (walks.cc explains).
std::pair<std::string, bool> MempoolOpsName(const rte_mempool* mp);
}  // namespace mpsh
