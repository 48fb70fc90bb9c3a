// RUN: kiln-opt %s --kiln-cpu-conv-kernels="vector-width=4 threads=2 min-parallel-work=0" --canonicalize | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-conv-kernels="vector-width=4" --canonicalize | FileCheck %s --check-prefix=SERIAL
// With threads, a convolution of less work than min-parallel-work (here
// 27648 multiply-adds) stays serial too:
// RUN: kiln-opt %s --kiln-cpu-conv-kernels="vector-width=4 threads=2 min-parallel-work=27649" --canonicalize | FileCheck %s --check-prefix=SERIAL

// A stride-2 3x3 convolution in channel-blocked layout (blocks of 4 = the
// vector width), its init a bias broadcast and its consumer a ReLU. Tiles
// are 6 pixels (the whole row) x 2 channel blocks; the (block group, row)
// pairs are an scf.forall. The accumulators start from the bias vectors;
// the reduction is four nested loops (input block, kh, kw, input channel)
// that load the tile's 2 filter vectors, broadcast each pixel's input
// (columns 2 apart) and issue 12 FMAs; ReLU is applied before each store.
// CHECK-LABEL: func @conv_relu
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<5.000000e-01> : tensor<4x4xf32>
// CHECK-DAG: %[[F:.*]] = arith.constant dense<1.000000e+00> : tensor<4x2x3x3x4x4xf32>
// CHECK: scf.forall (%[[G:.*]], %[[ROW:.*]]) in (2, 4) shared_outs(%[[O:.*]] = %{{.*}})
// CHECK:   %[[B0:.*]] = arith.muli %[[G]], %c2
// CHECK:   %[[TILE:.*]] = tensor.extract_slice %[[O]][0, %[[B0]], %[[ROW]], 0, 0] [1, 2, 1, 6, 4] [1, 1, 1, 1, 1]
// CHECK:   vector.transfer_read %[[BIAS]][%{{.*}}, %c0]
// CHECK:   scf.for %[[C1:.*]] = %c0 to %c2 step %c1
// CHECK:     scf.for %[[KH:.*]] = %c0 to %c3 step %c1
// CHECK:       scf.for %[[KW:.*]] = %c0 to %c3 step %c1
// CHECK:         scf.for %[[C0:.*]] = %c0 to %c4 step %c1
// CHECK:           vector.transfer_read %[[F]][%{{.*}}, %[[C1]], %[[KH]], %[[KW]], %[[C0]], %c0]
// CHECK:           vector.transfer_read %[[F]]
// CHECK:           %[[X:.*]] = tensor.extract %{{.*}}[%c0, %[[C1]], %{{.*}}, %[[KW]], %[[C0]]]
// CHECK:           %[[XB:.*]] = vector.broadcast %[[X]] : f32 to vector<4xf32>
// CHECK:           vector.fma %[[XB]]
// CHECK:           vector.fma %[[XB]]
// CHECK:           arith.addi %[[KW]], %c2
// CHECK-COUNT-10:  vector.fma
// CHECK:           scf.yield
// CHECK:   arith.maximumf
// CHECK:   vector.transfer_write %{{.*}}, %[[TILE]][%c0, %c0, %c0, %c0, %c0] {in_bounds = [true]}
// CHECK:   scf.forall.in_parallel
// CHECK:     tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// Serially, the same tiles in scf.for loops over block groups and rows.
// SERIAL-LABEL: func @conv_relu
// SERIAL: scf.for %{{.*}} = %c0 to %c2 step %c1
// SERIAL:   scf.for %{{.*}} = %c0 to %c4 step %c1
// SERIAL-NOT: scf.forall
#bias = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 * 2 + d6, d3 * 2 + d7, d8)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
func.func @conv_relu(%x: tensor<1x2x9x13x4xf32>) -> tensor<1x4x4x6x4xf32> {
  %f = arith.constant dense<1.0> : tensor<4x2x3x3x4x4xf32>
  %b = arith.constant dense<0.5> : tensor<4x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x6x4xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<4x4xf32>) outs(%e : tensor<1x4x4x6x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x4x6x4xf32>
  %conv = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x9x13x4xf32>, tensor<4x2x3x3x4x4xf32>) outs(%init : tensor<1x4x4x6x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 2, 2, 1, 1>} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x4x6x4xf32>
  %e2 = tensor.empty() : tensor<1x4x4x6x4xf32>
  %relu = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x4x4x6x4xf32>) outs(%e2 : tensor<1x4x4x6x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x4x6x4xf32>
  return %relu : tensor<1x4x4x6x4xf32>
}

// Grouped: 2 block groups, each of 2 output blocks reading 2 input blocks
// (the filter's [F1, C1/2, ...]). A tile's 2 output blocks are in one
// block group; the reduction runs over that group's input blocks, read at
// (first output block / 2) * 2 + c1.
// CHECK-LABEL: func @grouped
// CHECK: scf.forall (%[[GG:.*]], %[[GROW:.*]]) in (2, 3)
// CHECK:   %[[GB0:.*]] = arith.muli %[[GG]], %c2
// CHECK:   %[[GROUP:.*]] = arith.divui %{{.*}}, %c2
// CHECK:   %[[FIRST:.*]] = arith.muli %[[GROUP]], %c2
// CHECK:   scf.for %[[GC1:.*]] = %c0 to %c2 step %c1
// CHECK:     %[[BLOCK:.*]] = arith.addi %[[FIRST]], %[[GC1]]
// CHECK:     vector.transfer_read %{{.*}}[%{{.*}}, %[[GC1]], {{.*}} : tensor<4x2x3x3x4x4xf32>
// CHECK:     tensor.extract %{{.*}}[%c0, %[[BLOCK]],
#gin = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, (d1 floordiv 2) * 2 + d5, d2 + d6, d3 + d7, d8)>
#gw = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
#gout = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
func.func @grouped(%x: tensor<1x4x5x5x4xf32>, %init: tensor<1x4x3x3x4xf32>) -> tensor<1x4x3x3x4xf32> {
  %f = arith.constant dense<1.0> : tensor<4x2x3x3x4x4xf32>
  %conv = linalg.generic {indexing_maps = [#gin, #gw, #gout], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x4x5x5x4xf32>, tensor<4x2x3x3x4x4xf32>) outs(%init : tensor<1x4x3x3x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x4x3x3x4xf32>
  return %conv : tensor<1x4x3x3x4xf32>
}
