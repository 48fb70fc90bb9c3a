// End to end, the folded and the computed Cast(bool -> int64) agree: a
// constant true is 1.
//
// Regression test, was a bug: CastOp::fold sign-extends i1 (see compiler/ir/fold-cast-bool.mlir):
// the graph stage folds the constant cast to -1 while the lowering of a
// non-constant cast (arith.extui) gives 1, so an ONNX model with
// Cast(bool initializer -> INT64) computes -1 where ONNX Runtime gives 1.
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save(r'%t/x.npy', np.array([True, False, True]))"
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/x.npy --print | FileCheck %s
// CHECK: output 0 'folded' int64 [3]: 1, 0, 1
// CHECK: output 1 'computed' int64 [3]: 1, 0, 1

func.func @main_graph(%x: tensor<3xi1> {kiln.name = "x"}) -> (tensor<3xi64> {kiln.name = "folded"}, tensor<3xi64> {kiln.name = "computed"}) {
  %c = nn.constant dense<[true, false, true]> : tensor<3xi1>
  %0 = nn.cast %c : (tensor<3xi1>) -> tensor<3xi64>
  %1 = nn.cast %x : (tensor<3xi1>) -> tensor<3xi64>
  return %0, %1 : tensor<3xi64>, tensor<3xi64>
}
