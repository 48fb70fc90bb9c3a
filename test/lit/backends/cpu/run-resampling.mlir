// Compiled upsampling ops compute the right numbers: max pooling with
// indices, unpooling (the scf.for scatter through bufferization), nearest
// and linear resize, a strided transposed convolution with bias.
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save(r'%t/x.npy', np.array([[[[1, 5, 3, 2], [4, 0, 7, 6]]]], np.float32))"
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/x.npy --print | FileCheck %s

// Windows [1 5; 4 0] and [3 2; 7 6]: maxima 5 and 7 at flat indices 1 and 6.
// CHECK: output 0 'pooled' float [1, 1, 1, 2]: 5, 7
// CHECK: output 1 'indices' int64 [1, 1, 1, 2]: 1, 6
// CHECK: output 2 'unpooled' float [1, 1, 2, 4]: 0, 5, 0, 0, 0, 0, 7, 0
// half_pixel x2: x = -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
// CHECK: output 3 'linear' float [1, 1, 1, 4]: 5, 5.5, 6.5, 7
// CHECK: output 4 'nearest' float [1, 1, 2, 4]: 5, 5, 7, 7, 5, 5, 7, 7
// [5, 7] scattered at stride 2 times [1, 2, 3], plus 10:
// [5, 10, 15 + 7, 14, 21] + 10.
// CHECK: output 5 'upconv' float [1, 1, 1, 5]: 15, 20, 32, 24, 31

func.func @main_graph(%x: tensor<1x1x2x4xf32> {kiln.name = "x"})
    -> (tensor<1x1x1x2xf32> {kiln.name = "pooled"}, tensor<1x1x1x2xi64> {kiln.name = "indices"},
        tensor<1x1x2x4xf32> {kiln.name = "unpooled"}, tensor<1x1x1x4xf32> {kiln.name = "linear"},
        tensor<1x1x2x4xf32> {kiln.name = "nearest"}, tensor<1x1x1x5xf32> {kiln.name = "upconv"}) {
  %v, %i = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x2x4xf32>) -> (tensor<1x1x1x2xf32>, tensor<1x1x1x2xi64>)
  %u = nn.max_unpool %v, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 1, 2, 4>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xi64>) -> tensor<1x1x2x4xf32>
  %l = nn.resize %v {mode = #nn.interpolation<linear>, sizes = array<i64: 1, 1, 1, 4>, scales = array<f64: 1.0, 1.0, 1.0, 2.0>} : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x4xf32>
  %n = nn.resize %v {coordinate_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<floor>, sizes = array<i64: 1, 1, 2, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x1x2xf32>) -> tensor<1x1x2x4xf32>
  %w = nn.constant dense<[[[[1.0, 2.0, 3.0]]]]> : tensor<1x1x1x3xf32>
  %b = nn.constant dense<[10.0]> : tensor<1xf32>
  %c = nn.conv_transpose %v, %w, %b {strides = array<i64: 1, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x1x5xf32>
  return %v, %i, %u, %l, %n, %c : tensor<1x1x1x2xf32>, tensor<1x1x1x2xi64>, tensor<1x1x2x4xf32>, tensor<1x1x1x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x1x5xf32>
}
