// RUN: kiln-opt %s --canonicalize -split-input-file | FileCheck %s

// A dense block: every layer concatenates all earlier features. Each
// concatenation reuses the longest earlier one that is its prefix.
// CHECK-LABEL: func @dense_block
// CHECK: %[[C1:.*]] = nn.concat %arg0, %arg1 {axis = 1 : i64}
// CHECK: %[[C2:.*]] = nn.concat %[[C1]], %arg2 {axis = 1 : i64}
// CHECK: %[[C3:.*]] = nn.concat %[[C2]], %arg3 {axis = 1 : i64}
// CHECK: return %[[C1]], %[[C2]], %[[C3]]
func.func @dense_block(%x0: tensor<1x4x2x2xf32>, %x1: tensor<1x2x2x2xf32>, %x2: tensor<1x2x2x2xf32>, %x3: tensor<1x2x2x2xf32>) -> (tensor<1x6x2x2xf32>, tensor<1x8x2x2xf32>, tensor<1x10x2x2xf32>) {
  %c1 = nn.concat %x0, %x1 {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x6x2x2xf32>
  %c2 = nn.concat %x0, %x1, %x2 {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x8x2x2xf32>
  %c3 = nn.concat %x0, %x1, %x2, %x3 {axis = 1 : i64} : (tensor<1x4x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x10x2x2xf32>
  return %c1, %c2, %c3 : tensor<1x6x2x2xf32>, tensor<1x8x2x2xf32>, tensor<1x10x2x2xf32>
}

// -----

// Not a prefix: another axis, other inputs, or the same inputs in another
// order.
// CHECK-LABEL: func @not_prefix
// CHECK: nn.concat %arg0, %arg1 {axis = 0 : i64}
// CHECK: nn.concat %arg0, %arg1, %arg1 {axis = 1 : i64}
// CHECK: nn.concat %arg1, %arg0 {axis = 1 : i64}
// CHECK: nn.concat %arg0, %arg0, %arg1 {axis = 1 : i64}
func.func @not_prefix(%a: tensor<1x2xf32>, %b: tensor<1x2xf32>) -> (tensor<2x2xf32>, tensor<1x6xf32>, tensor<1x4xf32>, tensor<1x6xf32>) {
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<2x2xf32>
  %1 = nn.concat %a, %b, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x6xf32>
  %2 = nn.concat %b, %a {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %3 = nn.concat %a, %a, %b {axis = 1 : i64} : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x6xf32>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<1x6xf32>, tensor<1x4xf32>, tensor<1x6xf32>
}
