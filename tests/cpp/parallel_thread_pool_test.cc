// ThreadPool and ParallelFor: every task runs exactly once, on any mix of task and thread
// counts, repeatedly, with concurrent callers; partitions depend only on the sizes.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "parallel/thread_pool.h"

namespace litecnn {
namespace {

TEST(ThreadPool, EveryTaskRunsOnceForAnyTaskCount) {
  for (size_t workers : {0, 1, 2}) {
    ThreadPool pool(workers);
    for (size_t count : {0, 1, 2, 3, 7, 64}) {
      std::vector<std::atomic<int>> runs(count);
      pool.Run(count, [&](size_t i) { runs[i].fetch_add(1); });
      for (size_t i = 0; i < count; ++i) {
        EXPECT_EQ(runs[i].load(), 1) << workers << " workers, task " << i << " of " << count;
      }
    }
  }
}

TEST(ParallelFor, WithoutThreadsOnePartCoversTheRange) {
  if (LITECNN_HAVE_THREADS) GTEST_SKIP() << "builds with threads split";
  std::vector<size_t> sizes;
  ParallelFor(Parallelism{nullptr, 3}, 25,
              [&](const Part& p) { sizes.push_back(p.end - p.begin); });
  EXPECT_EQ(sizes, std::vector<size_t>{25});
}

TEST(ThreadPool, ManyRegionsInARowDoNotDeadlock) {
  ThreadPool pool(2);
  std::atomic<size_t> sum{0};
  for (int r = 0; r < 20000; ++r) pool.Run(3, [&](size_t i) { sum.fetch_add(i + 1); });
  EXPECT_EQ(sum.load(), 20000u * 6);
}

TEST(ThreadPool, IdleGapsBetweenRegionsDoNotLoseWakeUps) {
  // Long enough gaps that the workers stop spinning and block on the condition variable.
  ThreadPool pool(2);
  std::atomic<size_t> sum{0};
  for (int r = 0; r < 5; ++r) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    pool.Run(4, [&](size_t i) { sum.fetch_add(i); });
  }
  EXPECT_EQ(sum.load(), 5u * 6);
}

TEST(ThreadPool, PrewakeBeforeRegionsAfterIdleGaps) {
  ThreadPool none(0);
  none.Prewake();  // no workers: nothing to wake
  ThreadPool pool(2);
  std::atomic<size_t> sum{0};
  for (int r = 0; r < 4; ++r) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // workers block
    pool.Prewake();
    pool.Prewake();  // repeated: harmless
    // Even gaps: a region right away, or after the prewoken workers have blocked again.
    if (r % 2) std::this_thread::sleep_for(std::chrono::milliseconds(30));
    pool.Run(4, [&](size_t i) { sum.fetch_add(i); });
  }
  EXPECT_EQ(sum.load(), 4u * 6);
}

// The caller claims tasks from the front, workers from the back: each thread's tasks come in
// order, the caller's ascending from 0, the workers' descending.
TEST(ThreadPool, CallerClaimsFromTheFrontWorkersFromTheBack) {
  ThreadPool pool(1);
  const std::thread::id caller = std::this_thread::get_id();
  for (int r = 0; r < 200; ++r) {
    std::mutex mu;
    std::vector<size_t> mine, theirs;
    pool.Run(16, [&](size_t i) {
      std::lock_guard<std::mutex> lock(mu);
      (std::this_thread::get_id() == caller ? mine : theirs).push_back(i);
    });
    // (A caller preempted right after publishing may leave every task to the worker.)
    ASSERT_EQ(mine.size() + theirs.size(), 16u);
    for (size_t k = 0; k < mine.size(); ++k) ASSERT_EQ(mine[k], k);
    for (size_t k = 0; k < theirs.size(); ++k) ASSERT_EQ(theirs[k], 15 - k);
  }
}

TEST(ThreadPool, ConcurrentCallersEachRunAllTheirTasks) {
  if (!LITECNN_HAVE_THREADS) GTEST_SKIP() << "a wasm build without threads cannot start one";
  ThreadPool pool(1);
  std::atomic<size_t> a{0}, b{0};
  std::thread other([&] {
    for (int r = 0; r < 2000; ++r) pool.Run(5, [&](size_t) { a.fetch_add(1); });
  });
  for (int r = 0; r < 2000; ++r) pool.Run(5, [&](size_t) { b.fetch_add(1); });
  other.join();
  EXPECT_EQ(a.load(), 10000u);
  EXPECT_EQ(b.load(), 10000u);
}

TEST(ThreadPool, GrowAddsWorkersOnly) {
  if (!LITECNN_HAVE_THREADS) GTEST_SKIP() << "a wasm build without threads has no workers";
  ThreadPool pool(1);
  pool.Grow(3);
  EXPECT_EQ(pool.workers(), 3u);
  pool.Grow(2);
  EXPECT_EQ(pool.workers(), 3u);
}

TEST(ParallelFor, PartsCoverTheRangeAndDependOnlyOnSizes) {
  if (!LITECNN_HAVE_THREADS) GTEST_SKIP() << "without threads ParallelFor runs one part";
  ThreadPool pool(2);
  for (size_t threads : {1, 2, 3, 5}) {
    for (size_t per_thread : {1, 4}) {
      for (size_t n : {0, 1, 2, 3, 10, 101}) {
        std::vector<std::atomic<int>> hits(n);
        std::vector<Part> parts(threads * per_thread, Part{0, 0, 0});
        std::atomic<size_t> count{0};
        ParallelFor(
            Parallelism{&pool, threads}, n,
            [&](const Part& p) {
              parts[p.index] = p;
              count.fetch_add(1);
              for (size_t i = p.begin; i < p.end; ++i) hits[i].fetch_add(1);
            },
            per_thread);
        for (size_t i = 0; i < n; ++i)
          ASSERT_EQ(hits[i].load(), 1) << threads << " threads, n " << n;
        EXPECT_LE(count.load(), threads == 1 ? 1 : threads * per_thread);
        if (per_thread == 1) {
          EXPECT_EQ(count.load(), std::min(n, threads));
        }
        // The same partition without a pool (in order, on the caller).
        ParallelFor(
            Parallelism{nullptr, threads}, n,
            [&](const Part& p) {
              EXPECT_EQ(parts[p.index].begin, p.begin);
              EXPECT_EQ(parts[p.index].end, p.end);
              EXPECT_LT(p.begin, p.end);
            },
            per_thread);
      }
    }
  }
}

TEST(ParallelFor, MinItemsPerPartLimitsTheSplit) {
  if (!LITECNN_HAVE_THREADS) GTEST_SKIP() << "without threads ParallelFor runs one part";
  std::vector<size_t> sizes;
  ParallelFor(
      Parallelism{nullptr, 2}, 25, [&](const Part& p) { sizes.push_back(p.end - p.begin); }, 4, 8);
  EXPECT_EQ(sizes, (std::vector<size_t>{12, 13}));  // 25 items cannot give 4 parts of 8
}

}  // namespace
}  // namespace litecnn
