// RUN: kiln-opt %s --kiln-cpu-winograd-convolutions="vector-width=4 threads=2 min-parallel-work=0" --canonicalize | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-winograd-convolutions="vector-width=4 tile-size=2" --canonicalize | FileCheck %s --check-prefix=F2
// With the GEMM kernels after it, no structured op is left:
// RUN: kiln-opt %s --kiln-cpu-winograd-convolutions="vector-width=4" --kiln-cpu-gemm-kernels="vector-width=4" --canonicalize | FileCheck %s --check-prefix=KERNELS
// RUN: not kiln-opt %s --kiln-cpu-winograd-convolutions="tile-size=3" 2>&1 | FileCheck %s --check-prefix=BAD

// A 3x3 stride-1 convolution in blocks of 4 channels (2 input, 2 output
// blocks), 5x5 outputs, recorded as winograd, its init a bias broadcast and
// its consumer a ReLU. F(4x4, 3x3) needs 2x2 tiles of 6x6 inputs: the
// padded 7x7 input is padded again to 10x10. The input transform writes
// V [36 = 6x6, 4 tiles, 8 channels], one (tile row, input block) per
// iteration of an scf.forall, 36 vectors per tile; the batched product
// V x U (U = G g G^T, a constant [36, 8, 8]) is a linalg.generic for the
// GEMM kernels; the output transform writes one output block per
// iteration: a whole 4x4 tile, the partial tiles at the right (4x1) and
// bottom (1x4) and the corner (1x1), 25 pixels, each with the bias added
// and ReLU applied before its store.
// CHECK-LABEL: func @winograd_relu
// CHECK-DAG: %[[U:.*]] = arith.constant dense<{{.*}}> : tensor<36x8x8xf32>
// CHECK-DAG: %[[BIAS:.*]] = arith.constant dense<5.000000e-01> : tensor<2x4xf32>
// CHECK: %[[PADDED:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0, 0] high[0, 0, 3, 3, 0]
// CHECK:   : tensor<1x2x7x7x4xf32> to tensor<1x2x10x10x4xf32>
// CHECK: %[[V:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (2, 2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<36x4x8xf32>)
// CHECK:   tensor.extract_slice {{.*}} [36, 2, 4] [1, 1, 1]
// CHECK:   scf.for
// CHECK-COUNT-36: vector.transfer_read %[[PADDED]]
// CHECK-COUNT-36: vector.transfer_write
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[M:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[V]], %[[U]] : tensor<36x4x8xf32>, tensor<36x8x8xf32>) outs(%[[ZERO]] : tensor<36x4x8xf32>)
// CHECK:   math.fma
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs
// CHECK:   tensor.extract_slice {{.*}} [1, 1, 5, 5, 4] [1, 1, 1, 1, 1]
// CHECK-COUNT-36: vector.transfer_read %[[M]]
// CHECK:   vector.transfer_read %[[BIAS]]
// CHECK:   arith.addf
// CHECK:   arith.maximumf
// CHECK:   vector.transfer_write
// CHECK-COUNT-24: arith.maximumf
// CHECK: scf.forall.in_parallel
// CHECK-NOT: kiln.conv_nchwc
// CHECK-NOT: linalg.generic

// F(2x2, 3x3): 3x3 tiles of 4x4 inputs (the input padded to 8x8), V and M
// of 16 rows; serially, scf.for loops. Per tile row, the whole tiles (2x2
// pixels) in a loop, then the partial one at the right (2x1); then the
// bottom row's tiles (1x2) and its corner (1x1).
// F2-LABEL: func @winograd_relu
// F2: tensor.pad %{{.*}} high[0, 0, 1, 1, 0]
// F2-NOT: scf.forall
// F2: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<16x9x8xf32>, tensor<16x8x8xf32>)
// F2: scf.for %{{.*}} = %c0 to %c2
// F2:   scf.for %{{.*}} = %c0 to %c2
// F2-COUNT-4: arith.maximumf
// F2: scf.yield
// F2-COUNT-2: arith.maximumf
// F2: scf.yield
// F2: scf.for %{{.*}} = %c0 to %c2
// F2-COUNT-2: arith.maximumf
// F2-COUNT-1: arith.maximumf
// F2-NOT: arith.maximumf

// KERNELS-LABEL: func @winograd_relu
// KERNELS-NOT: linalg.generic
// KERNELS: vector.fma
// KERNELS-NOT: linalg.generic
// KERNELS-LABEL: func @not_winograd

// BAD: tile-size must be 2 or 4, not 3
#bias = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 + d6, d3 + d7, d8)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
func.func @winograd_relu(%x: tensor<1x2x7x7x4xf32>) -> tensor<1x2x5x5x4xf32> {
  %f = arith.constant dense<1.0> : tensor<2x2x3x3x4x4xf32>
  %b = arith.constant dense<0.5> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x5x5x4xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<2x4xf32>) outs(%e : tensor<1x2x5x5x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x5x5x4xf32>
  %conv = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x7x7x4xf32>, tensor<2x2x3x3x4x4xf32>) outs(%init : tensor<1x2x5x5x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>, kiln.conv_algorithm = "winograd"} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x5x5x4xf32>
  %e2 = tensor.empty() : tensor<1x2x5x5x4xf32>
  %relu = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x2x5x5x4xf32>) outs(%e2 : tensor<1x2x5x5x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x5x5x4xf32>
  return %relu : tensor<1x2x5x5x4xf32>
}

// Neither a convolution the cost model left direct (no attribute) nor a
// strided one is rewritten.
// CHECK-LABEL: func @not_winograd
// CHECK-COUNT-2: kiln.conv_nchwc
#in2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 * 2 + d6, d3 * 2 + d7, d8)>
func.func @not_winograd(%x: tensor<1x1x6x6x4xf32>, %y: tensor<1x1x7x7x4xf32>, %i1: tensor<1x1x4x4x4xf32>, %i2: tensor<1x1x3x3x4xf32>) -> (tensor<1x1x4x4x4xf32>, tensor<1x1x3x3x4xf32>) {
  %f = arith.constant dense<1.0> : tensor<1x1x3x3x4x4xf32>
  %direct = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x1x6x6x4xf32>, tensor<1x1x3x3x4x4xf32>) outs(%i1 : tensor<1x1x4x4x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x1x4x4x4xf32>
  %strided = linalg.generic {indexing_maps = [#in2, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%y, %f : tensor<1x1x7x7x4xf32>, tensor<1x1x3x3x4x4xf32>) outs(%i2 : tensor<1x1x3x3x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 2, 2, 1, 1>, kiln.conv_algorithm = "winograd"} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x1x3x3x4xf32>
  return %direct, %strided : tensor<1x1x4x4x4xf32>, tensor<1x1x3x3x4xf32>
}
