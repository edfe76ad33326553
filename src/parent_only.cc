#include "src/parent_only.h"

#include <sys/mman.h>

namespace forkcheck {

void* MapParentOnly(size_t bytes) {
  void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  // Without it the memory still works, only slower after each fork().
  madvise(memory, bytes, MADV_DONTFORK);
  return memory;
}

void UnmapParentOnly(void* memory, size_t bytes) {
  if (memory != nullptr) munmap(memory, bytes);
}

}  // namespace forkcheck
