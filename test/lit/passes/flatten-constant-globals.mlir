// RUN: kiln-opt %s --kiln-flatten-constant-globals --split-input-file | FileCheck %s

// A rank-4 constant global becomes rank 1; its reader views it back.
// CHECK-LABEL: module
// CHECK: memref.global "private" constant @w : memref<8xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]> {alignment = 64 : i64}
// CHECK: func.func @f() -> memref<2x1x2x2xf32>
// CHECK:   %[[FLAT:.*]] = memref.get_global @w : memref<8xf32>
// CHECK:   %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [2, 1, 2, 2] : memref<8xf32> into memref<2x1x2x2xf32>
// CHECK:   return %[[VIEW]]
module {
  memref.global "private" constant @w : memref<2x1x2x2xf32> = dense<[[[[1.0, 2.0], [3.0, 4.0]]], [[[5.0, 6.0], [7.0, 8.0]]]]> {alignment = 64 : i64}
  func.func @f() -> memref<2x1x2x2xf32> {
    %0 = memref.get_global @w : memref<2x1x2x2xf32>
    return %0 : memref<2x1x2x2xf32>
  }
}

// -----

// Splats are flattened too; mutable, rank-1 and uninitialized globals are
// left alone.
// CHECK-LABEL: module
// CHECK-DAG: memref.global "private" constant @splat : memref<6xf32> = dense<5.000000e-01>
// CHECK-DAG: memref.global "private" constant @vector : memref<3xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK-DAG: memref.global "private" @state : memref<2x2xf32> = dense<0.000000e+00>
// CHECK-DAG: memref.global "private" @scratch : memref<2x2xf32> = uninitialized
// CHECK: memref.get_global @splat : memref<6xf32>
// CHECK: memref.expand_shape {{.*}} output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK: memref.get_global @vector : memref<3xf32>
// CHECK: memref.get_global @state : memref<2x2xf32>
// CHECK: memref.get_global @scratch : memref<2x2xf32>
module {
  memref.global "private" constant @splat : memref<2x3xf32> = dense<0.5>
  memref.global "private" constant @vector : memref<3xf32> = dense<[1.0, 2.0, 3.0]>
  memref.global "private" @state : memref<2x2xf32> = dense<0.0>
  memref.global "private" @scratch : memref<2x2xf32> = uninitialized
  func.func @g() -> (memref<2x3xf32>, memref<3xf32>, memref<2x2xf32>, memref<2x2xf32>) {
    %0 = memref.get_global @splat : memref<2x3xf32>
    %1 = memref.get_global @vector : memref<3xf32>
    %2 = memref.get_global @state : memref<2x2xf32>
    %3 = memref.get_global @scratch : memref<2x2xf32>
    return %0, %1, %2, %3 : memref<2x3xf32>, memref<3xf32>, memref<2x2xf32>, memref<2x2xf32>
  }
}
