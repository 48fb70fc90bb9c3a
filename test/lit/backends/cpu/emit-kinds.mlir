// Every kind of output of kilnc for one small graph (an .mlir input).
// RUN: rm -rf %t && mkdir -p %t

// The nn graph after graph optimization.
// RUN: kilnc %s -o %t/ek.mlir
// RUN: FileCheck %s --check-prefix=MLIR < %t/ek.mlir
// MLIR-LABEL: func.func @main_graph(
// MLIR: nn.relu
// MLIR: nn.add
// MLIR: nn.arg_reduce

// linalg on tensors: no nn op left.
// RUN: kilnc %s -o %t/ek.linalg.mlir --emit=linalg
// RUN: FileCheck %s --check-prefix=LINALG < %t/ek.linalg.mlir
// LINALG-LABEL: func.func @main_graph(
// LINALG-NOT: nn.
// LINALG: linalg.generic
// LINALG: return

// The LLVM dialect: results are out-parameters, then the workspace.
// RUN: kilnc %s -o %t/ek.llvm.mlir --emit=llvm-mlir
// RUN: FileCheck %s --check-prefix=LLVMMLIR < %t/ek.llvm.mlir
// LLVMMLIR: llvm.func @main_graph(%{{.*}}: !llvm.ptr {kiln.name = "x"}, %{{.*}}: !llvm.ptr {kiln.name = "y"}, %{{.*}}: !llvm.ptr {kiln.name = "idx"}, %{{.*}}: !llvm.ptr) attributes {kiln.buffers_size = {{[0-9]+}} : i64, kiln.workspace_size = {{[0-9]+}} : i64}
// LLVMMLIR-NOT: @malloc
// LLVMMLIR-NOT: @memrefCopy

// LLVM IR: the model description (names, element types, shapes) and the
// entry points named after the output's stem.
// RUN: kilnc %s -o %t/ek.ll
// RUN: FileCheck %s --check-prefix=LL < %t/ek.ll
// LL-DAG: @ek_name = private constant [3 x i8] c"ek\00"
// LL-DAG: @ek_inputs_name0 = private constant [2 x i8] c"x\00"
// LL-DAG: @ek_inputs_shape0 = private constant [2 x i64] [i64 2, i64 3]
// LL-DAG: @ek_outputs_name0 = private constant [2 x i8] c"y\00"
// LL-DAG: @ek_outputs_name1 = private constant [4 x i8] c"idx\00"
// LL-DAG: @ek_outputs_shape1 = private constant [1 x i64] [i64 2]
// LL-DAG: @ek_info = internal constant %kiln_model_info { i32 2, ptr @ek_name, i32 1, i32 2, ptr @ek_inputs, ptr @ek_outputs, i64 {{[0-9]+}}, ptr @ek_entry, i32 {{[1-9][0-9]*}} }
// LL-DAG: define ptr @ek_model()
// LL-DAG: define weak ptr @kiln_library_model()
// LL-NOT: @malloc

// The C header alone.
// RUN: kilnc %s -o %t/ek.h
// RUN: FileCheck %s --check-prefix=HEADER < %t/ek.h
// HEADER: #ifndef EK_KILN_MODEL_H
// HEADER: const kiln_model_info *kiln_library_model(void);
// HEADER: const kiln_model_info *ek_model(void);
// HEADER: #define EK_NUM_INPUTS 1
// HEADER: #define EK_INPUT_0_ELEMENTS 6
// HEADER: #define EK_NUM_OUTPUTS 2
// HEADER: #define EK_OUTPUT_0_ELEMENTS 6
// HEADER: #define EK_OUTPUT_1_ELEMENTS 2
// HEADER: #endif

// An object file, with its header next to it.
// RUN: mkdir -p %t/obj && kilnc %s -o %t/obj/ek.o
// RUN: llvm-nm %t/obj/ek.o | FileCheck %s --check-prefix=OBJ
// RUN: FileCheck %s --check-prefix=HEADER < %t/obj/ek.h
// OBJ-DAG: T ek_model
// OBJ-DAG: W kiln_library_model

// A static library: the model's object and the runtime.
// RUN: mkdir -p %t/a && kilnc %s -o %t/a/ek.a
// RUN: llvm-ar t %t/a/ek.a | FileCheck %s --check-prefix=ARCHIVE
// RUN: FileCheck %s --check-prefix=HEADER < %t/a/ek.h
// ARCHIVE: ek.o
// ARCHIVE: context.c.o

// A shared library that exports the model and the runtime's C API.
// RUN: mkdir -p %t/so && kilnc %s -o %t/so/ek.so
// RUN: llvm-nm -D --defined-only %t/so/ek.so | FileCheck %s --check-prefix=SO
// RUN: FileCheck %s --check-prefix=HEADER < %t/so/ek.h
// SO-DAG: T ek_model
// SO-DAG: T kiln_context_create
// SO-DAG: T kiln_context_destroy
// SO-DAG: T kiln_run
// SO-DAG: W kiln_library_model

// An executable (no extension); no header.
// RUN: mkdir -p %t/exe && kilnc %s -o %t/exe/ek
// RUN: llvm-readelf -l %t/exe/ek | FileCheck %s --check-prefix=EXE
// RUN: not ls %t/exe/ek.h
// EXE: Requesting program interpreter

// --name sets the model name and symbol prefix.
// RUN: kilnc %s -o %t/named.ll --name=classifier
// RUN: FileCheck %s --check-prefix=NAMED < %t/named.ll
// NAMED: define ptr @classifier_model()

func.func @main_graph(%x: tensor<2x3xf32> {kiln.name = "x"}) -> (tensor<2x3xf32> {kiln.name = "y"}, tensor<2xi64> {kiln.name = "idx"}) {
  %c = nn.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = nn.relu %x : tensor<2x3xf32>
  %1 = nn.add %0, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = nn.arg_reduce %x {kind = #nn.arg_reduce_kind<max>, axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %1, %2 : tensor<2x3xf32>, tensor<2xi64>
}
