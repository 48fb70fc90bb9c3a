// The folders of the comparisons, the logical and bitwise ops, max/min, mod,
// not and where: shape arithmetic that exporters compute from constants (an
// expanded Attention builds its Expand shapes with Equal, Not, Mod, And and
// Where) folds to constants at import.
// RUN: kiln-opt %s --canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @compare
// CHECK-DAG: nn.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: nn.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: nn.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: nn.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-NOT: nn.equal
// CHECK-NOT: nn.less
// CHECK-NOT: nn.greater
func.func @compare() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %a = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = nn.constant dense<2.0> : tensor<f32>
  %0 = nn.equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %1 = nn.less %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %2 = nn.less_equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %3 = nn.greater %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %0, %1, %2, %3 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// Unsigned integers compare unsigned: 200 (ui8) is greater than 100.
// CHECK-LABEL: func.func @compare_unsigned
// CHECK-NEXT: nn.constant dense<[true, false]> : tensor<2xi1>
func.func @compare_unsigned() -> tensor<2xi1> {
  %a = nn.constant dense<[200, 5]> : tensor<2xui8>
  %b = nn.constant dense<100> : tensor<ui8>
  %0 = nn.greater_equal %a, %b : (tensor<2xui8>, tensor<ui8>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// The GQA interleave factor of an expanded Attention: where(not(q == kv) and
// q mod kv == 0, q / kv, 1).
// CHECK-LABEL: func.func @gqa_factor
// CHECK-NEXT: %[[C:.*]] = nn.constant dense<2> : tensor<1xi64>
// CHECK-NEXT: return %[[C]]
func.func @gqa_factor() -> tensor<1xi64> {
  %q = nn.constant dense<4> : tensor<1xi64>
  %kv = nn.constant dense<2> : tensor<1xi64>
  %zero = nn.constant dense<0> : tensor<1xi64>
  %one = nn.constant dense<1> : tensor<1xi64>
  %eq = nn.equal %q, %kv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %ne = nn.not %eq : tensor<1xi1>
  %rem = nn.mod %q, %kv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %div0 = nn.equal %rem, %zero : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi1>
  %cond = nn.and %ne, %div0 : (tensor<1xi1>, tensor<1xi1>) -> tensor<1xi1>
  %ratio = nn.div %q, %kv : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  %0 = nn.where %cond, %ratio, %one : (tensor<1xi1>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// Python's % takes the divisor's sign; fmod the dividend's.
// CHECK-LABEL: func.func @mod
// CHECK-DAG: nn.constant dense<[1, -1]> : tensor<2xi32>
// CHECK-DAG: nn.constant dense<[-2, 2]> : tensor<2xi32>
// CHECK-DAG: nn.constant dense<[1.500000e+00, -1.500000e+00]> : tensor<2xf32>
// CHECK-NOT: nn.mod
func.func @mod() -> (tensor<2xi32>, tensor<2xi32>, tensor<2xf32>) {
  %a = nn.constant dense<[-5, 5]> : tensor<2xi32>
  %b = nn.constant dense<[3, -3]> : tensor<2xi32>
  %0 = nn.mod %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %1 = nn.mod %a, %b {fmod = true} : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %c = nn.constant dense<[-2.5, 2.5]> : tensor<2xf32>
  %d = nn.constant dense<[2.0, -2.0]> : tensor<2xf32>
  %2 = nn.mod %c, %d : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0, %1, %2 : tensor<2xi32>, tensor<2xi32>, tensor<2xf32>
}

// -----

// max and min propagate NaN; bitwise ops on integers.
// CHECK-LABEL: func.func @extrema_bitwise
// CHECK-DAG: nn.constant dense<[3.000000e+00, 0x7FC00000]> : tensor<2xf32>
// CHECK-DAG: nn.constant dense<[-1, 3]> : tensor<2xi8>
// CHECK-DAG: nn.constant dense<[12, 2]> : tensor<2xi8>
// CHECK-DAG: nn.constant dense<[-13, 5]> : tensor<2xi8>
// CHECK-DAG: nn.constant dense<[-13, -4]> : tensor<2xi8>
// CHECK-NOT: nn.max
// CHECK-NOT: nn.min
// CHECK-NOT: nn.and
// CHECK-NOT: nn.xor
// CHECK-NOT: nn.not
func.func @extrema_bitwise() -> (tensor<2xf32>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>) {
  %a = nn.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %b = nn.constant dense<[3.0, 2.0]> : tensor<2xf32>
  %0 = nn.max %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %c = nn.constant dense<[-1, 6]> : tensor<2xi8>
  %d = nn.constant dense<[12, 3]> : tensor<2xi8>
  %1 = nn.min %c, %d : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  %2 = nn.and %c, %d : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  %3 = nn.xor %c, %d : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  %4 = nn.not %d : tensor<2xi8>
  return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>
}
