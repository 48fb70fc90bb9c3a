//===- FileBytes.h - Whole-file reads and writes with clear errors -*- C++ -*-//
//
// Tensor files are small enough to read at once; what matters is that every
// failure names the file and the reason (strerror), never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TOOLS_FILEBYTES_H
#define KILN_RUNTIME_TOOLS_FILEBYTES_H

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <sys/stat.h>

namespace kiln {

/// Reads the whole file at \p path into \p bytes; on failure sets \p error to
/// "PATH: cannot read: REASON" and returns false.
inline bool readFileBytes(const std::string &path, std::string &bytes,
                          std::string &error) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(info.st_mode)) {
    error = path + ": cannot read: not a regular file";
    return false;
  }
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file) {
    error = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  bytes.clear();
  char chunk[1 << 16];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
    bytes.append(chunk, got);
  bool failed = std::ferror(file);
  int savedErrno = errno;
  std::fclose(file);
  if (failed) {
    error = path + ": cannot read: " + std::strerror(savedErrno);
    return false;
  }
  return true;
}

/// Writes \p size bytes to \p path, replacing it; on failure sets \p error.
inline bool writeFileBytes(const std::string &path, const void *data,
                           size_t size, std::string &error) {
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file) {
    error = path + ": cannot create: " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(data, 1, size, file) == size;
  int savedErrno = errno;
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok)
    error = path + ": cannot write: " + std::strerror(savedErrno);
  return ok;
}

} // namespace kiln

#endif // KILN_RUNTIME_TOOLS_FILEBYTES_H
