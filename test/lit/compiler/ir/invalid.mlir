// Verifier and shape-inference errors of the nn ops.
// RUN: kiln-opt %s -split-input-file -verify-diagnostics

func.func @wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'nn.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{'nn.add' op failed to infer returned types}}
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @wrong_result_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xi1>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.less %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  // expected-error @+1 {{'nn.mul' op failed to infer returned types}}
  %0 = nn.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @not_broadcastable_middle(%a: tensor<2x3x1xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{shapes 'tensor<2x3x1xf32>' and 'tensor<4x5xf32>' do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.sub %a, %b : (tensor<2x3x1xf32>, tensor<4x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @where_condition(%c: tensor<3xf32>, %a: tensor<3xf32>) {
  // expected-error @+2 {{condition must have i1 elements}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.where %c, %a, %a : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_element_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{lhs and rhs element types differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @where_shapes(%c: tensor<2xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{operand shapes do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.where %c, %a, %a : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @unary_type(%a: tensor<2xf32>) {
  // expected-error @+1 {{'nn.relu' op requires the same type for all operands and results}}
  %0 = "nn.relu"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'nn.relu' op operand #0 must be ranked tensor of any type values}}
  %0 = "nn.relu"(%a) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @is_nan_result(%a: tensor<2xf32>) {
  // expected-error @+1 {{'nn.is_nan' op result must be an i1 tensor of the input's shape}}
  %0 = nn.is_nan %a : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.cast' op result shape 'tensor<3x2xi32>' differs from the input's 'tensor<2x3xf32>'}}
  %0 = nn.cast %a : (tensor<2x3xf32>) -> tensor<3x2xi32>
  return
}

// -----

func.func @constant_type() {
  // expected-error @+2 {{'nn.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @gemm_inner(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) {
  // expected-error @+2 {{inner dimensions differ: 8 vs 7}}
  // expected-error @+1 {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b : (tensor<4x8xf32>, tensor<7x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gemm_transposed_inner(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+2 {{inner dimensions differ: 8 vs 16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gemm %a, %b {trans_b = true} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<4x8x1xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+2 {{A and B must be 2-D tensors}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gemm %a, %b : (tensor<4x8x1xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4xf32>) {
  // expected-error @+2 {{C of shape 'tensor<4xf32>' does not broadcast to [4, 16]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @matmul_inner(%a: tensor<2x4x8xf32>, %b: tensor<9x5xf32>) {
  // expected-error @+2 {{inner dimensions differ: 8 vs 9}}
  // expected-error @+1 {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<2x4x8xf32>, tensor<9x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<8xf32>, %b: tensor<8x5xf32>) {
  // expected-error @+2 {{operands must have rank >= 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<8xf32>, tensor<8x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x5xf32>) {
  // expected-error @+2 {{batch dimensions do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{group 3 does not divide the channel counts}}
  // expected-error @+1 {{'nn.conv' op failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_group_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{group 0 does not divide the channel counts}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_group_output_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+2 {{group 2 does not divide the channel counts}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x8x8xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) {
  // expected-error @+2 {{filter expects 3 input channels, input has 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3xf32>) {
  // expected-error @+2 {{input and filter must have the same rank >= 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{bias must have one value per output channel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<4xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_window_arity(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{expected 2 strides and dilations and 4 pads}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{strides and dilations must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 0, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x8x8xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{pads must not be negative}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: -1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x7x8xf32>
  return
}

// -----

func.func @conv_filter_too_large(%x: tensor<1x4x2x2xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{filter larger than the padded input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x2x2xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x1x1xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{window larger than the padded input}}
  // expected-error @+1 {{'nn.max_pool' op failed to infer returned types}}
  %0 = nn.max_pool %x {kernel_shape = array<i64: 9, 9>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @pool_dilated_window_too_large(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{window larger than the padded input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 4, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x6xf32>
  return
}

// -----

func.func @pool_kernel_arity(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{expected 2 kernel dimensions}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<4x8xf32>) {
  // expected-error @+2 {{input must have rank >= 3 (N, C, spatial)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.avg_pool %x {kernel_shape = array<i64>, strides = array<i64>, pads = array<i64>, dilations = array<i64>} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @pool_stride_zero(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{strides and dilations must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 0>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<1x4x8x8xf32>, %s: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error @+2 {{scale, bias, mean and variance must have one value per channel}}
  // expected-error @+1 {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %s, %s, %m, %s : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @lrn_size(%x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{size must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.lrn %x {size = 0 : i64} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{'nn.softmax' op failed to infer returned types}}
  %0 = nn.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.softmax %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_axes_unsorted(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axes must be sorted, unique and in range}}
  // expected-error @+1 {{'nn.reduce' op failed to infer returned types}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<sum>, axes = array<i64: 2, 0>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  return
}

// -----

func.func @reduce_axes_repeated(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axes must be sorted, unique and in range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<max>, axes = array<i64: 1, 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// -----

func.func @reduce_axes_negative(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axes must be sorted, unique and in range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<max>, axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

func.func @reduce_axes_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{axes must be sorted, unique and in range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<max>, axes = array<i64: 3>} : (tensor<2x3x4xf32>) -> tensor<2x3x4x1xf32>
  return
}

// -----

func.func @reduce_kind(%x: tensor<2x3x4xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::ReduceKind to be one of: sum, mean, max, min, prod, l1, l2, log_sum, log_sum_exp, sum_square}}
  // expected-error @+1 {{failed to parse NN_ReduceKindAttr parameter 'value' which is to be a `::kiln::nn::ReduceKind`}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<median>, axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// -----

func.func @reduce_keepdims_shape(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x1x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.reduce %x {kind = #nn.reduce_kind<sum>, axes = array<i64: 1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// -----

func.func @arg_reduce_kind(%x: tensor<2x3xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::ArgReduceKind to be one of: max, min}}
  // expected-error @+1 {{failed to parse NN_ArgReduceKindAttr parameter 'value' which is to be a `::kiln::nn::ArgReduceKind`}}
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<sum>, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @arg_reduce_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xi64>
  return
}

// -----

func.func @arg_reduce_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x1xi64>' are incompatible with return type(s) of operation 'tensor<2x1xi32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'nn.reshape' op cannot reshape 'tensor<2x3x4xf32>' (24 elements) to 'tensor<5x5xf32>' (25 elements)}}
  %0 = nn.reshape %x : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.reshape' op element types differ}}
  %0 = nn.reshape %x : (tensor<2x3xf32>) -> tensor<6xi32>
  return
}

// -----

func.func @reshape_dynamic(%x: tensor<?x3xf32>) {
  // expected-error @+1 {{'nn.reshape' op shapes must be static}}
  %0 = nn.reshape %x : (tensor<?x3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{perm is not a permutation}}
  // expected-error @+1 {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 0>} : (tensor<2x3x4xf32>) -> tensor<4x2x2xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{perm is not a permutation}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 2, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_arity(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{perm must have one entry per axis}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

func.func @transpose_result(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<4x2x3xf32>' are incompatible with return type(s) of operation 'tensor<4x3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  return
}

// -----

func.func @concat_dims(%x: tensor<2x3x4xf32>, %y: tensor<2x5x5xf32>) {
  // expected-error @+2 {{inputs differ in dimension 2: 'tensor<2x5x5xf32>' vs 'tensor<2x3x4xf32>'}}
  // expected-error @+1 {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %x, %y {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x5xf32>) -> tensor<2x8x4xf32>
  return
}

// -----

func.func @concat_rank(%x: tensor<2x3xf32>, %y: tensor<2x3x1xf32>) {
  // expected-error @+2 {{inputs differ in rank or element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_element_type(%x: tensor<2x3xf32>, %y: tensor<2x3xf16>) {
  // expected-error @+2 {{inputs differ in rank or element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.concat %x, %x {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{expected at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "nn.concat"() {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{slice out of bounds on axis 2}}
  // expected-error @+1 {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 1, 0, 3>, sizes = array<i64: 1, 3, 3>, steps = array<i64: 1, 1, -2>} : (tensor<2x3x4xf32>) -> tensor<1x3x3xf32>
  return
}

// -----

func.func @slice_start(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{slice out of bounds on axis 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 2, 0>, sizes = array<i64: 1, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @slice_end(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{slice out of bounds on axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 1>, sizes = array<i64: 2, 2>, steps = array<i64: 1, 2>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_step_zero(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{invalid slice on axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 1>, steps = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @slice_negative_size(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{invalid slice on axis 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: -1, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @slice_arity(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{starts, sizes and steps need one entry per axis}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0>, sizes = array<i64: 2>, steps = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @pad_arity(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{expected 4 pads}}
  // expected-error @+1 {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>) {
  // An unknown value does not parse.
  // expected-error @+2 {{expected ::kiln::nn::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse NN_PadModeAttr parameter 'value' which is to be a `::kiln::nn::PadMode`}}
  %0 = nn.pad %x {pads = array<i64: 1, 1, 1, 1>, mode = #nn.pad_mode<wrap>} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @pad_reflect(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{reflect pads must be smaller than the axis}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 2, 0, 0, 0>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_crop_too_much(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{negative size on axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 0, -2, 0, -2>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{'nn.gather' op failed to infer returned types}}
  %0 = nn.gather %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  return
}

// -----

func.func @gather_indices(%x: tensor<2x3xf32>, %i: tensor<2xf32>) {
  // expected-error @+2 {{indices must be integers}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gather %x, %i {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_shape(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{'nn.broadcast' op cannot broadcast 'tensor<3x2xf32>' to 'tensor<2x3x5xf32>'}}
  %0 = nn.broadcast %x : (tensor<3x2xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @broadcast_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.broadcast' op cannot broadcast 'tensor<2x3xf32>' to 'tensor<3xf32>'}}
  %0 = nn.broadcast %x : (tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_element_type(%x: tensor<3x1xf32>) {
  // expected-error @+1 {{'nn.broadcast' op element types differ}}
  %0 = nn.broadcast %x : (tensor<3x1xf32>) -> tensor<3x4xf16>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.cumsum' op axis 2 out of range for rank 2}}
  %0 = nn.cumsum %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @gather_elements_indices(%x: tensor<2x3xf32>, %i: tensor<2x2xf32>) {
  // expected-error @+2 {{indices must be integers}}
  // expected-error @+1 {{'nn.gather_elements' op failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{indices must have the input's rank}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_elements_axis(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) {
  // expected-error @+2 {{axis out of range}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return
}
