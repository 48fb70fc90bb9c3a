// Verifier and shape-inference errors of nn.conv_transpose, nn.resize,
// nn.max_pool_with_indices and nn.max_unpool.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @conv_transpose_channels(%x: tensor<1x4x3x3xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{filter expects 3 input channels, input has 4}}
  // expected-error @+1 {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_group(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{group 3 does not divide the input channels}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 3 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x6x5x5xf32>
  return
}

// -----

func.func @conv_transpose_attrs(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{expected 2 strides, dilations and output_padding and 4 pads}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_stride(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{strides and dilations must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{output_padding must not be negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: -1, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x4x5xf32>
  return
}

// -----

func.func @conv_transpose_cropped_away(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{output extent 0 on spatial axis 0 is not positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 3, 0, 2, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x0x5xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{bias must have one value per output channel (2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_result(%x: tensor<1x4x3x3xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x2x5x5xf32>' are incompatible with return type(s) of operation 'tensor<1x2x6x6xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x4x3x3xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @resize_rank(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{sizes and scales need one entry per axis}}
  // expected-error @+1 {{'nn.resize' op failed to infer returned types}}
  %0 = nn.resize %x {sizes = array<i64: 8, 8>, scales = array<f64: 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<8x8xf32>
  return
}

// -----

func.func @resize_scale(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{scales must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 0.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_size(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{sizes must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {sizes = array<i64: 1, 3, 0, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x0x8xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x3x4x4xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::InterpolationMode to be one of: nearest, linear, cubic}}
  // expected-error @+1 {{failed to parse NN_InterpolationModeAttr parameter 'value' which is to be a `::kiln::nn::InterpolationMode`}}
  %0 = nn.resize %x {mode = #nn.interpolation<bilinear>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_linear_int(%x: tensor<1x3x4x4xi32>) {
  // expected-error @+2 {{linear resize takes floating-point tensors}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {mode = #nn.interpolation<linear>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xi32>) -> tensor<1x3x8x8xi32>
  return
}

// -----

func.func @resize_coordinate_mode(%x: tensor<1x3x4x4xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::CoordinateMode to be one of: half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn, tf_crop_and_resize}}
  // expected-error @+1 {{failed to parse NN_CoordinateModeAttr parameter 'value' which is to be a `::kiln::nn::CoordinateMode`}}
  %0 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<half>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x3x4x4xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::NearestMode to be one of: round_prefer_floor, round_prefer_ceil, floor, ceil, simple}}
  // expected-error @+1 {{failed to parse NN_NearestModeAttr parameter 'value' which is to be a `::kiln::nn::NearestMode`}}
  %0 = nn.resize %x {nearest_mode = #nn.nearest_mode<round>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_crop_without_roi(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{tf_crop_and_resize needs a roi}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_roi_size(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{roi needs 8 entries}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, 1.0>, sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_result(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x3x8x8xf32>' are incompatible with return type(s) of operation 'tensor<1x3x8x9xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x9xf32>
  return
}

// -----

func.func @max_pool_with_indices_order(%x: tensor<1x2x5x5xf32>) {
  // expected-error @+2 {{storage_order must be 0 or 1}}
  // expected-error @+1 {{'nn.max_pool_with_indices' op failed to infer returned types}}
  %v, %i = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, storage_order = 2 : i64} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  return
}

// -----

func.func @max_pool_with_indices_type(%x: tensor<1x2x5x5xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x2x2x2xf32>', 'tensor<1x2x2x2xi64>' are incompatible with return type(s) of operation 'tensor<1x2x2x2xf32>', 'tensor<1x2x2x2xi32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi32>)
  return
}

// -----

func.func @max_unpool_indices(%x: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x3xi64>) {
  // expected-error @+2 {{indices must be integers of the input's shape}}
  // expected-error @+1 {{'nn.max_unpool' op failed to infer returned types}}
  %0 = nn.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 4, 4>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x3xi64>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @max_unpool_output_shape(%x: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) {
  // expected-error @+2 {{output_shape extent 3 on spatial axis 1 is smaller than the unpooled extent 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 4, 3>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x4x3xf32>
  return
}

// -----

func.func @max_unpool_channels(%x: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) {
  // expected-error @+2 {{output_shape must keep the batch and channel extents}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 3, 4, 4>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @max_unpool_window(%x: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) {
  // expected-error @+2 {{kernel extents and strides must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_unpool %x, %i {kernel_shape = array<i64: 0, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 4, 4>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @max_unpool_indexed_shape(%x: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) {
  // expected-error @+2 {{indexed_shape extent 5 on spatial axis 1 is not in [1, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_unpool %x, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 5, 4>, indexed_shape = array<i64: 1, 2, 5, 5>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x5x4xf32>
  return
}
