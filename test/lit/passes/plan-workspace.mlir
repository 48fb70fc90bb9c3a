// --kiln-plan-workspace: temporaries of the entry function become views into
// one workspace argument, placed by liveness.
// RUN: kiln-opt %s --kiln-plan-workspace -split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-plan-workspace=alignment=16 -split-input-file | FileCheck %s --check-prefix=ALIGN16

// Three 64-byte buffers: a (ops 0-4) and c (ops 5-7) do not overlap and share
// offset 0; b (ops 2-6) overlaps both.
// ALIGN16-LABEL: func.func @main_graph(
// ALIGN16-SAME: attributes {kiln.buffers_size = 192 : i64, kiln.workspace_size = 128 : i64}
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: %[[IN:[^:]*]]: memref<16xf32>, %[[OUT:[^:]*]]: memref<16xf32>, %[[WS:[^:]*]]: memref<128xi8>)
// CHECK-SAME: attributes {kiln.buffers_size = 192 : i64, kiln.workspace_size = 128 : i64}
// CHECK-NOT: memref.alloc
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[IN]] : memref<16xf32>) outs(%[[A]] : memref<16xf32>)
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C64]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// CHECK-NOT: memref.dealloc
// CHECK: %[[C0_2:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C0_2]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.copy ins(%[[B]] : memref<16xf32>) outs(%[[C]] : memref<16xf32>)
// CHECK: linalg.copy ins(%[[C]] : memref<16xf32>) outs(%[[OUT]] : memref<16xf32>)
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @main_graph(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<16xf32>
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  linalg.copy ins(%b : memref<16xf32>) outs(%c : memref<16xf32>)
  memref.dealloc %b : memref<16xf32>
  linalg.copy ins(%c : memref<16xf32>) outs(%out : memref<16xf32>)
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// Two buffers alive at the same time never share bytes; the larger one is
// placed first. Sizes are rounded up to the alignment (64 by default).
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: %{{.*}}: memref<320xi8>) attributes {kiln.buffers_size = 320 : i64, kiln.workspace_size = 320 : i64}
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: memref.view %{{.*}}[%[[C256]]][] : memref<320xi8> to memref<3xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %{{.*}}[%[[C0]]][] : memref<320xi8> to memref<8x8xf32>
// ALIGN16-LABEL: func.func @main_graph(
// ALIGN16-SAME: %{{.*}}: memref<272xi8>) attributes {kiln.buffers_size = 272 : i64, kiln.workspace_size = 272 : i64}
// ALIGN16: %[[C256:.*]] = arith.constant 256 : index
// ALIGN16: memref.view %{{.*}}[%[[C256]]][] : memref<272xi8> to memref<3xf32>
func.func @main_graph(%in: memref<3xf32>, %in2: memref<8x8xf32>, %out: memref<3xf32>, %out2: memref<8x8xf32>) {
  %small = memref.alloc() : memref<3xf32>
  %big = memref.alloc() : memref<8x8xf32>
  linalg.copy ins(%in : memref<3xf32>) outs(%small : memref<3xf32>)
  linalg.copy ins(%in2 : memref<8x8xf32>) outs(%big : memref<8x8xf32>)
  linalg.copy ins(%small : memref<3xf32>) outs(%out : memref<3xf32>)
  linalg.copy ins(%big : memref<8x8xf32>) outs(%out2 : memref<8x8xf32>)
  return
}

// -----

// A use through a view (subview, collapse_shape) or inside a loop keeps the
// buffer alive: %a is used by the loop, so %b cannot take its bytes.
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: attributes {kiln.buffers_size = 128 : i64, kiln.workspace_size = 128 : i64}
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%[[C0]]][] : memref<128xi8> to memref<4x4xf32>
// CHECK: memref.collapse_shape %[[A]]
// CHECK: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%[[C64]]][] : memref<128xi8> to memref<16xf32>
// CHECK: scf.for
func.func @main_graph(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<4x4xf32>
  %flat = memref.collapse_shape %a [[0, 1]] : memref<4x4xf32> into memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%flat : memref<16xf32>)
  %b = memref.alloc() : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%b : memref<16xf32>)
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %row = memref.subview %a[%i, 0] [1, 4] [1, 1] : memref<4x4xf32> to memref<4xf32, strided<[1], offset: ?>>
    %v = memref.load %row[%c0] : memref<4xf32, strided<[1], offset: ?>>
    memref.store %v, %b[%i] : memref<16xf32>
  }
  linalg.copy ins(%b : memref<16xf32>) outs(%out : memref<16xf32>)
  return
}

// -----

// Only the entry function is planned; other functions keep their allocs
// and signatures. With no temporaries, the workspace is one byte and the
// recorded size 0.
// CHECK-LABEL: func.func @helper(%{{.*}}: memref<4xf32>) {
// CHECK: memref.alloc() : memref<4xf32>
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %{{.*}}: memref<1xi8>) attributes {kiln.buffers_size = 0 : i64, kiln.workspace_size = 0 : i64}
func.func @helper(%x: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%a : memref<4xf32>)
  memref.dealloc %a : memref<4xf32>
  return
}
func.func @main_graph(%x: memref<4xf32>) {
  func.call @helper(%x) : (memref<4xf32>) -> ()
  return
}

// -----

// Element types narrower than a byte take a byte per element; i1 buffers too.
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: attributes {kiln.buffers_size = 128 : i64, kiln.workspace_size = 128 : i64}
// CHECK: memref.view %{{.*}} : memref<128xi8> to memref<100xi1>
func.func @main_graph(%in: memref<100xi1>, %out: memref<100xi1>) {
  %a = memref.alloc() : memref<100xi1>
  linalg.copy ins(%in : memref<100xi1>) outs(%a : memref<100xi1>)
  linalg.copy ins(%a : memref<100xi1>) outs(%out : memref<100xi1>)
  return
}
