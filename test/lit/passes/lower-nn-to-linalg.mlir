// --kiln-lower-nn-to-linalg: every nn op family to linalg/tensor/arith/math
// on signless tensors.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg --mlir-print-local-scope | FileCheck %s
// Nothing of the nn dialect is left, and the result verifies and reparses.
// RUN: kiln-opt %s --kiln-lower-nn-to-linalg | kiln-opt | FileCheck %s --check-prefix=NONN
// NONN-NOT: nn.
// NONN-NOT: ui8

//===----------------------------------------------------------------------===//
// Elementwise, with broadcasting maps
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_broadcast(
// CHECK-SAME: %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Size-1 dimensions that broadcast read index 0.
// CHECK-LABEL: func.func @mul_outer(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK: arith.mulf
func.func @mul_outer(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.mul %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A rank-0 operand has an empty map.
// CHECK-LABEL: func.func @sub_scalar(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> ()>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK: arith.subf
func.func @sub_scalar(%a: tensor<2x3x4xf32>, %b: tensor<f32>) -> tensor<2x3x4xf32> {
  %0 = nn.sub %a, %b : (tensor<2x3x4xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// Unsigned element types become signless; the arithmetic is unsigned.
// CHECK-LABEL: func.func @unsigned(
// CHECK-SAME: %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi1>)
// CHECK: arith.divui %{{.*}}, %{{.*}} : i8
// CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
// CHECK: arith.minui %{{.*}}, %{{.*}} : i8
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i8
// CHECK: arith.remui %{{.*}}, %{{.*}} : i8
// CHECK: arith.cmpi uge, %{{.*}}, %{{.*}} : i8
// CHECK: return %{{.*}} : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi1>
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xi1>) {
  %0 = nn.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = nn.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = nn.min %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = nn.less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  %4 = nn.mod %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %5 = nn.greater_equal %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xi1>
}

// The same ops on signed integers.
// CHECK-LABEL: func.func @signed(
// CHECK: arith.divsi %{{.*}}, %{{.*}} : i8
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : i8
// CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : i8
// Python-style remainder: remsi, then a fix-up toward the divisor's sign.
// CHECK: arith.remsi %{{.*}}, %{{.*}} : i8
// CHECK: arith.select
func.func @signed(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>) {
  %0 = nn.div %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %1 = nn.max %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  %2 = nn.less %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi1>
  %3 = nn.mod %a, %b : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1, %2, %3 : tensor<4xi8>, tensor<4xi8>, tensor<4xi1>, tensor<4xi8>
}

// fmod keeps the sign of the dividend: a bare remf.
// CHECK-LABEL: func.func @fmod(
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
func.func @fmod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.mod %a, %b {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Unsigned constants keep their bits.
// CHECK-LABEL: func.func @unsigned_constant(
// CHECK: arith.constant dense<[1, 2, -6, -1]> : tensor<4xi8>
// CHECK: arith.addi %{{.*}}, %{{.*}} : i8
func.func @unsigned_constant(%x: tensor<4xui8>) -> tensor<4xui8> {
  %c = nn.constant dense<[1, 2, 250, 255]> : tensor<4xui8>
  %0 = nn.add %x, %c : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// Calls between functions are converted with the signatures.
// CHECK-LABEL: func.func @callee(%{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK-LABEL: func.func @caller(
// CHECK: call @callee(%{{.*}}) : (tensor<4xi8>) -> tensor<4xi8>
func.func @callee(%x: tensor<4xui8>) -> tensor<4xui8> {
  return %x : tensor<4xui8>
}
func.func @caller(%x: tensor<4xui8>) -> tensor<4xui8> {
  %0 = func.call @callee(%x) : (tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// Bools: logical ops are bitwise on i1; where selects on operand 1's type.
// CHECK-LABEL: func.func @logic(
// CHECK: arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: arith.xori %{{.*}}, %{{.*}} : i1
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
func.func @logic(%a: tensor<3xi1>, %b: tensor<3xi1>, %x: tensor<2x3xf32>, %y: tensor<f32>) -> (tensor<3xi1>, tensor<2x3xf32>) {
  %0 = nn.and %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %1 = nn.not %0 : tensor<3xi1>
  %2 = nn.where %1, %x, %y : (tensor<3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %1, %2 : tensor<3xi1>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unary(
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.maximumf %{{.*}}, %[[ZERO]] : f32
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: math.exp
// CHECK: math.roundeven
// CHECK: math.tanh
// CHECK: arith.cmpf uno
func.func @unary(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>) {
  %0 = nn.relu %a : tensor<4xf32>
  %1 = nn.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %2 = nn.sigmoid %a : tensor<4xf32>
  %3 = nn.round %a : tensor<4xf32>
  %4 = nn.tanh %a : tensor<4xf32>
  %5 = nn.is_nan %a : (tensor<4xf32>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>
}

// Casts pick the conversion by the nn (signed or unsigned) types.
// CHECK-LABEL: func.func @casts(
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: arith.fptoui %{{.*}} : f32 to i16
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: arith.cmpi ne, %{{.*}}, %{{.*}} : i32
func.func @casts(%a: tensor<4xui8>, %b: tensor<4xi1>, %c: tensor<4xf32>, %d: tensor<4xi8>, %e: tensor<4xbf16>, %f: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi64>, tensor<4xui16>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf16>, tensor<4xf32>, tensor<4xi1>) {
  %0 = nn.cast %a : (tensor<4xui8>) -> tensor<4xf32>
  %1 = nn.cast %b : (tensor<4xi1>) -> tensor<4xi64>
  %2 = nn.cast %c : (tensor<4xf32>) -> tensor<4xui16>
  %3 = nn.cast %a : (tensor<4xui8>) -> tensor<4xi32>
  %4 = nn.cast %c : (tensor<4xf32>) -> tensor<4xi32>
  %5 = nn.cast %d : (tensor<4xi8>) -> tensor<4xi32>
  %6 = nn.cast %c : (tensor<4xf32>) -> tensor<4xf16>
  %7 = nn.cast %e : (tensor<4xbf16>) -> tensor<4xf32>
  %8 = nn.cast %f : (tensor<4xi32>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xi64>, tensor<4xui16>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xf16>, tensor<4xf32>, tensor<4xi1>
}

// BitShift is logical on unsigned integers.
// CHECK-LABEL: func.func @bit_shift(
// CHECK: arith.shli %{{.*}}, %{{.*}} : i8
// CHECK: arith.shrui %{{.*}}, %{{.*}} : i8
func.func @bit_shift(%u: tensor<4xui8>, %s: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>) {
  %0 = nn.bit_shift %u, %s {left = true} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = nn.bit_shift %u, %s {left = false} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1 : tensor<4xui8>, tensor<4xui8>
}

// CHECK-LABEL: func.func @broadcast(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @broadcast(%x: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = nn.broadcast %x : (tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @gemm(
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} {{.*}} outs(%[[ACC]] : tensor<4x16xf32>)
// CHECK: math.fma
// alpha * AB + beta * C, C broadcast along rows.
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%[[P]], %{{.*}} : tensor<4x16xf32>, tensor<16xf32>)
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: arith.mulf
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = nn.gemm %a, %b, %c {alpha = 0.5 : f64, beta = 2.0 : f64, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// Batch dimensions broadcast; the loops are (batch.., m, k, n).
// CHECK-LABEL: func.func @matmul(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%{{.*}} : tensor<2x3x4x5xf32>)
func.func @matmul(%x: tensor<2x1x4x8xf32>, %y: tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = nn.matmul %x, %y : (tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// Integer contraction: multiply and add, no fma.
// CHECK-LABEL: func.func @matmul_int(
// CHECK: arith.muli
// CHECK-NEXT: arith.addi
func.func @matmul_int(%x: tensor<4x8xi32>, %y: tensor<8x5xi32>) -> tensor<4x5xi32> {
  %0 = nn.matmul %x, %y : (tensor<4x8xi32>, tensor<8x5xi32>) -> tensor<4x5xi32>
  return %0 : tensor<4x5xi32>
}

//===----------------------------------------------------------------------===//
// Convolution: linalg's named convolutions
//===----------------------------------------------------------------------===//

// Channels split into groups: the input viewed as [N, G, C/G, H, W], the
// filter as [G, F/G, C/G, KH, KW], the accumulator (the bias broadcast) as
// [N, G, F/G, OH, OW]; the named grouped convolution's result is reshaped
// back. (How the views are built, expand_shape or collapse + expand, is not
// checked.)
// CHECK-LABEL: func.func @conv_grouped(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x8x8xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>, %[[B:.*]]: tensor<6xf32>
// CHECK: tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: } : tensor<1x4x8x8xf32> to tensor<1x4x9x9xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%[[B]] : tensor<6xf32>) outs(%{{.*}} : tensor<1x6x4x4xf32>)
// CHECK-DAG: %[[XG:.*]] = tensor.expand_shape {{.*}} into tensor<1x2x2x9x9xf32>
// CHECK-DAG: %[[WG:.*]] = tensor.expand_shape {{.*}} into tensor<2x3x2x3x3xf32>
// CHECK-DAG: %[[ACC:.*]] = tensor.expand_shape {{.*}} into tensor<1x2x3x4x4xf32>
// CHECK: linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[XG]], %[[WG]] : tensor<1x2x2x9x9xf32>, tensor<2x3x2x3x3xf32>) outs(%[[ACC]] : tensor<1x2x3x4x4xf32>)
// CHECK: into tensor<1x6x4x4xf32>
// CHECK: return %{{.*}} : tensor<1x6x4x4xf32>
func.func @conv_grouped(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %0 = nn.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// Grouped in 1-D (linalg has no named grouped 1-D or 3-D convolution): a
// linalg.generic over (n, g, f, c, k, o) on the same views, reading the
// input at o * stride + k * dilation.
// CHECK-LABEL: func.func @conv1d_grouped(
// CHECK-DAG: %[[XG:.*]] = tensor.expand_shape {{.*}} into tensor<1x2x2x9xf32>
// CHECK-DAG: %[[WG:.*]] = tensor.expand_shape {{.*}} into tensor<2x3x2x3xf32>
// CHECK-DAG: %[[ACC:.*]] = tensor.expand_shape {{.*}} into tensor<1x2x3x2xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5 * 2 + d4 * 3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[XG]], %[[WG]] : tensor<1x2x2x9xf32>, tensor<2x3x2x3xf32>) outs(%[[ACC]] : tensor<1x2x3x2xf32>)
// CHECK: math.fma
// CHECK: into tensor<1x6x2xf32>
func.func @conv1d_grouped(%x: tensor<1x4x8xf32>, %w: tensor<6x2x3xf32>) -> tensor<1x6x2xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 2>, pads = array<i64: 0, 1>, dilations = array<i64: 3>, group = 2 : i64} : (tensor<1x4x8xf32>, tensor<6x2x3xf32>) -> tensor<1x6x2xf32>
  return %0 : tensor<1x6x2xf32>
}

// 1-D, strided and dilated, no bias (zero-filled accumulator), one group:
// the named 1-D convolution.
// CHECK-LABEL: func.func @conv1d(
// CHECK: %[[P:.*]] = tensor.pad %{{.*}} low[0, 0, 0] high[0, 0, 1]
// CHECK: %[[ACC:.*]] = linalg.fill {{.*}} -> tensor<2x5x3xf32>
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<2> : tensor<1xi64>, strides = dense<3> : tensor<1xi64>} ins(%[[P]], %{{.*}} : tensor<2x3x11xf32>, tensor<5x3x2xf32>) outs(%[[ACC]] : tensor<2x5x3xf32>)
func.func @conv1d(%x: tensor<2x3x10xf32>, %w: tensor<5x3x2xf32>) -> tensor<2x5x3xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 3>, pads = array<i64: 0, 1>, dilations = array<i64: 2>} : (tensor<2x3x10xf32>, tensor<5x3x2xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// Depthwise: as many groups as channels, one filter per group: the named
// depthwise op, its filter [8, 1, 3, 3] viewed as [8, 3, 3].
// CHECK-LABEL: func.func @conv_depthwise(
// CHECK: %[[W:.*]] = tensor.expand_shape {{.*}} into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %[[W]] : tensor<1x8x6x6xf32>, tensor<8x3x3xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>)
// CHECK: return %{{.*}} : tensor<1x8x4x4xf32>
func.func @conv_depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// ceil_mode: the last window runs past the input, which is padded with -inf.
// CHECK-LABEL: func.func @max_pool_ceil(
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG_INF]] : f32
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<1x4x4x4xf32>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.*}}, %[[WIN]] : tensor<1x4x9x9xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x4x4x4xf32>)
// CHECK: arith.maximumf
func.func @max_pool_ceil(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %0 = nn.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// Integer max pooling starts from the type's minimum.
// CHECK-LABEL: func.func @max_pool_i8(
// CHECK: arith.constant -128 : i8
// CHECK: arith.maxsi
func.func @max_pool_i8(%x: tensor<1x1x4xi8>) -> tensor<1x1x2xi8> {
  %0 = nn.max_pool %x {kernel_shape = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>, dilations = array<i64: 1>} : (tensor<1x1x4xi8>) -> tensor<1x1x2xi8>
  return %0 : tensor<1x1x2xi8>
}

// The divisor table counts the window positions inside the input...
// CHECK-LABEL: func.func @avg_pool(
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK: arith.addf
// CHECK: %[[D:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00], [6.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%{{.*}}, %[[D]] :
// CHECK: arith.divf
func.func @avg_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = nn.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// ... or inside the padded input with count_include_pad.
// CHECK-LABEL: func.func @avg_pool_include_pad(
// CHECK: arith.constant dense<9.000000e+00> : tensor<2x2xf32>
func.func @avg_pool_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = nn.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, count_include_pad = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// Per channel a = scale / sqrt(var + eps) and b = bias - mean * a, then one
// multiply-add per element with [C, 1, 1] broadcast along axis 1.
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME: %[[X:.*]]: tensor<1x4x8x8xf32>, %[[S:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>, %[[M:.*]]: tensor<4xf32>, %[[V:.*]]: tensor<4xf32>)
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%[[S]], %[[V]] : tensor<4xf32>, tensor<4xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: %[[SH:.*]] = linalg.generic {{.*}} ins(%[[B]], %[[M]], %[[A]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: arith.mulf
// CHECK: arith.subf
// CHECK: %[[A3:.*]] = tensor.expand_shape %[[A]] {{\[\[}}0, 1, 2]] output_shape [4, 1, 1] : tensor<4xf32> into tensor<4x1x1xf32>
// CHECK: %[[SH3:.*]] = tensor.expand_shape %[[SH]] {{\[\[}}0, 1, 2]] output_shape [4, 1, 1]
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d1, 0, 0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]{{.*}} ins(%[[X]], %[[A3]], %[[SH3]] :
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
func.func @batch_norm(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = nn.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// max, x - max, exp, sum, divide.
// CHECK-LABEL: func.func @softmax(
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK: arith.maximumf
// CHECK: %[[MAXK:.*]] = tensor.expand_shape %[[MAX]] {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>]{{.*}} ins(%{{.*}}, %[[MAXK]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK-NOT: math.log
// CHECK: return
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = nn.softmax %x {axis = 1 : i64} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// log-softmax over axis 0: (x - max) - log(sum).
// CHECK-LABEL: func.func @log_softmax(
// CHECK: iterator_types = ["reduction", "parallel"]
// CHECK: tensor.expand_shape {{.*}} output_shape [1, 5] : tensor<5xf32> into tensor<1x5xf32>
// CHECK: math.exp
// CHECK: math.log
// CHECK-NEXT: arith.subf
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = nn.softmax %x {axis = 0 : i64, log = true} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// CHECK-LABEL: func.func @lrn(
// CHECK: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 1, 0, 0]
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 + d4, d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK: math.powf
func.func @lrn(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = nn.lrn %x {size = 3 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// keepdims: reduce to the kept axes, then expand to the result shape.
// CHECK-LABEL: func.func @reduce_mean(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK: arith.addf
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = nn.reduce %x {kind = #nn.reduce_kind<mean>, axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// Unsigned max starts from 0 and compares unsigned.
// CHECK-LABEL: func.func @reduce_max_unsigned(
// CHECK: %[[Z:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[Z]] : i8)
// CHECK: arith.maxui
func.func @reduce_max_unsigned(%x: tensor<2x3xui8>) -> tensor<2xui8> {
  %0 = nn.reduce %x {kind = #nn.reduce_kind<max>, axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// CHECK-LABEL: func.func @reduce_kinds(
// CHECK: math.absf
// CHECK: arith.mulf
// CHECK: math.sqrt
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: arith.mulf
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.minimumf
func.func @reduce_kinds(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %0 = nn.reduce %x {kind = #nn.reduce_kind<l1>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %1 = nn.reduce %x {kind = #nn.reduce_kind<l2>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %2 = nn.reduce %x {kind = #nn.reduce_kind<log_sum_exp>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %3 = nn.reduce %x {kind = #nn.reduce_kind<prod>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %4 = nn.reduce %x {kind = #nn.reduce_kind<min>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0, %1, %2, %3, %4 : tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>
}

// The index of the first maximum: a strict comparison, the index from
// linalg.index of the reduced loop.
// CHECK-LABEL: func.func @argmax(
// CHECK: %[[V:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[BEST:.*]]: f32, %[[IDX:.*]]: i64):
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[IN]], %[[BEST]] : f32
// CHECK: arith.select %[[GT]], %[[IN]], %[[BEST]] : f32
// CHECK: arith.select %[[GT]], %[[I64]], %[[IDX]] : i64
// CHECK: tensor.expand_shape %[[V]]#1 {{\[\[}}0, 1]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
func.func @argmax(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// select_last_index: a non-strict comparison.
// CHECK-LABEL: func.func @argmin_last(
// CHECK: arith.constant 2147483647 : i32
// CHECK: linalg.index 0 : index
// CHECK: arith.cmpi sle
func.func @argmin_last(%x: tensor<2x3xi32>) -> tensor<3xi64> {
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<min>, axis = 0 : i64, keepdims = false, select_last_index = true} : (tensor<2x3xi32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x4xf32>
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: return %[[R]]
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = nn.reshape %x : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @reshape_to_scalar(
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1xf32> into tensor<f32>
func.func @reshape_to_scalar(%x: tensor<1x1xf32>) -> tensor<f32> {
  %0 = nn.reshape %x : (tensor<1x1xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @reshape_from_scalar(
// CHECK: tensor.expand_shape %{{.*}} [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
func.func @reshape_from_scalar(%x: tensor<f32>) -> tensor<1x1xf32> {
  %0 = nn.reshape %x : (tensor<f32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @transpose(
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// Empty inputs are skipped.
// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x0xf32>, %[[Z:.*]]: tensor<2x5xf32>
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[X]] into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x8xf32>
// CHECK-NOT: %[[Y]]
// CHECK: tensor.insert_slice %[[Z]] into %[[I0]][0, 3] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<2x8xf32>
func.func @concat(%x: tensor<2x3xf32>, %y: tensor<2x0xf32>, %z: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = nn.concat %x, %y, %z {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @slice_forward(
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[1, 2] [2, 3] [1, 2] : tensor<4x10xf32> to tensor<2x3xf32>
// CHECK-NEXT: return %[[S]]
func.func @slice_forward(%x: tensor<4x10xf32>) -> tensor<2x3xf32> {
  %0 = nn.slice %x {starts = array<i64: 1, 2>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 2>} : (tensor<4x10xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// A negative step: elements 8, 5, 2 are the strided slice 2, 5, 8 read
// backwards.
// CHECK-LABEL: func.func @slice_negative_step(
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[1, 2] [2, 3] [2, 3] : tensor<4x10xf32> to tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, -d1 + 2)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[S]] : tensor<2x3xf32>)
func.func @slice_negative_step(%x: tensor<4x10xf32>) -> tensor<2x3xf32> {
  %0 = nn.slice %x {starts = array<i64: 1, 8>, sizes = array<i64: 2, 3>, steps = array<i64: 2, -3>} : (tensor<4x10xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @pad_constant(
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %{{.*}} low[1, 2] high[0, 1]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<2x3xf32> to tensor<3x6xf32>
func.func @pad_constant(%x: tensor<2x3xf32>) -> tensor<3x6xf32> {
  %0 = nn.pad %x {pads = array<i64: 1, 2, 0, 1>, value = 1.5 : f64} : (tensor<2x3xf32>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// reflect: -i before the start, 2(n-1) - i after the end.
// CHECK-LABEL: func.func @pad_reflect(
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x7xf32>)
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[I:.*]] = arith.subi %[[J]], %[[C2]] : index
// CHECK: %[[LOW:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK: %[[HIGH:.*]] = arith.cmpi sge, %[[I]], %{{.*}} : index
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[AFTER:.*]] = arith.subi %[[C4]], %[[I]] : index
// CHECK: %[[R0:.*]] = arith.select %[[LOW]], %{{.*}}, %[[I]] : index
// CHECK: %[[R:.*]] = arith.select %[[HIGH]], %[[AFTER]], %[[R0]] : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[R]]] : tensor<2x3xf32>
func.func @pad_reflect(%x: tensor<2x3xf32>) -> tensor<2x7xf32> {
  %0 = nn.pad %x {pads = array<i64: 0, 2, 0, 2>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// edge: clamp into the input.
// CHECK-LABEL: func.func @pad_edge(
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[I:.*]] = arith.subi %[[J]], %{{.*}} : index
// CHECK: %[[MAX:.*]] = arith.maxsi %[[I]], %{{.*}} : index
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[CL:.*]] = arith.minsi %[[MAX]], %[[C2]] : index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[CL]]] : tensor<2x3xf32>
// CHECK-NOT: arith.select
// CHECK: linalg.yield
func.func @pad_edge(%x: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #nn.pad_mode<edge>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// Negative pads crop: the general form, selecting the value outside.
// CHECK-LABEL: func.func @pad_crop(
// CHECK: %[[CM1:.*]] = arith.constant -1 : index
// CHECK: arith.subi %{{.*}}, %[[CM1]] : index
// CHECK: %[[V:.*]] = tensor.extract
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: arith.select %{{.*}}, %[[V]], %[[Z]] : f32
func.func @pad_crop(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.pad %x {pads = array<i64: 0, -1, 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Indices map onto the gathered axis; negative ones wrap, all are clamped.
// CHECK-LABEL: func.func @gather(
// CHECK-SAME: %[[X:.*]]: tensor<3x5x4xf32>, %[[I:.*]]: tensor<2x2xi64>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x2xi64>) outs(%{{.*}} : tensor<3x2x2x4xf32>)
// CHECK: ^bb0(%[[IN:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[IDX:.*]] = arith.index_cast %[[IN]] : i64 to index
// CHECK: %[[C5:.*]] = arith.constant 5 : index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[IDX]], %{{.*}} : index
// CHECK: %[[WRAP:.*]] = arith.addi %[[IDX]], %[[C5]] : index
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[IDX]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %{{.*}} : index
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[CL:.*]] = arith.minsi %[[LO]], %[[C4]] : index
// CHECK: %[[D0:.*]] = linalg.index 0 : index
// CHECK: %[[D3:.*]] = linalg.index 3 : index
// CHECK: tensor.extract %[[X]][%[[D0]], %[[CL]], %[[D3]]] : tensor<3x5x4xf32>
func.func @gather(%x: tensor<3x5x4xf32>, %i: tensor<2x2xi64>) -> tensor<3x2x2x4xf32> {
  %0 = nn.gather %x, %i {axis = 1 : i64} : (tensor<3x5x4xf32>, tensor<2x2xi64>) -> tensor<3x2x2x4xf32>
  return %0 : tensor<3x2x2x4xf32>
}

// Unsigned indices are zero-extended.
// CHECK-LABEL: func.func @gather_unsigned(
// CHECK: arith.index_castui %{{.*}} : i8 to index
func.func @gather_unsigned(%x: tensor<5xf32>, %i: tensor<2xui8>) -> tensor<2xf32> {
  %0 = nn.gather %x, %i {axis = 0 : i64} : (tensor<5xf32>, tensor<2xui8>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
