// --kiln-lower-nn-to-linalg of the upsampling ops: conv_transpose in
// polyphase gather form, resize by constant tap tables, max pooling with
// indices as a two-output generic, max_unpool as an scf.for scatter.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg --mlir-print-local-scope | FileCheck %s
// Nothing of the nn dialect is left, and the result verifies and reparses.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | kiln-opt | FileCheck %s --check-prefix=NONN
// NONN-NOT: nn.

// Stride 2, 3x3 kernel, 2 groups: T = 2 taps per phase. The accumulator
// [N, G, M/G, s0, s1, Q0, Q1] starts as the bias; the input is padded by
// T - 1 - qlo = 1 on each side; the filter is gathered by phase and reversed
// tap (kd = (T - 1 - u) * s + r, zero past the kernel); the phases are
// interleaved by a transpose and the output window sliced out at pads - qlo * s.
// CHECK-LABEL: func.func @conv_transpose(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3, d4, d5, d6)>]{{.*}} outs(%{{.*}} : tensor<1x2x3x2x2x4x4xf32>)
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x2x5x5xf32>
// CHECK: %[[W:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x2x3x2x2x2x2xf32>)
// CHECK: arith.subi
// CHECK: arith.cmpi ult
// CHECK: tensor.extract %{{.*}} : tensor<4x3x3x3xf32>
// CHECK: arith.select
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d5, d6 + d8, d7 + d9)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d5, d2, d3, d4, d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4, d8, d9)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]} ins(%{{.*}}, %[[W]] : tensor<1x2x2x5x5xf32>, tensor<2x2x3x2x2x2x2xf32>)
// CHECK: math.fma
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 2, 5, 3, 6, 4]
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 6, 6, 6] [1, 1, 1, 1] : tensor<1x6x8x8xf32> to tensor<1x6x6x6xf32>
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x6x6xf32> {
  %0 = nn.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// A constant filter is rearranged at compile time: phase 0 takes taps 2 and
// 0 (3 and 1), phase 1 tap 1 (2) after a zero.
// CHECK-LABEL: func.func @conv_transpose_constant(
// CHECK: arith.constant dense<{{\[\[\[\[\[}}3.000000e+00, 1.000000e+00], [0.000000e+00, 2.000000e+00]]]]]> : tensor<1x1x1x2x2xf32>
// CHECK: linalg.generic
// CHECK-NOT: tensor.extract %
// CHECK: return
func.func @conv_transpose_constant(%x: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %w = nn.constant dense<[[[1.0, 2.0, 3.0]]]> : tensor<1x1x3xf32>
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>, output_padding = array<i64: 0>} : (tensor<1x1x2xf32>, tensor<1x1x3xf32>) -> tensor<1x1x5xf32>
  return %0 : tensor<1x1x5xf32>
}

// Dilation 2 with stride 1: the dilated taps are gathered where d divides kd.
// CHECK-LABEL: func.func @conv_transpose_dilated(
// CHECK: arith.constant dense<{{\[\[\[\[\[}}2.000000e+00, 0.000000e+00, 1.000000e+00]]]]]> : tensor<1x1x1x1x3xf32>
func.func @conv_transpose_dilated(%x: tensor<1x1x4xf32>) -> tensor<1x1x6xf32> {
  %w = nn.constant dense<[[[1.0, 2.0]]]> : tensor<1x1x2xf32>
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1>, pads = array<i64: 0, 0>, dilations = array<i64: 2>, output_padding = array<i64: 0>} : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x6xf32>
  return %0 : tensor<1x1x6xf32>
}

// Large stride, small input: the phases are the inner loops, after the
// positions in the accumulator [N, G, M/G, Q0, Q1, s0, s1] and the filter.
// CHECK-LABEL: func.func @conv_transpose_phases_inner(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d3, d4 + d6, d5 + d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d3, d2, d4, d5, d8, d9)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d6, d7, d8, d9)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<1x1x2x3x3xf32>, tensor<1x2x3x2x2x4x4xf32>) outs(%{{.*}} : tensor<1x1x3x2x2x4x4xf32>)
// CHECK: linalg.transpose {{.*}} permutation = [0, 1, 2, 3, 5, 4, 6]
// CHECK-NOT: tensor.extract_slice
// CHECK: return
func.func @conv_transpose_phases_inner(%x: tensor<1x2x1x1xf32>, %w: tensor<2x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 4, 4>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x1x1xf32>, tensor<2x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x8x8xf32>
}

// Nearest: one tap per axis, no weights, a pure gather; N and C keep their
// index.
// CHECK-LABEL: func.func @resize_nearest(
// CHECK-DAG: %[[H:.*]] = arith.constant dense<{{\[\[}}0], [0], [1], [1]]> : tensor<4x1xi64>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}0], [0], [0], [1], [1], [1]]> : tensor<6x1xi64>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d2, 0)>, affine_map<(d0, d1, d2, d3) -> (d3, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[H]], %[[W]] : tensor<4x1xi64>, tensor<6x1xi64>)
// CHECK: %[[N:.*]] = linalg.index 0
// CHECK: %[[C:.*]] = linalg.index 1
// CHECK: %[[Y:.*]] = arith.index_cast
// CHECK: %[[X:.*]] = arith.index_cast
// CHECK: %[[V:.*]] = tensor.extract %{{.*}}[%[[N]], %[[C]], %[[Y]], %[[X]]]
// CHECK-NEXT: linalg.yield %[[V]]
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32> {
  %0 = nn.resize %x {coordinate_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<floor>, sizes = array<i64: 1, 1, 4, 6>, scales = array<f64: 1.0, 1.0, 2.0, 3.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// Bilinear, half_pixel, x2: two taps per axis with weights 1/4, 3/4 (the
// edges clamp to one tap of weight 1); four extracts.
// CHECK-LABEL: func.func @resize_linear(
// CHECK-DAG: arith.constant dense<{{\[\[}}0, 0], [0, 1], [0, 1], [1, 0]]> : tensor<4x2xi64>
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [7.500000e-01, 2.500000e-01], [2.500000e-01, 7.500000e-01], [1.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract
// CHECK: linalg.yield
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %0 = nn.resize %x {mode = #nn.interpolation<linear>, sizes = array<i64: 1, 1, 4, 4>, scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// Cubic: four taps (fewer at the edges, where clamped taps merge).
// CHECK-LABEL: func.func @resize_cubic(
// CHECK: tensor<8x4xi64>
// CHECK: linalg.generic
// CHECK-COUNT-4: tensor.extract
// CHECK: linalg.yield
func.func @resize_cubic(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  %0 = nn.resize %x {mode = #nn.interpolation<cubic>, sizes = array<i64: 1, 8>, scales = array<f64: 1.0, 2.0>} : (tensor<1x4xf32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// tf_crop_and_resize: outputs mapped outside the input (x = -1.5 for the
// first) are the extrapolation value.
// CHECK-LABEL: func.func @resize_crop(
// CHECK: %[[M:.*]] = arith.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK: linalg.generic {{.*}} affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK: %[[E:.*]] = arith.constant 1.000000e+01 : f32
// CHECK: arith.select %{{.*}}, %[[E]], %{{.*}} : f32
func.func @resize_crop(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %0 = nn.resize %x {mode = #nn.interpolation<linear>, coordinate_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, -0.5, 1.0, 1.0>, extrapolation_value = 10.0 : f64, sizes = array<i64: 1, 3>, scales = array<f64: 1.0, 0.75>} : (tensor<1x4xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// Max pooling with indices: one generic, two outputs (the maximum from the
// lowest value, the index from 0); the index is (n * C + c) * 25 + the
// column-major offset (storage_order 1: h + w * 5); a strictly greater
// value replaces both.
// CHECK-LABEL: func.func @pool(
// CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[V:.*]] = linalg.fill ins(%[[LOW]] : f32)
// CHECK: %[[I:.*]] = linalg.fill ins(%{{.*}} : i64)
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}{{.*}} outs(%[[V]], %[[I]] :
// CHECK: arith.constant 25 : index
// CHECK: arith.constant 5 : index
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK: arith.select %[[GT]]
// CHECK: arith.select %[[GT]]
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @pool(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) {
  %v, %i = nn.max_pool_with_indices %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, storage_order = 1 : i64} : (tensor<1x2x5x5xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>)
  return %v, %i : tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>
}

// Unpooling scatters in an scf.for over the 8 inputs into 32 + 1 zeros
// (stray indices go to the extra one), then pads [1, 2, 4, 4] to
// output_shape.
// CHECK-LABEL: func.func @unpool(
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<33xf32>)
// CHECK: %[[C32:.*]] = arith.constant 32 : index
// CHECK: %[[L:.*]] = scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[Z]]) -> (tensor<33xf32>)
// CHECK: %[[X:.*]] = tensor.extract %{{.*}}[%[[J]]] : tensor<8xf32>
// CHECK: %[[K:.*]] = tensor.extract %{{.*}}[%[[J]]] : tensor<8xi64>
// CHECK: %[[IDX:.*]] = arith.index_cast %[[K]]
// CHECK: %[[AT:.*]] = arith.select %{{.*}}, %[[IDX]], %[[C32]] : index
// CHECK: %[[NEXT:.*]] = tensor.insert %[[X]] into %[[ACC]][%[[AT]]]
// CHECK: scf.yield %[[NEXT]]
// CHECK: tensor.extract_slice %[[L]][0] [32] [1]
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
func.func @unpool(%v: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32> {
  %u = nn.max_unpool %v, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 5, 5>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32>
  return %u : tensor<1x2x5x5xf32>
}

// With indexed_shape the indices address the 5x5 pooled tensor directly.
// CHECK-LABEL: func.func @unpool_indexed(
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<51xf32>)
// CHECK: scf.for
// CHECK: tensor.extract_slice %{{.*}}[0] [50] [1]
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x5x5xf32>
// CHECK-NOT: tensor.pad
// CHECK: return
func.func @unpool_indexed(%v: tensor<1x2x2x2xf32>, %i: tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32> {
  %u = nn.max_unpool %v, %i {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, output_shape = array<i64: 1, 2, 5, 5>, indexed_shape = array<i64: 1, 2, 5, 5>} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xi64>) -> tensor<1x2x5x5xf32>
  return %u : tensor<1x2x5x5xf32>
}
