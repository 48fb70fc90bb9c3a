// RUN: kiln-opt %s --kiln-approximate-math | FileCheck %s

// exp, log, tanh and erf of f32 (scalars and vectors) become polynomial
// arithmetic: no math op is left for libm.
// CHECK-LABEL: func @elementary
// CHECK: math.fma
// CHECK: return
// CHECK-NOT: math.{{exp|log|tanh|erf}}
func.func @elementary(%x: f32, %v: vector<16xf32>) -> (f32, f32, vector<16xf32>, vector<16xf32>) {
  %0 = math.exp %x : f32
  %1 = math.log %x : f32
  %2 = math.tanh %v : vector<16xf32>
  %3 = math.erf %v : vector<16xf32>
  return %0, %1, %2, %3 : f32, f32, vector<16xf32>, vector<16xf32>
}

// f32 powf: exp(y * log|x|), then the sign of an odd power of a negative
// base, NaN for a negative base and a non-integer power, and one for
// |x| = 1 with an infinite y, for x = 1 and for y = 0; all of it
// polynomial arithmetic and selects, vector lanes included.
// CHECK-LABEL: func @powf
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[Y:.*]]: vector<16xf32>)
// CHECK-DAG: arith.constant dense<0x7FC00000> : vector<16xf32>
// CHECK-NOT: math.{{powf|exp|log}}
// CHECK: math.absf %[[X]]
// CHECK: math.floor %[[Y]]
// CHECK: math.copysign
// CHECK: arith.negf
// CHECK: arith.select
// CHECK: arith.cmpf one, %{{.*}}, %[[Y]]
// CHECK: arith.select
// CHECK: arith.cmpf oeq, %[[X]]
// CHECK: arith.cmpf oeq, %[[Y]]
// CHECK: %[[R:.*]] = arith.select
// CHECK: return %[[R]]
// CHECK-NOT: math.{{powf|exp|log}}
func.func @powf(%x: vector<16xf32>, %y: vector<16xf32>) -> vector<16xf32> {
  %0 = math.powf %x, %y : vector<16xf32>
  return %0 : vector<16xf32>
}

// Constant powers: x^2 is x * x (exact), x^0.75 (LRN's beta) is
// sqrt(x) * sqrt(sqrt(x)); neither takes exp or log.
// CHECK-LABEL: func @constant_powers
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>)
// CHECK: %[[SQ:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK: math.sqrt
// CHECK: return %[[SQ]]
// CHECK-NOT: math.{{powf|exp|log}}
func.func @constant_powers(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %two = arith.constant dense<2.0> : vector<16xf32>
  %beta = arith.constant dense<0.75> : vector<16xf32>
  %0 = math.powf %x, %two : vector<16xf32>
  %1 = math.powf %x, %beta : vector<16xf32>
  return %0, %1 : vector<16xf32>, vector<16xf32>
}

// f64 powf (integer powers computed in f64, exact up to 2^53) and f64 exp
// are left to libm.
// CHECK-LABEL: func @f64
// CHECK: math.powf
// CHECK: math.exp
func.func @f64(%x: f64, %y: f64) -> (f64, f64) {
  %0 = math.powf %x, %y : f64
  %1 = math.exp %x : f64
  return %0, %1 : f64, f64
}

// A subnormal argument of log or log2 (which the approximations, reading
// the exponent field, get wrong) is scaled by 2^24 into the normal range,
// and the result corrected by log(2^24) (log2: 24).
// CHECK-LABEL: func @log_subnormal
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[TINY:.*]] = arith.constant 1.17549435E-38 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 0x4B800000 : f32
// CHECK-DAG: %[[SHIFT:.*]] = arith.constant 16.6355324 : f32
// CHECK: %[[SUB:.*]] = arith.andi %{{.*}}, %{{.*}} : i1
// CHECK: %[[SCALED:.*]] = arith.mulf %[[X]], %[[SCALE]]
// CHECK: %[[ARG:.*]] = arith.select %[[SUB]], %[[SCALED]], %[[X]]
// CHECK: %[[FIXED:.*]] = arith.subf %{{.*}}, %[[SHIFT]]
// CHECK: %[[R:.*]] = arith.select %[[SUB]], %[[FIXED]], %{{.*}}
// CHECK: return %[[R]]
func.func @log_subnormal(%x: f32) -> f32 {
  %0 = math.log %x : f32
  return %0 : f32
}
