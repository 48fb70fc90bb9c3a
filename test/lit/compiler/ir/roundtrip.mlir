// Every nn op parses, prints, and parses again to the same thing, in the
// custom and in the generic form.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s -mlir-print-op-generic | kiln-opt | FileCheck %s
// RUN: kiln-opt %s | kiln-opt -mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2x2xf32>, tensor<3xi64>, tensor<2xi1>, tensor<ui8>) {
  // CHECK: nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: nn.constant dense<[1, -2, 3]> : tensor<3xi64>
  %1 = nn.constant dense<[1, -2, 3]> : tensor<3xi64>
  // CHECK: nn.constant dense<[true, false]> : tensor<2xi1>
  %2 = nn.constant dense<[true, false]> : tensor<2xi1>
  // CHECK: nn.constant dense<255> : tensor<ui8>
  %3 = nn.constant dense<255> : tensor<ui8>
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<3xi64>, tensor<2xi1>, tensor<ui8>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4xi32>, %u: tensor<4xui8>, %p: tensor<4x1xbf16>, %q: tensor<5xbf16>) {
  // CHECK: nn.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.sub %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.sub %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.mul %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = nn.mul %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: nn.div %{{.*}}, %{{.*}} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = nn.div %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: nn.max %{{.*}}, %{{.*}} : (tensor<4x1xbf16>, tensor<5xbf16>) -> tensor<4x5xbf16>
  %4 = nn.max %p, %q : (tensor<4x1xbf16>, tensor<5xbf16>) -> tensor<4x5xbf16>
  // CHECK: nn.min
  %5 = nn.min %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.pow
  %6 = nn.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.mod %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %7 = nn.mod %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: nn.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = nn.mod %a, %b {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.prelu
  %9 = nn.prelu %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %10 = nn.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: nn.less %{{.*}} -> tensor<4xi1>
  %11 = nn.less %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  // CHECK: nn.less_equal %{{.*}} -> tensor<4xi1>
  %12 = nn.less_equal %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  // CHECK: nn.greater %{{.*}} -> tensor<2x3xi1>
  %13 = nn.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: nn.greater_equal %{{.*}} -> tensor<2x3xi1>
  %14 = nn.greater_equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: nn.and %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  %15 = nn.and %10, %13 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: nn.or
  %16 = nn.or %10, %13 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: nn.xor
  %17 = nn.xor %10, %13 : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  // CHECK: nn.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %18 = nn.where %15, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary
func.func @unary(%a: tensor<2x3xf32>, %c: tensor<4xi1>, %h: tensor<8xf16>) {
  // CHECK: nn.neg %{{.*}} : tensor<2x3xf32>
  %0 = nn.neg %a : tensor<2x3xf32>
  // CHECK: nn.abs
  %1 = nn.abs %a : tensor<2x3xf32>
  // CHECK: nn.sqrt
  %2 = nn.sqrt %a : tensor<2x3xf32>
  // CHECK: nn.exp
  %3 = nn.exp %a : tensor<2x3xf32>
  // CHECK: nn.log
  %4 = nn.log %a : tensor<2x3xf32>
  // CHECK: nn.reciprocal
  %5 = nn.reciprocal %a : tensor<2x3xf32>
  // CHECK: nn.floor
  %6 = nn.floor %a : tensor<2x3xf32>
  // CHECK: nn.ceil
  %7 = nn.ceil %a : tensor<2x3xf32>
  // CHECK: nn.round
  %8 = nn.round %a : tensor<2x3xf32>
  // CHECK: nn.sign
  %9 = nn.sign %a : tensor<2x3xf32>
  // CHECK: nn.erf
  %10 = nn.erf %a : tensor<2x3xf32>
  // CHECK: nn.sin
  %11 = nn.sin %a : tensor<2x3xf32>
  // CHECK: nn.cos
  %12 = nn.cos %a : tensor<2x3xf32>
  // CHECK: nn.tan
  %13 = nn.tan %a : tensor<2x3xf32>
  // CHECK: nn.asin
  %14 = nn.asin %a : tensor<2x3xf32>
  // CHECK: nn.acos
  %15 = nn.acos %a : tensor<2x3xf32>
  // CHECK: nn.atan
  %16 = nn.atan %a : tensor<2x3xf32>
  // CHECK: nn.sinh
  %17 = nn.sinh %a : tensor<2x3xf32>
  // CHECK: nn.cosh
  %18 = nn.cosh %a : tensor<2x3xf32>
  // CHECK: nn.asinh
  %19 = nn.asinh %a : tensor<2x3xf32>
  // CHECK: nn.acosh
  %20 = nn.acosh %a : tensor<2x3xf32>
  // CHECK: nn.atanh
  %21 = nn.atanh %a : tensor<2x3xf32>
  // CHECK: nn.not %{{.*}} : tensor<4xi1>
  %22 = nn.not %c : tensor<4xi1>
  // CHECK: nn.relu %{{.*}} : tensor<8xf16>
  %23 = nn.relu %h : tensor<8xf16>
  // CHECK: nn.sigmoid
  %24 = nn.sigmoid %a : tensor<2x3xf32>
  // CHECK: nn.tanh
  %25 = nn.tanh %a : tensor<2x3xf32>
  // CHECK: nn.softplus
  %26 = nn.softplus %a : tensor<2x3xf32>
  // CHECK: nn.softsign
  %27 = nn.softsign %a : tensor<2x3xf32>
  // CHECK: nn.is_nan %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xi1>
  %28 = nn.is_nan %a : (tensor<2x3xf32>) -> tensor<2x3xi1>
  // CHECK: nn.leaky_relu %{{.*}} {alpha = 0.0099999997764825821 : f64} : tensor<2x3xf32>
  %29 = nn.leaky_relu %a {alpha = 0.0099999997764825821 : f64} : tensor<2x3xf32>
  // CHECK: nn.elu %{{.*}} {alpha = 1.000000e+00 : f64} : tensor<2x3xf32>
  %30 = nn.elu %a {alpha = 1.0 : f64} : tensor<2x3xf32>
  // CHECK: nn.selu %{{.*}} {alpha = 1.673200e+00 : f64, gamma = 1.050700e+00 : f64} : tensor<2x3xf32>
  %31 = nn.selu %a {alpha = 1.6732 : f64, gamma = 1.0507 : f64} : tensor<2x3xf32>
  // CHECK: nn.hard_sigmoid %{{.*}} {alpha = 2.000000e-01 : f64, beta = 5.000000e-01 : f64} : tensor<2x3xf32>
  %32 = nn.hard_sigmoid %a {alpha = 0.2 : f64, beta = 0.5 : f64} : tensor<2x3xf32>
  // CHECK: nn.thresholded_relu %{{.*}} {alpha = 1.000000e+00 : f64} : tensor<2x3xf32>
  %33 = nn.thresholded_relu %a {alpha = 1.0 : f64} : tensor<2x3xf32>
  // CHECK: nn.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<2x3xf32>
  %34 = nn.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  // CHECK: nn.clip %{{.*}} {max = 1.000000e+00 : f64} : tensor<2x3xf32>
  %35 = nn.clip %a {max = 1.0 : f64} : tensor<2x3xf32>
  // CHECK: nn.clip %{{.*}} : tensor<2x3xf32>
  %36 = nn.clip %a : tensor<2x3xf32>
  // CHECK: nn.cast %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %37 = nn.cast %a : (tensor<2x3xf32>) -> tensor<2x3xi32>
  // CHECK: nn.cast %{{.*}} : (tensor<2x3xi32>) -> tensor<2x3xui8>
  %38 = nn.cast %37 : (tensor<2x3xi32>) -> tensor<2x3xui8>
  return
}

// CHECK-LABEL: func.func @linear_algebra
func.func @linear_algebra(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %bt: tensor<16x8xf32>, %c: tensor<16xf32>,
                          %x: tensor<2x1x4x8xf32>, %y: tensor<3x8x5xf32>) {
  // CHECK: nn.gemm %{{.*}}, %{{.*}} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %0 = nn.gemm %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  // CHECK: nn.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f64, beta = 2.000000e+00 : f64, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %1 = nn.gemm %a, %bt, %c {alpha = 0.5 : f64, beta = 2.0 : f64, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: nn.gemm %{{.*}}, %{{.*}} {trans_a = true} : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<16x16xf32>
  %2 = nn.gemm %b, %b {trans_a = true} : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<16x16xf32>
  // CHECK: nn.matmul %{{.*}}, %{{.*}} : (tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32>
  %3 = nn.matmul %x, %y : (tensor<2x1x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x3x4x5xf32>
  return
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %bias: tensor<6xf32>, %x1: tensor<2x3x10xf32>, %w1: tensor<5x3x2xf32>) {
  // CHECK: nn.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x8x8xf32>
  %0 = nn.conv %x, %w, %bias {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x8x8xf32>
  // CHECK: nn.conv %{{.*}}, %{{.*}} {dilations = array<i64: 2>, pads = array<i64: 0, 1>, strides = array<i64: 3>} : (tensor<2x3x10xf32>, tensor<5x3x2xf32>) -> tensor<2x5x3xf32>
  %1 = nn.conv %x1, %w1 {strides = array<i64: 3>, pads = array<i64: 0, 1>, dilations = array<i64: 2>} : (tensor<2x3x10xf32>, tensor<5x3x2xf32>) -> tensor<2x5x3xf32>
  return
}

// CHECK-LABEL: func.func @pool_norm
func.func @pool_norm(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>) {
  // CHECK: nn.max_pool %{{.*}} {dilations = array<i64: 1, 1>, kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x3x3xf32>
  %0 = nn.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x3x3xf32>
  // CHECK: nn.max_pool %{{.*}} {ceil_mode = true, {{.*}}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %1 = nn.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: nn.avg_pool %{{.*}} {count_include_pad = true, {{.*}}} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %2 = nn.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, count_include_pad = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f64} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %3 = nn.batch_norm %x, %s, %s, %s, %s {epsilon = 1.0e-3 : f64} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.batch_norm %{{.*}} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %4 = nn.batch_norm %x, %s, %s, %s, %s : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.lrn %{{.*}} {size = 3 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %5 = nn.lrn %x {size = 3 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.softmax %{{.*}} {axis = 1 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %6 = nn.softmax %x {axis = 1 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: nn.softmax %{{.*}} {axis = 3 : i64, log = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %7 = nn.softmax %x {axis = 3 : i64, log = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 0, 2>, kind = #nn.reduce_kind<sum>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  %0 = nn.reduce %x {kind = #nn.reduce_kind<sum>, axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 1>, keepdims = false, kind = #nn.reduce_kind<log_sum_exp>} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  %1 = nn.reduce %x {kind = #nn.reduce_kind<log_sum_exp>, axes = array<i64: 1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  // CHECK: nn.reduce %{{.*}} {axes = array<i64: 0, 1, 2>, keepdims = false, kind = #nn.reduce_kind<mean>} : (tensor<2x3x4xf32>) -> tensor<f32>
  %2 = nn.reduce %x {kind = #nn.reduce_kind<mean>, axes = array<i64: 0, 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  // CHECK: nn.arg_reduce %{{.*}} {axis = 2 : i64, kind = #nn.arg_reduce_kind<max>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %3 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  // CHECK: nn.arg_reduce %{{.*}} {axis = 0 : i64, keepdims = false, kind = #nn.arg_reduce_kind<min>, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<3x4xi64>
  %4 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<min>, axis = 0 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<3x4xi64>
  return
}

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %i: tensor<2x2xi64>, %v: tensor<3x1xf32>) {
  // CHECK: nn.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %0 = nn.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: nn.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: nn.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x3x4xf32>) -> tensor<2x11x4xf32>
  %2 = nn.concat %x, %y, %x {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x3x4xf32>) -> tensor<2x11x4xf32>
  // CHECK: nn.slice %{{.*}} {sizes = array<i64: 1, 3, 2>, starts = array<i64: 1, 0, 3>, steps = array<i64: 1, 1, -2>} : (tensor<2x3x4xf32>) -> tensor<1x3x2xf32>
  %3 = nn.slice %x {starts = array<i64: 1, 0, 3>, sizes = array<i64: 1, 3, 2>, steps = array<i64: 1, 1, -2>} : (tensor<2x3x4xf32>) -> tensor<1x3x2xf32>
  // CHECK: nn.pad %{{.*}} {pads = array<i64: 0, 1, 2, 0, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x5x6xf32>
  %4 = nn.pad %x {pads = array<i64: 0, 1, 2, 0, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x5x6xf32>
  // CHECK: nn.pad %{{.*}} {mode = #nn.pad_mode<reflect>, pads = array<i64: 0, 1, 2, 0, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x5x6xf32>
  %5 = nn.pad %x {pads = array<i64: 0, 1, 2, 0, 1, 0>, mode = #nn.pad_mode<reflect>, value = 0.0 : f64} : (tensor<2x3x4xf32>) -> tensor<2x5x6xf32>
  // CHECK: nn.pad %{{.*}} {mode = #nn.pad_mode<edge>, pads = array<i64: 0, -1, 0, 0, 0, 0>, value = 1.500000e+00 : f64} : (tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  %6 = nn.pad %x {pads = array<i64: 0, -1, 0, 0, 0, 0>, mode = #nn.pad_mode<edge>, value = 1.5 : f64} : (tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  // CHECK: nn.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x2x4xf32>
  %7 = nn.gather %x, %i {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x2xi64>) -> tensor<2x2x2x4xf32>
  // CHECK: nn.broadcast %{{.*}} : (tensor<3x1xf32>) -> tensor<2x3x5xf32>
  %8 = nn.broadcast %v : (tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return
}

// CHECK-LABEL: func.func @bit_shift_cumsum_gather_elements
func.func @bit_shift_cumsum_gather_elements(%u: tensor<4xui8>, %s: tensor<4xui8>, %x: tensor<2x3xf32>, %i: tensor<2x2xi64>) {
  // CHECK: nn.bit_shift %{{.*}}, %{{.*}} {left = true} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %0 = nn.bit_shift %u, %s {left = true} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: nn.bit_shift %{{.*}}, %{{.*}} {left = false} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = nn.bit_shift %u, %s {left = false} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: nn.cumsum %{{.*}} {axis = 1 : i64} : tensor<2x3xf32>
  %2 = nn.cumsum %x {axis = 1 : i64} : tensor<2x3xf32>
  // CHECK: nn.cumsum %{{.*}} {axis = 0 : i64, exclusive = true, reverse = true} : tensor<2x3xf32>
  %3 = nn.cumsum %x {axis = 0 : i64, exclusive = true, reverse = true} : tensor<2x3xf32>
  // CHECK: nn.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %4 = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return
}
