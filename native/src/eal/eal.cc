// EAL lifecycle for a Node process. Two things differ from a C sample:
//  - rte_eal_init() pins the calling thread (Node's main thread) to the main
//    lcore's CPU set, and every thread Node creates later would inherit it; we
//    restore the thread's original affinity right after init.
//  - EAL prints its progress and failures on stdout/stderr; during init both
//    are captured so JS can print one clear line on failure (or replay the log
//    when asked), instead of interleaving EAL chatter with the prompt.
#include "eal/eal.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "eal/lcore_runner.h"
#include "eal/watchdog.h"
#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

// A secondary must map shared memory at the very addresses its primary used
// (from 4 GiB up, where EAL places its memseg lists). V8 scatters heap pages
// over the whole address space at random hints, and one landing in that
// window makes a secondary fail with "Cannot preallocate VA space". The
// window is reserved (PROT_NONE, no memory) when the addon loads, early in
// the process, and handed back to EAL just before rte_eal_init.
static constexpr uintptr_t kDpdkVaBase = 0x100000000ULL;  // eal_get_baseaddr() on x86_64
static constexpr size_t kDpdkVaSize = 256ULL << 30;       // memseg lists of 2M and 1G pages
static void* g_va_reservation = nullptr;

void ReserveDpdkVa() {
  void* p = mmap(reinterpret_cast<void*>(kDpdkVaBase), kDpdkVaSize, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != MAP_FAILED) g_va_reservation = p;
}

static void ReleaseDpdkVa() {
  if (g_va_reservation != nullptr) munmap(g_va_reservation, kDpdkVaSize);
  g_va_reservation = nullptr;
}

static bool g_initialized = false;
static bool g_cleaned_up = false;
// EAL may keep pointers into argv: keep the strings for the process lifetime.
static std::vector<std::string> g_argv_store;

namespace {

// Redirects fds 1 and 2 into a memfd for the duration of a scope.
class OutputCapture {
 public:
  OutputCapture() {
    fflush(stdout);
    fflush(stderr);
    fd_ = memfd_create("mpsh-eal-init", MFD_CLOEXEC);
    if (fd_ < 0) return;
    saved_out_ = dup(1);
    saved_err_ = dup(2);
    dup2(fd_, 1);
    dup2(fd_, 2);
  }
  std::string Finish() {
    if (fd_ < 0) return "";
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out_, 1);
    dup2(saved_err_, 2);
    close(saved_out_);
    close(saved_err_);
    std::string text;
    off_t len = lseek(fd_, 0, SEEK_END);
    if (len > 0) {
      text.resize(static_cast<size_t>(len));
      ssize_t got = pread(fd_, &text[0], text.size(), 0);
      text.resize(got > 0 ? static_cast<size_t>(got) : 0);
    }
    close(fd_);
    fd_ = -1;
    return text;
  }
  ~OutputCapture() { Finish(); }

 private:
  int fd_ = -1, saved_out_ = -1, saved_err_ = -1;
};

const char* ProcTypeName(rte_proc_type_t t) {
  switch (t) {
    case RTE_PROC_PRIMARY: return "primary";
    case RTE_PROC_SECONDARY: return "secondary";
    default: return "unknown";
  }
}

Napi::Object Info(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("processType", ProcTypeName(rte_eal_process_type()));
  o.Set("mainLcore", rte_get_main_lcore());
  o.Set("socketId", static_cast<double>(rte_socket_id()));
  o.Set("runtimeDir", rte_eal_get_runtime_dir());
  Napi::Array lcores = Napi::Array::New(env);
  unsigned id;
  uint32_t n = 0;
  RTE_LCORE_FOREACH(id) { lcores.Set(n++, id); }
  o.Set("lcores", lcores);
  return o;
}

// ealInit(args: string[]): { ok, log, processType?, mainLcore?, lcores?, ... }
// Returns instead of throwing on EAL failure so JS can add a hint to the
// captured EAL text; rte_errno is reported as `errno`.
Napi::Value EalInit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_initialized) throw Napi::Error::New(env, "EAL is already initialised in this process");
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(env, "args must be an array of strings");
  Napi::Array arr = info[0].As<Napi::Array>();
  g_argv_store.clear();
  g_argv_store.push_back("mpsh");
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(env, "args must be an array of strings");
    g_argv_store.push_back(v.As<Napi::String>().Utf8Value());
  }
  std::vector<char*> argv;
  for (auto& s : g_argv_store) argv.push_back(&s[0]);
  argv.push_back(nullptr);

  cpu_set_t saved;
  bool have_saved = pthread_getaffinity_np(pthread_self(), sizeof(saved), &saved) == 0;

  // RTE_LOG goes to stderr (EAL 22.11's default console log is stdout, which
  // would mix with the prompt in line mode).
  rte_openlog_stream(stderr);
  ReleaseDpdkVa();
  OutputCapture capture;
  // EAL binds its multi-process and telemetry sockets during init with
  // whatever mode the umask leaves (0777 under umask 000). Nothing it makes
  // is meant for other users: stock relies on the 0700 runtime directory,
  // and we narrow the umask as well so the sockets are 0700 themselves.
  mode_t saved_umask = umask(077);
  umask(saved_umask | 077);
  int ret = rte_eal_init(static_cast<int>(argv.size() - 1), argv.data());
  int err = rte_errno;
  umask(saved_umask);
  std::string log = capture.Finish();

  if (have_saved) pthread_setaffinity_np(pthread_self(), sizeof(saved), &saved);

  Napi::Object result = ret < 0 ? Napi::Object::New(env) : Info(env);
  result.Set("ok", ret >= 0);
  result.Set("log", log);
  if (ret < 0) {
    result.Set("errno", err);
    result.Set("error", rte_strerror(err));
  } else {
    g_initialized = true;
  }
  return result;
}

Napi::Value EalInfo(const Napi::CallbackInfo& info) {
  if (!g_initialized) throw Napi::Error::New(info.Env(), "EAL is not initialised");
  return Info(info.Env());
}

// Waits for every worker lcore to return, then releases EAL resources.
// Callers must have stopped their lcore loops first.
Napi::Value EalCleanup(const Napi::CallbackInfo& info) {
  if (!g_initialized || g_cleaned_up) return info.Env().Undefined();
  // A loop still running (on a worker lcore, or stuck on our thread that
  // took over the main lcore) spins on memory the clean-up would unmap.
  if (LcoreRunner::AnyAbandoned()) throw Napi::Error::New(info.Env(), "a packet loop is stuck: EAL cleanup skipped");
  unsigned id;
  RTE_LCORE_FOREACH_WORKER(id) {
    if (rte_eal_get_lcore_state(id) == RUNNING)
      throw Napi::Error::New(info.Env(), "lcore " + std::to_string(id) + " is still running: EAL cleanup skipped");
  }
  rte_eal_mp_wait_lcore();
  g_cleaned_up = true;
  Watchdog watchdog(5, "EAL clean-up");
  int ret = rte_eal_cleanup();
  if (ret < 0) throw MakeDpdkError(info.Env(), "rte_eal_cleanup", -ret);
  return info.Env().Undefined();
}

Napi::Value LcoreState(const Napi::CallbackInfo& info) {
  uint32_t id = ArgUint(info, 0, "lcore");
  if (id >= RTE_MAX_LCORE || !rte_lcore_is_enabled(id)) return Napi::String::New(info.Env(), "disabled");
  if (id == rte_get_main_lcore()) return Napi::String::New(info.Env(), "main");
  return Napi::String::New(info.Env(), rte_eal_get_lcore_state(id) == RUNNING ? "running" : "wait");
}

// primaryRunning(runtimeDir): whether a primary holds the prefix's config
// lock, the same test EAL's --proc-type=auto makes. Lets the caller decide
// before rte_eal_init whether it is about to become primary (and so should
// create the default ports).
Napi::Value PrimaryRunning(const Napi::CallbackInfo& info) {
  std::string dir = ArgString(info, 0, "runtimeDir");
  // The primary asking about its own prefix must not open and close the
  // config file: closing any descriptor of a file drops every fcntl lock the
  // process holds on it, EAL's primary lock included, and the prefix would
  // then look primary-less to everyone else (a secondary leaving would
  // remove the runtime directory under the primary).
  if (g_initialized && !g_cleaned_up && rte_eal_process_type() == RTE_PROC_PRIMARY && dir == rte_eal_get_runtime_dir())
    return Napi::Boolean::New(info.Env(), true);
  std::string path = dir + "/config";
  int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Napi::Boolean::New(info.Env(), false);
  struct flock lk = {};
  lk.l_type = F_WRLCK;
  lk.l_whence = SEEK_SET;
  lk.l_start = 0;
  lk.l_len = 0;
  bool held = fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type != F_UNLCK;
  close(fd);
  return Napi::Boolean::New(info.Env(), held);
}

}  // namespace

void InitEal(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "ealInit", EalInit, "ealInfo", EalInfo, "ealCleanup", EalCleanup, "lcoreState", LcoreState,
         "primaryRunning", PrimaryRunning, "maxLcore", Napi::Number::New(env, RTE_MAX_LCORE));
}

}  // namespace mpsh
