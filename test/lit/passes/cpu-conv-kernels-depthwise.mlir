// RUN: kiln-opt %s --kiln-cpu-conv-kernels="vector-width=4" --canonicalize | FileCheck %s

// A depthwise 3x3 convolution in blocks of 4 channels (= the vector width),
// ReLU after it. A tile is the whole 5-pixel row of one channel block: per
// tap (kh, kw) one filter vector, then each pixel's input vector (not a
// broadcast) and one FMA per pixel; ReLU before the stores.
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2 + d5, d3 + d6, d4)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d5, d6, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func @depthwise_relu
// CHECK-DAG: %[[F:.*]] = arith.constant dense<5.000000e-01> : tensor<2x3x3x4xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: scf.for %[[C1:.*]] = %c0 to %c2 step %c1
// CHECK:   scf.for %[[ROW:.*]] = %c0 to %c4 step %c1
// CHECK:     scf.for %[[KH:.*]] = %c0 to %c3 step %c1 iter_args(%{{.*}} = %[[ZERO]],
// CHECK:       scf.for %[[KW:.*]] = %c0 to %c3 step %c1
// CHECK:         %[[WV:.*]] = vector.transfer_read %[[F]][%[[C1]], %[[KH]], %[[KW]], %c0]
// CHECK:         %[[XV:.*]] = vector.transfer_read %{{.*}}[%c0, %[[C1]], %{{.*}}, %[[KW]], %c0], %{{.*}} {in_bounds = [true]} : tensor<1x2x6x7x4xf32>, vector<4xf32>
// CHECK:         vector.fma %[[XV]], %[[WV]]
// CHECK-COUNT-4:  vector.fma
// CHECK-NOT:     vector.broadcast
// CHECK:         scf.yield
// CHECK:     arith.maximumf
// CHECK:     vector.transfer_write
func.func @depthwise_relu(%x: tensor<1x2x6x7x4xf32>) -> tensor<1x2x4x5x4xf32> {
  %f = arith.constant dense<0.5> : tensor<2x3x3x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x5x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x5x4xf32>) -> tensor<1x2x4x5x4xf32>
  %conv = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x6x7x4xf32>, tensor<2x3x3x4xf32>) outs(%init : tensor<1x2x4x5x4xf32>)
      attrs = {kiln.depthwise_nchwc = array<i64: 1, 1, 1, 1>} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x4x5x4xf32>
  %e2 = tensor.empty() : tensor<1x2x4x5x4xf32>
  %relu = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x2x4x5x4xf32>) outs(%e2 : tensor<1x2x4x5x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x4x5x4xf32>
  return %relu : tensor<1x2x4x5x4xf32>
}
