// The target seam, stage by stage: nn -> linalg is target-independent (no
// algorithm rewrites, no threads); the CPU target's strategy stage rewrites
// nn ops for its kernels (a transposed convolution becomes a convolution),
// and its codegen pipeline distributes over threads, bufferizes and lowers
// to the LLVM dialect. kiln-cpu runs them all, as compileModel does.
// RUN: kiln-opt %s --kiln-nn-to-linalg | FileCheck %s --check-prefix=INDEP
// RUN: kiln-opt %s --kiln-cpu-strategy | FileCheck %s --check-prefix=STRATEGY
// RUN: kiln-opt %s --kiln-cpu-strategy --kiln-nn-to-linalg --kiln-cpu-distribute | FileCheck %s --check-prefix=THREADS
// RUN: kiln-opt %s --kiln-graph-opt --kiln-cpu-strategy --kiln-nn-to-linalg --kiln-cpu-codegen | FileCheck %s --check-prefix=LLVM
// RUN: kiln-opt %s --kiln-cpu | FileCheck %s --check-prefix=LLVM

// INDEP-LABEL: func.func @main_graph(
// INDEP-NOT: nn.
// INDEP-NOT: scf.forall
// INDEP: linalg.generic
// INDEP-NOT: scf.forall
// INDEP: return

// STRATEGY-LABEL: func.func @main_graph(
// STRATEGY-NOT: nn.conv_transpose
// STRATEGY: nn.conv %arg0
// STRATEGY: nn.relu

// THREADS-LABEL: func.func @main_graph(
// THREADS: scf.forall (%{{.*}}) in (2)

// The kernels split across threads are OpenMP loops (translated to
// __kmpc calls with the rest of the module).
// LLVM-NOT: func.func
// LLVM: omp.parallel
// LLVM: omp.wsloop
// LLVM-LABEL: llvm.func @main_graph(
// LLVM-SAME: attributes {kiln.buffers_size = {{[0-9]+}} : i64, kiln.workspace_size = {{[0-9]+}} : i64}
// LLVM-NOT: nn.
// LLVM-NOT: linalg.

func.func @main_graph(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x65x65xf32> {
  %w = nn.constant dense<0.25> : tensor<8x8x3x3xf32>
  %b = nn.constant dense<0.5> : tensor<8xf32>
  %y = nn.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x8x32x32xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x65x65xf32>
  %r = nn.relu %y : tensor<1x8x65x65xf32>
  return %r : tensor<1x8x65x65xf32>
}
