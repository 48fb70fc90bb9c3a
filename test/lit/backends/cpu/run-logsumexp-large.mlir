// log(sum(exp(x))) of [100, 100] is 100 + ln 2 = 100.693 (ONNX Runtime
// subtracts the maximum first).
//
// Regression test, was a bug: the lowering of nn.reduce kind "log_sum_exp"
// (passes/nn-to-linalg/Reduction.cpp) sums exp(x) directly; exp overflows
// f32 for x > 88.7, so ReduceLogSumExp gives inf for inputs that are
// common as logits.
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save(r'%t/x.npy', np.array([[100, 100], [1, 1]], np.float32))"
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/x.npy --print | FileCheck %s
// CHECK: output 0 'y' float [2, 1]: 100.693{{[0-9]*}}, 1.693147{{[0-9]*}}

func.func @main_graph(%x: tensor<2x2xf32> {kiln.name = "x"}) -> (tensor<2x1xf32> {kiln.name = "y"}) {
  %0 = nn.reduce %x {kind = #nn.reduce_kind<log_sum_exp>, axes = array<i64: 1>} : (tensor<2x2xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}
