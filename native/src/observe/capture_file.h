// The file a capture writes: opened without ever blocking the shell's
// thread, never truncating what the user did not say to replace, and
// written whole blocks at a time, so that a failed write (a full disk)
// leaves a file that ends on a block boundary and says why it stopped.
#pragma once
#include <stdint.h>

#include <string>

#include <rte_mbuf.h>
#include <rte_pcapng.h>

namespace mpsh {

class CaptureFile {
 public:
  CaptureFile() = default;
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;
  ~CaptureFile() { Close(); }

  // Opens `path` and writes the pcapng header. Empty on success, else one
  // line for the user (the file is not left behind if this made it).
  std::string Open(const std::string& path, bool force);

  // Writes `n` pcapng copies. Returns how many are in the file now; on the
  // first failure the file is cut back to its last whole block and
  // error() says why; later calls write nothing.
  uint64_t Write(rte_mbuf** pkts, uint16_t n);

  void Close();
  // Closes, and removes the file if Open made it (a capture that did not start).
  void Discard();

  int error() const { return errno_; }
  bool is_open() const { return pcapng_ != nullptr; }

 private:
  void Fail(int err, uint64_t keep_bytes);

  rte_pcapng_t* pcapng_ = nullptr;
  int fd_ = -1;
  bool regular_ = false;
  std::string made_;     // the path, when Open created the file
  uint64_t offset_ = 0;  // where the last whole block ends
  int errno_ = 0;
};

}  // namespace mpsh
