// Load generator: C threads each connect to 127.0.0.1:PORT, send a payload,
// read the echo, close, for S seconds. Prints connections/s and errors; exits
// 1 on any echo mismatch.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

namespace {

struct Counters {
  std::atomic<long> ok{0};
  std::atomic<long> errors{0};
  std::atomic<long> mismatches{0};
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    return fd;
  }
  if (fd >= 0) close(fd);
  return -1;
}

bool SendAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// 1 = echoed correctly, 0 = transport error, -1 = wrong bytes.
int OneRound(int port, const std::string& payload) {
  int fd = Connect(port);
  if (fd < 0) return 0;
  std::string got;
  char buf[4096];
  bool sent = SendAll(fd, payload);
  while (sent && got.size() < payload.size()) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (got.size() < payload.size()) return got == payload.substr(0, got.size()) ? 0 : -1;
  return got == payload ? 1 : -1;
}

void Worker(int port, int id, size_t payload_len,
            std::chrono::steady_clock::time_point end, Counters* c) {
  std::string payload(payload_len, '\0');
  long round = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (size_t i = 0; i < payload_len; ++i) {
      payload[i] = static_cast<char>('A' + (id * 7 + round + i) % 26);
    }
    ++round;
    int r = OneRound(port, payload);
    if (r == 1) ++c->ok;
    if (r == 0) ++c->errors;
    if (r < 0) ++c->mismatches;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  double seconds = 10;
  int payload = 16;
  int concurrency = 4;
  CLI::App app("Fork-per-connection echo load generator.", "hammer");
  app.add_option("--port", port, "server port")->required()->check(CLI::Range(1, 65535));
  app.add_option("--seconds", seconds, "duration")->check(CLI::PositiveNumber);
  app.add_option("--payload", payload, "bytes per connection")->check(CLI::Range(1, 1 << 20));
  app.add_option("--concurrency", concurrency, "client threads")->check(CLI::Range(1, 1024));
  CLI11_PARSE(app, argc, argv);

  Counters counters;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(seconds));
  std::vector<std::thread> threads;
  for (int i = 0; i < concurrency; ++i) {
    threads.emplace_back(Worker, port, i, static_cast<size_t>(payload), end, &counters);
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("connections=%ld conn_per_s=%.1f errors=%ld mismatches=%ld\n",
              counters.ok.load(), counters.ok.load() / elapsed, counters.errors.load(),
              counters.mismatches.load());
  return counters.mismatches.load() == 0 ? 0 : 1;
}
