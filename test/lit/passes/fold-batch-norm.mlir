// RUN: kiln-opt %s --kiln-fold-batch-norm --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-fold-batch-norm --split-input-file --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// The filter of output channel f is scaled by s[f] = scale / sqrt(var + eps)
// and the bias becomes (b - mean) * s + shift:
//   f0: s = 2 / sqrt(3 + 1) = 1,   b' = (1 - 1) * 1 + 0.5 = 0.5
//   f1: s = 4 / sqrt(15 + 1) = 1,  b' = (2 - 0) * 1 + 1 = 3
// CHECK-LABEL: func @fold_into_conv
// CHECK-NOT: nn.batch_norm
// CHECK-DAG: %[[W:.*]] = nn.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], [{{\[}}[3.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.*]] = nn.constant dense<[5.000000e-01, 3.000000e+00]> : tensor<2xf32>
// CHECK: nn.conv %arg0, %[[W]], %[[B]]
// The folded convolution is named after both nodes, the convolution first:
// LOC-LABEL: func @fold_into_conv
// LOC: nn.conv {{.*}} loc(#[[FUSED:.*]])
// LOC-DAG: #[[CONV:.*]] = loc("conv")
// LOC-DAG: #[[BN:.*]] = loc("bn")
// LOC-DAG: #[[FUSED]] = loc(fused[#[[CONV]], #[[BN]]])
func.func @fold_into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<[[[[1.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %scale = nn.constant dense<[2.0, 4.0]> : tensor<2xf32>
  %shift = nn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %mean = nn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = nn.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("conv")
  %y = nn.batch_norm %c, %scale, %shift, %mean, %var {epsilon = 1.0 : f64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32> loc("bn")
  return %y : tensor<1x2x4x4xf32>
}

// -----

// A convolution with another use keeps its batch norm.
// CHECK-LABEL: func @conv_with_two_uses
// CHECK: nn.batch_norm
func.func @conv_with_two_uses(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %w = nn.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = nn.constant dense<1.0> : tensor<1xf32>
  %c = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = nn.batch_norm %c, %p, %p, %p, %p : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %y, %c : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----

// Parameters computed at run time cannot be folded.
// CHECK-LABEL: func @runtime_scale
// CHECK: nn.batch_norm
func.func @runtime_scale(%x: tensor<1x1x4x4xf32>, %scale: tensor<1xf32>) -> tensor<1x1x4x4xf32> {
  %w = nn.constant dense<1.0> : tensor<1x1x1x1xf32>
  %p = nn.constant dense<1.0> : tensor<1xf32>
  %c = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = nn.batch_norm %c, %scale, %p, %p, %p : (tensor<1x1x4x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}
