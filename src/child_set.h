// The parent's live children. Adopting and forgetting a child writes one or
// two words in memory no child shares (parent_only.h), and never allocates:
// a node-based set paid page copies after each fork() for its nodes and
// malloc's bookkeeping.
#ifndef FORKCHECK_SRC_CHILD_SET_H_
#define FORKCHECK_SRC_CHILD_SET_H_

#include <sys/types.h>

#include <algorithm>
#include <vector>

#include "src/parent_only.h"

namespace forkcheck {

class ChildSet {
  using Pids = std::vector<pid_t, ParentOnlyAllocator<pid_t>>;

 public:
  explicit ChildSet(size_t expected) { pids_.reserve(expected); }

  void Insert(pid_t pid) { pids_.push_back(pid); }
  // Unordered: the last pid takes the place of the one removed.
  void Erase(pid_t pid) {
    auto it = std::find(pids_.begin(), pids_.end(), pid);
    if (it == pids_.end()) return;
    *it = pids_.back();
    pids_.pop_back();
  }
  template <typename Predicate>
  void EraseIf(Predicate gone) {
    pids_.erase(std::remove_if(pids_.begin(), pids_.end(), gone), pids_.end());
  }
  size_t size() const { return pids_.size(); }
  bool empty() const { return pids_.empty(); }
  Pids::const_iterator begin() const { return pids_.begin(); }
  Pids::const_iterator end() const { return pids_.end(); }

 private:
  Pids pids_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_SRC_CHILD_SET_H_
