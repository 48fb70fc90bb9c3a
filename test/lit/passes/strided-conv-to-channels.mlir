// RUN: kiln-opt %s --kiln-strided-conv-to-channels --split-input-file | FileCheck %s

// A narrow 3x3 stride-2 convolution becomes a stride-1 2x2 convolution over
// the four spatial phases of the padded input, as channels (c, ph, pw).
// Output 4x4 needs phase planes of 4 + 2 - 1 = 5 rows: padded 10x10.
// CHECK-LABEL: func @stride2_3x3
// CHECK-DAG: %[[W:.*]] = nn.constant {{.*}} : tensor<3x8x2x2xf32>
// CHECK-DAG: %[[PAD:.*]] = nn.pad %arg0 {{.*}}pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>{{.*}} -> tensor<1x2x10x10xf32>
// CHECK: %[[SPLIT:.*]] = nn.reshape %[[PAD]] : (tensor<1x2x10x10xf32>) -> tensor<1x2x5x2x5x2xf32>
// CHECK: %[[PH:.*]] = nn.transpose %[[SPLIT]] {perm = array<i64: 0, 1, 3, 5, 2, 4>}
// CHECK: %[[X:.*]] = nn.reshape %[[PH]] : (tensor<1x2x2x2x5x5xf32>) -> tensor<1x8x5x5xf32>
// CHECK: nn.conv %[[X]], %[[W]] {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x5x5xf32>, tensor<3x8x2x2xf32>) -> tensor<1x3x4x4xf32>
func.func @stride2_3x3(%x: tensor<1x2x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %w = nn.constant dense<1.0> : tensor<3x2x3x3xf32>
  %y = nn.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x4x4xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// The phase filter holds w[f, c, 2a + ph, 2b + pw] and zeros past the
// kernel: for a 3x3 kernel 0..8, phase (0, 0) is [[0, 2], [6, 8]], phase
// (1, 1) is [[4, 0], [0, 0]].
// CHECK-LABEL: func @phase_filter
// CHECK: nn.constant dense<{{\[}}[{{\[}}[0.000000e+00, 2.000000e+00], [6.000000e+00, 8.000000e+00]], {{\[}}[1.000000e+00, 0.000000e+00], [7.000000e+00, 0.000000e+00]], {{\[}}[3.000000e+00, 5.000000e+00], [0.000000e+00, 0.000000e+00]], {{\[}}[4.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00]]]]> : tensor<1x4x2x2xf32>
func.func @phase_filter(%x: tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32> {
  %w = nn.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]]]> : tensor<1x1x3x3xf32>
  %y = nn.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x1x8x8xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// A 1x1 stride-2 convolution subsamples, then convolves with stride 1.
// CHECK-LABEL: func @stride2_1x1
// CHECK: %[[S:.*]] = nn.slice %arg0 {sizes = array<i64: 1, 4, 4, 4>, starts = array<i64: 0, 0, 0, 0>, steps = array<i64: 1, 1, 2, 2>}
// CHECK: nn.conv %[[S]], %{{.*}} {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
func.func @stride2_1x1(%x: tensor<1x4x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<1.0> : tensor<2x4x1x1xf32>
  %y = nn.conv %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Wide outputs, runtime filters and grouped convolutions are left alone.
// CHECK-LABEL: func @left_alone
// CHECK-COUNT-3: strides = array<i64: 2, 2>
func.func @left_alone(%x: tensor<1x2x64x64xf32>, %w: tensor<2x2x3x3xf32>, %d: tensor<2x1x3x3xf32>) -> (tensor<1x2x32x32xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %c = nn.constant dense<1.0> : tensor<2x2x3x3xf32>
  %wide = nn.conv %x, %c {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x64x64xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x32x32xf32>
  %s = nn.slice %x {starts = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 8, 8>, steps = array<i64: 1, 1, 1, 1>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x8x8xf32>
  %runtime = nn.conv %s, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x2x8x8xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %dw = nn.constant dense<1.0> : tensor<2x1x3x3xf32>
  %grouped = nn.conv %s, %dw {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x8x8xf32>, tensor<2x1x3x3xf32>) -> tensor<1x2x4x4xf32>
  return %wide, %runtime, %grouped : tensor<1x2x32x32xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
