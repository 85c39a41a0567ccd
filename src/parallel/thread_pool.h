// A fixed set of worker threads that run one parallel region at a time, and the static
// partition ops use to split their work (see src/README.md, "Threads").
//
//   ThreadPool pool(1);                       // the caller plus one worker
//   pool.Run(8, [&](size_t i) { ... });       // i = 0..7, on both threads
//
// Idle workers block on a condition variable; after a region they poll for ~2 ms before blocking,
// because the next op's region usually starts within microseconds and waking a blocked wasm
// Worker costs ~0.4 ms (thread_pool.cc).
#pragma once

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

// Whether this build can start threads: every build but wasm without pthreads. Without them the
// pool is compiled out of the download (ParallelFor runs its parts in order on the caller).
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define LITECNN_HAVE_THREADS 0
#else
#define LITECNN_HAVE_THREADS 1
#endif

namespace litecnn {

class ThreadPool {
 public:
  // A pool whose regions run on the calling thread and `workers` threads of its own.
  explicit ThreadPool(size_t workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t workers() const { return started_.load(std::memory_order_acquire); }

  // Adds workers until there are at least `workers` (never removes any). Stops early, keeping
  // those it has, when the system refuses a thread (a wasm build past its worker limit): fewer
  // workers only mean less parallelism.
  void Grow(size_t workers);

  // Wakes blocked workers so that they poll for the next region: a caller about to run regions
  // calls it ahead, so that the wake-up latency overlaps with its own work (a run's input
  // conversion) instead of delaying the first region. Does nothing while no worker is blocked
  // (a wake-up left pending would make a worker poll ~2 ms more after its next region).
  void Prewake();

  // Calls task(i) once for each i in [0, count) and returns when every call has returned. Tasks
  // are claimed in any order by the caller and the workers, so a task must not depend on which
  // thread runs it. Not reentrant: a task must not call Run on the same pool. While another
  // thread is inside Run, the caller runs all its tasks itself (same results, no waiting), as it
  // does for 2^32 tasks or more.
  template <class F>
  void Run(size_t count, F&& task) {
    RunTasks(count, &Invoke<F>, &task);
  }

 private:
  using TaskFn = void (*)(void* ctx, size_t i);
  template <class F>
  static void Invoke(void* ctx, size_t i) {
    (*static_cast<F*>(ctx))(i);
  }
  void RunTasks(size_t count, TaskFn fn, void* ctx);
  void WorkerLoop();
  static void* WorkerMain(void* pool);
  // Claims and runs tasks of the current region until none are left: the caller from the
  // front (task 0 up), workers from the back. With one worker (two cores) each thread then runs
  // the same end of every op's range, so an op mostly reads what its thread wrote in the op
  // before (its cache), not lines dirty in the other core's; either thread still takes over the
  // other's tasks when it runs ahead.
  void Drain(bool from_back);

  // pthreads rather than std::thread: a refused thread is an error code, not an exception that
  // the wasm builds (no exceptions) would turn into an abort.
  std::vector<pthread_t> threads_;
  std::atomic<size_t> started_{0};  // threads_.size(), readable without the region lock
  std::mutex region_mutex_;         // held by the thread running a region

  std::mutex mutex_;  // guards generation_ and stop_ for the condition variables
  std::condition_variable wake_;
  std::condition_variable done_;
  // Even: a region is published (or none yet); odd: the caller is rewriting the region.
  std::atomic<uint64_t> generation_{0};
  uint64_t prewakes_ = 0;  // Prewake calls that found a blocked worker (under mutex_)
  size_t blocked_ = 0;     // workers waiting on wake_ (under mutex_)
  bool stop_ = false;

  // The current region.
  TaskFn fn_ = nullptr;
  void* ctx_ = nullptr;
  size_t count_ = 0;
  // Unclaimed tasks [low 32 bits, high 32 bits) of the current region.
  std::atomic<uint64_t> unclaimed_{0};
  std::atomic<size_t> finished_{0};
  std::atomic<size_t> active_{0};  // workers counted in to read the region
};

// How an op may split its work: `threads` parts, run on `pool` (null: on the caller, in order).
struct Parallelism {
  ThreadPool* pool = nullptr;
  size_t threads = 1;
};

// One part of a split range.
struct Part {
  size_t index;  // 0 .. parts - 1
  size_t begin, end;
};

// Splits [0, n) into contiguous parts whose bounds depend only on n, par.threads and the two
// limits, and calls fn(Part) for each, in parallel when a pool is given. Ops split by output
// tiles (GEMM row tiles, output rows), so each tile runs the same kernel call whatever the thread
// count: the results are bit-identical to one thread.
// Up to `parts_per_thread` parts per thread, each of at least `min_items` items: threads claim
// parts as they finish earlier ones, so a thread the OS preempts (a machine shared with other
// work) delays the op by one small part, not by half of it. Ops that keep scratch per part pass
// parts_per_thread = 1 (Part::index then picks one of par.threads scratch buffers).
template <class F>
void ParallelFor(const Parallelism& par, size_t n, F&& fn, size_t parts_per_thread = 4,
                 size_t min_items = 1) {
  if (!LITECNN_HAVE_THREADS) {
    // No threads to split for: one part, which the compiler inlines like a plain loop (the
    // results are those of any split).
    if (n > 0) fn(Part{0, 0, n});
    return;
  }
  const size_t threads = std::max<size_t>(par.threads, 1);
  const size_t per_thread = std::max<size_t>(
      1, std::min(parts_per_thread, n / (threads * std::max<size_t>(min_items, 1))));
  const size_t parts = std::min(n, threads == 1 ? 1 : threads * per_thread);
  if (parts <= 1 || par.pool == nullptr) {
    for (size_t p = 0; p < parts; ++p) fn(Part{p, n * p / parts, n * (p + 1) / parts});
    return;
  }
  par.pool->Run(parts, [&](size_t p) { fn(Part{p, n * p / parts, n * (p + 1) / parts}); });
}

// The process-wide pool models share (null in builds without threads); it starts no thread until
// StartSharedWorkers asks. Models run one at a time on it; a model running while another one
// holds it runs its parts on its own thread (see ThreadPool::Run). Fewer workers than parts only
// means less parallelism: the partition, and so the results, stay those of the requested thread
// count.
ThreadPool* SharedThreadPool();
// Grows the shared pool to `workers` threads or the limit below, whichever is smaller, and wakes
// them for the run that follows (Prewake). Models call it when they run, not when they load: in
// wasm each thread is a Web Worker that boots its own copy of the module, which would otherwise
// compete with the load for the CPU (MobileNetV2 in Node: +55 ms before the model is ready). Cheap
// once the workers are there.
void StartSharedWorkers(size_t workers);
// Caps the workers StartSharedWorkers may start (default: no cap): the thread count the wasm
// bindings were initialised with.
void SetSharedThreadPoolLimit(size_t max_workers);

}  // namespace litecnn
