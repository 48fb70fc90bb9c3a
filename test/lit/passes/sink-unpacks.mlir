// RUN: kiln-opt %s --kiln-sink-unpacks --split-input-file | FileCheck %s

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#pix = affine_map<(n, c, h, w) -> (n, 0, h, w)>

// A residual add of two unpacked tensors with the same tiling, a per-channel
// bias and a per-pixel scale: the generic runs on the packed data (the bias
// packed to [2, 4], the per-pixel operand read as before), the unpack moves
// after it, and the pack of the result for the next kernel folds away.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[CHAN:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
// CHECK-DAG: #[[PIX:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d3)>
// CHECK-LABEL: func @residual
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x3x3x4xf32>, %[[B:.*]]: tensor<1x2x3x3x4xf32>, %[[BIAS:.*]]: tensor<8xf32>, %[[S:.*]]: tensor<1x1x3x3xf32>)
// CHECK: %[[PB:.*]] = linalg.pack %[[BIAS]] inner_dims_pos = [0] inner_tiles = [4] into %{{.*}} : tensor<8xf32> -> tensor<2x4xf32>
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[CHAN]], #[[PIX]], #[[ID]]]{{.*}} ins(%[[A]], %[[B]], %[[PB]], %[[S]] : {{.*}}) outs(%{{.*}} : tensor<1x2x3x3x4xf32>)
// CHECK: %[[OUT:.*]] = linalg.unpack %[[SUM]] inner_dims_pos = [1] inner_tiles = [4]
// CHECK: return %[[OUT]], %[[SUM]]
func.func @residual(%a: tensor<1x2x3x3x4xf32>, %b: tensor<1x2x3x3x4xf32>, %bias: tensor<8xf32>,
                    %s: tensor<1x1x3x3xf32>) -> (tensor<1x8x3x3xf32>, tensor<1x2x3x3x4xf32>) {
  %e0 = tensor.empty() : tensor<1x8x3x3xf32>
  %ua = linalg.unpack %a inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x2x3x3x4xf32> -> tensor<1x8x3x3xf32>
  %e1 = tensor.empty() : tensor<1x8x3x3xf32>
  %ub = linalg.unpack %b inner_dims_pos = [1] inner_tiles = [4] into %e1 : tensor<1x2x3x3x4xf32> -> tensor<1x8x3x3xf32>
  %e2 = tensor.empty() : tensor<1x8x3x3xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #chan, #pix, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ua, %ub, %bias, %s : tensor<1x8x3x3xf32>, tensor<1x8x3x3xf32>, tensor<8xf32>, tensor<1x1x3x3xf32>) outs(%e2 : tensor<1x8x3x3xf32>) {
  ^bb0(%x: f32, %y: f32, %c: f32, %p: f32, %o: f32):
    %0 = arith.addf %x, %y : f32
    %1 = arith.addf %0, %c : f32
    %2 = arith.mulf %1, %p : f32
    linalg.yield %2 : f32
  } -> tensor<1x8x3x3xf32>
  %e3 = tensor.empty() : tensor<1x2x3x3x4xf32>
  %next = linalg.pack %sum inner_dims_pos = [1] inner_tiles = [4] into %e3 : tensor<1x8x3x3xf32> -> tensor<1x2x3x3x4xf32>
  return %sum, %next : tensor<1x8x3x3xf32>, tensor<1x2x3x3x4xf32>
}

// -----

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>

// An unpack that drops padding lanes (6 channels from 2 blocks of 4) stays
// where it is, and so does the generic after it.
// CHECK-LABEL: func @padded
// CHECK: linalg.unpack
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}} : tensor<1x6x3x3xf32>)
func.func @padded(%a: tensor<1x2x3x3x4xf32>) -> tensor<1x6x3x3xf32> {
  %e0 = tensor.empty() : tensor<1x6x3x3xf32>
  %ua = linalg.unpack %a inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x2x3x3x4xf32> -> tensor<1x6x3x3xf32>
  %e1 = tensor.empty() : tensor<1x6x3x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ua : tensor<1x6x3x3xf32>) outs(%e1 : tensor<1x6x3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %0 = math.exp %x : f32
    linalg.yield %0 : f32
  } -> tensor<1x6x3x3xf32>
  return %r : tensor<1x6x3x3xf32>
}
