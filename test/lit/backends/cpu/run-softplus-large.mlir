// softplus(x) = ln(1 + e^x) is x for large x (ONNX Runtime gives 100 for
// x = 100).
//
// Regression test, was a bug: the lowering of nn.softplus (passes/nn-to-linalg/Elementwise.cpp)
// computes log1p(exp(x)); exp overflows f32 for x > 88.7, so softplus(100)
// is inf. A stable form is max(x, 0) + log1p(exp(-|x|)).
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save(r'%t/x.npy', np.array([-100, 0, 50, 100], np.float32))"
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/x.npy --print | FileCheck %s
// CHECK: output 0 'y' float [4]: {{[0-9.e+-]+}}, 0.693147{{[0-9]*}}, 50, 100{{$}}

func.func @main_graph(%x: tensor<4xf32> {kiln.name = "x"}) -> (tensor<4xf32> {kiln.name = "y"}) {
  %0 = nn.softplus %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
