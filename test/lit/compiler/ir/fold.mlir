// Constant folding and the folders of the nn ops.
// RUN: kiln-opt %s --canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @add_broadcast
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<{{\[\[}}1.100000e+01, 2.200000e+01, 3.300000e+01], [1.400000e+01, 2.500000e+01, 3.600000e+01]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @add_broadcast() -> tensor<2x3xf32> {
  %a = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = nn.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Both operands broadcast: [2,1] * [3] -> [2,3].
// CHECK-LABEL: func.func @mul_outer
// CHECK-NEXT: nn.constant dense<{{\[\[}}3, 4, 5], [6, 8, 10]]> : tensor<2x3xi32>
// CHECK-NOT: nn.mul
func.func @mul_outer() -> tensor<2x3xi32> {
  %c = nn.constant dense<[[1], [2]]> : tensor<2x1xi32>
  %d = nn.constant dense<[3, 4, 5]> : tensor<3xi32>
  %0 = nn.mul %c, %d : (tensor<2x1xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Splat and scalar operands; a chain folds completely.
// CHECK-LABEL: func.func @sub_div_chain
// CHECK-NEXT: nn.constant dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return
func.func @sub_div_chain() -> tensor<2xf32> {
  %a = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = nn.constant dense<0.5> : tensor<f32>
  %0 = nn.sub %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %1 = nn.div %0, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

// -----

// Splat op splat stays a splat.
// CHECK-LABEL: func.func @splat_mul
// CHECK-NEXT: nn.constant dense<6.000000e+00> : tensor<4x4xf32>
func.func @splat_mul() -> tensor<4x4xf32> {
  %a = nn.constant dense<2.0> : tensor<4x4xf32>
  %b = nn.constant dense<3.0> : tensor<4xf32>
  %0 = nn.mul %a, %b : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Integer division truncates toward zero; unsigned types divide unsigned.
// CHECK-LABEL: func.func @div_int
// CHECK-DAG: nn.constant dense<[-3, 3]> : tensor<2xi32>
// CHECK-DAG: nn.constant dense<[66, 14]> : tensor<2xui8>
// CHECK-DAG: nn.constant dense<9223372036854775807> : tensor<ui64>
// CHECK-NOT: nn.div
func.func @div_int() -> (tensor<2xi32>, tensor<2xui8>, tensor<ui64>) {
  %g = nn.constant dense<[-7, 7]> : tensor<2xi32>
  %h = nn.constant dense<2> : tensor<i32>
  %0 = nn.div %g, %h : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  %e = nn.constant dense<[200, 100]> : tensor<2xui8>
  %f = nn.constant dense<[3, 7]> : tensor<2xui8>
  %1 = nn.div %e, %f : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  %u = nn.constant dense<18446744073709551615> : tensor<ui64>
  %two = nn.constant dense<2> : tensor<ui64>
  %2 = nn.div %u, %two : (tensor<ui64>, tensor<ui64>) -> tensor<ui64>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xui8>, tensor<ui64>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: func.func @div_by_zero
// CHECK: nn.div
func.func @div_by_zero() -> tensor<2xi32> {
  %g = nn.constant dense<[-7, 7]> : tensor<2xi32>
  %z = nn.constant dense<0> : tensor<i32>
  %0 = nn.div %g, %z : (tensor<2xi32>, tensor<i32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Only one operand constant: nothing to fold.
// CHECK-LABEL: func.func @add_not_constant
// CHECK: nn.add
func.func @add_not_constant(%x: tensor<3xf32>) -> tensor<3xf32> {
  %b = nn.constant dense<1.0> : tensor<3xf32>
  %0 = nn.add %x, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-NEXT: return
func.func @reshape_constant() -> tensor<3x2xi64> {
  %a = nn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = nn.reshape %a : (tensor<2x3xi64>) -> tensor<3x2xi64>
  return %0 : tensor<3x2xi64>
}

// -----

// CHECK-LABEL: func.func @reshape_bool_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}true, false], [true, true]]> : tensor<2x2xi1>
func.func @reshape_bool_constant() -> tensor<2x2xi1> {
  %a = nn.constant dense<[true, false, true, true]> : tensor<4xi1>
  %0 = nn.reshape %a : (tensor<4xi1>) -> tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// -----

// reshape(reshape(x)) is one reshape of x.
// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<24xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %0 = nn.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = nn.reshape %0 : (tensor<6x4xf32>) -> tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// Three reshapes in a row, and one that comes back to the input's shape.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = nn.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[X]], %[[R]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x6xf32>) {
  %0 = nn.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = nn.reshape %0 : (tensor<6x4xf32>) -> tensor<2x3x4xf32>
  %2 = nn.reshape %0 : (tensor<6x4xf32>) -> tensor<24xf32>
  %3 = nn.reshape %2 : (tensor<24xf32>) -> tensor<4x6xf32>
  return %1, %3 : tensor<2x3x4xf32>, tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @concat_constants
// CHECK-NEXT: nn.constant dense<{{\[\[}}1, 3, 4], [2, 5, 6]]> : tensor<2x3xi64>
// CHECK-NEXT: return
func.func @concat_constants() -> tensor<2x3xi64> {
  %a = nn.constant dense<[[1], [2]]> : tensor<2x1xi64>
  %b = nn.constant dense<[[3, 4], [5, 6]]> : tensor<2x2xi64>
  %0 = nn.concat %a, %b {axis = 1 : i64} : (tensor<2x1xi64>, tensor<2x2xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// The shape-building pattern of exporters: concat of 1-D constants, one a splat.
// CHECK-LABEL: func.func @concat_shape
// CHECK-NEXT: nn.constant dense<[1, -1, 7, 7]> : tensor<4xi64>
func.func @concat_shape() -> tensor<4xi64> {
  %a = nn.constant dense<[1, -1]> : tensor<2xi64>
  %b = nn.constant dense<7> : tensor<2xi64>
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// A concat of one input is that input.
// CHECK-LABEL: func.func @concat_single
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @concat_single(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A negative step on both axes.
// CHECK-LABEL: func.func @slice_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}6.000000e+00, 4.000000e+00], [3.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return
func.func @slice_constant() -> tensor<2x2xf32> {
  %a = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = nn.slice %a {starts = array<i64: 1, 2>, sizes = array<i64: 2, 2>, steps = array<i64: -1, -2>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @slice_to_empty
// CHECK-NEXT: nn.constant dense<> : tensor<0x3xf32>
func.func @slice_to_empty() -> tensor<0x3xf32> {
  %a = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = nn.slice %a {starts = array<i64: 0, 0>, sizes = array<i64: 0, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}

// -----

// CHECK-LABEL: func.func @slice_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @slice_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A full-size slice with a negative step reverses: not an identity.
// CHECK-LABEL: func.func @slice_reverse
// CHECK: nn.slice
func.func @slice_reverse(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = nn.slice %x {starts = array<i64: 2>, sizes = array<i64: 3>, steps = array<i64: -1>} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Negative indices count from the end.
// CHECK-LABEL: func.func @gather_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}3, 1], [6, 4]]> : tensor<2x2xi64>
// CHECK-NEXT: return
func.func @gather_constant() -> tensor<2x2xi64> {
  %a = nn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %i = nn.constant dense<[-1, 0]> : tensor<2xi64>
  %0 = nn.gather %a, %i {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0 : tensor<2x2xi64>
}

// -----

// The Shape -> Gather(scalar index) pattern: a rank-0 index drops the axis.
// CHECK-LABEL: func.func @gather_scalar_index
// CHECK-NEXT: nn.constant dense<224> : tensor<i64>
func.func @gather_scalar_index() -> tensor<i64> {
  %a = nn.constant dense<[1, 3, 224, 224]> : tensor<4xi64>
  %i = nn.constant dense<2> : tensor<i32>
  %0 = nn.gather %a, %i {axis = 0 : i64} : (tensor<4xi64>, tensor<i32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// CHECK-LABEL: func.func @gather_bool
// CHECK-NEXT: nn.constant dense<[false, true]> : tensor<2xi1>
func.func @gather_bool() -> tensor<2xi1> {
  %a = nn.constant dense<[true, false, true]> : tensor<3xi1>
  %i = nn.constant dense<[1, 2]> : tensor<2xi32>
  %0 = nn.gather %a, %i {axis = 0 : i64} : (tensor<3xi1>, tensor<2xi32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// An index out of range is not folded (it is an error at run time).
// CHECK-LABEL: func.func @gather_out_of_range
// CHECK: nn.gather
func.func @gather_out_of_range() -> tensor<2xf32> {
  %a = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %i = nn.constant dense<[1, 5]> : tensor<2xi32>
  %0 = nn.gather %a, %i {axis = 0 : i64} : (tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_constant
// CHECK-NEXT: nn.constant dense<{{\[\[}}1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-NEXT: return
func.func @transpose_constant() -> tensor<3x2xi32> {
  %a = nn.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = nn.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_3d
// CHECK-NEXT: nn.constant dense<{{\[\[\[}}0, 4, 8], [1, 5, 9]], {{\[\[}}2, 6, 10], [3, 7, 11]]]> : tensor<2x2x3xi8>
func.func @transpose_3d() -> tensor<2x2x3xi8> {
  // [3][2][2] -> perm (1, 2, 0) -> [2][2][3]
  %a = nn.constant dense<[[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]]> : tensor<3x2x2xi8>
  %0 = nn.transpose %a {perm = array<i64: 1, 2, 0>} : (tensor<3x2x2xi8>) -> tensor<2x2x3xi8>
  return %0 : tensor<2x2x3xi8>
}

// -----

// CHECK-LABEL: func.func @transpose_bool
// CHECK-NEXT: nn.constant dense<{{\[\[}}true, true], [false, true], [false, false]]> : tensor<3x2xi1>
func.func @transpose_bool() -> tensor<3x2xi1> {
  %a = nn.constant dense<[[true, false, false], [true, true, false]]> : tensor<2x3xi1>
  %0 = nn.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xi1>) -> tensor<3x2xi1>
  return %0 : tensor<3x2xi1>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Float to int truncates toward zero; int to float; unsigned stays unsigned.
// CHECK-LABEL: func.func @cast_constants
// CHECK-DAG: nn.constant dense<[1, -2, 3]> : tensor<3xi32>
// CHECK-DAG: nn.constant dense<[1.000000e+00, -2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: nn.constant dense<[255, 200]> : tensor<2xi32>
// CHECK-DAG: nn.constant dense<[-1.000000e+00, 1.270000e+02]> : tensor<2xf32>
// CHECK-DAG: nn.constant dense<[255, 1]> : tensor<2xui8>
// CHECK-DAG: nn.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NOT: nn.cast
func.func @cast_constants() -> (tensor<3xi32>, tensor<3xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xui8>, tensor<2xi1>) {
  %a = nn.constant dense<[1.7, -2.7, 3.0]> : tensor<3xf32>
  %0 = nn.cast %a : (tensor<3xf32>) -> tensor<3xi32>
  %1 = nn.cast %0 : (tensor<3xi32>) -> tensor<3xf32>
  %u = nn.constant dense<[255, 200]> : tensor<2xui8>
  %2 = nn.cast %u : (tensor<2xui8>) -> tensor<2xi32>
  %s = nn.constant dense<[-1, 127]> : tensor<2xi8>
  %3 = nn.cast %s : (tensor<2xi8>) -> tensor<2xf32>
  %v = nn.constant dense<[255.0, 1.0]> : tensor<2xf32>
  %4 = nn.cast %v : (tensor<2xf32>) -> tensor<2xui8>
  %f = nn.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %5 = nn.cast %f : (tensor<2xf32>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi32>, tensor<3xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xui8>, tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @cast_splat
// CHECK-NEXT: nn.constant dense<1.500000e+00> : tensor<4xf16>
func.func @cast_splat() -> tensor<4xf16> {
  %a = nn.constant dense<1.5> : tensor<4xf32>
  %0 = nn.cast %a : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @cast_bool_to_float
// CHECK-NEXT: nn.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
func.func @cast_bool_to_float() -> tensor<2xf32> {
  %c = nn.constant dense<[true, false]> : tensor<2xi1>
  %0 = nn.cast %c : (tensor<2xi1>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @cast_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @cast_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.cast %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Unused nn ops are pure: canonicalization erases them.
// CHECK-LABEL: func.func @dead
// CHECK-NEXT: return
func.func @dead(%x: tensor<2x3xf32>) {
  %0 = nn.relu %x : tensor<2x3xf32>
  %1 = nn.softmax %0 {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// CHECK-LABEL: func.func @neg_constant
// CHECK-NEXT: nn.constant dense<[-1.000000e+00, 2.000000e+00, -0.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return
func.func @neg_constant() -> tensor<3xf32> {
  %a = nn.constant dense<[1.0, -2.0, 0.0]> : tensor<3xf32>
  %0 = nn.neg %a : tensor<3xf32>
  return %0 : tensor<3xf32>
}
