// RUN: kiln-opt %s --kiln-lower-packs --canonicalize | FileCheck %s

// A pack with padding becomes a pad, an expand_shape and a transpose; an
// unpack a transpose, a collapse_shape and a slice. No pack or unpack is
// left for bufferization.
// CHECK-LABEL: func @pack_unpack
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 2, 0, 0]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 4, 3, 3] : tensor<1x8x3x3xf32> into tensor<1x2x4x3x3xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x2x4x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x3x4xf32>) permutation = [0, 1, 3, 4, 2]
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x2x3x3x4xf32>) outs(%{{.*}} : tensor<1x2x4x3x3xf32>) permutation = [0, 1, 4, 2, 3]
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x4x3x3xf32> into tensor<1x8x3x3xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 6, 3, 3] [1, 1, 1, 1]
// CHECK-NOT: linalg.pack
// CHECK-NOT: linalg.unpack
func.func @pack_unpack(%x: tensor<1x6x3x3xf32>, %y: tensor<1x2x3x3x4xf32>) -> (tensor<1x2x3x3x4xf32>, tensor<1x6x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x2x3x3x4xf32>
  %p = linalg.pack %x padding_value(%zero : f32) inner_dims_pos = [1] inner_tiles = [4] into %e0 : tensor<1x6x3x3xf32> -> tensor<1x2x3x3x4xf32>
  %e1 = tensor.empty() : tensor<1x6x3x3xf32>
  %u = linalg.unpack %y inner_dims_pos = [1] inner_tiles = [4] into %e1 : tensor<1x2x3x3x4xf32> -> tensor<1x6x3x3xf32>
  return %p, %u : tensor<1x2x3x3x4xf32>, tensor<1x6x3x3xf32>
}
