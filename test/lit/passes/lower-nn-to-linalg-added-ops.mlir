// --kiln-lower-nn-to-linalg of nn.top_k, nn.einsum, nn.det, nn.cumprod,
// nn.bitcast, nn.bit_shift, nn.grid_sample, nn.roi_align and of the narrow types (float8,
// sub-byte integers), which are stored as i8.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg --mlir-print-local-scope | FileCheck %s
// Nothing of the nn dialect is left, and the result verifies and reparses.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | kiln-opt | FileCheck %s --check-prefix=NONN
// NONN-NOT: nn.

// top_k: ranks (a reduction over the other elements, ties to the lower
// index), then per output slot the element of that rank.
// CHECK-LABEL: func.func @top_k(
// CHECK: %[[RANKS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg0 : tensor<3x4xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<3x4xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpi ult
// CHECK: %[[PICK:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %[[RANKS]] : tensor<3x4xf32>, tensor<3x4xi64>) outs(%{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<3x2xi64>)
// CHECK: return %[[PICK]]#0, %[[PICK]]#1
func.func @top_k(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %0:2 = nn.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %0#0, %0#1 : tensor<3x2xf32>, tensor<3x2xi64>
}

// einsum: one generic, output letters first, summed letters reduced.
// CHECK-LABEL: func.func @einsum(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @einsum(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// A diagonal reads the same loop twice; bfloat16 sums in f32, rounded once.
// CHECK-LABEL: func.func @einsum_diagonal(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1, d1)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @einsum_diagonal(%m: tensor<2x3x3xbf16>) -> tensor<2x3xbf16> {
  %0 = nn.einsum %m {equation = "bii->bi"} : (tensor<2x3x3xbf16>) -> tensor<2x3xbf16>
  return %0 : tensor<2x3xbf16>
}

// det: per matrix, pivot search, row swap and elimination loops.
// CHECK-LABEL: func.func @det(
// CHECK: %[[COPY:.*]] = linalg.copy
// CHECK: %[[R:.*]]:2 = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[COPY]], %{{.*}} = %{{.*}}) -> (tensor<2x3x3xf32>, tensor<2xf32>)
// CHECK: scf.for {{.*}} -> (tensor<2x3x3xf32>, f32)
// CHECK: scf.for {{.*}} -> (index, f32)
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: arith.divf
// CHECK: return %[[R]]#1
func.func @det(%m: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = nn.det %m : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// cumprod: the cumsum loop nest with a product from 1.
// CHECK-LABEL: func.func @cumprod(
// CHECK: arith.constant 1 : i32
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.cmpi sge
// CHECK: arith.muli
func.func @cumprod(%i: tensor<4xi32>) -> tensor<4xi32> {
  %0 = nn.cumprod %i {axis = 0 : i64, reverse = true} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @bitcast(
// CHECK: arith.bitcast %{{.*}} : i32 to f32
func.func @bitcast(%i: tensor<4xi32>) -> tensor<4xf32> {
  %0 = nn.bitcast %i : (tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// A signed right shift is arithmetic; amounts outside [0, 16) give the sign.
// CHECK-LABEL: func.func @shift_signed(
// CHECK: %[[VALID:.*]] = arith.cmpi ult, %{{.*}}, %{{.*}} : i16
// CHECK: %[[SIGN:.*]] = arith.shrsi %{{.*}}, %{{.*}} : i16
// CHECK: %[[SHIFTED:.*]] = arith.shrsi %{{.*}}, %{{.*}} : i16
// CHECK: arith.select %[[VALID]], %[[SHIFTED]], %[[SIGN]] : i16
func.func @shift_signed(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = nn.bit_shift %a, %b {left = false} : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// grid_sample: a generic over the result that reads the grid (x last) and
// the input with tensor.extract.
// CHECK-LABEL: func.func @grid_sample(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(
// CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}, %{{.*}}, %c1] : tensor<1x3x3x2xf32>
// CHECK: math.roundeven
// CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}, %{{.*}}, %c0] : tensor<1x3x3x2xf32>
// CHECK: tensor.extract %arg0[{{.*}}] : tensor<1x2x4x4xf32>
func.func @grid_sample(%img: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = nn.grid_sample %img, %g {mode = #nn.interpolation<nearest>, padding_mode = #nn.grid_padding<border>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// float8 values are i8 codes: a cast to one rounds the f32 bits.
// CHECK-LABEL: func.func @to_float8(
// CHECK-SAME: -> tensor<4xi8>
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @to_float8(%x: tensor<4xf32>) -> tensor<4xf8E4M3FN> {
  %0 = nn.cast %x : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xf8E4M3FN>
}

// A cast from float8 decodes the code.
// CHECK-LABEL: func.func @from_float8(
// CHECK-SAME: %arg0: tensor<4xi8>
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.uitofp
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @from_float8(%x: tensor<4xf8E5M2>) -> tensor<4xf32> {
  %0 = nn.cast %x : (tensor<4xf8E5M2>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// int4 is stored sign-extended in i8: a cast from it is one from i8.
// CHECK-LABEL: func.func @from_int4(
// CHECK-SAME: %arg0: tensor<4xi8>
// CHECK: arith.sitofp %{{.*}} : i8 to f32
func.func @from_int4(%x: tensor<4xi4>) -> tensor<4xf32> {
  %0 = nn.cast %x : (tensor<4xi4>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// To int4 from a float: truncated toward zero, 0 where that is outside
// [-8, 7] or NaN (ONNX leaves it undefined), then the low 4 bits,
// sign-extended.
// CHECK-LABEL: func.func @to_int4(
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i8):
// CHECK: %[[LO:.*]] = arith.constant -9.000000e+00 : f32
// CHECK: %[[ABOVE:.*]] = arith.cmpf ogt, %[[X]], %[[LO]] : f32
// CHECK: %[[HI:.*]] = arith.constant 8.000000e+00 : f32
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[HI]] : f32
// CHECK: %[[IN:.*]] = arith.andi %[[ABOVE]], %[[BELOW]] : i1
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[SAFE:.*]] = arith.select %[[IN]], %[[X]], %[[ZERO]] : f32
// CHECK: arith.fptosi %[[SAFE]] : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i4
// CHECK: arith.extsi %{{.*}} : i4 to i8
func.func @to_int4(%x: tensor<4xf32>) -> tensor<4xi4> {
  %0 = nn.cast %x : (tensor<4xf32>) -> tensor<4xi4>
  return %0 : tensor<4xi4>
}

// To uint2 from an integer: the low 2 bits, as ONNX defines fixed-point
// narrowing, with no range check.
// CHECK-LABEL: func.func @int_to_uint2(
// CHECK-NOT: arith.cmp
// CHECK: arith.trunci %{{.*}} : i32 to i2
// CHECK: arith.extui %{{.*}} : i2 to i8
func.func @int_to_uint2(%x: tensor<4xi32>) -> tensor<4xui2> {
  %0 = nn.cast %x : (tensor<4xi32>) -> tensor<4xui2>
  return %0 : tensor<4xui2>
}

// Constants of sub-byte types hold their values in i8.
// CHECK-LABEL: func.func @constant_uint4(
// CHECK: arith.constant dense<[15, 3]> : tensor<2xi8>
func.func @constant_uint4() -> tensor<2xui4> {
  %0 = nn.constant dense<[15, 3]> : tensor<2xui4>
  return %0 : tensor<2xui4>
}

// roi_align: a generic over [R, C, oh, ow] that reads the roi, its batch
// index and, per sample, four taps; max mode keeps the largest weighted tap.
// CHECK-LABEL: func.func @roi_align(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} outs(%{{.*}} : tensor<3x2x2x2xf32>)
// CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}] : tensor<3x4xf32>
// CHECK: tensor.extract %arg2[%{{.*}}] : tensor<3xi64>
// CHECK: tensor.extract %arg0[{{.*}}] : tensor<1x2x8x8xf32>
// CHECK: arith.maximumf
func.func @roi_align(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x2x2xf32> {
  %0 = nn.roi_align %x, %rois, %b {mode = #nn.roi_align_mode<max>, output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 1 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return %0 : tensor<3x2x2x2xf32>
}
