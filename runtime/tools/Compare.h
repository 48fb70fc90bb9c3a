//===- Compare.h - Comparing a model's outputs with references --*- C++ -*-===//
//
// Floating-point elements pass when |got - ref| <= atol + rtol * |ref| (the
// rule of numpy.isclose and of ONNX's backend tests), NaN matches NaN and an
// infinity matches the same infinity; integer and bool elements must be equal.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_RUNTIME_TOOLS_COMPARE_H
#define KILN_RUNTIME_TOOLS_COMPARE_H

#include "HostTensor.h"

#include <string>
#include <vector>

namespace kiln {

struct CompareOptions {
  double rtol = 1e-3;
  double atol = 1e-5;
  /// How many mismatching elements to keep for the report.
  size_t maxReported = 5;
};

struct Mismatch {
  int64_t index; // Flat, row-major.
  std::string got, expected;
};

struct CompareResult {
  /// Set when the element types or shapes differ; nothing else is then filled.
  std::string typeError;
  int64_t numElements = 0;
  int64_t numMismatches = 0;
  /// Over all elements; relative to |ref|, infinite where ref is 0 and got
  /// is not, and infinite both when NaN or infinities disagree.
  double maxAbsDiff = 0;
  double maxRelDiff = 0;
  std::vector<Mismatch> firstMismatches;

  bool ok() const { return typeError.empty() && numMismatches == 0; }
};

CompareResult compareTensors(const HostTensor &got, const HostTensor &ref,
                             const CompareOptions &options = {});

/// "[0, 2, 5]": the multi-index of flat element \p index of \p shape.
std::string formatIndex(int64_t index, const std::vector<int64_t> &shape);

/// Element \p index of \p tensor as text, at the precision of its type.
std::string formatElement(const HostTensor &tensor, int64_t index);

/// Element \p index of \p tensor as a double (float16 and bfloat16 widened).
double elementAsDouble(const HostTensor &tensor, int64_t index);

} // namespace kiln

#endif // KILN_RUNTIME_TOOLS_COMPARE_H
