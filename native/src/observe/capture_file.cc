// CaptureFile (capture_file.h): the pcapng file of a capture.
#include "observe/capture_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

#include <rte_errno.h>

namespace mpsh {

std::string CaptureFile::Open(const std::string& path, bool force) {
  // O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of
  // holding the shell's thread in open(2); regular files ignore it.
  const int flags = O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
  bool created = true;
  int fd = open(path.c_str(), flags | O_CREAT | O_EXCL, 0600);  // packets may hold secrets: owner only
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = open(path.c_str(), flags);  // no O_TRUNC: whether to is decided below
  }
  struct stat st;
  if (fd < 0) {
    const int err = errno;
    if (err == ENXIO && stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
      return path + " is a FIFO with no reader (ENXIO): capture writes a regular file; give another name";
    return "cannot write " + path + ": " + strerror(err);
  }
  if (fstat(fd, &st) != 0 || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
    close(fd);
    // A reader that falls behind would stall the shell, or cut blocks in half.
    return path + " is a FIFO or socket: capture writes a regular file; give another name";
  }
  regular_ = S_ISREG(st.st_mode);
  // An existing file keeps its mode: made private too, as the runtime directory.
  if (regular_ && fchmod(fd, 0600) != 0) {
    const int err = errno;
    close(fd);
    return "cannot make " + path + " private (mode 0600): " + strerror(err);
  }
  if (regular_ && !created && st.st_size > 0) {
    if (!force) {
      close(fd);
      return path + " exists: capture does not overwrite files; give a new name, or add --force to replace it";
    }
    if (ftruncate(fd, 0) != 0) {
      const int err = errno;
      close(fd);
      return "cannot replace " + path + ": " + strerror(err);
    }
  }
  struct utsname un;
  const std::string os = uname(&un) == 0 ? std::string(un.sysname) + " " + un.release : "Linux";
  // rte_pcapng_fdopen fails on a failed header write without setting
  // rte_errno: the write's errno is the reason (ENOSPC on /dev/full).
  errno = 0;
  rte_errno = 0;
  pcapng_ = rte_pcapng_fdopen(fd, os.c_str(), nullptr, "mpsh", nullptr);
  if (pcapng_ == nullptr) {
    const int err = errno != 0 ? errno : (rte_errno != 0 ? rte_errno : EIO);
    close(fd);
    if (created) unlink(path.c_str());
    return "cannot write " + path + ": " + strerror(err);
  }
  fd_ = fd;
  if (created) made_ = path;
  const off_t at = regular_ ? lseek(fd, 0, SEEK_CUR) : 0;
  offset_ = at > 0 ? static_cast<uint64_t>(at) : 0;
  return "";
}

// Cuts the file back to `keep_bytes` past the last whole block (a partial
// block makes readers stop with "truncated dump file").
void CaptureFile::Fail(int err, uint64_t keep_bytes) {
  offset_ += keep_bytes;
  if (regular_) {
    if (ftruncate(fd_, static_cast<off_t>(offset_)) != 0 || lseek(fd_, static_cast<off_t>(offset_), SEEK_SET) < 0) {
      // nothing more to do: the reason below is the first failure's
    }
  }
  errno_ = err;
}

uint64_t CaptureFile::Write(rte_mbuf** pkts, uint16_t n) {
  uint16_t done = 0;
  int fruitless = 0;
  while (pcapng_ != nullptr && errno_ == 0 && done < n) {
    uint64_t want = 0;
    for (uint16_t i = done; i < n; i++) want += rte_pktmbuf_pkt_len(pkts[i]);
    errno = 0;
    rte_errno = 0;
    const ssize_t ret = rte_pcapng_write_packets(pcapng_, pkts + done, static_cast<uint16_t>(n - done));
    if (ret >= 0 && static_cast<uint64_t>(ret) == want) {
      offset_ += want;
      return n;
    }
    if (ret < 0) {
      Fail(errno != 0 ? errno : (rte_errno != 0 ? rte_errno : EIO), 0);
      break;
    }
    // A short write (the disk filled up within it): keep the blocks it
    // holds whole and write the rest again, which fails with the reason.
    uint64_t whole = 0;
    uint16_t k = done;
    while (k < n && whole + rte_pktmbuf_pkt_len(pkts[k]) <= static_cast<uint64_t>(ret))
      whole += rte_pktmbuf_pkt_len(pkts[k++]);
    fruitless = k == done ? fruitless + 1 : 0;
    if (fruitless > 2) {
      Fail(ENOSPC, whole);  // short writes that never fail: the device takes no more
      break;
    }
    offset_ += whole;
    if (regular_ &&
        (ftruncate(fd_, static_cast<off_t>(offset_)) != 0 || lseek(fd_, static_cast<off_t>(offset_), SEEK_SET) < 0)) {
      Fail(errno, 0);
      break;
    }
    done = k;
  }
  return done;
}

void CaptureFile::Discard() {
  Close();
  if (!made_.empty()) unlink(made_.c_str());
  made_.clear();
}

void CaptureFile::Close() {
  if (pcapng_ != nullptr) rte_pcapng_close(pcapng_);  // closes the descriptor too
  pcapng_ = nullptr;
  fd_ = -1;
}

}  // namespace mpsh
