// The enum attributes of the nn dialect: every case of every enum parses,
// prints as #nn.<enum><case> (defaults are elided), and parses again, in the
// custom and in the generic op form.
// RUN: kiln-opt %s -split-input-file | kiln-opt -split-input-file | FileCheck %s
// RUN: kiln-opt %s -split-input-file -mlir-print-op-generic | kiln-opt -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @round_mode
func.func @round_mode(%x: tensor<4xf32>) {
  // CHECK: nn.cast %{{.*}} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  %0 = nn.cast %x {round_mode = #nn.round_mode<up>} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  // CHECK: nn.cast %{{.*}} {round_mode = #nn.round_mode<down>} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  %1 = nn.cast %x {round_mode = #nn.round_mode<down>} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  // CHECK: nn.cast %{{.*}} {round_mode = #nn.round_mode<nearest>} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  %2 = nn.cast %x {round_mode = #nn.round_mode<nearest>} : (tensor<4xf32>) -> tensor<4xf8E8M0FNU>
  return
}

// -----

// CHECK-LABEL: func.func @reduce_kind
func.func @reduce_kind(%x: tensor<2x3xf32>) {
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<sum>}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<sum>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<mean>}
  %1 = nn.reduce %x {kind = #nn.reduce_kind<mean>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<max>}
  %2 = nn.reduce %x {kind = #nn.reduce_kind<max>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<min>}
  %3 = nn.reduce %x {kind = #nn.reduce_kind<min>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<prod>}
  %4 = nn.reduce %x {kind = #nn.reduce_kind<prod>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<l1>}
  %5 = nn.reduce %x {kind = #nn.reduce_kind<l1>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<l2>}
  %6 = nn.reduce %x {kind = #nn.reduce_kind<l2>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<log_sum>}
  %7 = nn.reduce %x {kind = #nn.reduce_kind<log_sum>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<log_sum_exp>}
  %8 = nn.reduce %x {kind = #nn.reduce_kind<log_sum_exp>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, kind = #nn.reduce_kind<sum_square>}
  %9 = nn.reduce %x {kind = #nn.reduce_kind<sum_square>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// CHECK-LABEL: func.func @arg_reduce_kind
func.func @arg_reduce_kind(%x: tensor<2x3xf32>) {
  // CHECK: nn.arg_reduce %{{.*}} {axis = 1 : i64, kind = #nn.arg_reduce_kind<max>}
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  // CHECK: nn.arg_reduce %{{.*}} {axis = 1 : i64, kind = #nn.arg_reduce_kind<min>}
  %1 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<min>, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

// CHECK-LABEL: func.func @pad_mode
func.func @pad_mode(%x: tensor<2x3xf32>) {
  // CHECK: nn.pad %{{.*}} {pads = array<i64: 0, 1, 0, 1>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.pad_mode<constant>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  // CHECK: nn.pad %{{.*}} {mode = #nn.pad_mode<reflect>, pads = array<i64: 0, 1, 0, 1>}
  %1 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  // CHECK: nn.pad %{{.*}} {mode = #nn.pad_mode<edge>, pads = array<i64: 0, 1, 0, 1>}
  %2 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.pad_mode<edge>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

// One enum serves both scatter ops.
// CHECK-LABEL: func.func @scatter_reduction
func.func @scatter_reduction(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>, %j: tensor<2x1xi64>) {
  // CHECK: nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} :
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<none>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  // CHECK: nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, reduction = #nn.scatter_reduction<add>}
  %1 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<add>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  // CHECK: nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, reduction = #nn.scatter_reduction<mul>}
  %2 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<mul>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  // CHECK: nn.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = #nn.scatter_reduction<max>}
  %3 = nn.scatter_nd %x, %j, %u {reduction = #nn.scatter_reduction<max>} : (tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  // CHECK: nn.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = #nn.scatter_reduction<min>}
  %4 = nn.scatter_nd %x, %j, %u {reduction = #nn.scatter_reduction<min>} : (tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// One enum serves grid_sample and resize.
// CHECK-LABEL: func.func @grid_sample_modes
func.func @grid_sample_modes(%img: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) {
  // CHECK: nn.grid_sample %{{.*}}, %{{.*}} {mode = #nn.interpolation<nearest>, padding_mode = #nn.grid_padding<border>}
  %0 = nn.grid_sample %img, %g {mode = #nn.interpolation<nearest>, padding_mode = #nn.grid_padding<border>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  // CHECK: nn.grid_sample %{{.*}}, %{{.*}} {mode = #nn.interpolation<cubic>, padding_mode = #nn.grid_padding<reflection>}
  %1 = nn.grid_sample %img, %g {mode = #nn.interpolation<cubic>, padding_mode = #nn.grid_padding<reflection>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  // CHECK: nn.grid_sample %{{.*}}, %{{.*}} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>)
  %2 = nn.grid_sample %img, %g {mode = #nn.interpolation<linear>, padding_mode = #nn.grid_padding<zeros>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

// CHECK-LABEL: func.func @roi_align_mode
func.func @roi_align_mode(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>) {
  // CHECK: nn.roi_align %{{.*}}, %{{.*}}, %{{.*}} {output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 1 : i64}
  %0 = nn.roi_align %x, %rois, %b {mode = #nn.roi_align_mode<avg>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 1 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  // CHECK: nn.roi_align %{{.*}}, %{{.*}}, %{{.*}} {mode = #nn.roi_align_mode<max>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 1 : i64}
  %1 = nn.roi_align %x, %rois, %b {mode = #nn.roi_align_mode<max>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 1 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return
}

// -----

// CHECK-LABEL: func.func @resize_modes
func.func @resize_modes(%x: tensor<1x1x2x2xf32>) {
  // CHECK: nn.resize %{{.*}} {mode = #nn.interpolation<linear>, scales
  %0 = nn.resize %x {mode = #nn.interpolation<linear>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<half_pixel_symmetric>, nearest_mode = #nn.nearest_mode<round_prefer_ceil>, scales
  %1 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<half_pixel_symmetric>, nearest_mode = #nn.nearest_mode<round_prefer_ceil>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<pytorch_half_pixel>, nearest_mode = #nn.nearest_mode<floor>, scales
  %2 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<pytorch_half_pixel>, nearest_mode = #nn.nearest_mode<floor>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<align_corners>, nearest_mode = #nn.nearest_mode<ceil>, scales
  %3 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<align_corners>, nearest_mode = #nn.nearest_mode<ceil>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<simple>, scales
  %4 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<simple>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<tf_half_pixel_for_nn>, mode = #nn.interpolation<cubic>, scales
  %5 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<tf_half_pixel_for_nn>, mode = #nn.interpolation<cubic>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // CHECK: nn.resize %{{.*}} {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi
  %6 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  // The defaults (nearest, half_pixel, round_prefer_floor) are elided.
  // CHECK: nn.resize %{{.*}} {scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>, sizes = array<i64: 1, 1, 4, 4>}
  %7 = nn.resize %x {mode = #nn.interpolation<nearest>, coordinate_mode = #nn.coordinate_mode<half_pixel>, nearest_mode = #nn.nearest_mode<round_prefer_floor>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}
