// RUN: kiln-opt %s --kiln-outline-kernels --split-input-file | FileCheck %s

// Each top-level loop nest moves into a private noinline function (placed
// before its caller); views stay in the caller and are passed, scalar
// constants are cloned.
// CHECK: func.func private @graph_kernel0(%{{.*}}: memref<4x8xf32>) attributes {kiln.kernel, passthrough = ["noinline"]}
// CHECK:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   linalg.fill ins(%[[ZERO]] : f32)
// CHECK:   return
// CHECK: func.func private @graph_kernel1(%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>) attributes {kiln.kernel, passthrough = ["noinline"]}
// CHECK:   arith.constant 2.000000e+00 : f32
// CHECK:   linalg.generic
// CHECK:     arith.mulf
// CHECK: func.func private @graph_kernel2(
// CHECK:   scf.forall
// CHECK-LABEL: func.func @graph(
// CHECK-SAME: %[[X:.*]]: memref<4x8xf32>, %[[Y:.*]]: memref<4x8xf32>, %[[WS:.*]]: memref<128xi8>)
// CHECK: %[[T:.*]] = memref.view %[[WS]]
// CHECK: call @graph_kernel0(%[[T]]) : (memref<4x8xf32>) -> ()
// CHECK: call @graph_kernel1(%[[X]], %[[T]]) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
// CHECK: %[[SUB:.*]] = memref.subview %[[Y]][0, 0] [4, 4] [1, 1]
// CHECK: call @graph_kernel2(%[[T]], %[[SUB]]) : (memref<4x8xf32>, memref<4x4xf32, strided<[8, 1]>>) -> ()
// CHECK: return
func.func @graph(%x: memref<4x8xf32>, %y: memref<4x8xf32>, %ws: memref<128xi8>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %t = memref.view %ws[%c0][] : memref<128xi8> to memref<4x8xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<4x8xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %m = arith.mulf %a, %two : f32
    linalg.yield %m : f32
  }
  %sub = memref.subview %y[0, 0] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  scf.forall (%i) in (4) {
    %row = memref.subview %t[%i, 0] [1, 4] [1, 1] : memref<4x8xf32> to memref<4xf32, strided<[1], offset: ?>>
    %out = memref.subview %sub[%i, 0] [1, 4] [1, 1] : memref<4x4xf32, strided<[8, 1]>> to memref<4xf32, strided<[1], offset: ?>>
    memref.copy %row, %out : memref<4xf32, strided<[1], offset: ?>> to memref<4xf32, strided<[1], offset: ?>>
  }
  return
}

// -----

// A nest using a memref of dynamic offset stays in place (the bare-pointer
// convention cannot pass it); one nest alone is not outlined.
// CHECK-LABEL: func.func @dynamic(
// CHECK-NOT: call
// CHECK: linalg.fill
// CHECK: linalg.fill
// CHECK-NOT: call
// CHECK-LABEL: func.func @single(
// CHECK-NOT: call
// CHECK: linalg.fill
func.func @dynamic(%x: memref<8xf32>, %i: index) {
  %zero = arith.constant 0.0 : f32
  %v = memref.subview %x[%i] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: ?>>
  linalg.fill ins(%zero : f32) outs(%v : memref<4xf32, strided<[1], offset: ?>>)
  linalg.fill ins(%zero : f32) outs(%v : memref<4xf32, strided<[1], offset: ?>>)
  return
}
func.func @single(%x: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%x : memref<8xf32>)
  return
}
