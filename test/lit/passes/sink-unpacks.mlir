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

// -----

// A max pool (a window reduction whose channel loop is parallel) of the
// -inf padded unpacked tensor: the pad and the pool run on the packed data,
// the pool's channel loop split into (block, lane) with the lane loop
// innermost, its -inf fill init packed as a fill; then a concatenation
// along the channels (insert_slice at channel offsets 0 and 8, multiples of
// the tile) of the pool and another unpacked tensor is one packed tensor
// and one unpack.
// CHECK-DAG: #[[PIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5, d6)>
// CHECK-DAG: #[[PWIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5)>
// CHECK-DAG: #[[POUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d6)>
// CHECK-LABEL: func @pool
// CHECK-SAME: (%[[A:.*]]: tensor<1x2x6x6x4xf32>, %[[B:.*]]: tensor<1x1x3x3x4xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1, 0] high[0, 0, 0, 0, 0]
// CHECK: } : tensor<1x2x6x6x4xf32> to tensor<1x2x7x7x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x3x3x4xf32>)
// CHECK: %[[POOL:.*]] = linalg.generic {indexing_maps = [#[[PIN]], #[[PWIN]], #[[POUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[PAD]], %{{.*}} : tensor<1x2x7x7x4xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x3x3x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x3x3x3x4xf32>
// CHECK: %[[C1:.*]] = tensor.insert_slice %[[POOL]] into %[[E]][0, 0, 0, 0, 0] [1, 2, 3, 3, 4] [1, 1, 1, 1, 1]
// CHECK: %[[C2:.*]] = tensor.insert_slice %[[B]] into %[[C1]][0, 2, 0, 0, 0] [1, 1, 3, 3, 4] [1, 1, 1, 1, 1]
// CHECK: %[[R:.*]] = linalg.unpack %[[C2]] inner_dims_pos = [1] inner_tiles = [4] into %{{.*}} : tensor<1x3x3x3x4xf32> -> tensor<1x12x3x3xf32>
// CHECK: return %[[R]]
#in = affine_map<(n, c, h, w, kh, kw) -> (n, c, h * 2 + kh, w * 2 + kw)>
#win = affine_map<(n, c, h, w, kh, kw) -> (kh, kw)>
#out = affine_map<(n, c, h, w, kh, kw) -> (n, c, h, w)>
func.func @pool(%a: tensor<1x2x6x6x4xf32>, %b: tensor<1x1x3x3x4xf32>) -> tensor<1x12x3x3xf32> {
  %e0 = tensor.empty() : tensor<1x8x6x6xf32>
  %ua = linalg.unpack %a inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x2x6x6x4xf32> -> tensor<1x8x6x6xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %ua low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x7x7xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %e1 = tensor.empty() : tensor<1x8x3x3xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %r = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%p, %w : tensor<1x8x7x7xf32>, tensor<3x3xf32>) outs(%init : tensor<1x8x3x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.maximumf %x, %o : f32
    linalg.yield %0 : f32
  } -> tensor<1x8x3x3xf32>
  %e2 = tensor.empty() : tensor<1x4x3x3xf32>
  %ub = linalg.unpack %b inner_dims_pos = [1] inner_tiles = [4] into %e2 : tensor<1x1x3x3x4xf32> -> tensor<1x4x3x3xf32>
  %e3 = tensor.empty() : tensor<1x12x3x3xf32>
  %c1 = tensor.insert_slice %r into %e3[0, 0, 0, 0] [1, 8, 3, 3] [1, 1, 1, 1] : tensor<1x8x3x3xf32> into tensor<1x12x3x3xf32>
  %c2 = tensor.insert_slice %ub into %c1[0, 8, 0, 0] [1, 4, 3, 3] [1, 1, 1, 1] : tensor<1x4x3x3xf32> into tensor<1x12x3x3xf32>
  return %c2 : tensor<1x12x3x3xf32>
}

// -----

#chan = affine_map<(n, c, h, w) -> (n, c, h, w)>
#sum = affine_map<(n, c, h, w) -> (n, h, w)>
#half = affine_map<(n, c, h, w) -> (n, c floordiv 2, h, w)>

// Not moved: a sum over the channels (the tiled loop is a reduction), a
// concatenation at a channel offset that is not a multiple of the tile, a
// generic whose other operand reads the channel loop in an expression
// (c floordiv 2; and no IR is left behind by the failed match, which would
// make the greedy driver loop), and a padding of the channels.
// CHECK-LABEL: func @stay
// CHECK: %[[U:.*]] = linalg.unpack
// CHECK: linalg.generic {{.*}} ins(%[[U]] : tensor<1x8x3x3xf32>)
// CHECK: tensor.insert_slice %[[U]] into %{{.*}}[0, 2, 0, 0] [1, 8, 3, 3] [1, 1, 1, 1] : tensor<1x8x3x3xf32> into tensor<1x10x3x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[U]], %{{.*}} : tensor<1x8x3x3xf32>, tensor<1x4x3x3xf32>)
// CHECK: tensor.pad %[[U]] low[0, 1, 0, 0] high[0, 0, 0, 0]
// CHECK-NOT: linalg.pack
func.func @stay(%a: tensor<1x2x3x3x4xf32>, %d: tensor<1x10x3x3xf32>, %h: tensor<1x4x3x3xf32>) -> (tensor<1x3x3xf32>, tensor<1x10x3x3xf32>, tensor<1x8x3x3xf32>, tensor<1x9x3x3xf32>) {
  %e0 = tensor.empty() : tensor<1x8x3x3xf32>
  %ua = linalg.unpack %a inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x2x3x3x4xf32> -> tensor<1x8x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x3xf32>) -> tensor<1x3x3xf32>
  %s = linalg.generic {indexing_maps = [#chan, #sum], iterator_types = ["parallel", "reduction", "parallel", "parallel"]}
      ins(%ua : tensor<1x8x3x3xf32>) outs(%init : tensor<1x3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %0 = arith.addf %x, %o : f32
    linalg.yield %0 : f32
  } -> tensor<1x3x3xf32>
  %c = tensor.insert_slice %ua into %d[0, 2, 0, 0] [1, 8, 3, 3] [1, 1, 1, 1] : tensor<1x8x3x3xf32> into tensor<1x10x3x3xf32>
  %e2 = tensor.empty() : tensor<1x8x3x3xf32>
  %m = linalg.generic {indexing_maps = [#chan, #half, #chan], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%ua, %h : tensor<1x8x3x3xf32>, tensor<1x4x3x3xf32>) outs(%e2 : tensor<1x8x3x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %0 = arith.mulf %x, %y : f32
    linalg.yield %0 : f32
  } -> tensor<1x8x3x3xf32>
  %p = tensor.pad %ua low[0, 1, 0, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x3x3xf32> to tensor<1x9x3x3xf32>
  return %s, %c, %m, %p : tensor<1x3x3xf32>, tensor<1x10x3x3xf32>, tensor<1x8x3x3xf32>, tensor<1x9x3x3xf32>
}
