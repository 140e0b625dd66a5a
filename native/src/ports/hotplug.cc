// Device hotplug across the processes of a prefix, as the stock hotplug_mp
// sample does it: rte_eal_hotplug_add/remove. In a primary they probe or
// remove the device here and then in every secondary over the multi-process
// channel (rolling back if one fails); in a secondary they ask the primary to
// do exactly that. Policy (what may be attached or detached, who is asked
// first) lives in src/core/hotplug.ts.
//
// The calls run on a libuv worker thread and resolve a Promise: a request to
// the other processes may wait up to EAL's 5 s timeout, and the shell's screen
// must go on drawing meanwhile. The worker touches no JS.
#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "js/errors.h"
#include "js/exports.h"

namespace mpsh {

namespace {

// EAL and the drivers log a failed parse or probe on stderr, several lines
// that say less than the one line the shell prints (which it can only print
// after them). They are held back for the duration of the call unless
// MPSH_EAL_LOG=1. The level is process-wide: another thread's log line in
// that window is held back too.
class QuietLog {
 public:
  QuietLog() {
    const char* v = getenv("MPSH_EAL_LOG");
    if (v != nullptr && strcmp(v, "1") == 0) return;
    saved_ = static_cast<int>(rte_log_get_global_level());
    rte_log_set_global_level(RTE_LOG_EMERG);
  }
  ~QuietLog() {
    if (saved_ >= 0) rte_log_set_global_level(static_cast<uint32_t>(saved_));
  }

 private:
  int saved_ = -1;
};

// parseDevargs(text): { bus, name, args } as EAL will read them, or a
// DpdkError when no bus takes the text (an unknown driver name, or garbage).
Napi::Value ParseDevargs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string text = ArgString(info, 0, "devargs");
  struct rte_devargs da = {};
  int ret;
  {
    QuietLog quiet;
    ret = rte_devargs_parse(&da, text.c_str());
  }
  if (ret != 0 || da.bus == nullptr) {
    rte_devargs_reset(&da);
    throw MakeDpdkError(env, "cannot parse devargs", ret < 0 ? -ret : EINVAL);
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("bus", rte_bus_name(da.bus));
  o.Set("name", da.name);
  o.Set("args", da.args != nullptr ? da.args : "");
  rte_devargs_reset(&da);
  return o;
}

class HotplugWorker : public Napi::AsyncWorker {
 public:
  HotplugWorker(Napi::Env env, bool add, std::string bus, std::string name, std::string args)
      : Napi::AsyncWorker(env),
        deferred_(Napi::Promise::Deferred::New(env)),
        add_(add),
        bus_(std::move(bus)),
        name_(std::move(name)),
        args_(std::move(args)) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    QuietLog quiet;
    ret_ = add_ ? rte_eal_hotplug_add(bus_.c_str(), name_.c_str(), args_.c_str())
                : rte_eal_hotplug_remove(bus_.c_str(), name_.c_str());
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (ret_ == 0) {
      deferred_.Resolve(env.Undefined());
      return;
    }
    // EAL returns -errno, or -1 from a driver or a process that did not
    // answer; rte_errno is not reliable then (another thread's).
    int err = ret_ < -1 ? -ret_ : EIO;
    deferred_.Reject(MakeDpdkError(env, std::string(add_ ? "attach " : "detach ") + name_, err).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  bool add_;
  std::string bus_, name_, args_;
  int ret_ = 0;
};

// hotplugAdd(bus, name, args): Promise<void>.
Napi::Value HotplugAdd(const Napi::CallbackInfo& info) {
  auto* w = new HotplugWorker(info.Env(), true, ArgString(info, 0, "bus"), ArgString(info, 1, "name"),
                              ArgString(info, 2, "args"));
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// hotplugRemove(bus, name): Promise<void>.
Napi::Value HotplugRemove(const Napi::CallbackInfo& info) {
  auto* w = new HotplugWorker(info.Env(), false, ArgString(info, 0, "bus"), ArgString(info, 1, "name"), "");
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace

void InitHotplug(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "parseDevargs", ParseDevargs, "hotplugAdd", HotplugAdd, "hotplugRemove", HotplugRemove);
}

}  // namespace mpsh
