// The system side of the state machine: one fresh server under test, the
// client connections the schedule opened, every child it ended, and the
// invariant checks run after each command.
#ifndef FORKCHECK_CONFORMANCE_FUZZ_FUZZ_SERVER_H_
#define FORKCHECK_CONFORMANCE_FUZZ_FUZZ_SERVER_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conformance/fuzz/fuzz.h"
#include "conformance/fuzz/model.h"
#include "conformance/harness/status_report.h"
#include "conformance/harness/sut.h"
#include "conformance/inject/fault_plan.h"

namespace forkcheck {

// How a child must have ended, by the model.
struct Expectation {
  enum class Kind { kAnyExit, kExit, kSignal };
  Kind kind = Kind::kAnyExit;
  int value = 0;
};

// Shared by every test case of one RunFuzz: the last failure seen is the
// shrunk one, since rapidcheck stops at a failing case no shrink improves on.
struct FuzzRecord {
  std::vector<std::string> steps;
  std::string requirement;
  std::string evidence;
  int replays = 0;  // test cases run, shrink attempts included
};

struct FuzzSetup {
  const FuzzOptions* options = nullptr;
  const StatusParser* status = nullptr;  // null unless the status profile is declared
  std::string workdir;                   // for the fault plan's control file
  FuzzRecord* record = nullptr;
};

class FuzzServer {
 public:
  explicit FuzzServer(const FuzzSetup& setup) : setup_(setup) {}
  ~FuzzServer();

  // Starts the server and waits until its start-up probe child is gone.
  bool Start(std::string* error);
  Sut& sut() { return *sut_; }
  FaultPlan* faults() { return faults_.get(); }
  Millis ReapGrace() const;

  void BeginStep(const std::string& shown);
  [[noreturn]] void Fail(const std::string& requirement, const std::string& evidence);

  void Open(int id);
  TcpClient& Client(int id) { return conns_.at(id).client; }
  pid_t Child(int id) const { return conns_.at(id).child; }
  void Touch(int id);
  // The connection is over for the model; its child must end as expected.
  void Ended(int id, Expectation expect, const char* end_requirement, const char* reap_requirement);

  // After every command; `death_requirement` names what a dead server breaks.
  void CheckInvariants(const FuzzModel& after, const char* death_requirement);

 private:
  struct Conn {
    TcpClient client;
    pid_t child = -1;
    Clock::time_point last_active;
  };
  struct EndedChild {
    pid_t pid;
    int step;
    Expectation expect;
    const char* end_requirement;
    const char* reap_requirement;
    bool status_seen = false;
  };

  void KeepAlive();
  void CheckAlive(const char* death_requirement);
  void CheckEnded();
  void CheckNoZombies();
  void CheckChildCount(const FuzzModel& after);
  void CheckStatusLines();
  void CheckStatusOf(EndedChild& child);
  const EndedChild* FindEnded(pid_t pid) const;

  FuzzSetup setup_;
  std::unique_ptr<FaultPlan> faults_;
  std::unique_ptr<Sut> sut_;
  std::map<int, Conn> conns_;
  std::vector<EndedChild> ended_;
  size_t newly_ended_ = 0;  // ended_ entries from the current step start here
  std::vector<std::string> steps_;
};

std::string DescribeExpectation(const Expectation& expect);

}  // namespace forkcheck

#endif  // FORKCHECK_CONFORMANCE_FUZZ_FUZZ_SERVER_H_
