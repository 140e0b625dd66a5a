// Packet capture: the loops' copying side (CaptureTap, capture.h) and the
// shell's writing side (CaptureSession: sets a slot up, drains its ring
// into a pcapng file).
#include "observe/capture.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include <napi.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "js/errors.h"
#include "js/exports.h"
#include "layouts/process_slot.h"
#include "observe/capture_file.h"

namespace mpsh {

// The region, found or reserved (zeroed: every slot off) and stamped.
static CaptureRegion* FindRegion(bool reserve) {
  const rte_memzone* mz = rte_memzone_lookup(kCaptureZone);
  if (mz == nullptr && reserve) mz = rte_memzone_reserve(kCaptureZone, sizeof(CaptureRegion), SOCKET_ID_ANY, 0);
  if (mz == nullptr && reserve) mz = rte_memzone_lookup(kCaptureZone);  // reserved meanwhile by another process
  if (mz == nullptr || mz->len < sizeof(CaptureRegion)) return nullptr;
  auto* region = static_cast<CaptureRegion*>(mz->addr);
  uint32_t unset = 0;
  if (region->magic == 0 &&
      __atomic_compare_exchange_n(&region->version, &unset, kStatsVersion, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
    __atomic_store_n(&region->magic, kStatsMagic, __ATOMIC_RELEASE);
  return region;
}

CaptureSlot* CaptureTap::FindSlot(uint32_t index, bool reserve) {
  CaptureRegion* region = FindRegion(reserve);
  return region != nullptr && index < kCaptureSlots ? &region->slots[index] : nullptr;
}

void CaptureTap::Copy(uint16_t port, uint16_t queue, rte_mbuf* const* pkts, uint16_t n, uint32_t dir) {
  CaptureSlot* s = slot_;
  const uint32_t session = __atomic_load_n(&s->active, __ATOMIC_ACQUIRE);
  if (session == 0 || !(s->directions & dir)) return;
  if (s->limit != 0 && __atomic_load_n(&s->copied, __ATOMIC_RELAXED) >= s->limit) return;
  if (session != session_) {
    ring_ = rte_ring_lookup(s->ring);
    pool_ = rte_mempool_lookup(s->pool);
    session_ = session;
  }
  if (ring_ == nullptr || pool_ == nullptr) {
    __atomic_fetch_add(&s->dropped, n, __ATOMIC_RELAXED);
    return;
  }
  // Copy only what the ring can take: past that a copy is work thrown away
  // (at net_null's rates it cost the loop 95% of its throughput).
  const unsigned room = rte_ring_free_count(ring_);
  if (room < n) {
    __atomic_fetch_add(&s->dropped, n - room, __ATOMIC_RELAXED);
    if (room == 0) return;
    n = static_cast<uint16_t>(room);
  }
  rte_mbuf* copies[64];
  uint16_t k = 0;
  uint64_t failed = 0;
  // The time is written into each copy's block below: rte_pcapng's own
  // TSC conversion (Debian's 22.11.11) put these decades off.
  const uint64_t now_ns = NowNs(CLOCK_REALTIME);
  const auto direction = dir == kCaptureRx ? RTE_PCAPNG_DIRECTION_IN : RTE_PCAPNG_DIRECTION_OUT;
  for (uint16_t i = 0; i < n && k < 64; i++) {
    const uint16_t p = port == kPortOfEachMbuf ? pkts[i]->port : port;
    if (s->port != kCaptureAllPorts && s->port != p) continue;
    rte_mbuf* c = rte_pcapng_copy(p, queue, pkts[i], pool_, s->snaplen, 0, direction);
    if (c == nullptr) {
      failed++;
      continue;
    }
    // Enhanced Packet Block: type, length, interface, timestamp high, low (ns, as the interface block says).
    auto* epb = rte_pktmbuf_mtod(c, uint32_t*);
    epb[3] = static_cast<uint32_t>(now_ns >> 32);
    epb[4] = static_cast<uint32_t>(now_ns);
    copies[k++] = c;
  }
  failed += n > 64 ? n - 64 : 0;
  const unsigned sent = k ? rte_ring_enqueue_burst(ring_, reinterpret_cast<void**>(copies), k, nullptr) : 0;
  if (sent < k) {
    rte_pktmbuf_free_bulk(&copies[sent], k - sent);
    failed += k - sent;
  }
  __atomic_fetch_add(&s->copied, sent, __ATOMIC_RELAXED);
  if (failed) __atomic_fetch_add(&s->dropped, failed, __ATOMIC_RELAXED);
}

// The shell a session number belongs to (sessions are pid << 8 | n).
static uint32_t SessionOwner(uint32_t session) { return session >> 8; }

static constexpr unsigned kCaptureRingSize = 4096;
static constexpr unsigned kCapturePoolSize = 8191;
static constexpr const char* kCapturePool = "MPSH_CAP_POOL";

// new CaptureSession({ slot, file, port?, directions, snaplen })
class CaptureSession : public Napi::ObjectWrap<CaptureSession> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(
        env, "CaptureSession",
        {InstanceMethod("poll", &CaptureSession::Poll), InstanceMethod("stop", &CaptureSession::Stop),
         InstanceMethod("counters", &CaptureSession::Counters), InstanceMethod("failed", &CaptureSession::Failed)});
  }

  explicit CaptureSession(const Napi::CallbackInfo& info) : Napi::ObjectWrap<CaptureSession>(info) {
    Napi::Env env = info.Env();
    // Every option is read before anything is made or opened: a bad one
    // changes nothing and leaks nothing.
    Napi::Object o = ArgOptions(info);
    const uint32_t index = OptUint(o, "slot");
    if (index >= kCaptureSlots) throw Napi::RangeError::New(env, "capture slot out of range");
    const std::string file = OptString(o, "file");
    const uint32_t port = OptUint(o, "port", kCaptureAllPorts);
    const uint32_t directions = OptUint(o, "directions");
    const uint32_t snaplen = OptUint(o, "snaplen");
    const uint64_t limit = OptUint64(o, "count");
    const bool force = OptBool(o, "force", false);
    // The session of a dead owner (the caller checked it is dead): its slot is free.
    const uint32_t stale = OptUint(o, "staleSession", 0);
    CaptureRegion* region = FindRegion(true);
    if (region == nullptr) ThrowRteErrno(env, "cannot reserve memzone MPSH_CAPTURE");
    slot_ = &region->slots[index];
    const uint32_t seen = __atomic_load_n(&slot_->active, __ATOMIC_ACQUIRE);
    if (seen != 0 && seen != stale)
      throw Napi::Error::New(env, "a capture of this process is already running (shell pid " +
                                      std::to_string(SessionOwner(seen)) + "): stop it there first");
    const std::string refused = file_.Open(file, force);
    if (!refused.empty()) throw Napi::Error::New(env, refused);
    pool_ = rte_mempool_lookup(kCapturePool);
    if (pool_ == nullptr) {
      // The lock-free stack: a loop killed in the middle of a copy cannot block the shell's frees.
      pool_ =
          rte_pktmbuf_pool_create_by_ops(kCapturePool, kCapturePoolSize, 0, 0,
                                         rte_pcapng_mbuf_size(RTE_MBUF_DEFAULT_DATAROOM), rte_socket_id(), "lf_stack");
      if (pool_ == nullptr) pool_ = rte_mempool_lookup(kCapturePool);
      if (pool_ == nullptr) DiscardAndThrow(env, "cannot create the capture pool");
    }
    const std::string ring = "MPSH_CAP_" + std::to_string(index);
    ring_ = rte_ring_lookup(ring.c_str());
    if (ring_ == nullptr) ring_ = rte_ring_create(ring.c_str(), kCaptureRingSize, SOCKET_ID_ANY, RING_F_SC_DEQ);
    if (ring_ == nullptr) DiscardAndThrow(env, "cannot create ring " + ring);
    // Takes the slot from nobody, or from the dead owner; another shell may have been quicker.
    uint32_t expected = seen;
    if (seen != 0 &&
        !__atomic_compare_exchange_n(&slot_->active, &expected, 0u, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      file_.Discard();
      throw Napi::Error::New(env, "a capture of this process was started meanwhile by another shell");
    }
    FreeAll();  // what an earlier session left
    slot_->directions = directions;
    slot_->port = port;
    slot_->snaplen = snaplen;
    slot_->limit = limit;
    slot_->copied = 0;
    slot_->dropped = 0;
    snprintf(slot_->ring, sizeof(slot_->ring), "%s", ring.c_str());
    snprintf(slot_->pool, sizeof(slot_->pool), "%s", kCapturePool);
    static uint32_t sessions = 0;
    session_ = (static_cast<uint32_t>(getpid()) << 8) + (++sessions & 0xff);
    if (session_ == 0) session_ = 1;
    expected = 0;
    if (!__atomic_compare_exchange_n(&slot_->active, &expected, session_, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
      file_.Discard();
      throw Napi::Error::New(env, "a capture of this process was started meanwhile by another shell");
    }
  }

  ~CaptureSession() override { Finish(0); }

 private:
  // poll(limit): writes what waits, at most `limit` more packets; returns how many it wrote.
  Napi::Value Poll(const Napi::CallbackInfo& info) {
    uint64_t limit =
        info.Length() > 0 && info[0].IsNumber() ? static_cast<uint64_t>(info[0].ToNumber().DoubleValue()) : UINT64_MAX;
    // At most one ring's worth per call: a loop refilling the ring as fast as
    // it is drained would otherwise keep the shell's thread here for good
    // (its timers, --duration among them, never ran).
    return Napi::Number::New(info.Env(), static_cast<double>(Drain(std::min<uint64_t>(limit, kCaptureRingSize))));
  }

  // Writes until `limit`, the ring is empty, or a write fails (then
  // nothing more is written: the file ends with its last whole block).
  uint64_t Drain(uint64_t limit) {
    if (!file_.is_open() || file_.error() != 0) return 0;
    rte_mbuf* pkts[64];
    uint64_t total = 0;
    unsigned n;
    while (total < limit && file_.error() == 0 &&
           (n = rte_ring_sc_dequeue_burst(ring_, reinterpret_cast<void**>(pkts), 64, nullptr)) > 0) {
      unsigned keep = total + n > limit ? static_cast<unsigned>(limit - total) : n;
      if (keep > 0) total += file_.Write(pkts, static_cast<uint16_t>(keep));
      rte_pktmbuf_free_bulk(pkts, n);
    }
    written_ += total;
    return total;
  }

  void FreeAll() {
    rte_mbuf* pkts[64];
    unsigned n;
    while ((n = rte_ring_sc_dequeue_burst(ring_, reinterpret_cast<void**>(pkts), 64, nullptr)) > 0)
      rte_pktmbuf_free_bulk(pkts, n);
  }

  // Turns the copying off, writes what is still in the ring (up to `limit`
  // in all), closes the file.
  void Finish(uint64_t limit) {
    if (!file_.is_open()) return;
    uint32_t mine = session_;
    __atomic_compare_exchange_n(&slot_->active, &mine, 0u, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
    // A loop that saw the flag just before may still be enqueueing its burst.
    usleep(2000);
    Drain(limit > written_ ? limit - written_ : 0);
    FreeAll();
    file_.Close();
  }

  // stop(limit?): { written, copied, dropped, writeError }
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    uint64_t limit =
        info.Length() > 0 && info[0].IsNumber() ? static_cast<uint64_t>(info[0].ToNumber().DoubleValue()) : UINT64_MAX;
    Finish(limit);
    return Counters(info);
  }

  // A capture that could not start leaves no file it made.
  [[noreturn]] void DiscardAndThrow(Napi::Env env, const std::string& what) {
    const int err = rte_errno;
    file_.Discard();
    throw MakeDpdkError(env, what, err);
  }

  // failed(): whether a write failed (the capture should end now).
  Napi::Value Failed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), file_.error() != 0); }

  Napi::Value Counters(const Napi::CallbackInfo& info) {
    Napi::Object out = Napi::Object::New(info.Env());
    out.Set("written", static_cast<double>(written_));
    out.Set("copied", static_cast<double>(slot_->copied));
    out.Set("dropped", static_cast<double>(slot_->dropped));
    // The first failed write's errno (0: none) and its text.
    out.Set("writeErrno", file_.error());
    out.Set("writeError", file_.error() != 0 ? strerror(file_.error()) : "");
    return out;
  }

  CaptureSlot* slot_ = nullptr;
  rte_ring* ring_ = nullptr;
  rte_mempool* pool_ = nullptr;
  CaptureFile file_;
  uint32_t session_ = 0;
  uint64_t written_ = 0;
};

static Napi::Value CaptureLayout(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("serverSlot", kCaptureServerSlot);
  o.Set("clientSlot0", CaptureSlotOfClient(0));
  o.Set("maxSymProcs", kMaxSymProcs);
  o.Set("rx", kCaptureRx);
  o.Set("tx", kCaptureTx);
  return o;
}

// captureSlotOwner(slot): { session, pid } of the capture using a slot
// (0, 0: none). Whether that shell is alive is the caller's rule (pids.ts).
static Napi::Value CaptureSlotOwner(const Napi::CallbackInfo& info) {
  const uint32_t index = ArgUint(info, 0, "slot");
  if (index >= kCaptureSlots) throw Napi::RangeError::New(info.Env(), "capture slot out of range");
  CaptureRegion* region = FindRegion(false);
  const uint32_t session = region != nullptr ? __atomic_load_n(&region->slots[index].active, __ATOMIC_ACQUIRE) : 0;
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("session", session);
  o.Set("pid", SessionOwner(session));
  return o;
}

void InitCapture(Napi::Env env, Napi::Object exports) {
  Export(env, exports, "CaptureSession", CaptureSession::Define(env), "captureLayout", CaptureLayout,
         "captureSlotOwner", CaptureSlotOwner);
}

}  // namespace mpsh
