// What the shared-object classes (objects.h) have in common: how a create()
// or lookup() turns a DPDK pointer into a JS instance, and their exports.
#include "objects/objects.h"

#include "js/exports.h"

namespace mpsh {

// Constructors are private to JS: instances come from create()/lookup(),
// which pass the pointer as an External.
Napi::Object WrapPointer(Napi::FunctionReference& ctor, Napi::Env env, const void* p) {
  return ctor.New({Napi::External<void>::New(env, const_cast<void*>(p))});
}

const void* PointerArg(const Napi::CallbackInfo& info) {
  if (info.Length() != 1 || !info[0].IsExternal())
    throw Napi::TypeError::New(info.Env(), "use create() or lookup(), not new");
  return info[0].As<Napi::External<void>>().Data();
}

void InitObjects(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "Ring", Ring::Define(env), "Mempool", Mempool::Define(env), "Memzone", Memzone::Define(env));
}

}  // namespace mpsh
