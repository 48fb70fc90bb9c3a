// An enum attribute with an unknown case (the error lists the cases), one of
// another enum, or the old string form is rejected.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @unknown_case(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{expected ::kiln::nn::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse NN_PadModeAttr parameter 'value' which is to be a `::kiln::nn::PadMode`}}
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.pad_mode<wrap>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @unknown_enum(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{unknown attribute `padding` in dialect `nn`}}
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.padding<edge>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @other_enum(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{'nn.resize' op attribute 'mode' failed to satisfy constraint: interpolation between input samples}}
  %0 = nn.resize %x {mode = #nn.pad_mode<edge>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @string_form(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.reduce' op attribute 'kind' failed to satisfy constraint: reduction of nn.reduce}}
  %0 = nn.reduce %x {kind = "sum", axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @missing_angle(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{expected '<'}}
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}
