// RUN: kiln-opt %s --kiln-cpu-block-convolutions="block-size=4" --canonicalize --split-input-file | FileCheck %s

#bias = affine_map<(n, f, h, w) -> (f)>
#id = affine_map<(n, f, h, w) -> (n, f, h, w)>

// An image (3 channels, fewer than a block) is packed by its 3 channels,
// then padded; the filter [8, 3, 3, 3] becomes [2, 1, 3, 3, 3, 4] and the
// bias broadcast a broadcast of the bias as [2, 4]; the blocked convolution
// is a generic tagged with its strides and dilations, unpacked at the end.
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 + d6, d3 + d7, d8)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func @conv_bias
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00]]> : tensor<2x4xf32>
// CHECK-DAG: %[[F:.*]] = arith.constant dense<1.000000e+00> : tensor<2x1x3x3x3x4xf32>
// CHECK: %[[PACK:.*]] = linalg.pack %{{.*}} inner_dims_pos = [1] inner_tiles = [3] into %{{.*}} : tensor<1x3x5x5xf32> -> tensor<1x1x5x5x3xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[PACK]] low[0, 0, 1, 1, 0] high[0, 0, 1, 1, 0]
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], {{.*}}]{{.*}} ins(%[[B]] : tensor<2x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[PAD]], %[[F]] : {{.*}}) outs(%[[INIT]] : tensor<1x2x5x5x4xf32>)
// CHECK:   math.fma
// CHECK: } -> tensor<1x2x5x5x4xf32>
// CHECK: linalg.unpack %[[CONV]] inner_dims_pos = [1] inner_tiles = [4] into %{{.*}} : tensor<1x2x5x5x4xf32> -> tensor<1x8x5x5xf32>
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @conv_bias(%x: tensor<1x3x5x5xf32>) -> tensor<1x8x5x5xf32> {
  %w = arith.constant dense<1.0> : tensor<8x3x3x3xf32>
  %b = arith.constant dense<[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]> : tensor<8xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x3x5x5xf32> to tensor<1x3x7x7xf32>
  %empty = tensor.empty() : tensor<1x8x5x5xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<8xf32>) outs(%empty : tensor<1x8x5x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x5x5xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%padded, %w : tensor<1x3x7x7xf32>, tensor<8x3x3x3xf32>) outs(%init : tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  return %r : tensor<1x8x5x5xf32>
}

// -----

// Channels that are not a multiple of the block are packed with zero
// padding (6 -> 2 blocks of 4; 5 filters -> 2 blocks), the filter is
// zero-filled to match, strides and dilations reach the maps and the tag,
// and a fill init stays a fill.
// CHECK-DAG: #[[IN2:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 * 2 + d6 * 3, d3 * 2 + d7 * 3, d8)>
// CHECK-LABEL: func @padded_channels
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x9x9xf32>)
// CHECK-DAG: %[[F:.*]] = arith.constant dense<{{.*}}> : tensor<2x2x2x2x4x4xf32>
// CHECK: linalg.pack %[[X]] padding_value(%{{.*}} : f32) inner_dims_pos = [1] inner_tiles = [4] into %{{.*}} : tensor<1x6x9x9xf32> -> tensor<1x2x9x9x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x3x3x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[IN2]], {{.*}}outs(%[[INIT]] : tensor<1x2x3x3x4xf32>) attrs = {kiln.conv_nchwc = array<i64: 2, 2, 3, 3>}
// CHECK: linalg.unpack {{.*}} : tensor<1x2x3x3x4xf32> -> tensor<1x5x3x3xf32>
func.func @padded_channels(%x: tensor<1x6x9x9xf32>) -> tensor<1x5x3x3xf32> {
  %w = arith.constant dense<2.0> : tensor<5x6x2x2xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x5x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x5x3x3xf32>) -> tensor<1x5x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<3> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x9x9xf32>, tensor<5x6x2x2xf32>) outs(%init : tensor<1x5x3x3xf32>) -> tensor<1x5x3x3xf32>
  return %r : tensor<1x5x3x3xf32>
}

// -----

// Not blocked: a filter that is not a constant, and f16.
// CHECK-LABEL: func @not_blocked
// CHECK-COUNT-2: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.pack
func.func @not_blocked(%x: tensor<1x4x3x3xf32>, %w: tensor<4x4x1x1xf32>, %init: tensor<1x4x3x3xf32>,
                       %h: tensor<1x4x3x3xf16>, %hinit: tensor<1x4x3x3xf16>) -> (tensor<1x4x3x3xf32>, tensor<1x4x3x3xf16>) {
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x3x3xf32>, tensor<4x4x1x1xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %hw = arith.constant dense<1.0> : tensor<4x4x1x1xf16>
  %s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%h, %hw : tensor<1x4x3x3xf16>, tensor<4x4x1x1xf16>) outs(%hinit : tensor<1x4x3x3xf16>) -> tensor<1x4x3x3xf16>
  return %r, %s : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf16>
}

// -----

// A depthwise convolution: input and output in blocks of 4 channels, the
// filter [8, 3, 3] as [2, 3, 3, 4], the generic over (n, c1, oh, ow, c0 |
// kh, kw) tagged kiln.depthwise_nchwc.
// CHECK-DAG: #[[DIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2 + d5, d3 + d6, d4)>
// CHECK-DAG: #[[DW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d5, d6, d4)>
// CHECK-LABEL: func @depthwise
// CHECK-DAG: %[[F:.*]] = arith.constant dense<{{.*}}> : tensor<2x3x3x4xf32>
// CHECK: linalg.pack %{{.*}} inner_dims_pos = [1] inner_tiles = [4] {{.*}} -> tensor<1x2x6x6x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[DIN]], #[[DW]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %[[F]] : tensor<1x2x6x6x4xf32>, tensor<2x3x3x4xf32>)
// CHECK-SAME: attrs = {kiln.depthwise_nchwc = array<i64: 1, 1, 1, 1>}
// CHECK: linalg.unpack {{.*}} -> tensor<1x8x4x4xf32>
func.func @depthwise(%x: tensor<1x8x6x6xf32>, %init: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %w = arith.constant dense<0.5> : tensor<8x3x3xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x6x6xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// -----

// Grouped (4 groups of 2 input and 2 output channels, block 4): blocks hold
// whole groups, two per block group; the [G, F/G, C/G, ...] views of the
// input and the accumulator are taken flat, and the flat view of the
// result takes the unpacked result. The filter is dense within a block
// group, zero between an output channel and another group's inputs:
// filter[o][i] = 2 * o + i + 1 is, for output block 0 as [c0][f0],
// [[1, 3, 0, 0], [2, 4, 0, 0], [0, 0, 5, 7], [0, 0, 6, 8]].
// CHECK-LABEL: func @grouped
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x3x3xf32>)
// CHECK-DAG: %[[F:.*]] = arith.constant dense<{{\[\[\[\[\[\[}}1.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00], [2.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 5.000000e+00, 7.000000e+00], [0.000000e+00, 0.000000e+00, 6.000000e+00, 8.000000e+00]]]]], {{\[\[\[\[}}[9.000000e+00, 1.100000e+01, 0.000000e+00, 0.000000e+00], {{.*}} : tensor<2x1x1x1x4x4xf32>
// CHECK: %[[PACK:.*]] = linalg.pack %[[X]] inner_dims_pos = [1] inner_tiles = [4] into %{{.*}} : tensor<1x8x3x3xf32> -> tensor<1x2x3x3x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x3x3x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.generic {{.*}} ins(%[[PACK]], %[[F]] : {{.*}}) outs(%[[INIT]] : tensor<1x2x3x3x4xf32>) attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>}
// CHECK: %[[R:.*]] = linalg.unpack %[[CONV]] {{.*}} -> tensor<1x8x3x3xf32>
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
// CHECK: return %[[R]]
func.func @grouped(%x: tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %w = arith.constant dense<[[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]], [[[[5.0]], [[6.0]]], [[[7.0]], [[8.0]]]], [[[[9.0]], [[10.0]]], [[[11.0]], [[12.0]]]], [[[[13.0]], [[14.0]]], [[[15.0]], [[16.0]]]]]> : tensor<4x2x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 4, 2, 3, 3] : tensor<1x8x3x3xf32> into tensor<1x4x2x3x3xf32>
  %empty = tensor.empty() : tensor<1x4x2x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4x2x3x3xf32>) -> tensor<1x4x2x3x3xf32>
  %r = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xg, %w : tensor<1x4x2x3x3xf32>, tensor<4x2x2x1x1xf32>) outs(%init : tensor<1x4x2x3x3xf32>) -> tensor<1x4x2x3x3xf32>
  %flat = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] : tensor<1x4x2x3x3xf32> into tensor<1x8x3x3xf32>
  return %flat : tensor<1x8x3x3xf32>
}

// -----

#bias = affine_map<(n, f, h, w) -> (f)>
#id = affine_map<(n, f, h, w) -> (n, f, h, w)>

// Groups of 4 input and 8 output channels (block 4): one group per block
// group, whose two output blocks read its one input block: the input is
// read at block (f1 floordiv 2) + c1. A bias broadcast in the grouped view
// is taken flat and blocked; the grouped view of the result remains for
// its other user.
// CHECK-DAG: #[[GIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1 floordiv 2 + d5, d2 + d6, d3 + d7, d8)>
// CHECK-LABEL: func @grouped_wide
// CHECK-DAG: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<4x4xf32>
// CHECK-DAG: %[[F:.*]] = arith.constant dense<{{.*}}> : tensor<4x1x3x3x4x4xf32>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<4x4xf32>)
// CHECK: %[[CONV:.*]] = linalg.generic {indexing_maps = [#[[GIN]], {{.*}} ins(%{{.*}}, %[[F]] : tensor<1x2x5x5x4xf32>, tensor<4x1x3x3x4x4xf32>) outs(%[[INIT]] : tensor<1x4x3x3x4xf32>)
// CHECK: %[[R:.*]] = linalg.unpack %[[CONV]] {{.*}} -> tensor<1x16x3x3xf32>
// CHECK: %[[G:.*]] = tensor.expand_shape %[[R]] {{\[\[}}0], [1, 2], [3], [4]] {{.*}} into tensor<1x2x8x3x3xf32>
// CHECK: return %[[R]], %[[G]]
func.func @grouped_wide(%x: tensor<1x8x5x5xf32>) -> (tensor<1x16x3x3xf32>, tensor<1x2x8x3x3xf32>) {
  %w = arith.constant dense<0.5> : tensor<2x8x4x3x3xf32>
  %b = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]> : tensor<16xf32>
  %xg = tensor.expand_shape %x [[0], [1, 2], [3], [4]] output_shape [1, 2, 4, 5, 5] : tensor<1x8x5x5xf32> into tensor<1x2x4x5x5xf32>
  %empty = tensor.empty() : tensor<1x16x3x3xf32>
  %bias = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<16xf32>) outs(%empty : tensor<1x16x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x16x3x3xf32>
  %init = tensor.expand_shape %bias [[0], [1, 2], [3], [4]] output_shape [1, 2, 8, 3, 3] : tensor<1x16x3x3xf32> into tensor<1x2x8x3x3xf32>
  %r = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xg, %w : tensor<1x2x4x5x5xf32>, tensor<2x8x4x3x3xf32>) outs(%init : tensor<1x2x8x3x3xf32>) -> tensor<1x2x8x3x3xf32>
  %flat = tensor.collapse_shape %r [[0], [1, 2], [3], [4]] : tensor<1x2x8x3x3xf32> into tensor<1x16x3x3xf32>
  return %flat, %r : tensor<1x16x3x3xf32>, tensor<1x2x8x3x3xf32>
}
