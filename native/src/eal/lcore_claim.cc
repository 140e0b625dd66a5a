// Lcore ids are claimed with flock() on one file per id under a per-prefix
// directory, before rte_eal_init. Two processes of one file prefix must never
// use the same lcore id: they would share that lcore's mempool cache and
// corrupt it. flock is released by the kernel when the process dies, so a
// crashed process never leaks its ids. Files are opened O_CLOEXEC so children
// do not inherit (and silently keep) the claims.
//
// The directories are the prefix's runtime directory and mpsh's own inside
// it. They are made before rte_eal_init, so their mode is ours, not EAL's:
// 0700 as EAL makes them (sockets inside must not be reachable by other
// users whatever their own mode), and lock files 0600. A directory left with
// wider modes by an older mpsh is narrowed if it is ours.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

static std::vector<int> g_claim_fds;

static void MkdirP(const std::string& path) {
  std::string cur;
  for (size_t i = 0; i < path.size(); i++) {
    cur += path[i];
    if ((path[i] == '/' && i > 0) || i + 1 == path.size()) mkdir(cur.c_str(), 0700);
  }
}

static void RestrictToOwner(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) != 0)
    chmod(path.c_str(), st.st_mode & 0700);
}

// claimLcores(dir, count, first, last): number[] of claimed ids.
static Napi::Value ClaimLcores(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir = ArgString(info, 0, "dir");
  uint32_t count = ArgUint(info, 1, "count");
  uint32_t first = ArgUint(info, 2, "first");
  uint32_t last = ArgUint(info, 3, "last");
  MkdirP(dir);
  RestrictToOwner(dir.substr(0, dir.find_last_of('/')));
  RestrictToOwner(dir);
  std::vector<uint32_t> ids;
  std::vector<int> fds;
  for (uint32_t id = first; id <= last && ids.size() < count; id++) {
    std::string path = dir + "/lcore-" + std::to_string(id) + ".lock";
    int fd = open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
      for (int f : fds) close(f);
      throw Napi::Error::New(env, "cannot open " + path + ": " + strerror(errno));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      ids.push_back(id);
      fds.push_back(fd);
    } else {
      close(fd);
    }
  }
  if (ids.size() < count) {
    for (int f : fds) close(f);
    throw Napi::Error::New(
        env, "no free lcore ids between " + std::to_string(first) + " and " + std::to_string(last) + " in " + dir);
  }
  g_claim_fds.insert(g_claim_fds.end(), fds.begin(), fds.end());
  Napi::Array out = Napi::Array::New(env, ids.size());
  for (uint32_t i = 0; i < ids.size(); i++) out.Set(i, ids[i]);
  return out;
}

// lcoreClaimed(dir, id): whether some process holds the claim on id.
static Napi::Value LcoreClaimed(const Napi::CallbackInfo& info) {
  std::string dir = ArgString(info, 0, "dir");
  uint32_t id = ArgUint(info, 1, "id");
  std::string path = dir + "/lcore-" + std::to_string(id) + ".lock";
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Napi::Boolean::New(info.Env(), false);
  bool held = flock(fd, LOCK_SH | LOCK_NB) != 0;
  close(fd);
  return Napi::Boolean::New(info.Env(), held);
}

// tryClaimFile(path): a descriptor holding an exclusive flock on `path`
// (created 0600 if need be), or -1 while another process holds it. Never
// waits: the caller retries on its event loop. The kernel releases the
// claim when the holder dies. Used for per-prefix locks (mpsh/hotplug.lock).
static Napi::Value TryClaimFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = ArgString(info, 0, "path");
  int fd = open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw Napi::Error::New(env, "cannot open " + path + ": " + strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return Napi::Number::New(env, -1);
  }
  return Napi::Number::New(env, fd);
}

// releaseFile(fd): gives up a claim tryClaimFile made.
static Napi::Value ReleaseFile(const Napi::CallbackInfo& info) {
  int fd = static_cast<int>(ArgUint(info, 0, "fd"));
  flock(fd, LOCK_UN);
  close(fd);
  return info.Env().Undefined();
}

void InitLcoreClaim(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "claimLcores", ClaimLcores, "lcoreClaimed", LcoreClaimed, "tryClaimFile", TryClaimFile,
         "releaseFile", ReleaseFile);
}

}  // namespace mpsh
