//===- TempDir.h - A scratch directory per test ----------------*- C++ -*-===//

#ifndef KILN_TEST_UNIT_RUNTIME_TEMPDIR_H
#define KILN_TEST_UNIT_RUNTIME_TEMPDIR_H

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace kiln::test {

/// A fresh directory named after the running test, removed afterwards, so
/// that tests can run in parallel and leave nothing behind.
class TempDir {
public:
  TempDir() {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    path = std::filesystem::temp_directory_path() /
           ("kiln-unit-" + std::to_string(::getpid()) + "-" +
            info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }

  std::string file(const std::string &name) const {
    return (path / name).string();
  }

  /// Writes \p bytes to the file \p name and returns its path.
  std::string write(const std::string &name, const std::string &bytes) const {
    std::string filePath = file(name);
    std::ofstream(filePath, std::ios::binary) << bytes;
    return filePath;
  }

  std::filesystem::path path;
};

} // namespace kiln::test

#endif // KILN_TEST_UNIT_RUNTIME_TEMPDIR_H
