// Ethernet port queries shared by every role.
#include <rte_ethdev.h>

#include <set>

#include "errors.h"
#include "init.h"
#include "ports.h"

namespace mpsh {

static std::set<uint16_t> g_started_here;

void StopIfStartedHere(uint16_t port) {
  if (g_started_here.erase(port)) rte_eth_dev_stop(port);
}

void MarkStartedHere(uint16_t port) { g_started_here.insert(port); }

void RequireValidPort(Napi::Env env, uint16_t port) {
  if (!rte_eth_dev_is_valid_port(port)) throw Napi::RangeError::New(env, "no port " + std::to_string(port));
}

void CheckPortCall(Napi::Env env, uint16_t port, int ret, const std::string& what) {
  if (ret < 0) throw MakeDpdkError(env, "port " + std::to_string(port) + ": " + what, -ret);
}

// ethPorts(): [{ port, name, driver }] for every port this process can use.
static Napi::Value EthPorts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint16_t pid;
  uint32_t n = 0;
  RTE_ETH_FOREACH_DEV(pid) {
    Napi::Object o = Napi::Object::New(env);
    char name[RTE_ETH_NAME_MAX_LEN] = "";
    rte_eth_dev_get_name_by_port(pid, name);
    // A port whose shared data the primary has released (its device removed,
    // or the primary cleaned up) still looks attached here; its driver would
    // read freed private data.
    if (name[0] == '\0') continue;
    struct rte_eth_dev_info dev_info;
    o.Set("port", pid);
    o.Set("name", name);
    if (rte_eth_dev_info_get(pid, &dev_info) == 0) o.Set("driver", dev_info.driver_name);
    out.Set(n++, o);
  }
  return out;
}

void InitPorts(Napi::Env env, Napi::Object exports) {
  exports.Set("ethPorts", Napi::Function::New(env, EthPorts, "ethPorts"));
}

}  // namespace mpsh
