// RUN: kiln-opt %s --kiln-cpu-im2col-convolutions="threads=2 min-parallel-work=0" --canonicalize | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-im2col-convolutions --canonicalize | FileCheck %s --check-prefix=SERIAL
// With the GEMM kernels after it, the product is a register-tiled kernel:
// RUN: kiln-opt %s --kiln-cpu-im2col-convolutions --kiln-cpu-gemm-kernels="vector-width=4" --canonicalize | FileCheck %s --check-prefix=KERNELS

// A 3x3 convolution with stride 2 and dilation 1 in blocks of 4 channels
// (2 input blocks, 2 output blocks), 3x3 outputs from a padded 7x7 input,
// recorded as im2col, its init a bias broadcast and its consumer a ReLU.
// The gather writes col [1, 3, 3, 2, 3, 3, 4]: per output row (an
// scf.forall iteration; the single image's loop folds away) a loop nest over (ow, c1, kh, kw) that copies one
// vector of 4 channels from input row oh * 2 + kh, column ow * 2 + kw. The
// product is col [9 pixels, 72] x W [72, 8], W the filter rearranged at
// compile time. One generic then reads the product at (n, oh, ow, f1, f0),
// adds the bias and applies the ReLU into the blocked output.
// CHECK-LABEL: func @im2col_relu
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<72x8xf32>
// CHECK: %[[COL:.*]] = scf.forall (%[[OH:.*]]) in (3) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x3x3x2x3x3x4xf32>)
// CHECK:   tensor.extract_slice {{.*}} [1, 1, 3, 2, 3, 3, 4] [1, 1, 1, 1, 1, 1, 1]
// CHECK:   scf.for %[[OW:.*]] = %c0 to %c3
// CHECK:     scf.for %[[C1:.*]] = %c0 to %c2
// CHECK:       scf.for %[[KH:.*]] = %c0 to %c3
// CHECK:         scf.for %[[KW:.*]] = %c0 to %c3
// CHECK:           %[[R2:.*]] = arith.muli %[[OH]], %c2
// CHECK:           %[[ROW:.*]] = arith.addi %[[R2]], %[[KH]]
// CHECK:           %[[C2:.*]] = arith.muli %[[OW]], %c2
// CHECK:           %[[COLUMN:.*]] = arith.addi %[[C2]], %[[KW]]
// CHECK:           %[[V:.*]] = vector.transfer_read %{{.*}}[%c0, %[[C1]], %[[ROW]], %[[COLUMN]], %c0]{{.*}} : tensor<1x2x7x7x4xf32>, vector<4xf32>
// CHECK:           vector.transfer_write %[[V]], %{{.*}}[%c0, %c0, %[[OW]], %[[C1]], %[[KH]], %[[KW]], %c0]
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[COL]] {{\[}}[0, 1, 2], [3, 4, 5, 6]] : tensor<1x3x3x2x3x3x4xf32> into tensor<9x72xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[P:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[ROWS]], %[[W]] : tensor<9x72xf32>, tensor<72x8xf32>) outs(%[[ZERO]] : tensor<9x8xf32>)
// CHECK:   math.fma
// CHECK: %[[PIXELS:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1, 2], [3, 4]] output_shape [1, 3, 3, 2, 4] : tensor<9x8xf32> into tensor<1x3x3x2x4xf32>
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[PERM:.*]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PIXELS]], %{{.*}} : tensor<1x3x3x2x4xf32>, tensor<2x4xf32>)
// CHECK:   arith.addf
// CHECK:   arith.maximumf
// CHECK: return %[[OUT]]
// The serial gather is a loop over the output rows.
// SERIAL-LABEL: func @im2col_relu
// SERIAL-NOT: scf.forall
// SERIAL: scf.for %{{.*}} = %c0 to %c3
// KERNELS-LABEL: func @im2col_relu
// KERNELS: arith.constant dense<{{.*}}> : tensor<1x72x8xf32>
// KERNELS: vector.fma
// KERNELS: arith.maximumf
// KERNELS-NOT: kiln.conv_nchwc
// KERNELS-LABEL: func @not_im2col
#bias = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4)>
#id5 = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 * 2 + d6, d3 * 2 + d7, d8)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d1, d5, d6, d7, d8, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d1, d2, d3, d4)>
func.func @im2col_relu(%x: tensor<1x2x7x7x4xf32>) -> tensor<1x2x3x3x4xf32> {
  %f = arith.constant dense<1.0> : tensor<2x2x3x3x4x4xf32>
  %b = arith.constant dense<0.5> : tensor<2x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3x4xf32>
  %init = linalg.generic {indexing_maps = [#bias, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%b : tensor<2x4xf32>) outs(%e : tensor<1x2x3x3x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x2x3x3x4xf32>
  %conv = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x7x7x4xf32>, tensor<2x2x3x3x4x4xf32>) outs(%init : tensor<1x2x3x3x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 2, 2, 1, 1>, kiln.conv_algorithm = "im2col"} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x3x3x4xf32>
  %e2 = tensor.empty() : tensor<1x2x3x3x4xf32>
  %relu = linalg.generic {indexing_maps = [#id5, #id5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%conv : tensor<1x2x3x3x4xf32>) outs(%e2 : tensor<1x2x3x3x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %v, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x3x3x4xf32>
  return %relu : tensor<1x2x3x3x4xf32>
}

// A convolution left direct (no attribute, or another algorithm) is not
// rewritten.
// CHECK-LABEL: func @not_im2col
// CHECK-COUNT-2: kiln.conv_nchwc
func.func @not_im2col(%x: tensor<1x2x7x7x4xf32>, %i1: tensor<1x2x3x3x4xf32>) -> (tensor<1x2x3x3x4xf32>, tensor<1x2x3x3x4xf32>) {
  %f = arith.constant dense<1.0> : tensor<2x2x3x3x4x4xf32>
  %direct = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x7x7x4xf32>, tensor<2x2x3x3x4x4xf32>) outs(%i1 : tensor<1x2x3x3x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 2, 2, 1, 1>} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x3x3x4xf32>
  %other = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x2x7x7x4xf32>, tensor<2x2x3x3x4x4xf32>) outs(%i1 : tensor<1x2x3x3x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 2, 2, 1, 1>, kiln.conv_algorithm = "direct"} {
  ^bb0(%i: f32, %k: f32, %acc: f32):
    %0 = math.fma %i, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x3x3x4xf32>
  return %direct, %other : tensor<1x2x3x3x4xf32>, tensor<1x2x3x3x4xf32>
}

// A convolution read by the next one (a linear bottleneck, MobileNetV2):
// both become products, the second's gather reading the first's output
// generic, which stays unfused (it was once fused into the second
// convolution before that one was rewritten).
// CHECK-LABEL: func @chained
// CHECK-COUNT-2: math.fma
// CHECK-NOT: kiln.conv_nchwc
// CHECK: return
#pw = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 + d6, d3 + d7, d8)>
func.func @chained(%x: tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32> {
  %f = arith.constant dense<1.0> : tensor<1x1x1x1x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x4x4x4xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32>
  %a = linalg.generic {indexing_maps = [#pw, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%x, %f : tensor<1x1x4x4x4xf32>, tensor<1x1x1x1x4x4xf32>) outs(%i : tensor<1x1x4x4x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>, kiln.conv_algorithm = "im2col"} {
  ^bb0(%v: f32, %k: f32, %acc: f32):
    %0 = math.fma %v, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x1x4x4x4xf32>
  %b = linalg.generic {indexing_maps = [#pw, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
      ins(%a, %f : tensor<1x1x4x4x4xf32>, tensor<1x1x1x1x4x4xf32>) outs(%i : tensor<1x1x4x4x4xf32>)
      attrs = {kiln.conv_nchwc = array<i64: 1, 1, 1, 1>, kiln.conv_algorithm = "im2col"} {
  ^bb0(%v: f32, %k: f32, %acc: f32):
    %0 = math.fma %v, %k, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<1x1x4x4x4xf32>
  return %b : tensor<1x1x4x4x4xf32>
}
