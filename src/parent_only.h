// Memory only the parent has: pages mapped with MADV_DONTFORK are left out
// of every child. After fork() each page the parent writes that a running
// child still shares costs the parent a page copy; the parent's own
// bookkeeping (its child table, the reaped-children ring) lives here so that
// writing it after a fork costs nothing. A child must never touch it: it is
// not mapped there.
#ifndef FORKCHECK_SRC_PARENT_ONLY_H_
#define FORKCHECK_SRC_PARENT_ONLY_H_

#include <cstddef>
#include <new>

namespace forkcheck {

// Whole pages, zero-filled; nullptr when mmap fails.
void* MapParentOnly(size_t bytes);
void UnmapParentOnly(void* memory, size_t bytes);

template <typename T>
struct ParentOnlyAllocator {
  using value_type = T;
  ParentOnlyAllocator() = default;
  template <typename U>
  ParentOnlyAllocator(const ParentOnlyAllocator<U>&) {}

  T* allocate(size_t n) {
    void* memory = MapParentOnly(n * sizeof(T));
    if (memory == nullptr) throw std::bad_alloc();
    return static_cast<T*>(memory);
  }
  void deallocate(T* memory, size_t n) { UnmapParentOnly(memory, n * sizeof(T)); }

  template <typename U>
  bool operator==(const ParentOnlyAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const ParentOnlyAllocator<U>&) const { return false; }
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_PARENT_ONLY_H_
