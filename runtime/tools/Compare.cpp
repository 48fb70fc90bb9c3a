//===- Compare.cpp - Comparing a model's outputs with references ----------===//

#include "Compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

using namespace kiln;

namespace {

template <typename T> T load(const HostTensor &tensor, int64_t index) {
  T value;
  std::memcpy(&value, tensor.bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

float halfToFloat(uint16_t bits) {
  uint32_t sign = uint32_t(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24.
    float magnitude = std::ldexp(float(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  uint32_t result;
  if (exponent == 0x1f)
    result = sign | 0x7f800000 | (mantissa << 13);
  else
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

float bfloat16ToFloat(uint16_t bits) {
  uint32_t result = uint32_t(bits) << 16;
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

/// The value of an 8-bit (or 4-bit) float code: FLOAT8E4M3FN, E4M3FNUZ,
/// E5M2, E5M2FNUZ, E8M0 and FLOAT4E2M1.
double miniFloatToDouble(uint8_t bits, int32_t elemType) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (elemType == KILN_FLOAT8E8M0)
    return bits == 0xff ? nan : std::ldexp(1.0, int(bits) - 127);
  int expBits, manBits, bias;
  switch (elemType) {
  case KILN_FLOAT8E4M3FN: expBits = 4, manBits = 3, bias = 7; break;
  case KILN_FLOAT8E4M3FNUZ: expBits = 4, manBits = 3, bias = 8; break;
  case KILN_FLOAT8E5M2: expBits = 5, manBits = 2, bias = 15; break;
  case KILN_FLOAT8E5M2FNUZ: expBits = 5, manBits = 2, bias = 16; break;
  default: expBits = 2, manBits = 1, bias = 1; break; // FLOAT4E2M1
  }
  int width = 1 + expBits + manBits;
  bits &= (1u << width) - 1;
  bool negative = bits >> (width - 1);
  int exponent = (bits >> manBits) & ((1 << expBits) - 1);
  int mantissa = bits & ((1 << manBits) - 1);
  bool fnuz = elemType == KILN_FLOAT8E4M3FNUZ || elemType == KILN_FLOAT8E5M2FNUZ;
  if (fnuz && bits == 0x80)
    return nan;
  if (elemType == KILN_FLOAT8E4M3FN && exponent == 15 && mantissa == 7)
    return nan;
  if (elemType == KILN_FLOAT8E5M2 && exponent == 31)
    return mantissa ? nan
                    : (negative ? -std::numeric_limits<double>::infinity()
                                : std::numeric_limits<double>::infinity());
  double magnitude =
      exponent == 0
          ? std::ldexp(double(mantissa), 1 - bias - manBits)
          : std::ldexp(double(mantissa + (1 << manBits)),
                       exponent - bias - manBits);
  return negative ? -magnitude : magnitude;
}

bool isMiniFloat(int32_t elemType) {
  return elemType == KILN_FLOAT8E4M3FN || elemType == KILN_FLOAT8E4M3FNUZ ||
         elemType == KILN_FLOAT8E5M2 || elemType == KILN_FLOAT8E5M2FNUZ ||
         elemType == KILN_FLOAT8E8M0 || elemType == KILN_FLOAT4E2M1;
}

bool isFloating(int32_t elemType) {
  return elemType == KILN_FLOAT || elemType == KILN_DOUBLE ||
         elemType == KILN_FLOAT16 || elemType == KILN_BFLOAT16 ||
         isMiniFloat(elemType);
}

bool isUnsigned(int32_t elemType) {
  return elemType == KILN_UINT8 || elemType == KILN_UINT16 ||
         elemType == KILN_UINT32 || elemType == KILN_UINT64 ||
         elemType == KILN_BOOL || elemType == KILN_UINT4 ||
         elemType == KILN_UINT2;
}

/// Integer elements are compared as integers: int64 values above 2^53 would
/// round to equal doubles.
int64_t loadSigned(const HostTensor &tensor, int64_t index) {
  switch (tensor.elemType) {
  case KILN_INT8:
  case KILN_INT4:
  case KILN_INT2:
    return load<int8_t>(tensor, index);
  case KILN_INT16:
    return load<int16_t>(tensor, index);
  case KILN_INT32:
    return load<int32_t>(tensor, index);
  default:
    return load<int64_t>(tensor, index);
  }
}

uint64_t loadUnsigned(const HostTensor &tensor, int64_t index) {
  switch (tensor.elemType) {
  case KILN_BOOL:
    return load<uint8_t>(tensor, index) != 0;
  case KILN_UINT8:
  case KILN_UINT4:
  case KILN_UINT2:
    return load<uint8_t>(tensor, index);
  case KILN_UINT16:
    return load<uint16_t>(tensor, index);
  case KILN_UINT32:
    return load<uint32_t>(tensor, index);
  default:
    return load<uint64_t>(tensor, index);
  }
}

} // namespace

double kiln::elementAsDouble(const HostTensor &tensor, int64_t index) {
  switch (tensor.elemType) {
  case KILN_FLOAT:
    return load<float>(tensor, index);
  case KILN_DOUBLE:
    return load<double>(tensor, index);
  case KILN_FLOAT16:
    return halfToFloat(load<uint16_t>(tensor, index));
  case KILN_BFLOAT16:
    return bfloat16ToFloat(load<uint16_t>(tensor, index));
  default:
    if (isMiniFloat(tensor.elemType))
      return miniFloatToDouble(load<uint8_t>(tensor, index), tensor.elemType);
    if (isUnsigned(tensor.elemType))
      return double(loadUnsigned(tensor, index));
    return double(loadSigned(tensor, index));
  }
}

std::string kiln::formatElement(const HostTensor &tensor, int64_t index) {
  if (tensor.elemType == KILN_BOOL)
    return loadUnsigned(tensor, index) ? "true" : "false";
  if (!isFloating(tensor.elemType))
    return isUnsigned(tensor.elemType)
               ? std::to_string(loadUnsigned(tensor, index))
               : std::to_string(loadSigned(tensor, index));
  // Enough digits to tell apart any two values of the type.
  int digits = tensor.elemType == KILN_DOUBLE  ? 17
               : tensor.elemType == KILN_FLOAT ? 9
                                               : 5;
  char text[64];
  std::snprintf(text, sizeof(text), "%.*g", digits,
                elementAsDouble(tensor, index));
  return text;
}

std::string kiln::formatIndex(int64_t index,
                              const std::vector<int64_t> &shape) {
  std::vector<int64_t> coords(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] == 0)
      continue;
    coords[i] = index % shape[i];
    index /= shape[i];
  }
  return formatShape(coords);
}

CompareResult kiln::compareTensors(const HostTensor &got, const HostTensor &ref,
                                   const CompareOptions &options) {
  CompareResult result;
  if (got.elemType != ref.elemType || got.shape != ref.shape) {
    result.typeError = "expected " + formatType(ref.elemType, ref.shape) +
                       ", got " + formatType(got.elemType, got.shape);
    return result;
  }
  int64_t count = checkedElementCount(ref.shape);
  size_t elemSize = kiln_elem_size(ref.elemType);
  if (count < 0 || elemSize == 0 ||
      got.bytes.size() != size_t(count) * elemSize ||
      ref.bytes.size() != got.bytes.size()) {
    result.typeError = "tensor data does not match its type " +
                       formatType(ref.elemType, ref.shape);
    return result;
  }
  result.numElements = count;
  const double inf = std::numeric_limits<double>::infinity();
  bool floating = isFloating(ref.elemType);
  bool isUnsignedType = isUnsigned(ref.elemType);

  for (int64_t i = 0; i < count; ++i) {
    double absDiff, relDiff;
    bool pass;
    if (floating) {
      double g = elementAsDouble(got, i), r = elementAsDouble(ref, i);
      if (std::isnan(g) || std::isnan(r) || std::isinf(g) || std::isinf(r)) {
        // Non-finite values match only themselves (NaN matches any NaN).
        pass = (std::isnan(g) && std::isnan(r)) || g == r;
        absDiff = relDiff = pass ? 0 : inf;
      } else {
        absDiff = std::fabs(g - r);
        relDiff = absDiff == 0 ? 0 : r == 0 ? inf : absDiff / std::fabs(r);
        pass = absDiff <= options.atol + options.rtol * std::fabs(r);
      }
    } else {
      double g, r;
      if (isUnsignedType) {
        uint64_t gi = loadUnsigned(got, i), ri = loadUnsigned(ref, i);
        pass = gi == ri;
        g = double(gi);
        r = double(ri);
      } else {
        int64_t gi = loadSigned(got, i), ri = loadSigned(ref, i);
        pass = gi == ri;
        g = double(gi);
        r = double(ri);
      }
      absDiff = pass ? 0 : std::fabs(g - r);
      relDiff = pass ? 0 : r == 0 ? inf : absDiff / std::fabs(r);
    }
    result.maxAbsDiff = std::max(result.maxAbsDiff, absDiff);
    result.maxRelDiff = std::max(result.maxRelDiff, relDiff);
    if (pass)
      continue;
    if (result.firstMismatches.size() < options.maxReported)
      result.firstMismatches.push_back(
          {i, formatElement(got, i), formatElement(ref, i)});
    ++result.numMismatches;
  }
  return result;
}
