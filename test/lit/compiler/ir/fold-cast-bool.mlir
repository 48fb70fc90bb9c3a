// Casting bool true to an integer gives 1 (ONNX Cast, and what the
// lowering computes at run time).
//
// Regression test, was a bug: CastOp::fold (compiler/ir/NNOps.cpp) sign-extends i1 values, so a
// constant `true` cast to i64 folds to -1 instead of 1. Folded graphs then
// disagree with unfolded ones (e.g. Cast(bool mask) -> ReduceSum counting).
// RUN: kiln-opt %s --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @cast_bool_to_int
// CHECK-NEXT: nn.constant dense<[1, 0]> : tensor<2xi64>
// CHECK-NEXT: nn.constant dense<[1, 0]> : tensor<2xi8>
func.func @cast_bool_to_int() -> (tensor<2xi64>, tensor<2xi8>) {
  %c = nn.constant dense<[true, false]> : tensor<2xi1>
  %0 = nn.cast %c : (tensor<2xi1>) -> tensor<2xi64>
  %1 = nn.cast %c : (tensor<2xi1>) -> tensor<2xi8>
  return %0, %1 : tensor<2xi64>, tensor<2xi8>
}
