#include "parallel/thread_pool.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace litecnn {
namespace {

// How long a thread polls for the next region (a worker) or for the region's end (the caller)
// before it blocks on a condition variable. Waking a blocked wasm Worker took ~0.4 ms here
// (futex wake, then the VM's idle vCPU), longer than many whole ops: with a 20000-iteration spin
// (~10-20 us) workers fell asleep during every single-threaded stretch, and the next region's
// caller waited for the late worker's part, so the first conv of MobileNetV3 and BlazeFace ran
// slower on 2 threads than on 1 (0.46 -> 0.58 ms); polling through the run's gaps gave 1.8-2x
// on it and 1.05 -> 1.6x on MobileNetV3-small. Bounded, so an idle pool stops using CPU
// ~2 ms after a run.
constexpr std::chrono::microseconds kSpinTime{2000};
constexpr int kSpinsPerClockRead = 1024;  // reading the clock is a JS call in wasm

// Counts polls and says when the spin time has run out.
class SpinBudget {
 public:
  bool Spent() {
    if (++spins_ % kSpinsPerClockRead != 0) return false;
    // The clock starts at the first read: most waits end before it (no clock read at all).
    const auto now = std::chrono::steady_clock::now();
    if (spins_ == kSpinsPerClockRead) start_ = now;
    return now - start_ > kSpinTime;
  }

 private:
  std::chrono::steady_clock::time_point start_;
  int spins_ = 0;
};

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

}  // namespace

ThreadPool::ThreadPool(size_t workers) { Grow(workers); }

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (pthread_t t : threads_) pthread_join(t, nullptr);
}

void* ThreadPool::WorkerMain(void* pool) {
  static_cast<ThreadPool*>(pool)->WorkerLoop();
  return nullptr;
}

void ThreadPool::Grow(size_t workers) {
#if !LITECNN_HAVE_THREADS
  workers = 0;  // a wasm build without threads cannot start any: regions run on the caller
#endif
  if (started_.load(std::memory_order_acquire) >= workers) return;
  std::lock_guard<std::mutex> region(region_mutex_);  // no region runs while threads are added
  while (threads_.size() < workers) {
    pthread_t t;
    if (pthread_create(&t, nullptr, &ThreadPool::WorkerMain, this) != 0) break;
    threads_.push_back(t);
    started_.store(threads_.size(), std::memory_order_release);
  }
}

void ThreadPool::Prewake() {
  if (started_.load(std::memory_order_acquire) == 0) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (blocked_ == 0) return;
    ++prewakes_;
  }
  wake_.notify_all();
}

void ThreadPool::Drain(bool from_back) {
  for (;;) {
    uint64_t range = unclaimed_.load(std::memory_order_relaxed), claimed;
    size_t i;
    do {
      const uint64_t begin = range & 0xffffffffu, end = range >> 32;
      if (begin >= end) return;
      i = static_cast<size_t>(from_back ? end - 1 : begin);
      claimed = from_back ? ((end - 1) << 32) | begin : (end << 32) | (begin + 1);
    } while (!unclaimed_.compare_exchange_weak(range, claimed, std::memory_order_relaxed));
    fn_(ctx_, i);
    if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == count_) {
      // The last task: wake the caller if it sleeps (taking the mutex orders this notify after
      // its check of finished_).
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_all();
    }
  }
}

void ThreadPool::RunTasks(size_t count, TaskFn fn, void* ctx) {
  if (count == 0) return;
  std::unique_lock<std::mutex> region(region_mutex_, std::try_to_lock);
  // The claimable range packs two 32-bit indices (Drain): larger regions run on the caller.
  const bool too_many = static_cast<uint64_t>(count) > 0xffffffffu;
  if (!region.owns_lock() || threads_.empty() || count == 1 || too_many) {
    for (size_t i = 0; i < count; ++i) fn(ctx, i);
    return;
  }
  // An odd generation closes the door (a seqlock): a worker that counts itself in (active_)
  // and then reads an odd generation leaves again. Once active_ is 0, no worker reads the region
  // while it is rewritten. Sequentially consistent on both sides, so that either the worker sees
  // the odd value or the caller sees its count.
  const uint64_t gen = generation_.load(std::memory_order_relaxed);
  generation_.store(gen + 1);
  while (active_.load() != 0) std::this_thread::yield();
  fn_ = fn;
  ctx_ = ctx;
  count_ = count;
  finished_.store(0, std::memory_order_relaxed);
  unclaimed_.store(static_cast<uint64_t>(count) << 32, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_.store(gen + 2, std::memory_order_release);
  }
  wake_.notify_all();
  Drain(false);
  for (SpinBudget spin; finished_.load(std::memory_order_acquire) != count;) {
    if (!spin.Spent()) {
      CpuRelax();
      continue;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == count; });
  }
}

void ThreadPool::WorkerLoop() {
  uint64_t seen = generation_.load(std::memory_order_acquire) & ~uint64_t{1};
  uint64_t prewakes_seen;
  {
    // Prewakes before this worker existed are not for it (StartSharedWorkers grows, then wakes).
    std::lock_guard<std::mutex> lock(mutex_);
    prewakes_seen = prewakes_;
  }
  const auto open = [&](uint64_t g) { return g != seen && (g & 1) == 0; };
  for (;;) {
    bool stop = false;
    for (SpinBudget spin;;) {
      if (open(generation_.load(std::memory_order_acquire))) break;
      if (!spin.Spent()) {
        CpuRelax();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      ++blocked_;
      wake_.wait(lock,
                 [&] { return stop_ || open(generation_.load()) || prewakes_ != prewakes_seen; });
      --blocked_;
      stop = stop_;
      const bool only_prewoken = !stop && !open(generation_.load());
      prewakes_seen = prewakes_;
      if (only_prewoken) {
        spin = SpinBudget();  // woken ahead of a run: poll for its first region
        continue;
      }
      break;
    }
    if (stop) return;
    active_.fetch_add(1);
    const uint64_t g = generation_.load();
    if (open(g)) {
      seen = g;
      Drain(true);
    }
    active_.fetch_sub(1, std::memory_order_release);
  }
}

namespace {
std::atomic<size_t> shared_limit{~size_t{0}};
}  // namespace

void SetSharedThreadPoolLimit(size_t max_workers) { shared_limit.store(max_workers); }

ThreadPool* SharedThreadPool() {
#if !LITECNN_HAVE_THREADS
  return nullptr;  // nothing refers to the pool, so the linker drops it
#else
  // Never destroyed: workers blocked at exit are reclaimed by the process, and no destructor
  // order issue can join a thread that is gone.
  static ThreadPool* pool = new ThreadPool(0);
  return pool;
#endif
}

void StartSharedWorkers(size_t workers) {
  if (ThreadPool* pool = SharedThreadPool()) {
    pool->Grow(std::min(workers, shared_limit.load()));
    pool->Prewake();
  }
}

}  // namespace litecnn
