// The upsampling ops (nn.conv_transpose, nn.resize, nn.max_pool_with_indices,
// nn.max_unpool) parse, print, and parse again to the same thing, in the
// custom and in the generic form; their result types are inferred.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s -mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>, %x1: tensor<2x2x5xf32>, %w1: tensor<2x1x4xf32>) {
  // Grouped, strided, with output padding: 2 * (3 - 1) + 1 + 3 - 1 - 1 = 6.
  // CHECK: nn.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %0 = nn.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  // 1-D, dilated; a negative end pad extends the output: 4 + 7 + 2 = 13.
  // CHECK: nn.conv_transpose %{{.*}}, %{{.*}} {dilations = array<i64: 2>, output_padding = array<i64: 0>, pads = array<i64: 0, -2>, strides = array<i64: 1>} : (tensor<2x2x5xf32>, tensor<2x1x4xf32>) -> tensor<2x1x13xf32>
  %1 = nn.conv_transpose %x1, %w1 {strides = array<i64: 1>, pads = array<i64: 0, -2>, dilations = array<i64: 2>, output_padding = array<i64: 0>} : (tensor<2x2x5xf32>, tensor<2x1x4xf32>) -> tensor<2x1x13xf32>
  return
}

// CHECK-LABEL: func.func @resize
func.func @resize(%x: tensor<1x3x4x4xf32>, %u: tensor<1x3x4x4xui8>) {
  // CHECK: nn.resize %{{.*}} {scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>, sizes = array<i64: 1, 3, 8, 8>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  %0 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<align_corners>, mode = #nn.interpolation<linear>, scales = array<f64: 1.000000e+00, 1.000000e+00, 1.500000e+00, 7.500000e-01>, sizes = array<i64: 1, 3, 6, 3>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x3xf32>
  %1 = nn.resize %x {mode = #nn.interpolation<linear>, coordinate_mode = #nn.coordinate_mode<align_corners>, sizes = array<i64: 1, 3, 6, 3>, scales = array<f64: 1.0, 1.0, 1.5, 0.75>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x3xf32>
  // CHECK: nn.resize %{{.*}} {antialias = true, cubic_coeff_a = -5.000000e-01 : f64, exclude_outside = true, mode = #nn.interpolation<cubic>, {{.*}}} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32>
  %2 = nn.resize %x {mode = #nn.interpolation<cubic>, cubic_coeff_a = -0.5 : f64, exclude_outside = true, antialias = true, sizes = array<i64: 1, 3, 2, 2>, scales = array<f64: 1.0, 1.0, 0.5, 0.5>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, extrapolation_value = 1.000000e+01 : f64, roi = array<f64: 0.000000e+00, 0.000000e+00, 4.000000e-01, 6.000000e-01, 1.000000e+00, 1.000000e+00, 6.000000e-01, 8.000000e-01>, {{.*}}} : (tensor<1x3x4x4xf32>) -> tensor<1x3x3x3xf32>
  %3 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, extrapolation_value = 10.0 : f64, roi = array<f64: 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 0.6, 0.8>, sizes = array<i64: 1, 3, 3, 3>, scales = array<f64: 1.0, 1.0, 0.75, 0.75>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x3x3xf32>
  // Nearest takes any element type.
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<simple>, {{.*}}} : (tensor<1x3x4x4xui8>) -> tensor<1x3x8x12xui8>
  %4 = nn.resize %u {nearest_mode = #nn.nearest_mode<simple>, coordinate_mode = #nn.coordinate_mode<asymmetric>, sizes = array<i64: 1, 3, 8, 12>, scales = array<f64: 1.0, 1.0, 2.0, 3.0>} : (tensor<1x3x4x4xui8>) -> tensor<1x3x8x12xui8>
  return
}

// CHECK-LABEL: func.func @pool_unpool
func.func @pool_unpool(%x: tensor<1x2x5x5xf32>) {
  // CHECK: %[[V:[^ ]*]], %[[I:[^ ]*]] = nn.max_pool_with_indices %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  %v, %i = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  // CHECK: nn.max_pool_with_indices %{{.*}} {ceil_mode = true, {{.*}}, storage_order = 1 : i64, {{.*}}} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>)
  %cv, %ci = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true, storage_order = 1 : i64} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xi64>)
  // CHECK: nn.max_unpool %[[V]], %[[I]] {kernel_shape = array<i64: 2, 2>, output_shape = array<i64: 1, 2, 5, 5>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32>
  %u = nn.max_unpool %v, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 5, 5>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32>
  // CHECK: nn.max_unpool %[[V]], %[[I]] {indexed_shape = array<i64: 1, 2, 5, 5>, {{.*}}} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x6x5xf32>
  %u2 = nn.max_unpool %v, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 6, 5>, indexed_shape = array<i64: 1, 2, 5, 5>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x6x5xf32>
  return
}
