#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "conformance/inject/preload_backend.h"
#include "conformance/l10n/tr.h"

namespace forkcheck {
namespace {

constexpr char kRunfile[] = "/forkcheck/conformance/inject/libforkcheck_inject.so";

bool IsFile(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string SelfExe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

std::string Absolute(const std::string& path) {
  char* real = realpath(path.c_str(), nullptr);
  if (real == nullptr) return path;
  std::string result = real;
  free(real);
  return result;
}

enum class Linkage { kDynamic, kStatic, kNotElf };

// An ELF with a PT_INTERP segment is started by the dynamic loader, which is
// what honours LD_PRELOAD. Anything else (scripts) is run by an interpreter
// that is itself dynamic, so only a static ELF is out of reach.
Linkage ReadLinkage(const std::string& program) {
  std::ifstream in(program, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header) ||
      std::string(reinterpret_cast<char*>(header.e_ident), 4) != ELFMAG ||
      header.e_ident[EI_CLASS] != ELFCLASS64)
    return Linkage::kNotElf;
  for (int i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.seekg(static_cast<std::streamoff>(header.e_phoff + i * header.e_phentsize));
    if (!in.read(reinterpret_cast<char*>(&segment), sizeof segment)) break;
    if (segment.p_type == PT_INTERP) return Linkage::kDynamic;
  }
  return Linkage::kStatic;
}

}  // namespace

std::string FindPreloadLibrary() {
  for (const char* variable : {"RUNFILES_DIR", "TEST_SRCDIR"})
    if (const char* root = std::getenv(variable); root && IsFile(root + std::string(kRunfile)))
      return Absolute(root + std::string(kRunfile));
  std::string exe = SelfExe();
  if (IsFile(exe + ".runfiles" + kRunfile)) return Absolute(exe + ".runfiles" + kRunfile);
  // bazel-bin layout: conformance/forkcheck next to conformance/inject/;
  // installed: PREFIX/bin/forkcheck and PREFIX/lib/forkcheck/.
  std::string dir = exe.substr(0, exe.rfind('/'));
  for (const std::string& candidate :
       {dir + "/inject/libforkcheck_inject.so", dir + "/../lib/forkcheck/libforkcheck_inject.so"})
    if (IsFile(candidate)) return Absolute(candidate);
  return "";
}

bool PreloadReaches(const std::string& program, std::string* why) {
  struct stat st;
  if (stat(program.c_str(), &st) != 0) {
    *why = Say("{0} not found", program);
    return false;
  }
  if (st.st_mode & (S_ISUID | S_ISGID)) {
    *why = Say("{0} is set-user/group-ID: the loader ignores LD_PRELOAD", program);
    return false;
  }
  if (ReadLinkage(program) == Linkage::kStatic) {
    *why = Say("{0} is statically linked: LD_PRELOAD cannot reach it", program);
    return false;
  }
  return true;
}

}  // namespace forkcheck
