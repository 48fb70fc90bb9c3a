// RUN: kiln-opt %s --kiln-distribute-to-threads="threads=2 min-iterations=64" --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-distribute-to-threads="threads=2 min-iterations=100000" --split-input-file | FileCheck %s --check-prefix=SMALL

// A large elementwise op is split along its first parallel loop with at
// least two iterations (d1: the batch dimension has one), into two chunks.
// CHECK-LABEL: func @elementwise
// CHECK: scf.forall (%[[T:.*]]) in (2) shared_outs(%{{.*}} = %{{.*}})
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1x4x8xf32>) outs(%{{.*}} : tensor<1x4x8xf32>)
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice
// SMALL-LABEL: func @elementwise
// SMALL-NOT: scf.forall
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @elementwise(%x: tensor<1x8x8xf32>) -> tensor<1x8x8xf32> {
  %init = tensor.empty() : tensor<1x8x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x8xf32>) outs(%init : tensor<1x8x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  } -> tensor<1x8x8xf32>
  return %r : tensor<1x8x8xf32>
}

// -----

// A contraction is split along a parallel loop, never its reduction.
// CHECK-LABEL: func @matmul
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x16xf32>) outs(%{{.*}} : tensor<8x16xf32>)
func.func @matmul(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}
