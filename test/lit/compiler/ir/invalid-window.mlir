// Pooling windows and filters with a non-positive extent must be rejected.
//
// Regression test, was a bug: the shape inference of nn.max_pool / nn.avg_pool (inferPool) and of
// nn.conv checks strides, dilations and pads but not the kernel extents
// (verifyWindow in compiler/ir/NNOps.cpp): a kernel_shape of 0 or -2, or a
// filter with a spatial extent of 0, is accepted and the inferred output is
// *larger* than the input (8x8 -> 9x9), which the lowering then computes
// from an empty window. The ONNX importer lets such a model through, too.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @pool_kernel_zero(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{kernel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_pool %x {kernel_shape = array<i64: 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x9x9xf32>
  return
}

// -----

func.func @pool_kernel_negative(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{kernel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64: -2, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x11x6xf32>
  return
}

// -----

func.func @conv_filter_empty(%x: tensor<1x4x8x8xf32>, %w: tensor<2x4x0x3xf32>) {
  // expected-error @+2 {{filter}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<2x4x0x3xf32>) -> tensor<1x2x9x6xf32>
  return
}
