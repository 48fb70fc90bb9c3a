// nn.scatter_elements, nn.scatter_nd and nn.gather_nd parse, print, and parses again to the same thing, in
// the custom and in the generic form; their result types are inferred.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s -mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @scatter_elements
func.func @scatter_elements(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>, %y: tensor<5xi32>, %j: tensor<2xi32>, %v: tensor<2xi32>) {
  // CHECK: nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64, reduction = #nn.scatter_reduction<add>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<add>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  // The default reduction (none) is not printed.
  // CHECK: nn.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<5xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<5xi32>
  %1 = nn.scatter_elements %y, %j, %v {axis = 0 : i64, reduction = #nn.scatter_reduction<none>} : (tensor<5xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<5xi32>
  return
}

// CHECK-LABEL: func.func @scatter_nd
func.func @scatter_nd(%x: tensor<4x4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4x4xf32>, %j: tensor<3x2xi64>, %v: tensor<3x4xf32>) {
  // CHECK: nn.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = #nn.scatter_reduction<mul>} : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
  %0 = nn.scatter_nd %x, %i, %u {reduction = #nn.scatter_reduction<mul>} : (tensor<4x4x4xf32>, tensor<2x1xi64>, tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
  // CHECK: nn.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x4x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<4x4x4xf32>
  %1 = nn.scatter_nd %x, %j, %v : (tensor<4x4x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<4x4x4xf32>
  return
}

// CHECK-LABEL: func.func @gather_nd
func.func @gather_nd(%x: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>, %j: tensor<6x2xi32>) {
  // CHECK: nn.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x1xi64>) -> tensor<2x5x4xf32>
  %0 = nn.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x1xi64>) -> tensor<2x5x4xf32>
  // CHECK: nn.gather_nd %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<6x2xi32>) -> tensor<6x4xf32>
  %1 = nn.gather_nd %x, %j : (tensor<2x3x4xf32>, tensor<6x2xi32>) -> tensor<6x4xf32>
  return
}
