// Fixed-capacity single-producer single-consumer ring, safe to push from a
// signal handler: no allocation, lock-free atomics only.
#ifndef FORKCHECK_SRC_RING_QUEUE_H_
#define FORKCHECK_SRC_RING_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace forkcheck {

template <typename T, size_t N>
class RingQueue {
  static_assert(N > 0 && (N & (N - 1)) == 0, "capacity must be a power of 2");
  static_assert(std::atomic<uint32_t>::is_always_lock_free,
                "signal handlers need lock-free atomics");

 public:
  static constexpr size_t kCapacity = N;

  bool Full() const { return head_.load() - tail_.load() == N; }
  bool Empty() const { return head_.load() == tail_.load(); }

  // Producer side (the signal handler).
  bool Push(const T& item) {
    uint32_t head = head_.load();
    if (head - tail_.load() == N) return false;
    slots_[head % N] = item;
    head_.store(head + 1);
    return true;
  }

  // Consumer side (the main loop).
  bool Pop(T* item) {
    uint32_t tail = tail_.load();
    if (head_.load() == tail) return false;
    *item = slots_[tail % N];
    tail_.store(tail + 1);
    return true;
  }

 private:
  T slots_[N] = {};
  std::atomic<uint32_t> head_{0};
  std::atomic<uint32_t> tail_{0};
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_RING_QUEUE_H_
