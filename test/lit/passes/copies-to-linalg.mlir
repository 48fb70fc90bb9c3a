// --kiln-copies-to-linalg: memref.copy becomes linalg.copy, so that strided
// copies lower to loops instead of calls into MLIR's runner library.
// RUN: kiln-opt %s --kiln-copies-to-linalg | FileCheck %s
// RUN: kiln-opt %s --kiln-copies-to-linalg --kiln-cpu-to-llvm | FileCheck %s --check-prefix=LLVM
// Without the pass, the upstream lowering of a non-contiguous copy is a call.
// RUN: kiln-opt %s --finalize-memref-to-llvm | FileCheck %s --check-prefix=UPSTREAM
// UPSTREAM: llvm.call @memrefCopy

// CHECK-LABEL: func.func @strided(
// CHECK-SAME: %[[SRC:.*]]: memref<1x4x4xf32>, %[[DST:.*]]: memref<1x8x8xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[DST]][0, 4, 0] [1, 4, 4] [1, 1, 1]
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<1x4x4xf32>) outs(%[[SUB]] : memref<1x4x4xf32, strided<[64, 8, 1], offset: 32>>)
// CHECK-NOT: memref.copy
// LLVM-LABEL: llvm.func @strided(
// LLVM-NOT: memrefCopy
// LLVM-NOT: llvm.call
// LLVM: llvm.return
func.func @strided(%src: memref<1x4x4xf32>, %dst: memref<1x8x8xf32>) {
  %sub = memref.subview %dst[0, 4, 0] [1, 4, 4] [1, 1, 1] : memref<1x8x8xf32> to memref<1x4x4xf32, strided<[64, 8, 1], offset: 32>>
  memref.copy %src, %sub : memref<1x4x4xf32> to memref<1x4x4xf32, strided<[64, 8, 1], offset: 32>>
  return
}

// Copies in nested regions are converted too, each one.
// CHECK-LABEL: func.func @nested(
// CHECK: scf.for
// CHECK: linalg.copy ins(%{{.*}} : memref<4xi8>) outs(%{{.*}} : memref<4xi8>)
// CHECK: linalg.copy ins(%{{.*}} : memref<4xi8>) outs(%{{.*}} : memref<4xi8>)
// CHECK-NOT: memref.copy
// LLVM-LABEL: llvm.func @nested(
// LLVM-NOT: memrefCopy
func.func @nested(%a: memref<4xi8>, %b: memref<4xi8>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.copy %a, %b : memref<4xi8> to memref<4xi8>
    memref.copy %b, %a : memref<4xi8> to memref<4xi8>
  }
  return
}
