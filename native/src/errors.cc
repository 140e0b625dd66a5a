#include "errors.h"

#include <rte_errno.h>

namespace mpsh {

static Napi::FunctionReference g_error_class;

void SetErrorClass(const Napi::Function& cls) {
  g_error_class = Napi::Persistent(cls);
  g_error_class.SuppressDestruct();
}

Napi::Error MakeDpdkError(Napi::Env env, const std::string& what, int err) {
  std::string text = what + ": " + rte_strerror(err);
  if (!g_error_class.IsEmpty()) {
    Napi::Object obj = g_error_class.New({Napi::String::New(env, text), Napi::Number::New(env, err)});
    return Napi::Error(env, obj);
  }
  Napi::Error e = Napi::Error::New(env, text);
  e.Set("errno", Napi::Number::New(env, err));
  return e;
}

void ThrowRteErrno(Napi::Env env, const std::string& what) {
  throw MakeDpdkError(env, what, rte_errno);
}

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsString())
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

uint32_t ArgUint(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsNumber())
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (v < 0 || v > 4294967295.0 || v != static_cast<double>(static_cast<uint32_t>(v)))
    throw Napi::RangeError::New(info.Env(), std::string(name) + " must be a non-negative integer");
  return static_cast<uint32_t>(v);
}

}  // namespace mpsh
