// --kiln-lower-nn-to-linalg of nn.scatter_elements and nn.scatter_nd: a copy of the input,
// then an scf.for nest over the updates that inserts one element per
// iteration, at the normalized index along the axis.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg --mlir-print-local-scope | FileCheck %s
// Nothing of the nn dialect is left, and the result verifies and reparses.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | kiln-opt | FileCheck %s --check-prefix=NONN
// NONN-NOT: nn.

// Reduction add on axis 0: the old value is read and added to.
// CHECK-LABEL: func.func @scatter_add(
// CHECK: %[[COPY:.*]] = linalg.copy ins(%arg0 : tensor<3x4xf32>)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[COPY]]) -> (tensor<3x4xf32>)
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x4xf32>)
// CHECK: %[[U:.*]] = tensor.extract %arg2[%[[I]], %[[J]]] : tensor<2x4xf32>
// CHECK: %[[RAW:.*]] = tensor.extract %arg1[%[[I]], %[[J]]] : tensor<2x4xi64>
// CHECK: arith.index_cast %[[RAW]] : i64 to index
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.maxsi
// CHECK: %[[K:.*]] = arith.minsi
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]][%[[K]], %[[J]]] : tensor<3x4xf32>
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[U]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[ACC]][%[[K]], %[[J]]] : tensor<3x4xf32>
func.func @scatter_add(%x: tensor<3x4xf32>, %i: tensor<2x4xi64>, %u: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64, reduction = #nn.scatter_reduction<add>} : (tensor<3x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// Reduction none: the update is inserted without reading the old value.
// CHECK-LABEL: func.func @scatter_none(
// CHECK: scf.for
// CHECK: %[[U:.*]] = tensor.extract %arg2[%{{.*}}] : tensor<2xi32>
// CHECK-NOT: tensor.extract %{{.*}} : tensor<5xi32>
// CHECK: tensor.insert %[[U]] into %{{.*}}[%{{.*}}] : tensor<5xi32>
func.func @scatter_none(%x: tensor<5xi32>, %i: tensor<2xi32>, %u: tensor<2xi32>) -> tensor<5xi32> {
  %0 = nn.scatter_elements %x, %i, %u {axis = 0 : i64} : (tensor<5xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// Max on signed integers, min on floats.
// CHECK-LABEL: func.func @scatter_max_min(
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i32
// CHECK: arith.minimumf
func.func @scatter_max_min(%x: tensor<4x2xi32>, %i: tensor<4x1xi64>, %u: tensor<4x1xi32>, %y: tensor<4x2xf32>, %v: tensor<4x1xf32>) -> (tensor<4x2xi32>, tensor<4x2xf32>) {
  %0 = nn.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #nn.scatter_reduction<max>} : (tensor<4x2xi32>, tensor<4x1xi64>, tensor<4x1xi32>) -> tensor<4x2xi32>
  %1 = nn.scatter_elements %y, %i, %v {axis = 1 : i64, reduction = #nn.scatter_reduction<min>} : (tensor<4x2xf32>, tensor<4x1xi64>, tensor<4x1xf32>) -> tensor<4x2xf32>
  return %0, %1 : tensor<4x2xi32>, tensor<4x2xf32>
}

// nn.scatter_nd: the loops run over the updates [2, 4]; the first
// coordinate is the tuple indices[i, 0], the second the loop index j.
// CHECK-LABEL: func.func @scatter_nd(
// CHECK: %[[COPY:.*]] = linalg.copy ins(%arg0 : tensor<3x4xf32>)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[COPY]]) -> (tensor<3x4xf32>)
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x4xf32>)
// CHECK: %[[U:.*]] = tensor.extract %arg2[%[[I]], %[[J]]] : tensor<2x4xf32>
// CHECK: %[[RAW:.*]] = tensor.extract %arg1[%[[I]], %{{.*}}] : tensor<2x1xi64>
// CHECK: arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[K:.*]] = arith.minsi
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]][%[[K]], %[[J]]] : tensor<3x4xf32>
// CHECK: %[[NEW:.*]] = arith.mulf %[[OLD]], %[[U]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[ACC]][%[[K]], %[[J]]] : tensor<3x4xf32>
func.func @scatter_nd(%x: tensor<3x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<3x4xf32> {
  %0 = nn.scatter_nd %x, %i, %u {reduction = #nn.scatter_reduction<mul>} : (tensor<3x4xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// nn.gather_nd with batch_dims 1: a generic over the result [2, 5, 4] that
// reads the tuple indices[b, i, 0] and input[b, t, r].
// CHECK-LABEL: func.func @gather_nd(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<2x5x4xf32>)
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[RAW:.*]] = tensor.extract %arg1[%[[B]], %[[I]], %{{.*}}] : tensor<2x5x1xi64>
// CHECK: arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[T:.*]] = arith.minsi
// CHECK: %[[R:.*]] = linalg.index 2 : index
// CHECK: %[[V:.*]] = tensor.extract %arg0[%[[B]], %[[T]], %[[R]]] : tensor<2x3x4xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather_nd(%x: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>) -> tensor<2x5x4xf32> {
  %0 = nn.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x1xi64>) -> tensor<2x5x4xf32>
  return %0 : tensor<2x5x4xf32>
}
