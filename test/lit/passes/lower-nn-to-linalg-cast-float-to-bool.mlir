// nn.cast from a float type to i1 (ONNX Cast to BOOL) must lower to
// `arith.cmpf une x, 0.0`.
//
// Regression test, was a bug: ScalarArith::castFrom (passes/nn-to-linalg/ScalarArith.cpp) builds the
// comparison with the *target* type's ScalarArith, whose compare() emits
// arith.cmpi for an i1 target, on f32 operands: the pass produces invalid IR
// ("'arith.cmpi' op operand #0 must be signless-integer-like, but got 'f32'")
// and kilnc fails on any model with Cast(float -> bool).
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @cast_float_to_bool(
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpf une, %{{.*}}, %[[Z]] : f32
func.func @cast_float_to_bool(%x: tensor<4xf32>) -> tensor<4xi1> {
  %0 = nn.cast %x : (tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
