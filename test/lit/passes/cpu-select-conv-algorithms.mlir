// RUN: kiln-opt %s --kiln-cpu-select-conv-algorithms | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-select-conv-algorithms="algorithm=direct" | FileCheck %s --check-prefix=DIRECT
// RUN: kiln-opt %s --kiln-cpu-select-conv-algorithms="algorithm=winograd" | FileCheck %s --check-prefix=WINOGRAD
// RUN: kiln-opt %s --kiln-cpu-select-conv-algorithms="overrides=b=direct" | FileCheck %s --check-prefix=OVERRIDE
// RUN: kiln-opt %s --kiln-cpu-select-conv-algorithms="algorithm=direct overrides=a.conv=winograd" | FileCheck %s --check-prefix=OVERRIDE
// RUN: not kiln-opt %s --kiln-cpu-select-conv-algorithms="overrides=strided=winograd,pointwise=winograd,narrow=winograd,missing=direct" 2>&1 | FileCheck %s --check-prefix=NOT-ALLOWED
// RUN: not kiln-opt %s --kiln-cpu-select-conv-algorithms="algorithm=fast" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not kiln-opt %s --kiln-cpu-select-conv-algorithms="overrides=b" 2>&1 | FileCheck %s --check-prefix=MALFORMED

// Five convolutions: two 3x3 stride-1 64 -> 64 at 28x28 (29M multiply-adds
// each; "a" carries a folded batch norm's name too), a strided one, a
// narrow 8 -> 8 one (the input has fewer channels than a vector) and a 1x1.
// The cost model picks Winograd for the big 3x3 stride-1 layers only; every
// convolution gets its FLOPs (2 per multiply-add) for reports.
// CHECK-LABEL: func @layers
// CHECK: linalg.conv_2d_nchw_fchw {{{.*}}kiln.conv_algorithm = "winograd", kiln.flops = 57802752 : i64
// CHECK: linalg.conv_2d_nchw_fchw {{{.*}}kiln.conv_algorithm = "winograd", kiln.flops = 57802752 : i64
// CHECK: linalg.conv_2d_nchw_fchw {{{.*}}kiln.conv_algorithm = "direct", kiln.flops = 14450688 : i64
// CHECK: linalg.conv_2d_nchw_fchw {{{.*}}kiln.conv_algorithm = "direct", kiln.flops = 73728 : i64
// CHECK: linalg.conv_2d_nchw_fchw {{{.*}}kiln.conv_algorithm = "direct", kiln.flops = 7372800 : i64

// Forced, an algorithm applies wherever the layer allows it.
// DIRECT-COUNT-5: kiln.conv_algorithm = "direct"
// WINOGRAD: kiln.conv_algorithm = "winograd"
// WINOGRAD: kiln.conv_algorithm = "winograd"
// WINOGRAD-COUNT-3: kiln.conv_algorithm = "direct"

// Overrides name nodes by the first name of their location ("a.conv" for
// "a"), with the cost model or a forced algorithm for the others.
// OVERRIDE: kiln.conv_algorithm = "winograd"
// OVERRIDE: kiln.conv_algorithm = "direct"
// OVERRIDE: kiln.conv_algorithm = "direct"
// OVERRIDE: kiln.conv_algorithm = "direct"
// OVERRIDE: kiln.conv_algorithm = "direct"

// Each override that cannot apply is an error naming its node; all are
// reported.
// NOT-ALLOWED-DAG: error: {{.*}}the winograd algorithm asked for node 'strided' cannot compute it: its strides or dilations are not 1
// NOT-ALLOWED-DAG: error: {{.*}}the winograd algorithm asked for node 'pointwise' cannot compute it: its kernel is not 3x3
// NOT-ALLOWED-DAG: error: {{.*}}the winograd algorithm asked for node 'narrow' cannot compute it: it has fewer than 16 input channels
// NOT-ALLOWED-DAG: error: convolution algorithm override for 'missing': the graph has no convolution of that name

// UNKNOWN: error: unknown convolution algorithm 'fast' (expected auto, direct, im2col or winograd)
// MALFORMED: error: convolution algorithm override 'b': expected NODE=ALGORITHM

func.func @layers(%x: tensor<1x64x30x30xf32>, %y: tensor<1x8x10x10xf32>) -> (tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>, tensor<1x64x14x14xf32>, tensor<1x8x8x8xf32>, tensor<1x64x30x30xf32>) {
  %w3 = arith.constant dense<1.0> : tensor<64x64x3x3xf32>
  %w1 = arith.constant dense<1.0> : tensor<64x64x1x1xf32>
  %w8 = arith.constant dense<1.0> : tensor<8x8x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x28x28xf32>
  %i = linalg.fill ins(%zero : f32) outs(%e : tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32>
  %a = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w3 : tensor<1x64x30x30xf32>, tensor<64x64x3x3xf32>) outs(%i : tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32> loc(fused["a.conv", "a.bn"])
  %b = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w3 : tensor<1x64x30x30xf32>, tensor<64x64x3x3xf32>) outs(%i : tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32> loc("b")
  %e2 = tensor.empty() : tensor<1x64x14x14xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x64x14x14xf32>) -> tensor<1x64x14x14xf32>
  %s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w3 : tensor<1x64x30x30xf32>, tensor<64x64x3x3xf32>) outs(%i2 : tensor<1x64x14x14xf32>) -> tensor<1x64x14x14xf32> loc("strided")
  %e3 = tensor.empty() : tensor<1x8x8x8xf32>
  %i3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %n = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%y, %w8 : tensor<1x8x10x10xf32>, tensor<8x8x3x3xf32>) outs(%i3 : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> loc("narrow")
  %e4 = tensor.empty() : tensor<1x64x30x30xf32>
  %i4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x64x30x30xf32>) -> tensor<1x64x30x30xf32>
  %p = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x64x30x30xf32>, tensor<64x64x1x1xf32>) outs(%i4 : tensor<1x64x30x30xf32>) -> tensor<1x64x30x30xf32> loc("pointwise")
  return %a, %b, %s, %n, %p : tensor<1x64x28x28xf32>, tensor<1x64x28x28xf32>, tensor<1x64x14x14xf32>, tensor<1x8x8x8xf32>, tensor<1x64x30x30xf32>
}
