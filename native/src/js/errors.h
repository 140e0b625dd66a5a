// Native errors surface in JavaScript as DpdkError instances carrying rte_errno
// and its rte_strerror() text, so callers can branch on `errno` and users read
// DPDK's own words.
#pragma once
#include <napi.h>

#include <string>
#include <vector>

namespace mpsh {

// Called once from JS with the DpdkError class (src/core/errors.ts).
void SetErrorClass(const Napi::Function& cls);

// Builds "<what>: <rte_strerror(err)>" as a DpdkError.
Napi::Error MakeDpdkError(Napi::Env env, const std::string& what, int err);

// Throws MakeDpdkError(env, what, rte_errno).
[[noreturn]] void ThrowRteErrno(Napi::Env env, const std::string& what);

// Argument helpers: throw TypeError with a clear message on mismatch.
std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* name);
uint32_t ArgUint(const Napi::CallbackInfo& info, size_t i, const char* name);
// The options object of a constructor (argument i).
Napi::Object ArgOptions(const Napi::CallbackInfo& info, size_t i = 0);

// Option-object helpers, the same checks on a property `key` of `o`: a
// wrong or missing value is a TypeError/RangeError naming the key, never a
// silent 0 from a coercion.
uint32_t OptUint(const Napi::Object& o, const char* key);
// Absent (undefined) is `fallback`.
uint32_t OptUint(const Napi::Object& o, const char* key, uint32_t fallback);
// A 64-bit count: any whole number a JavaScript number holds exactly (up to 2^53-1); absent is 0.
uint64_t OptUint64(const Napi::Object& o, const char* key);
std::string OptString(const Napi::Object& o, const char* key);
// Strictly true or false; absent (undefined) is `fallback`.
bool OptBool(const Napi::Object& o, const char* key, bool fallback = false);
Napi::Array OptArray(const Napi::Object& o, const char* key);
std::vector<uint32_t> OptUintList(const Napi::Object& o, const char* key);

}  // namespace mpsh
