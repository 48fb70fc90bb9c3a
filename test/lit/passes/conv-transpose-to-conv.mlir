// RUN: kiln-opt %s --kiln-conv-transpose-to-conv --split-input-file | FileCheck %s

// Stride 2, kernel [1, 2, 3]: two taps per phase. Phase 0 reads kernel
// elements 2 and 0, phase 1 element 1 (its other tap is past the kernel);
// the phases become 2 output channels, then interleave: 4 rows of 2, of
// which the output keeps the first 7.
// CHECK-LABEL: func.func @stride2(
// CHECK-SAME: %[[X:.*]]: tensor<1x1x3xf32>
// CHECK: %[[W:.*]] = nn.constant dense<{{\[\[\[}}3.000000e+00, 1.000000e+00]], {{\[\[}}0.000000e+00, 2.000000e+00]]]> : tensor<2x1x2xf32>
// CHECK: %[[B:.*]] = nn.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[C:.*]] = nn.conv %[[X]], %[[W]], %[[B]] {dilations = array<i64: 1>, pads = array<i64: 1, 1>, strides = array<i64: 1>} : (tensor<1x1x3xf32>, tensor<2x1x2xf32>, tensor<2xf32>) -> tensor<1x2x4xf32>
// CHECK: %[[R:.*]] = nn.reshape %[[C]] : (tensor<1x2x4xf32>) -> tensor<1x1x2x4xf32>
// CHECK: %[[T:.*]] = nn.transpose %[[R]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x1x2x4xf32>) -> tensor<1x1x4x2xf32>
// CHECK: %[[F:.*]] = nn.reshape %[[T]] : (tensor<1x1x4x2xf32>) -> tensor<1x1x8xf32>
// CHECK: nn.slice %[[F]] {sizes = array<i64: 1, 1, 7>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>} : (tensor<1x1x8xf32>) -> tensor<1x1x7xf32>
// CHECK-NOT: nn.conv_transpose
func.func @stride2(%x: tensor<1x1x3xf32>) -> tensor<1x1x7xf32> {
  %w = nn.constant dense<[[[1.0, 2.0, 3.0]]]> : tensor<1x1x3xf32>
  %b = nn.constant dense<0.5> : tensor<1xf32>
  %y = nn.conv_transpose %x, %w, %b {strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x7xf32>
  return %y : tensor<1x1x7xf32>
}

// -----

// Not rewritten: a filter that is not a constant, and pads so large that
// the input would have to be cropped.
// CHECK-LABEL: func.func @kept(
// CHECK: nn.conv_transpose
// CHECK: nn.conv_transpose
// CHECK-NOT: nn.conv %
func.func @kept(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) -> (tensor<1x1x8xf32>, tensor<1x1x2xf32>) {
  %y = nn.conv_transpose %x, %w {strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x8xf32>
  %c = nn.constant dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>
  %z = nn.conv_transpose %x, %c {strides = array<i64: 2>, pads = array<i64: 3, 3>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x2xf32>
  return %y, %z : tensor<1x1x8xf32>, tensor<1x1x2xf32>
}
