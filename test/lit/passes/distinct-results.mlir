// RUN: kiln-opt %s --kiln-distinct-results | FileCheck %s
// RUN: kiln-opt %s --kiln-distinct-results --kiln-bufferize | FileCheck %s --check-prefix=BUF

// The second return of %r gets its own tensor.
// CHECK-LABEL: func @main_graph
// CHECK: %[[R:[0-9]+]] = linalg.generic
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[R]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK: return %[[R]], %[[C]]

// After bufferization both out-parameters are written.
// BUF-LABEL: func @main_graph
// BUF-SAME: (%{{.*}}: memref<4xf32>, %[[A:arg[0-9]+]]: memref<4xf32>, %[[B:arg[0-9]+]]: memref<4xf32>
// BUF: linalg.copy ins(%[[A]] : memref<4xf32>) outs(%[[B]] : memref<4xf32>)
func.func @main_graph(%x: tensor<4xf32> {bufferization.writable = false}) -> (tensor<4xf32>, tensor<4xf32>) {
  %init = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<4xf32>
  return %r, %r : tensor<4xf32>, tensor<4xf32>
}
