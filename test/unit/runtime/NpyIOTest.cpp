//===- NpyIOTest.cpp - Tests of kiln-run's .npy reader and writer ---------===//

#include "NpyIO.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstring>
#include <iterator>

using namespace kiln;

namespace {

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

void expectRoundTrip(const HostTensor &tensor, const std::string &path) {
  std::string error;
  ASSERT_TRUE(writeNpy(path, tensor, error)) << error;
  HostTensor back;
  ASSERT_TRUE(readNpy(path, back, error)) << error;
  EXPECT_EQ(back.elemType, tensor.elemType);
  EXPECT_EQ(back.shape, tensor.shape);
  EXPECT_EQ(back.bytes, tensor.bytes);
}

TEST(NpyIO, RoundTripsManyTypes) {
  test::TempDir dir;
  expectRoundTrip(makeTensor<float>(KILN_FLOAT, {2, 3}, {1, 2, 3, 4, 5, -6.5f}),
                  dir.file("f4.npy"));
  expectRoundTrip(makeTensor<double>(KILN_DOUBLE, {3}, {1e300, -0.0, 3.25}),
                  dir.file("f8.npy"));
  expectRoundTrip(makeTensor<int64_t>(KILN_INT64, {1, 2, 1, 2},
                                      {INT64_MIN, -1, 0, INT64_MAX}),
                  dir.file("i8.npy"));
  expectRoundTrip(makeTensor<int32_t>(KILN_INT32, {2}, {-7, 7}),
                  dir.file("i4.npy"));
  expectRoundTrip(makeTensor<int8_t>(KILN_INT8, {4}, {-128, -1, 0, 127}),
                  dir.file("i1.npy"));
  expectRoundTrip(makeTensor<uint8_t>(KILN_UINT8, {2, 2}, {0, 1, 254, 255}),
                  dir.file("u1.npy"));
  expectRoundTrip(makeTensor<uint16_t>(KILN_UINT16, {1}, {65535}),
                  dir.file("u2.npy"));
  expectRoundTrip(makeTensor<uint64_t>(KILN_UINT64, {1}, {UINT64_MAX}),
                  dir.file("u8.npy"));
  expectRoundTrip(makeTensor<uint8_t>(KILN_BOOL, {3}, {1, 0, 1}),
                  dir.file("b1.npy"));
  expectRoundTrip(makeTensor<uint16_t>(KILN_FLOAT16, {1}, {0x3c00}),
                  dir.file("f2.npy"));
  // A scalar and an empty tensor.
  expectRoundTrip(makeTensor<float>(KILN_FLOAT, {}, {42}),
                  dir.file("scalar.npy"));
  expectRoundTrip(makeTensor<float>(KILN_FLOAT, {0, 5}, {}),
                  dir.file("empty.npy"));
}

TEST(NpyIO, WritesWhatNumpyWrites) {
  test::TempDir dir;
  std::string error;
  std::string path = dir.file("a.npy");
  ASSERT_TRUE(
      writeNpy(path, makeTensor<float>(KILN_FLOAT, {3}, {1, 2, 3}), error))
      << error;
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_EQ(bytes.size(), 128u + 12u); // Data starts 64-byte aligned.
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (3,), }"),
            std::string::npos);
  EXPECT_EQ(bytes[127], '\n');
}

/// Builds a .npy image by hand, as other writers (and other versions) do.
std::string npyImage(const std::string &header, const std::string &data,
                     int version = 1) {
  std::string out("\x93NUMPY", 6);
  out += char(version);
  out += char(0);
  size_t len = header.size();
  out += char(len & 0xff);
  out += char((len >> 8) & 0xff);
  if (version > 1) {
    out += char(0);
    out += char(0);
  }
  return out + header + data;
}

TEST(NpyIO, ReadsVersions2And3AndOtherSpellings) {
  std::string data("\x01\x00\x02\x00\x03\x00", 6);
  HostTensor t;
  std::string error;
  for (int version : {1, 2, 3}) {
    std::string image = npyImage(
        "{\"descr\":\"<i2\",\"shape\":(1,3),\"fortran_order\":False}\n", data,
        version);
    ASSERT_TRUE(parseNpy("x.npy", image, t, error)) << error;
    EXPECT_EQ(t.elemType, KILN_INT16);
    EXPECT_EQ(t.shape, (std::vector<int64_t>{1, 3}));
    EXPECT_EQ(t.bytes.size(), 6u);
  }
  // Fortran order is harmless when at most one dimension exceeds 1.
  ASSERT_TRUE(parseNpy(
      "x.npy",
      npyImage("{'descr': '=i2', 'fortran_order': True, 'shape': (3, 1), }",
               data),
      t, error))
      << error;
}

TEST(NpyIO, Errors) {
  test::TempDir dir;
  HostTensor t;
  std::string error;

  EXPECT_FALSE(readNpy(dir.file("missing.npy"), t, error));
  EXPECT_NE(error.find("missing.npy: cannot open"), std::string::npos) << error;

  // Truncated data: a float [2, 3] needs 24 bytes.
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n";
  std::string path = dir.write("short.npy", npyImage(header, "12345678"));
  EXPECT_FALSE(readNpy(path, t, error));
  EXPECT_NE(error.find("short.npy: truncated data"), std::string::npos)
      << error;
  EXPECT_NE(error.find("needs 24 bytes, file has 8"), std::string::npos)
      << error;

  // Truncated header.
  std::string whole = npyImage(header, std::string(24, '\0'));
  EXPECT_FALSE(parseNpy("h.npy", whole.substr(0, 30), t, error));
  EXPECT_NE(error.find("truncated .npy header"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy("m.npy", "PK\x03\x04 not numpy", t, error));
  EXPECT_NE(error.find("bad magic"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy("x.npy", whole + "extra", t, error));
  EXPECT_NE(error.find("bytes after the array data"), std::string::npos)
      << error;

  EXPECT_FALSE(parseNpy(
      "x.npy",
      npyImage("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
               "abcd"),
      t, error));
  EXPECT_NE(error.find("big-endian"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy(
      "x.npy",
      npyImage("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
               "abcdefgh"),
      t, error));
  EXPECT_NE(error.find("unsupported dtype '<c8'"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy(
      "x.npy",
      npyImage("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
               std::string(16, '\0')),
      t, error));
  EXPECT_NE(error.find("Fortran"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy(
      "x.npy", npyImage("{'descr': '<f4', 'shape': (2, 2), }", ""), t, error));
  EXPECT_NE(error.find("malformed header"), std::string::npos) << error;

  EXPECT_FALSE(parseNpy("x.npy",
                        npyImage("{'descr': '<f4', 'fortran_order': False, "
                                 "'shape': (99999999999, 99999999999), }",
                                 ""),
                        t, error));
  EXPECT_NE(error.find("too large"), std::string::npos) << error;

  HostTensor bf16;
  bf16.elemType = KILN_BFLOAT16;
  bf16.shape = {1};
  bf16.bytes = {0, 0};
  EXPECT_FALSE(writeNpy(dir.file("bf16.npy"), bf16, error));
  EXPECT_NE(error.find("bfloat16"), std::string::npos) << error;
}

} // namespace
