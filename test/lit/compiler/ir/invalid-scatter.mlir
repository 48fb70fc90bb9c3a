// Verifier and shape-inference errors of nn.scatter_elements, nn.scatter_nd
// and nn.gather_nd.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @scatter_updates_shape(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x3xf32>) {
  // expected-error @+2 {{updates must have the indices' shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_rank(%x: tensor<3x4xf32>, %i: tensor<8xi64>, %u: tensor<8xf32>) {
  // expected-error @+2 {{indices must have the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<3x4xf32>, tensor<8xi64>, tensor<8xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_axis(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 2 : i64} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_reduction(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::ScatterReduction to be one of: none, add, mul, max, min}}
  // expected-error @+1 {{failed to parse NN_ScatterReductionAttr parameter 'value' which is to be a `::kiln::nn::ScatterReduction`}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<sum>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_extent(%x: tensor<3x4xf32>, %i: tensor<2x5xi64>, %u: tensor<2x5xf32>) {
  // expected-error @+2 {{indices dimension 1 exceeds the input's}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<3x4xf32>, tensor<2x5xi64>, tensor<2x5xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+2 {{updates must have shape indices[:-1] + input[k:]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_nd %x, %i, %u : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x4x4xf32>
  return
}

// -----

func.func @scatter_nd_tuple(%x: tensor<4x4xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{index tuples of length 3 do not fit the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.scatter_nd %x, %i, %u : (tensor<4x4xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @scatter_nd_reduction(%x: tensor<4x4xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::ScatterReduction to be one of: none, add, mul, max, min}}
  // expected-error @+1 {{failed to parse NN_ScatterReductionAttr parameter 'value' which is to be a `::kiln::nn::ScatterReduction`}}
  %0 = nn.scatter_nd %x, %i, %u {reduction = #nn.scatter_reduction<prod>} : (tensor<4x4xf32>, tensor<2x2xi64>, tensor<2xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @gather_nd_batch(%x: tensor<2x3x4xf32>, %i: tensor<3x5x1xi64>) {
  // expected-error @+2 {{batch dimension 0 differs between input and indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x5x1xi64>) -> tensor<3x5x4xf32>
  return
}

// -----

func.func @gather_nd_tuple(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+2 {{index tuples of length 3 do not fit the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x3xi64>) -> tensor<2xf32>
  return
}
