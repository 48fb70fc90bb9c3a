// nn.cast between the two 16-bit float types (ONNX Cast FLOAT16 <-> BFLOAT16)
// must go through f32 (or another valid conversion).
//
// Regression test, was a bug: ScalarArith::castFrom (passes/nn-to-linalg/ScalarArith.cpp) picks
// extf/truncf by bit width only; for f16 -> bf16 (equal widths) it emits
// `arith.truncf %x : f16 to bf16`, which does not verify ("operand type 'f16'
// and result type 'bf16' are cast incompatible"), so the pass fails.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @cast_f16_to_bf16(
// CHECK: linalg.generic
// CHECK-LABEL: func.func @cast_bf16_to_f16(
// CHECK: linalg.generic
func.func @cast_f16_to_bf16(%x: tensor<4xf16>) -> tensor<4xbf16> {
  %0 = nn.cast %x : (tensor<4xf16>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}
func.func @cast_bf16_to_f16(%x: tensor<4xbf16>) -> tensor<4xf16> {
  %0 = nn.cast %x : (tensor<4xbf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}
