// RUN: kiln-opt %s --kiln-plan-workspace --split-input-file --verify-diagnostics | FileCheck %s

// A temporary inside a parallel loop gets one copy per thread, on the
// thread's stack, instead of a shared workspace slot.
// CHECK-LABEL: func @main_graph
// CHECK: scf.forall
// CHECK:   memref.alloca() : memref<16xf32>
// CHECK-NOT: memref.alloc(
func.func @main_graph(%out: memref<2x16xf32>) {
  scf.forall (%i) in (2) {
    %tmp = memref.alloc() : memref<16xf32>
    %row = memref.subview %out[%i, 0] [1, 16] [1, 1] : memref<2x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.copy %tmp, %row : memref<16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.dealloc %tmp : memref<16xf32>
  }
  return
}

// -----

// One too large for a stack is an error, not a race on a shared buffer.
func.func @main_graph(%out: memref<2x16xf32>) {
  scf.forall (%i) in (2) {
    // expected-error @+1 {{inside a parallel loop is too large}}
    %tmp = memref.alloc() : memref<1048576xf32>
  }
  return
}
