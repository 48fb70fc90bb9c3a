// Compiled code computes the right numbers: a shared library run by
// kiln-run, and a standalone executable, on a graph that touches
// broadcasting, a negative-step slice, reflect padding, a grouped conv,
// pooling, softmax and argmax.
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/run_model_ref.py %t/data
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/data/input_0.pb --compare %t/data --atol 1e-6 | FileCheck %s --check-prefix=COMPARE
// RUN: kiln-run %t/model.so -i %t/data/input_0.pb --print | FileCheck %s
// RUN: kilnc %s -o %t/model
// RUN: %t/model -i %t/data/input_0.npy -o %t/exe-out
// RUN: %python -c "import numpy as np, onnx; from onnx import numpy_helper as nh; [np.testing.assert_allclose(np.load(r'%t/exe-out/output_%%d.npy' %% k), nh.to_array(onnx.load_tensor(r'%t/data/output_%%d.pb' %% k)), atol=1e-6) for k in range(7)]"

// x = [[[-6,-5,-4],[-3,-2,-1]], [[0,1,2],[3,4,5]]]
// COMPARE-NOT: MISMATCH
// relu(x) + [1, 2, 3]: channel 0 is all bias, channel 1 adds x.
// CHECK: output 0 'biased' float [1, 2, 2, 3]: 1, 2, 3, 1, 2, 3, 1, 3, 5, 4,
// x[..., 2::-2]
// CHECK: output 1 'sliced' float [1, 2, 2, 2]: -4, -6, -1, -3, 2, 0, 5, 3
// Reflect padding by 1 on the last axis: [x1, x0, x1, x2, x1].
// CHECK: output 2 'padded' float [1, 2, 2, 5]: -5, -6, -5, -4, -5, -2, -3, -2, -1, -2,
// Depthwise 1x2 conv with weights [1, 10] and bias [100, 200]: x0 + 10 x1.
// CHECK: output 3 'conv' float [1, 2, 2, 2]: 44, 55, 77, 88, 210, 221, 243, 254
// CHECK: output 4 'pooled' float [1, 2, 1, 2]: -2, -1, 4, 5
// CHECK: output 5 'probs' float [1, 2, 2, 3]: 0.09003{{[0-9]*}}, 0.24472{{[0-9]*}}, 0.66524{{[0-9]*}},
// CHECK: output 6 'argmax' int64 [1, 2, 3]: 1, 1, 1, 1, 1, 1

func.func @main_graph(%x: tensor<1x2x2x3xf32> {kiln.name = "x"})
    -> (tensor<1x2x2x3xf32> {kiln.name = "biased"}, tensor<1x2x2x2xf32> {kiln.name = "sliced"},
        tensor<1x2x2x5xf32> {kiln.name = "padded"}, tensor<1x2x2x2xf32> {kiln.name = "conv"},
        tensor<1x2x1x2xf32> {kiln.name = "pooled"}, tensor<1x2x2x3xf32> {kiln.name = "probs"},
        tensor<1x2x3xi64> {kiln.name = "argmax"}) {
  %bias = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %r = nn.relu %x : tensor<1x2x2x3xf32>
  %biased = nn.add %r, %bias : (tensor<1x2x2x3xf32>, tensor<3xf32>) -> tensor<1x2x2x3xf32>
  %sliced = nn.slice %x {starts = array<i64: 0, 0, 0, 2>, sizes = array<i64: 1, 2, 2, 2>, steps = array<i64: 1, 1, 1, -2>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x2xf32>
  %padded = nn.pad %x {pads = array<i64: 0, 0, 0, 1, 0, 0, 0, 1>, mode = #nn.pad_mode<reflect>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x5xf32>
  %w = nn.constant dense<[[[[1.0, 10.0]]], [[[1.0, 10.0]]]]> : tensor<2x1x1x2xf32>
  %cb = nn.constant dense<[100.0, 200.0]> : tensor<2xf32>
  %conv = nn.conv %x, %w, %cb {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x2x3xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %pooled = nn.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x2x3xf32>) -> tensor<1x2x1x2xf32>
  %probs = nn.softmax %x {axis = 3 : i64} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %argmax = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 1 : i64, keepdims = false} : (tensor<1x2x2x3xf32>) -> tensor<1x2x3xi64>
  return %biased, %sliced, %padded, %conv, %pooled, %probs, %argmax : tensor<1x2x2x3xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x5xf32>, tensor<1x2x2x2xf32>, tensor<1x2x1x2xf32>, tensor<1x2x2x3xf32>, tensor<1x2x3xi64>
}
