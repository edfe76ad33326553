// Load generator for the benchmark suite (bench/suite.py). Loopback only,
// every wait bounded. One mode per run; one line of key=value results on
// stdout; exit 1 on any echo mismatch, 2 on usage or setup errors.
//
//   --mode=rate        N client threads (--concurrency) each loop: connect,
//                      echo --payload bytes, close, for --seconds.
//                      conn_per_s. With --server-pid and --reap-latency, a
//                      thread samples the server's children through /proc
//                      every --sample-ms and times each zombie (first seen in
//                      state Z -> gone).
//   --mode=throughput  --concurrency clients each loop: connect, echo
//                      --bytes (default 1 MiB, written and read at once),
//                      close. mib_per_s of echoed bytes.
//   --mode=burst       opens --sessions sessions (each echoes one byte, so
//                      its child is serving), then closes them all at once
//                      and samples the server's children until every one is
//                      reaped: reap_all_ms, zombies_peak, lost.
//   --mode=memory      holds --sessions idle sessions and reads
//                      /proc/PID/smaps_rollup of each child of --server-pid
//                      (with its own descendants, e.g. socat's cat): median
//                      USS (Private_Clean + Private_Dirty) and PSS in KiB.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

using Clock = std::chrono::steady_clock;

double MsBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

Clock::time_point After(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(seconds));
}

void SleepMs(double ms) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(ms / 1000);
  ts.tv_nsec = static_cast<long>(std::fmod(ms, 1000.0) * 1e6);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// The soft descriptor limit up to the hard one: a burst holds 10,000 sockets.
long RaiseNofile() {
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return -1;
  lim.rlim_cur = lim.rlim_max;
  setrlimit(RLIMIT_NOFILE, &lim);
  getrlimit(RLIMIT_NOFILE, &lim);
  return static_cast<long>(lim.rlim_cur);
}

// ---------------------------------------------------------------- sockets

// Each connection comes from a loopback address of its own, 127.0.0.2 to
// 127.0.0.254 in turn: from one address the 28,000 ephemeral ports, each
// held 60 s in TIME_WAIT by the closing client, capped every server near
// 14,000 sessions/s, whatever it could do.
void BindRotatingSource(int fd) {
  static std::atomic<uint32_t> next{0};
  sockaddr_in source = {};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl(0x7f000002u + next++ % 253);
  int one = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
  bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source);
}

// Every socket operation times out (SO_SNDTIMEO bounds connect() too).
int Connect(int port, double timeout_s) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  BindRotatingSource(fd);
  timeval tv;
  tv.tv_sec = static_cast<time_t>(timeout_s);
  tv.tv_usec = static_cast<suseconds_t>((timeout_s - static_cast<double>(tv.tv_sec)) * 1e6);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  close(fd);
  return -1;
}

bool SendAll(int fd, const char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = send(fd, data + done, size - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// 1 = echoed correctly, 0 = transport error, -1 = wrong bytes.
int EchoOnce(int fd, const std::string& payload) {
  if (!SendAll(fd, payload.data(), payload.size())) return 0;
  std::string got;
  char buf[4096];
  while (got.size() < payload.size()) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  if (got.size() > payload.size()) return -1;
  if (got != payload.substr(0, got.size())) return -1;
  return got.size() == payload.size() ? 1 : 0;
}

// One session of `size` bytes written and read concurrently (a non-blocking
// poll loop: the echo flows back while we still write).
int BulkSession(int port, const std::vector<char>& data, double timeout_s, size_t* echoed) {
  *echoed = 0;
  int fd = Connect(port, timeout_s);
  if (fd < 0) return 0;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  size_t sent = 0, got = 0;
  std::vector<char> buf(1 << 16);
  int result = 1;
  const auto deadline = After(timeout_s);
  while (got < data.size()) {
    if (Clock::now() > deadline) { result = 0; break; }
    pollfd p = {fd, static_cast<short>(POLLIN | (sent < data.size() ? POLLOUT : 0)), 0};
    int r = poll(&p, 1, 100);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { result = 0; break; }
    if (r == 0) continue;
    if ((p.revents & POLLOUT) && sent < data.size()) {
      ssize_t n = send(fd, data.data() + sent, std::min<size_t>(data.size() - sent, 1 << 16), MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<size_t>(n);
      else if (n < 0 && errno != EAGAIN && errno != EINTR) { result = 0; break; }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(fd, buf.data(), buf.size(), 0);
      if (n == 0) { result = 0; break; }
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        result = 0;
        break;
      }
      if (got + static_cast<size_t>(n) > data.size() ||
          std::memcmp(buf.data(), data.data() + got, static_cast<size_t>(n)) != 0) {
        result = -1;
        break;
      }
      got += static_cast<size_t>(n);
    }
  }
  close(fd);
  *echoed = got;
  return result;
}

// ---------------------------------------------------------------- /proc

std::string ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  close(fd);
  return text;
}

// Children of every thread of `pid` (/proc/PID/task/TID/children, which
// lists zombies too until they are reaped).
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  if (dir == nullptr) return children;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    std::string text = ReadFile(task_dir + "/" + entry->d_name + "/children");
    const char* p = text.c_str();
    char* end;
    for (;;) {
      long v = std::strtol(p, &end, 10);
      if (end == p) break;
      children.push_back(static_cast<pid_t>(v));
      p = end;
    }
  }
  closedir(dir);
  return children;
}

// State letter of /proc/PID/stat (after the last ')'), 0 when gone.
char StateOf(pid_t pid) {
  std::string text = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t close_paren = text.rfind(')');
  if (close_paren == std::string::npos || close_paren + 2 >= text.size()) return 0;
  return text[close_paren + 2];
}

struct Memory {
  long pss_kib = 0;
  long uss_kib = 0;
};

Memory SmapsRollup(pid_t pid) {
  Memory m;
  std::string text = ReadFile("/proc/" + std::to_string(pid) + "/smaps_rollup");
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    long value = 0;
    if (std::sscanf(line.c_str(), "Pss: %ld kB", &value) == 1) m.pss_kib += value;
    if (std::sscanf(line.c_str(), "Private_Clean: %ld kB", &value) == 1) m.uss_kib += value;
    if (std::sscanf(line.c_str(), "Private_Dirty: %ld kB", &value) == 1) m.uss_kib += value;
  }
  return m;
}

// A session's memory: the child and everything below it.
Memory SubtreeMemory(pid_t pid, int depth = 0) {
  Memory total = SmapsRollup(pid);
  if (depth < 4) {
    for (pid_t child : ChildrenOf(pid)) {
      Memory m = SubtreeMemory(child, depth + 1);
      total.pss_kib += m.pss_kib;
      total.uss_kib += m.uss_kib;
    }
  }
  return total;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  if (rank < 1) rank = 1;
  return values[std::min(rank, values.size()) - 1];
}

double Median(std::vector<long> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? static_cast<double>(values[n / 2])
               : (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2;
}

// Samples the children of `server` every `interval_ms`: per child, when it
// was first seen a zombie and when it was gone.
class ZombieSampler {
 public:
  struct Record {
    std::optional<Clock::time_point> zombie_since;
    std::optional<Clock::time_point> gone_at;
  };

  ZombieSampler(pid_t server, double interval_ms) : server_(server), interval_ms_(interval_ms) {}
  ~ZombieSampler() { Stop(); }

  void Start() { thread_ = std::thread([this] { Run(); }); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // One last sample from the caller's thread once the sampler stopped (a
  // starved sampler thread may have missed the last exits).
  void FinalSample() {
    Stop();
    Sample();
  }

  // Keeps sampling until no child is left (or the deadline); true if none is.
  bool WaitNoChildren(Clock::time_point deadline) {
    while (Clock::now() < deadline) {
      if (ChildrenOf(server_).empty()) {
        SleepMs(2 * interval_ms_ + 1);  // one more sample records the last exits
        return true;
      }
      SleepMs(interval_ms_);
    }
    return false;
  }

  std::map<pid_t, Record> Records() {
    std::lock_guard<std::mutex> lock(mutex_);
    return records_;
  }
  long Samples() const { return samples_; }
  double MeanIntervalMs() const {
    return samples_ > 1 ? MsBetween(first_, last_) / static_cast<double>(samples_ - 1) : interval_ms_;
  }

 private:
  void Run() {
    while (!stop_) {
      Sample();
      SleepMs(interval_ms_);
    }
  }

  void Sample() {
    std::vector<pid_t> children = ChildrenOf(server_);
    Clock::time_point now = Clock::now();
    std::set<pid_t> present;
    std::lock_guard<std::mutex> lock(mutex_);
    for (pid_t pid : children) {
      present.insert(pid);
      Record& r = records_[pid];
      if (r.gone_at) r = Record();  // pid reused
      if (!r.zombie_since && StateOf(pid) == 'Z') r.zombie_since = now;
    }
    for (auto& [pid, r] : records_)
      if (!r.gone_at && present.count(pid) == 0) r.gone_at = now;
    if (samples_ == 0) first_ = now;
    last_ = now;
    ++samples_;
  }

  pid_t server_;
  double interval_ms_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::map<pid_t, Record> records_;
  std::atomic<long> samples_{0};
  Clock::time_point first_, last_;
  std::thread thread_;
};

struct Counters {
  std::atomic<long> ok{0};
  std::atomic<long> errors{0};
  std::atomic<long> mismatches{0};
  std::atomic<long long> bytes{0};
};

// ---------------------------------------------------------------- modes

struct Options {
  std::string mode = "rate";
  int port = 0;
  double seconds = 2;
  int payload = 16;
  int bytes = 1 << 20;
  int concurrency = 4;
  int sessions = 10000;
  int server_pid = 0;
  bool reap_latency = false;
  double sample_ms = 1;
  double deadline_s = 30;
  double io_timeout_s = 5;
};

int RunRate(const Options& o) {
  Counters c;
  std::optional<ZombieSampler> sampler;
  if (o.reap_latency) {
    sampler.emplace(o.server_pid, o.sample_ms);
    sampler->Start();
  }
  std::atomic<double> max_session_ms{0};
  const auto start = Clock::now();
  const auto end = After(o.seconds);
  std::vector<std::thread> threads;
  for (int id = 0; id < o.concurrency; ++id) {
    threads.emplace_back([&, id] {
      std::string payload(static_cast<size_t>(o.payload), '\0');
      long round = 0;
      while (Clock::now() < end) {
        for (size_t i = 0; i < payload.size(); ++i)
          payload[i] = static_cast<char>('A' + (id * 7 + round + static_cast<long>(i)) % 26);
        ++round;
        const auto session_start = Clock::now();
        int fd = Connect(o.port, o.io_timeout_s);
        if (fd < 0) {
          ++c.errors;
          SleepMs(1);
          continue;
        }
        int r = EchoOnce(fd, payload);
        close(fd);
        double ms = MsBetween(session_start, Clock::now());
        for (double seen = max_session_ms.load(); ms > seen && !max_session_ms.compare_exchange_weak(seen, ms);) {
        }
        if (r == 1) ++c.ok;
        if (r == 0) ++c.errors;
        if (r < 0) ++c.mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  double elapsed = MsBetween(start, Clock::now()) / 1000;
  std::printf("mode=rate concurrency=%d seconds=%.3f sessions=%ld conn_per_s=%.1f max_session_ms=%.2f"
              " errors=%ld mismatches=%ld",
              o.concurrency, elapsed, c.ok.load(), static_cast<double>(c.ok.load()) / elapsed,
              max_session_ms.load(), c.errors.load(), c.mismatches.load());
  if (sampler) {
    // Every child of the load ends and is reaped (or the deadline passes).
    bool drained = sampler->WaitNoChildren(After(o.deadline_s));
    sampler->FinalSample();
    std::vector<double> lifetimes;
    long seen = 0, zombies_seen = 0, unreaped = 0;
    auto now = Clock::now();
    for (const auto& [pid, r] : sampler->Records()) {
      ++seen;
      if (!r.gone_at) {
        ++unreaped;
        lifetimes.push_back(r.zombie_since ? MsBetween(*r.zombie_since, now) : 0);
        continue;
      }
      if (r.zombie_since) {
        ++zombies_seen;
        lifetimes.push_back(MsBetween(*r.zombie_since, *r.gone_at));
      } else {
        lifetimes.push_back(0);  // reaped within one sample
      }
    }
    // Sessions whose child came and went between two samples: also below
    // one sampling interval.
    long total = c.ok.load() + c.errors.load() + c.mismatches.load();
    for (long i = seen; i < total; ++i) lifetimes.push_back(0);
    double max = lifetimes.empty() ? NAN : *std::max_element(lifetimes.begin(), lifetimes.end());
    // The mean needs no resolution: a zombie living L < one interval T is
    // caught by a sample with probability L/T and then measured as T.
    double sum = 0;
    for (double v : lifetimes) sum += v;
    double mean = lifetimes.empty() ? NAN : sum / static_cast<double>(lifetimes.size());
    std::printf(" children_seen=%ld zombies_seen=%ld population=%zu reap_p50_ms=%.3f reap_p99_ms=%.3f"
                " reap_mean_ms=%.4f reap_max_ms=%.3f unreaped=%ld drained=%d samples=%ld sample_interval_ms=%.3f",
                seen, zombies_seen, lifetimes.size(), Percentile(lifetimes, 50), Percentile(lifetimes, 99),
                mean, max, unreaped, drained ? 1 : 0, sampler->Samples(), sampler->MeanIntervalMs());
  }
  std::printf("\n");
  return c.mismatches.load() == 0 ? 0 : 1;
}

int RunThroughput(const Options& o) {
  std::vector<char> data(static_cast<size_t>(o.bytes));
  uint32_t x = 2463534242u;
  for (char& ch : data) {  // xorshift: not compressible, not all one byte
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ch = static_cast<char>(x);
  }
  Counters c;
  const auto start = Clock::now();
  const auto end = After(o.seconds);
  std::vector<std::thread> threads;
  for (int id = 0; id < o.concurrency; ++id) {
    threads.emplace_back([&] {
      // At least one whole session, however short --seconds is.
      do {
        size_t echoed = 0;
        int r = BulkSession(o.port, data, std::max(o.io_timeout_s, 10.0), &echoed);
        c.bytes += static_cast<long long>(echoed);
        if (r == 1) ++c.ok;
        if (r == 0) ++c.errors;
        if (r < 0) ++c.mismatches;
        if (r == 0) SleepMs(1);
      } while (Clock::now() < end);
    });
  }
  for (auto& t : threads) t.join();
  double elapsed = MsBetween(start, Clock::now()) / 1000;
  std::printf("mode=throughput concurrency=%d seconds=%.3f sessions=%ld bytes_per_session=%d"
              " mib_per_s=%.2f errors=%ld mismatches=%ld\n",
              o.concurrency, elapsed, c.ok.load(), o.bytes,
              static_cast<double>(c.bytes.load()) / (1 << 20) / elapsed, c.errors.load(),
              c.mismatches.load());
  return c.mismatches.load() == 0 ? 0 : 1;
}

// Opens `n` sessions from a few threads, each echoing one byte so that its
// child is known to be serving. Returns the open descriptors.
std::vector<int> OpenSessions(const Options& o, int n, long* failures, long* mismatches) {
  std::vector<int> fds(static_cast<size_t>(n), -1);
  std::atomic<int> next{0};
  std::atomic<long> failed{0}, wrong{0};
  const auto deadline = After(o.deadline_s);
  int threads_n = std::min(4, n);
  std::vector<std::thread> threads;
  for (int t = 0; t < threads_n; ++t) {
    threads.emplace_back([&] {
      for (int i; (i = next++) < n;) {
        if (Clock::now() > deadline) {
          ++failed;
          continue;
        }
        int fd = Connect(o.port, o.io_timeout_s);
        if (fd < 0) {
          ++failed;
          continue;
        }
        int r = EchoOnce(fd, std::string(1, static_cast<char>('a' + i % 26)));
        if (r != 1) {
          if (r < 0) ++wrong;
          ++failed;
          close(fd);
          continue;
        }
        fds[static_cast<size_t>(i)] = fd;
      }
    });
  }
  for (auto& t : threads) t.join();
  *failures = failed;
  *mismatches = wrong;
  fds.erase(std::remove(fds.begin(), fds.end(), -1), fds.end());
  return fds;
}

int RunBurst(const Options& o) {
  long failures = 0, mismatches = 0;
  const auto open_start = Clock::now();
  std::vector<int> fds = OpenSessions(o, o.sessions, &failures, &mismatches);
  double open_s = MsBetween(open_start, Clock::now()) / 1000;
  // Every session echoed, so its child exists; those are the ones to reap.
  std::vector<pid_t> before = ChildrenOf(o.server_pid);
  std::set<pid_t> initial(before.begin(), before.end());

  std::atomic<bool> stop{false};
  std::atomic<long> zombies_peak{0}, samples{0};
  std::atomic<bool> none_left{false};
  Clock::time_point all_gone_at;
  std::thread sampler([&] {
    while (!stop) {
      std::vector<pid_t> children = ChildrenOf(o.server_pid);
      Clock::time_point now = Clock::now();
      long zombies = 0;
      bool any_initial = false;
      for (pid_t pid : children) {
        if (initial.count(pid) == 0) continue;
        any_initial = true;
        if (StateOf(pid) == 'Z') ++zombies;
      }
      ++samples;
      if (zombies > zombies_peak) zombies_peak = zombies;
      if (!any_initial) {
        all_gone_at = now;
        none_left = true;
        return;
      }
      SleepMs(o.sample_ms);
    }
  });
  // The sessions end together: the closing thread runs at a higher priority
  // (when allowed) so that the children it wakes do not stretch the loop.
  int old_nice = getpriority(PRIO_PROCESS, 0);
  bool reniced = setpriority(PRIO_PROCESS, 0, -10) == 0;
  const auto t0 = Clock::now();
  for (int fd : fds) close(fd);
  double close_ms = MsBetween(t0, Clock::now());
  if (reniced) setpriority(PRIO_PROCESS, 0, old_nice);
  const auto deadline = After(o.deadline_s);
  while (!none_left && Clock::now() < deadline) SleepMs(5);
  stop = true;
  sampler.join();
  long lost = 0;
  if (!none_left) {
    std::vector<pid_t> left = ChildrenOf(o.server_pid);
    for (pid_t pid : left) lost += initial.count(pid);
  }
  std::printf("mode=burst sessions=%d opened=%zu open_failures=%ld open_s=%.3f children=%zu close_ms=%.3f"
              " reap_all_ms=%.3f zombies_peak=%ld lost=%ld samples=%ld closer_reniced=%d mismatches=%ld\n",
              o.sessions, fds.size(), failures, open_s, initial.size(), close_ms,
              none_left ? MsBetween(t0, all_gone_at) : -1.0, zombies_peak.load(), lost,
              samples.load(), reniced ? 1 : 0, mismatches);
  return mismatches == 0 ? 0 : 1;
}

int RunMemory(const Options& o) {
  long failures = 0, mismatches = 0;
  std::vector<int> fds = OpenSessions(o, o.sessions, &failures, &mismatches);
  SleepMs(200);  // let every child settle (an exec, a lazy page or two)
  std::vector<long> pss, uss;
  for (pid_t child : ChildrenOf(o.server_pid)) {
    if (StateOf(child) == 'Z') continue;
    Memory m = SubtreeMemory(child);
    if (m.pss_kib == 0 && m.uss_kib == 0) continue;
    pss.push_back(m.pss_kib);
    uss.push_back(m.uss_kib);
  }
  Memory server = SmapsRollup(o.server_pid);
  std::printf("mode=memory sessions=%zu open_failures=%ld children=%zu uss_kib=%.1f pss_kib=%.1f"
              " server_uss_kib=%ld server_pss_kib=%ld mismatches=%ld\n",
              fds.size(), failures, pss.size(), Median(uss), Median(pss), server.uss_kib,
              server.pss_kib, mismatches);
  for (int fd : fds) close(fd);
  return mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app("Load generator for fork-per-connection echo servers (loopback).", "hammer");
  app.add_option("--mode", o.mode, "rate|throughput|burst|memory")
      ->check(CLI::IsMember({"rate", "throughput", "burst", "memory"}));
  app.add_option("--port", o.port, "server port on 127.0.0.1")->required()->check(CLI::Range(1, 65535));
  app.add_option("--seconds", o.seconds, "duration (rate, throughput)")->check(CLI::PositiveNumber);
  app.add_option("--payload", o.payload, "bytes per short session (rate)")->check(CLI::Range(1, 1 << 20));
  app.add_option("--bytes", o.bytes, "bytes per session (throughput)")->check(CLI::Range(1, 1 << 30));
  app.add_option("--concurrency", o.concurrency, "client threads")->check(CLI::Range(1, 1024));
  app.add_option("--sessions", o.sessions, "sessions held (burst, memory)")->check(CLI::Range(1, 100000));
  app.add_option("--server-pid", o.server_pid, "the server, whose children are sampled")->check(CLI::PositiveNumber);
  app.add_flag("--reap-latency", o.reap_latency, "rate: time zombies (needs --server-pid)");
  app.add_option("--sample-ms", o.sample_ms, "/proc sampling interval")->check(CLI::PositiveNumber);
  app.add_option("--deadline", o.deadline_s, "seconds to wait for opening or reaping")->check(CLI::PositiveNumber);
  app.add_option("--io-timeout", o.io_timeout_s, "seconds per socket operation")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if ((o.mode == "burst" || o.mode == "memory" || o.reap_latency) && o.server_pid == 0) {
    std::fprintf(stderr, "hammer: --mode=%s needs --server-pid\n", o.mode.c_str());
    return 2;
  }
  long nofile = RaiseNofile();
  if ((o.mode == "burst" || o.mode == "memory") && nofile >= 0 && nofile < o.sessions + 64) {
    std::fprintf(stderr, "hammer: RLIMIT_NOFILE is %ld, too low for %d sessions\n", nofile, o.sessions);
    return 2;
  }
  if (o.mode == "rate") return RunRate(o);
  if (o.mode == "throughput") return RunThroughput(o);
  if (o.mode == "burst") return RunBurst(o);
  return RunMemory(o);
}
