#ifndef FORKCHECK_CONFORMANCE_INJECT_PIDS_CGROUP_H_
#define FORKCHECK_CONFORMANCE_INJECT_PIDS_CGROUP_H_

#include <sys/types.h>

#include <memory>
#include <string>

namespace forkcheck {

// A real fork() EAGAIN from the kernel: the server is moved into a cgroup of
// its own under the pids controller, whose pids.max is then set to 0. Removed (tasks moved back) on destruction.
class PidsCgroup {
 public:
  // Null, with the reason, when no writable pids controller is mounted.
  static std::unique_ptr<PidsCgroup> Create(pid_t server, std::string* why);
  ~PidsCgroup();
  PidsCgroup(const PidsCgroup&) = delete;
  PidsCgroup& operator=(const PidsCgroup&) = delete;

  // Every further fork() in the server's tree fails with EAGAIN.
  bool Freeze(std::string* why);
  // Forks work again.
  bool Thaw(std::string* why);
  const std::string& path() const { return path_; }
  // "cgroup v1 pids.max" or "cgroup v2 pids.max", for the evidence.
  std::string Describe() const;

 private:
  PidsCgroup(std::string root, std::string path, bool v2) : root_(std::move(root)), path_(std::move(path)), v2_(v2) {}
  std::string root_, path_;
  bool v2_;
};

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_INJECT_PIDS_CGROUP_H_
