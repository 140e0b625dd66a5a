// DpdkError and the argument checks (errors.h). The JS class comes from
// src/core/errors.ts through setErrorClass() at load; until then (or if it
// never comes) errors are plain Errors with an `errno` property.
#include "js/errors.h"

#include <rte_errno.h>

#include "js/exports.h"

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

// setErrorClass(cls): the DpdkError class native errors are made of.
static Napi::Value SetErrorClassJs(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected a class");
  SetErrorClass(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

void InitErrors(Napi::Env env, Napi::Object exports) { Export(env, exports, "setErrorClass", SetErrorClassJs); }

void ThrowRteErrno(Napi::Env env, const std::string& what) { throw MakeDpdkError(env, what, rte_errno); }

std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i || !info[i].IsString())
    throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a string");
  return info[i].As<Napi::String>().Utf8Value();
}

static uint32_t ToUint(Napi::Env env, const Napi::Value& v, const std::string& name) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, name + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d < 0 || d > 4294967295.0 || d != static_cast<double>(static_cast<uint32_t>(d)))
    throw Napi::RangeError::New(env, name + " must be a non-negative integer");
  return static_cast<uint32_t>(d);
}

uint32_t ArgUint(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (info.Length() <= i) throw Napi::TypeError::New(info.Env(), std::string(name) + " must be a number");
  return ToUint(info.Env(), info[i], name);
}

Napi::Object ArgOptions(const Napi::CallbackInfo& info, size_t i) {
  if (info.Length() <= i || !info[i].IsObject() || info[i].IsArray())
    throw Napi::TypeError::New(info.Env(), "options object expected");
  return info[i].As<Napi::Object>();
}

uint32_t OptUint(const Napi::Object& o, const char* key) { return ToUint(o.Env(), o.Get(key), std::string(key)); }

uint32_t OptUint(const Napi::Object& o, const char* key, uint32_t fallback) {
  Napi::Value v = o.Get(key);
  return v.IsUndefined() ? fallback : ToUint(o.Env(), v, std::string(key));
}

uint64_t OptUint64(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return 0;
  const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
  if (!(d >= 0 && d <= 9007199254740991.0) || d != static_cast<double>(static_cast<uint64_t>(d)))
    throw Napi::RangeError::New(o.Env(), std::string(key) + " must be a whole number up to 2^53-1");
  return static_cast<uint64_t>(d);
}

std::string OptString(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsString()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

bool OptBool(const Napi::Object& o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return fallback;
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be true or false");
  return v.As<Napi::Boolean>().Value();
}

Napi::Array OptArray(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be an array");
  return v.As<Napi::Array>();
}

std::vector<uint32_t> OptUintList(const Napi::Object& o, const char* key) {
  Napi::Array a = OptArray(o, key);
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < a.Length(); i++)
    out.push_back(ToUint(o.Env(), a.Get(i), std::string(key) + "[" + std::to_string(i) + "]"));
  return out;
}

}  // namespace mpsh
