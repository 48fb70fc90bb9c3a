// RUN: kiln-opt %s --kiln-elementwise-in-place --split-input-file | FileCheck %s

// The exp's input dies with it and owns its buffer: the exp writes over it.
// The add's inputs live on (the second is returned), so it keeps its own
// tensor.
// CHECK-LABEL: func @dying_input
// CHECK: %[[T:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[E:.*]] = linalg.generic {{.*}} ins(%[[T]] : tensor<4xf32>) outs(%[[T]] : tensor<4xf32>)
// CHECK:   math.exp
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%[[E]], %arg0 : tensor<4xf32>, tensor<4xf32>) outs(%[[EMPTY]] : tensor<4xf32>)
#id = affine_map<(d0) -> (d0)>
func.func @dying_input(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e0 = tensor.empty() : tensor<4xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e0 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.log %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %exp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%t : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%exp, %x : tensor<4xf32>, tensor<4xf32>) outs(%e2 : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.addf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %sum, %exp : tensor<4xf32>, tensor<4xf32>
}

// -----

// An input read again later, a function argument, a slice of a tensor that
// lives on, or a broadcast read: none is written over.
// CHECK-LABEL: func @kept_inputs
// CHECK: %[[T:.*]] = linalg.generic
// CHECK: %[[E1:.*]] = tensor.empty
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<4xf32>) outs(%[[E1]] : tensor<4xf32>)
// CHECK: %[[E2:.*]] = tensor.empty
// CHECK: linalg.generic {{.*}} ins(%arg0 : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK: %[[SLICE:.*]] = tensor.extract_slice
// CHECK: %[[E3:.*]] = tensor.empty
// CHECK: linalg.generic {{.*}} ins(%[[SLICE]] : tensor<4xf32>) outs(%[[E3]] : tensor<4xf32>)
// CHECK: %[[E4:.*]] = tensor.empty
// CHECK: linalg.generic {{.*}} ins(%arg2 : tensor<1xf32>) outs(%[[E4]] : tensor<4xf32>)
#id = affine_map<(d0) -> (d0)>
#bcast = affine_map<(d0) -> (0)>
func.func @kept_inputs(%x: tensor<4xf32>, %w: tensor<8xf32>, %s: tensor<1xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>) {
  %e0 = tensor.empty() : tensor<4xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e0 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.log %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%t : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<4xf32>) outs(%e2 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %slice = tensor.extract_slice %w[0] [4] [1] : tensor<8xf32> to tensor<4xf32>
  %e3 = tensor.empty() : tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%slice : tensor<4xf32>) outs(%e3 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e4 = tensor.empty() : tensor<4xf32>
  %d = linalg.generic {indexing_maps = [#bcast, #id], iterator_types = ["parallel"]}
      ins(%s : tensor<1xf32>) outs(%e4 : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %a, %b, %c, %d, %w, %t : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>
}
