// Verifier and shape-inference errors of nn.top_k, nn.einsum, nn.det,
// nn.cumprod, nn.bitcast, nn.grid_sample and nn.roi_align.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @top_k_too_many(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{k = 5 is not in [0, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = nn.top_k %x {axis = 1 : i64, k = 5 : i64} : (tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  return
}

// -----

func.func @top_k_axis(%x: tensor<3x4xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = nn.top_k %x {axis = 2 : i64, k = 1 : i64} : (tensor<3x4xf32>) -> (tensor<3x1xf32>, tensor<3x1xi64>)
  return
}

// -----

func.func @einsum_implicit(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{is not an explicit einsum}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.einsum %a {equation = "ij"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_extents(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{letter 'j' has extents 3 and 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @einsum_rank(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{term 'ijk' has 3 letters for an operand of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.einsum %a {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_output_letter(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{output letter 'k' is in no input term}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.einsum %a {equation = "ij->k"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @det_not_square(%m: tensor<2x3x4xf32>) {
  // expected-error @+2 {{input must be [..., M, M]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.det %m : (tensor<2x3x4xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @cumprod_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{axis 1 out of range for rank 1}}
  %0 = nn.cumprod %x {axis = 1 : i64} : tensor<4xf32>
  return
}

// -----

func.func @bitcast_width(%x: tensor<4xi32>) {
  // expected-error @+1 {{element types 'i32' and 'f16' differ in bit width}}
  %0 = nn.bitcast %x : (tensor<4xi32>) -> tensor<4xf16>
  return
}

// -----

func.func @grid_sample_mode(%img: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::InterpolationMode to be one of: nearest, linear, cubic}}
  // expected-error @+1 {{failed to parse NN_InterpolationModeAttr parameter 'value' which is to be a `::kiln::nn::InterpolationMode`}}
  %0 = nn.grid_sample %img, %g {mode = #nn.interpolation<bilinear>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @grid_sample_grid(%img: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x3xf32>) {
  // expected-error @+2 {{grid must be [N, spatial..., 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.grid_sample %img, %g : (tensor<1x2x4x4xf32>, tensor<1x3x3x3xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @roi_align_rois(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x5xf32>, %b: tensor<3xi64>) {
  // expected-error @+2 {{rois must be a float [R, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.roi_align %x, %rois, %b {output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 2 : i64} : (tensor<1x2x8x8xf32>, tensor<3x5xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return
}

// -----

func.func @roi_align_ratio(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>) {
  // expected-error @+2 {{sampling_ratio must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.roi_align %x, %rois, %b {output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 0 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return
}
