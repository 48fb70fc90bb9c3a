//===- CompareTest.cpp - Tests of kiln-run's output comparison ------------===//

#include "Compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

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

HostTensor floats(const std::vector<float> &values) {
  return makeTensor<float>(KILN_FLOAT, {int64_t(values.size())}, values);
}

TEST(Compare, Tolerances) {
  CompareOptions options; // rtol 1e-3, atol 1e-5
  // |diff| <= atol + rtol * |ref|: 1000 allows 1.00001, 0 allows 1e-5.
  CompareResult r = compareTensors(floats({1000.9f, 0.000009f}),
                                   floats({1000.0f, 0.0f}), options);
  EXPECT_TRUE(r.ok());
  EXPECT_NEAR(r.maxAbsDiff, 0.9, 1e-3);
  EXPECT_TRUE(std::isinf(r.maxRelDiff)); // 9e-6 against a zero reference.

  r = compareTensors(floats({1001.1f, 0.00002f}), floats({1000.0f, 0.0f}),
                     options);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.numMismatches, 2);
  EXPECT_EQ(r.numElements, 2);
  ASSERT_EQ(r.firstMismatches.size(), 2u);
  EXPECT_EQ(r.firstMismatches[0].index, 0);
  EXPECT_EQ(r.firstMismatches[0].expected, "1000");
  EXPECT_EQ(r.firstMismatches[1].index, 1);

  options.rtol = 0.01;
  options.atol = 0.0001;
  EXPECT_TRUE(compareTensors(floats({1001.1f, 0.00002f}),
                             floats({1000.0f, 0.0f}), options)
                  .ok());

  // Exact equality passes even with zero tolerances.
  options.rtol = options.atol = 0;
  EXPECT_TRUE(compareTensors(floats({1.5f}), floats({1.5f}), options).ok());
  EXPECT_FALSE(compareTensors(floats({1.5f}),
                              floats({std::nextafter(1.5f, 2.0f)}), options)
                   .ok());
}

TEST(Compare, NonFiniteValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_TRUE(
      compareTensors(floats({nan, inf, -inf}), floats({nan, inf, -inf})).ok());
  CompareResult r = compareTensors(floats({nan, -inf, 1.0f, inf}),
                                   floats({1.0f, inf, nan, 1e30f}));
  EXPECT_EQ(r.numMismatches, 4);
  EXPECT_TRUE(std::isinf(r.maxAbsDiff));
}

TEST(Compare, IntegersAreExact) {
  auto ints = [](const std::vector<int64_t> &v) {
    return makeTensor<int64_t>(KILN_INT64, {int64_t(v.size())}, v);
  };
  // Large values that are equal as doubles but not as integers.
  CompareOptions loose;
  loose.rtol = 0.5;
  loose.atol = 10;
  CompareResult r = compareTensors(ints({INT64_MAX, 5, -3}),
                                   ints({INT64_MAX - 1, 5, -3}), loose);
  EXPECT_EQ(r.numMismatches, 1);
  ASSERT_EQ(r.firstMismatches.size(), 1u);
  EXPECT_EQ(r.firstMismatches[0].got, "9223372036854775807");
  EXPECT_EQ(r.firstMismatches[0].expected, "9223372036854775806");

  EXPECT_EQ(compareTensors(ints({6}), ints({5}), loose).numMismatches, 1);

  auto bools = [](const std::vector<uint8_t> &v) {
    return makeTensor<uint8_t>(KILN_BOOL, {int64_t(v.size())}, v);
  };
  EXPECT_TRUE(compareTensors(bools({1, 0}), bools({1, 0})).ok());
  r = compareTensors(bools({1, 1}), bools({1, 0}));
  EXPECT_EQ(r.numMismatches, 1);
  EXPECT_EQ(r.firstMismatches[0].got, "true");
  EXPECT_EQ(r.firstMismatches[0].expected, "false");

  auto u8 = [](const std::vector<uint8_t> &v) {
    return makeTensor<uint8_t>(KILN_UINT8, {int64_t(v.size())}, v);
  };
  EXPECT_EQ(compareTensors(u8({255, 0}), u8({254, 0})).numMismatches, 1);
}

TEST(Compare, TypeAndShapeMismatch) {
  CompareResult r = compareTensors(floats({1, 2}), floats({1, 2, 3}));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.typeError, "expected float [3], got float [2]");

  HostTensor asInts = makeTensor<int32_t>(KILN_INT32, {2}, {1, 2});
  r = compareTensors(asInts, floats({1, 2}));
  EXPECT_EQ(r.typeError, "expected float [2], got int32 [2]");

  // Same element count, different shape: still a mismatch.
  HostTensor a = makeTensor<float>(KILN_FLOAT, {2, 3}, std::vector<float>(6));
  HostTensor b = makeTensor<float>(KILN_FLOAT, {3, 2}, std::vector<float>(6));
  EXPECT_FALSE(compareTensors(a, b).ok());
}

TEST(Compare, ReportsFirstFewAndFormatsIndices) {
  HostTensor got =
      makeTensor<float>(KILN_FLOAT, {2, 3, 4}, std::vector<float>(24, 1.0f));
  HostTensor ref =
      makeTensor<float>(KILN_FLOAT, {2, 3, 4}, std::vector<float>(24, 0.0f));
  CompareResult r = compareTensors(got, ref);
  EXPECT_EQ(r.numMismatches, 24);
  EXPECT_EQ(r.firstMismatches.size(), CompareOptions().maxReported);
  EXPECT_EQ(formatIndex(0, got.shape), "[0, 0, 0]");
  EXPECT_EQ(formatIndex(23, got.shape), "[1, 2, 3]");
  EXPECT_EQ(formatIndex(13, got.shape), "[1, 0, 1]");
  EXPECT_EQ(formatIndex(0, {}), "[]");
}

TEST(Compare, HalfPrecision) {
  // 1.0 and 1.0009765625 (one float16 ulp apart) pass at rtol 1e-3.
  HostTensor a = makeTensor<uint16_t>(KILN_FLOAT16, {1}, {0x3c00});
  HostTensor b = makeTensor<uint16_t>(KILN_FLOAT16, {1}, {0x3c01});
  EXPECT_TRUE(compareTensors(a, b).ok());
  EXPECT_DOUBLE_EQ(elementAsDouble(b, 0), 1.0009765625);
  HostTensor bf = makeTensor<uint16_t>(KILN_BFLOAT16, {1}, {0x3fc0});
  EXPECT_DOUBLE_EQ(elementAsDouble(bf, 0), 1.5);
  HostTensor sub = makeTensor<uint16_t>(KILN_FLOAT16, {1}, {0x8001});
  EXPECT_DOUBLE_EQ(elementAsDouble(sub, 0), -std::ldexp(1.0, -24));
}

TEST(Compare, NarrowFloats) {
  // float8e4m3fn: 0x7e is 448 (the largest), 0x7f NaN, 0x01 2^-9.
  HostTensor e4m3 = makeTensor<uint8_t>(KILN_FLOAT8E4M3FN, {4},
                                        {0x7e, 0x7f, 0x01, 0xc0});
  EXPECT_DOUBLE_EQ(elementAsDouble(e4m3, 0), 448.0);
  EXPECT_TRUE(std::isnan(elementAsDouble(e4m3, 1)));
  EXPECT_DOUBLE_EQ(elementAsDouble(e4m3, 2), std::ldexp(1.0, -9));
  EXPECT_DOUBLE_EQ(elementAsDouble(e4m3, 3), -2.0);
  // float8e5m2 has infinities; the FNUZ types NaN at 0x80 only.
  HostTensor e5m2 = makeTensor<uint8_t>(KILN_FLOAT8E5M2, {2}, {0x7c, 0xfc});
  EXPECT_EQ(elementAsDouble(e5m2, 0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(elementAsDouble(e5m2, 1), -std::numeric_limits<double>::infinity());
  HostTensor fnuz = makeTensor<uint8_t>(KILN_FLOAT8E4M3FNUZ, {2}, {0x80, 0x7f});
  EXPECT_TRUE(std::isnan(elementAsDouble(fnuz, 0)));
  EXPECT_DOUBLE_EQ(elementAsDouble(fnuz, 1), 240.0);
  // float4e2m1 (one code per byte): 0x7 is 6, 0xf -6, 0x1 0.5.
  HostTensor f4 = makeTensor<uint8_t>(KILN_FLOAT4E2M1, {3}, {0x7, 0xf, 0x1});
  EXPECT_DOUBLE_EQ(elementAsDouble(f4, 0), 6.0);
  EXPECT_DOUBLE_EQ(elementAsDouble(f4, 1), -6.0);
  EXPECT_DOUBLE_EQ(elementAsDouble(f4, 2), 0.5);
  // float8e8m0: 2^(e - 127), 0xff NaN.
  HostTensor e8m0 = makeTensor<uint8_t>(KILN_FLOAT8E8M0, {2}, {127, 0xff});
  EXPECT_DOUBLE_EQ(elementAsDouble(e8m0, 0), 1.0);
  EXPECT_TRUE(std::isnan(elementAsDouble(e8m0, 1)));
  // NaN matches NaN; values compare with the float tolerances.
  EXPECT_TRUE(compareTensors(fnuz, fnuz).ok());
}

TEST(Compare, SubByteIntegers) {
  // int4 is stored sign-extended, uint4 zero-extended, one per byte.
  HostTensor i4 = makeTensor<int8_t>(KILN_INT4, {2}, {-8, 7});
  EXPECT_DOUBLE_EQ(elementAsDouble(i4, 0), -8.0);
  HostTensor u4 = makeTensor<uint8_t>(KILN_UINT4, {2}, {15, 0});
  EXPECT_DOUBLE_EQ(elementAsDouble(u4, 0), 15.0);
  HostTensor other = makeTensor<int8_t>(KILN_INT4, {2}, {-8, 6});
  EXPECT_FALSE(compareTensors(other, i4).ok());
}

} // namespace
