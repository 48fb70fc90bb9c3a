//===- KilnRunTest.cpp - End-to-end tests of the kiln-run tool ------------===//
//
// Runs the kiln-run binary on FakeModel.c's library and checks its outputs,
// messages and exit status, the contract scripts and users rely on.
//
//===----------------------------------------------------------------------===//

#include "NpyIO.h"
#include "ProtoIO.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include <sys/wait.h>

using namespace kiln;

namespace {

struct Result {
  int status;
  std::string output; // stdout and stderr together
};

Result runKilnRun(const std::string &args) {
  std::string command =
      std::string("'") + KILN_RUN_PATH + "' " + args + " 2>&1";
  Result result{-1, ""};
  std::FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return result;
  char chunk[4096];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof(chunk), pipe)) > 0)
    result.output.append(chunk, got);
  int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  return result;
}

template <typename T>
HostTensor makeTensor(int32_t elemType, std::vector<int64_t> shape,
                      const std::vector<T> &values) {
  HostTensor t;
  t.elemType = elemType;
  t.shape = std::move(shape);
  t.bytes.resize(values.size() * sizeof(T));
  std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

class KilnRun : public ::testing::Test {
protected:
  void SetUp() override {
    std::string error;
    xPath = dir.file("x.npy");
    nPath = dir.file("n.pb");
    ASSERT_TRUE(writeNpy(
        xPath, makeTensor<float>(KILN_FLOAT, {2, 3}, {0, 1, 2, 3, 4, 5}),
        error))
        << error;
    HostTensor n = makeTensor<int64_t>(KILN_INT64, {2}, {7, -4});
    n.name = "n";
    ASSERT_TRUE(writeTensorProto(nPath, n, error)) << error;
  }

  std::string lib() const { return std::string("'") + FAKE_MODEL_PATH + "'"; }
  std::string inputs() const { return " -i " + xPath + " -i " + nPath; }

  test::TempDir dir;
  std::string xPath, nPath;
};

TEST_F(KilnRun, Help) {
  Result r = runKilnRun("--help");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("usage: kiln-run LIB -i FILE"), std::string::npos);
}

TEST_F(KilnRun, WritesOutputsAndComparesThem) {
  std::string out = dir.file("out");
  Result r = runKilnRun(lib() + inputs() + " -o " + out);
  ASSERT_EQ(r.status, 0) << r.output;

  HostTensor y, m;
  std::string error;
  ASSERT_TRUE(readTensorProto(out + "/output_0.pb", y, error)) << error;
  ASSERT_TRUE(readTensorProto(out + "/output_1.pb", m, error)) << error;
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 3}));
  float values[6];
  ASSERT_EQ(y.bytes.size(), sizeof(values));
  std::memcpy(values, y.bytes.data(), sizeof(values));
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(values[i], float(i + 1));
  EXPECT_EQ(m.elemType, KILN_INT64);
  int64_t ms[2];
  std::memcpy(ms, m.bytes.data(), sizeof(ms));
  EXPECT_EQ(ms[0], 14);
  EXPECT_EQ(ms[1], -8);

  r = runKilnRun(lib() + inputs() + " --compare " + out);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("output 0 'y': max abs diff 0, max rel diff 0, OK"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("output 1 'm': max abs diff 0, max rel diff 0, OK"),
            std::string::npos)
      << r.output;
}

TEST_F(KilnRun, ReportsMismatches) {
  std::string ref = dir.file("ref");
  ASSERT_EQ(runKilnRun(lib() + inputs() + " -o " + ref).status, 0);
  std::string error;
  // Off by 0.5 at [1, 2], and a slightly off value within tolerance.
  HostTensor y =
      makeTensor<float>(KILN_FLOAT, {2, 3}, {1.0005f, 2, 3, 4, 5, 6.5f});
  y.name = "y";
  ASSERT_TRUE(writeTensorProto(ref + "/output_0.pb", y, error)) << error;
  Result r = runKilnRun(lib() + inputs() + " --compare " + ref);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("output 0 'y': max abs diff 0.5, max rel diff "
                          "0.0769, MISMATCH (1 of 6 elements)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  at [1, 2]: got 6, expected 6.5"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("output 1 'm': max abs diff 0, max rel diff 0, OK"),
            std::string::npos)
      << r.output;

  // Loose enough tolerances accept it.
  r = runKilnRun(lib() + inputs() + " --compare " + ref +
                 " --rtol 0.1 --atol=0");
  EXPECT_EQ(r.status, 0) << r.output;

  // A reference of another shape is a mismatch too.
  HostTensor wrong = makeTensor<float>(KILN_FLOAT, {6}, {1, 2, 3, 4, 5, 6});
  ASSERT_TRUE(writeTensorProto(ref + "/output_0.pb", wrong, error)) << error;
  r = runKilnRun(lib() + inputs() + " --compare " + ref);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("is float [6], the model gives float [2, 3]"),
            std::string::npos)
      << r.output;

  // A missing reference is an I/O error.
  std::remove((ref + "/output_1.pb").c_str());
  ASSERT_TRUE(writeTensorProto(ref + "/output_0.pb", y, error)) << error;
  r = runKilnRun(lib() + inputs() + " --compare " + ref);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("output_1.pb: cannot open"), std::string::npos)
      << r.output;
}

TEST_F(KilnRun, TimesIterations) {
  Result r = runKilnRun(lib() + inputs() + " --iterations 5");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("median latency: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" ms (5 iterations, min "), std::string::npos)
      << r.output;
}

TEST_F(KilnRun, PrintsValuesByDefault) {
  Result r = runKilnRun(lib() + inputs());
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("output 0 'y' float [2, 3]: 1, 2, 3, 4, 5, 6"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("output 1 'm' int64 [2]: 14, -8"), std::string::npos)
      << r.output;
}

TEST_F(KilnRun, InputErrors) {
  std::string error;
  std::string wrongShape = dir.file("wrong.npy");
  ASSERT_TRUE(writeNpy(
      wrongShape, makeTensor<float>(KILN_FLOAT, {3, 2}, {0, 1, 2, 3, 4, 5}),
      error));
  Result r = runKilnRun(lib() + " -i " + wrongShape + " -i " + nPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("wrong.npy: input 0 'x' expects float [2, 3], the "
                          "file holds float [3, 2]"),
            std::string::npos)
      << r.output;

  // Inputs in the wrong order: the types differ.
  r = runKilnRun(lib() + " -i " + nPath + " -i " + xPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("n.pb: input 0 'x'"), std::string::npos) << r.output;

  r = runKilnRun(lib() + " -i " + xPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("takes 2 input(s) ('x' float [2, 3], 'n' int64 "
                          "[2]), 1 given with -i"),
            std::string::npos)
      << r.output;

  r = runKilnRun(lib() + " -i " + dir.file("nope.npy") + " -i " + nPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("nope.npy: cannot open: No such file"),
            std::string::npos)
      << r.output;

  std::string bad = dir.write("bad.pb", std::string(16, '\xff'));
  r = runKilnRun(lib() + " -i " + xPath + " -i " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("bad.pb: not a valid ONNX TensorProto"),
            std::string::npos)
      << r.output;

  std::string truncated =
      dir.write("t.npy", std::string("\x93NUMPY\x01\x00\x40\x00{'des", 15));
  r = runKilnRun(lib() + " -i " + truncated + " -i " + nPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("t.npy: truncated .npy header"), std::string::npos)
      << r.output;

  std::string text = dir.write("x.txt", "1 2 3");
  r = runKilnRun(lib() + " -i " + text + " -i " + nPath);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("x.txt: unknown file type"), std::string::npos)
      << r.output;
}

TEST_F(KilnRun, LibraryAndUsageErrors) {
  Result r = runKilnRun(dir.file("missing.so") + inputs());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("cannot load library"), std::string::npos)
      << r.output;

  r = runKilnRun(xPath + inputs());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("cannot load library"), std::string::npos)
      << r.output;

  r = runKilnRun(std::string("'") + FAKE_NOSYM_PATH + "'" + inputs());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no kiln_library_model symbol"), std::string::npos)
      << r.output;

  r = runKilnRun(lib() + inputs() + " --bogus");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("unknown option '--bogus'"), std::string::npos);

  r = runKilnRun(lib() + inputs() + " --iterations 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("positive integer"), std::string::npos);

  r = runKilnRun(lib() + inputs() + " --rtol abc");
  EXPECT_EQ(r.status, 2);

  r = runKilnRun(lib() + " -i");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("'-i' needs a value"), std::string::npos);

  r = runKilnRun("");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no library given"), std::string::npos);
}

} // namespace
