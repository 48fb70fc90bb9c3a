// RUN: kiln-opt %s --pass-pipeline="builtin.module(func.func(kiln-fuse-elementwise))" | FileCheck %s

#mk = affine_map<(m, k, n) -> (m, k)>
#kn = affine_map<(m, k, n) -> (k, n)>
#mn = affine_map<(m, k, n) -> (m, n)>
#id2 = affine_map<(i, j) -> (i, j)>

// A matmul keeps its [4, 1200] shape; the reshape after it stays a reshape
// (folded into the matmul, its inner loop would be 5 wide).
// CHECK-LABEL: func.func @matmul_then_reshape(
// CHECK: %[[MM:.*]] = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: outs(%{{.*}} : tensor<4x1200xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[\[}}0], [1, 2]] output_shape [4, 240, 5]
func.func @matmul_then_reshape(%a: tensor<4x784xf32>, %b: tensor<784x1200xf32>) -> tensor<4x240x5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x1200xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x1200xf32>) -> tensor<4x1200xf32>
  %mm = linalg.generic {indexing_maps = [#mk, #kn, #mn],
                        iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<4x784xf32>, tensor<784x1200xf32>) outs(%init : tensor<4x1200xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x1200xf32>
  %r = tensor.expand_shape %mm [[0], [1, 2]] output_shape [4, 240, 5] : tensor<4x1200xf32> into tensor<4x240x5xf32>
  return %r : tensor<4x240x5xf32>
}

// Elementwise ops still fuse (one generic computing exp(x) + 1), and a
// reshape still moves through them.
// CHECK-LABEL: func.func @elementwise_chain(
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
// CHECK: math.exp
// CHECK: arith.addf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @elementwise_chain(%x: tensor<4x1200xf32>) -> tensor<4x240x5xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x1200xf32>
  %exp = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x1200xf32>) outs(%e : tensor<4x1200xf32>) {
  ^bb0(%v: f32, %o: f32):
    %y = math.exp %v : f32
    linalg.yield %y : f32
  } -> tensor<4x1200xf32>
  %inc = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%exp : tensor<4x1200xf32>) outs(%e : tensor<4x1200xf32>) {
  ^bb0(%v: f32, %o: f32):
    %y = arith.addf %v, %one : f32
    linalg.yield %y : f32
  } -> tensor<4x1200xf32>
  %r = tensor.expand_shape %inc [[0], [1, 2]] output_shape [4, 240, 5] : tensor<4x1200xf32> into tensor<4x240x5xf32>
  return %r : tensor<4x240x5xf32>
}
