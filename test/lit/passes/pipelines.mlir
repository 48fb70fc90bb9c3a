// The named pipelines, stage by stage and whole, on a small conv net.
// RUN: kiln-opt %s --kiln-graph-opt | FileCheck %s --check-prefix=GRAPH
// RUN: kiln-opt %s --kiln-graph-opt --kiln-nn-to-linalg | FileCheck %s --check-prefix=LINALG
// RUN: kiln-opt %s --kiln-graph-opt --kiln-nn-to-linalg --kiln-bufferize | FileCheck %s --check-prefix=BUF
// RUN: kiln-opt %s --kiln-graph-opt --kiln-nn-to-linalg --kiln-bufferize --kiln-cpu-to-llvm | FileCheck %s --check-prefix=LLVM
// RUN: kiln-opt %s --kiln-cpu | FileCheck %s --check-prefix=LLVM

// The graph stage folds the constant subgraph (the reshape of the weights).
// GRAPH-LABEL: func.func @main_graph(
// GRAPH: nn.constant dense<5.000000e-01> : tensor<4x3x3x3xf32>
// GRAPH-NOT: nn.reshape %{{.*}} : (tensor<108xf32>)
// GRAPH: nn.conv
// GRAPH: nn.relu
// GRAPH: nn.max_pool
// GRAPH: nn.concat
// GRAPH: nn.gemm
// GRAPH: nn.softmax

// LINALG-LABEL: func.func @main_graph(
// LINALG-NOT: nn.
// LINALG: linalg.generic
// LINALG: tensor.insert_slice
// LINALG: return %{{.*}} : tensor<1x10xf32>

// Bufferized: results become out-parameters, temporaries views into the
// workspace argument.
// BUF-LABEL: func.func @main_graph(
// BUF-SAME: %{{.*}}: memref<1x3x8x8xf32>, %{{.*}}: memref<1x10xf32>, %[[WS:.*]]: memref<{{[0-9]+}}xi8>) attributes {kiln.buffers_size = {{[0-9]+}} : i64, kiln.workspace_size = {{[0-9]+}} : i64}
// BUF-NOT: tensor.
// BUF-NOT: memref.alloc
// BUF: memref.view %[[WS]]
// BUF-NOT: memref.alloc
// BUF-NOT: memref.dealloc
// BUF: return
// BUF-NOT: bufferization.

// Only the LLVM dialect is left; nothing allocates per inference and no copy
// calls into MLIR's runner library. Each loop nest is a noinline kernel
// function (kiln-outline-kernels) that the graph calls.
// LLVM-NOT: func.func
// LLVM-NOT: memref.
// LLVM: llvm.func @main_graph_kernel0({{.*}}passthrough = ["noinline"]
// LLVM-LABEL: llvm.func @main_graph(
// LLVM-SAME: %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {kiln.buffers_size = {{[0-9]+}} : i64, kiln.workspace_size = {{[0-9]+}} : i64}
// LLVM-NOT: @malloc
// LLVM-NOT: @free
// LLVM-NOT: @memrefCopy
// LLVM: llvm.call @main_graph_kernel0(
// LLVM-NOT: llvm.call @{{[^m]}}
// LLVM-NOT: unrealized_conversion_cast
// LLVM-NOT: linalg.
// LLVM-NOT: scf.
// LLVM: llvm.return
// LLVM-NOT: @malloc
// LLVM-NOT: @memrefCopy

func.func @main_graph(%x: tensor<1x3x8x8xf32>) -> tensor<1x10xf32> {
  %wflat = nn.constant dense<0.5> : tensor<108xf32>
  %w = nn.reshape %wflat : (tensor<108xf32>) -> tensor<4x3x3x3xf32>
  %b = nn.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %0 = nn.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  %1 = nn.relu %0 : tensor<1x4x8x8xf32>
  %2 = nn.max_pool %1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  // A concat of a slice into the middle of a buffer: strided copies.
  %3 = nn.slice %2 {starts = array<i64: 0, 0, 0, 0>, sizes = array<i64: 1, 2, 4, 4>, steps = array<i64: 1, 2, 1, 1>} : (tensor<1x4x4x4xf32>) -> tensor<1x2x4x4xf32>
  %4 = nn.concat %3, %2 {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x6x4x4xf32>
  %5 = nn.reshape %4 : (tensor<1x6x4x4xf32>) -> tensor<1x96xf32>
  %wf = nn.constant dense<0.01> : tensor<10x96xf32>
  %bf = nn.constant dense<0.0> : tensor<10xf32>
  %6 = nn.gemm %5, %wf, %bf {trans_b = true} : (tensor<1x96xf32>, tensor<10x96xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %7 = nn.softmax %6 {axis = 1 : i64} : (tensor<1x10xf32>) -> tensor<1x10xf32>
  return %7 : tensor<1x10xf32>
}
