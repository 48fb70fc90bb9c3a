// RUN: kiln-opt %s --kiln-record-layers | FileCheck %s

// A blocked convolution (its batch norm folded in: a fused location) with
// a ReLU as the consumer its kernel fuses, and a matrix product; the input
// is packed once (a reorder) and a constant's pack is not one. The
// product's FLOPs are 2 * 2 * 12 * 4.
// CHECK: module attributes {kiln.layers = [
// CHECK-SAME: {algorithm = "winograd", flops = 1000 : i64, fused = ["c1.bn", "relu"], layout = "NCHW4c", node = "c1", op = "Conv"},
// CHECK-SAME: {algorithm = "gemm", flops = 192 : i64, fused = [], layout = "row-major", node = "fc", op = "MatMul"}],
// CHECK-SAME: kiln.reorders = 1 : i64}
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 + d6, d3 + d7, d8)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
func.func @layers(%x: tensor<1x8x7x7xf32>, %init: tensor<1x2x5x5x4xf32>, %a: tensor<2x4xf32>) -> (tensor<1x2x5x5x4xf32>, tensor<2x12xf32>, tensor<2x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %f = arith.constant dense<1.0> : tensor<2x2x3x3x4x4xf32>
  %e0 = tensor.empty() : tensor<1x2x7x7x4xf32>
  %packed = linalg.pack %x inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x8x7x7xf32> -> tensor<1x2x7x7x4xf32>
  %conv = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%packed, %f : tensor<1x2x7x7x4xf32>, tensor<2x2x3x3x4x4xf32>) outs(%init : tensor<1x2x5x5x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>, kiln.conv_algorithm = "winograd", kiln.flops = 1000 : i64} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x5x5x4xf32> loc(fused["c1", "c1.bn"])
  %e2 = tensor.empty() : tensor<1x2x5x5x4xf32>
  %relu = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x2x5x5x4xf32>) outs(%e2 : tensor<1x2x5x5x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x5x5x4xf32> loc("relu")
  %b = arith.constant dense<1.0> : tensor<4x12xf32>
  %e3 = tensor.empty() : tensor<2x12xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e3 : tensor<2x12xf32>) -> tensor<2x12xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x4xf32>, tensor<4x12xf32>) outs(%fill : tensor<2x12xf32>) -> tensor<2x12xf32> loc("fc")
  %c = arith.constant dense<1.0> : tensor<2x16xf32>
  %e4 = tensor.empty() : tensor<2x4x4xf32>
  %cpacked = linalg.pack %c inner_dims_pos = [1] inner_tiles = [4] into %e4 : tensor<2x16xf32> -> tensor<2x4x4xf32>
  return %relu, %mm, %cpacked : tensor<1x2x5x5x4xf32>, tensor<2x12xf32>, tensor<2x4x4xf32>
}
