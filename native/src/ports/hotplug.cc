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
#include <rte_ethdev.h>
#include <rte_log.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "js/errors.h"
#include "js/exports.h"
#include "ports/ports.h"

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

// portDevice(port): { port, name, device, bus, linkUp } — the device behind a
// port, which is what detach names (one device may carry several ports).
Napi::Value PortDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t port = ArgUint(info, 0, "port");
  if (port >= RTE_MAX_ETHPORTS) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
  RequireValidPort(env, static_cast<uint16_t>(port));
  char name[RTE_ETH_NAME_MAX_LEN] = "";
  rte_eth_dev_get_name_by_port(static_cast<uint16_t>(port), name);
  if (name[0] == '\0') throw Napi::RangeError::New(env, "port " + std::to_string(port) + " has been released");
  struct rte_eth_dev_info dev_info;
  CheckPortCall(env, static_cast<uint16_t>(port), rte_eth_dev_info_get(static_cast<uint16_t>(port), &dev_info),
                "cannot get device info");
  Napi::Object o = Napi::Object::New(env);
  o.Set("port", port);
  o.Set("name", name);
  o.Set("device", dev_info.device != nullptr ? rte_dev_name(dev_info.device) : name);
  const struct rte_bus* bus = dev_info.device != nullptr ? rte_dev_bus(dev_info.device) : nullptr;
  o.Set("bus", bus != nullptr ? rte_bus_name(bus) : "");
  struct rte_eth_link link = {};
  o.Set("linkUp",
        rte_eth_link_get_nowait(static_cast<uint16_t>(port), &link) == 0 && link.link_status == RTE_ETH_LINK_UP);
  return o;
}

// ethPortNames(): [{ port, name }], from shared data only (no driver call):
// cheap and safe to poll while other processes attach and detach. Ports the
// primary has released (empty name) are left out.
Napi::Value EthPortNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint16_t pid;
  uint32_t n = 0;
  RTE_ETH_FOREACH_DEV(pid) {
    char name[RTE_ETH_NAME_MAX_LEN] = "";
    if (rte_eth_dev_get_name_by_port(pid, name) != 0 || name[0] == '\0') continue;
    Napi::Object o = Napi::Object::New(env);
    o.Set("port", pid);
    o.Set("name", name);
    out.Set(n++, o);
  }
  return out;
}

// stopPortIfStartedHere(port): a port this process configured and started
// (an earlier spawn) is stopped before its device goes.
Napi::Value StopPortIfStartedHere(const Napi::CallbackInfo& info) {
  uint32_t port = ArgUint(info, 0, "port");
  if (port < RTE_MAX_ETHPORTS) StopIfStartedHere(static_cast<uint16_t>(port));
  return info.Env().Undefined();
}

}  // namespace

void InitHotplug(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "parseDevargs", ParseDevargs, "hotplugAdd", HotplugAdd, "hotplugRemove", HotplugRemove,
         "ethPortNames", EthPortNames, "portDevice", PortDevice, "stopPortIfStartedHere", StopPortIfStartedHere);
}

}  // namespace mpsh
