// The entry option names the function whose buffers are planned.
// RUN: kiln-opt %s --kiln-plan-workspace=entry=forward | FileCheck %s

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %{{.*}}: memref<4xf32>, %[[WS:.*]]: memref<64xi8>) attributes {kiln.buffers_size = 64 : i64, kiln.workspace_size = 64 : i64}
// CHECK: memref.view %[[WS]]
// CHECK-NOT: memref.alloc
func.func @forward(%x: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  linalg.copy ins(%x : memref<4xf32>) outs(%a : memref<4xf32>)
  return
}
