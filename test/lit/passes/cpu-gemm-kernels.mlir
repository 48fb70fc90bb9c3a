// RUN: kiln-opt %s --kiln-cpu-gemm-kernels="vector-width=4" --canonicalize --split-input-file | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-gemm-kernels="vector-width=4 threads=2 min-parallel-work=0" --canonicalize --split-input-file | FileCheck %s --check-prefix=PAR
// Products of less work than min-parallel-work stay serial (the largest
// here has 192 multiply-adds):
// RUN: kiln-opt %s --kiln-cpu-gemm-kernels="vector-width=4 threads=2 min-parallel-work=193" --canonicalize --split-input-file | FileCheck %s --check-prefix=SMALL
// SMALL-NOT: scf.forall

#lhs = affine_map<(m, k, n) -> (m, k)>
#rhs = affine_map<(m, k, n) -> (k, n)>
#rhsT = affine_map<(m, k, n) -> (n, k)>
#out = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>

// B [K=2, N=10] is packed into panels of W = 2 vectors x 4 lanes, zero past
// column 10: [2 panels][K][8]. With 4-lane vectors (a target with 16
// vector registers) a tile is 5 rows x 2 vectors: rows 0-4 are one tile,
// rows 5-8 a 4-row tail tile; the second panel (columns 8-9) stores with
// masks. The fill's zero is the accumulators' initial value.
// CHECK-LABEL: func @matmul
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK-DAG: %[[PACKED:.*]] = arith.constant dense<{{\[\[\[}}0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00], [1.000000e+01, 1.100000e+01, {{.*}}], {{\[\[}}8.000000e+00, 9.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [1.800000e+01, 1.900000e+01, 0.000000e+00{{.*}}]]]> : tensor<2x2x8xf32>
// The first panel's 5-row tile: 10 accumulators start at zero; per k, two
// vector loads of the panel row, then a broadcast of A[m, k] and two FMAs
// per row.
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %{{.*}}[0, 0] [9, 8] [1, 1]
// CHECK: %[[ACC:.*]]:10 = scf.for %[[K:.*]] = %c0 to %c2 step %c1 iter_args(%{{.*}} = %[[ZERO]],
// CHECK:   %[[B0:.*]] = vector.transfer_read %[[PACKED]][%c0, %[[K]], %c0]{{.*}}in_bounds = [true]
// CHECK:   %[[B1:.*]] = vector.transfer_read %[[PACKED]][%c0, %[[K]], %c4]{{.*}}in_bounds = [true]
// CHECK:   %[[A:.*]] = tensor.extract %{{.*}}[%c0, %[[K]]] : tensor<9x2xf32>
// CHECK:   %[[AV:.*]] = vector.broadcast %[[A]] : f32 to vector<4xf32>
// CHECK:   vector.fma %[[AV]], %[[B0]]
// CHECK:   vector.fma %[[AV]], %[[B1]]
// CHECK-COUNT-8: vector.fma
// CHECK:   scf.yield
// CHECK: vector.transfer_write %[[ACC]]#0, %[[SLICE]][%c0, %c0] {in_bounds = [true]}
// CHECK-COUNT-9: vector.transfer_write {{.*}}in_bounds = [true]
// Rows 5-8: a four-row tail tile.
// CHECK: scf.for {{.*}} -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// CHECK-COUNT-8: vector.transfer_write {{.*}}in_bounds = [true]
// The tail panel (columns 8 and 9): one vector per row, masked stores.
// CHECK: tensor.extract_slice %{{.*}}[0, 8] [9, 2] [1, 1] : tensor<9x10xf32> to tensor<9x2xf32>
// CHECK: vector.transfer_read %[[PACKED]][%c1,
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0] : vector<4xf32>, tensor<9x2xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
// With threads, one panel is no loop to distribute.
// PAR-LABEL: func @matmul
// PAR-NOT: scf.forall
// PAR: return
func.func @matmul(%a: tensor<9x2xf32>) -> tensor<9x10xf32> {
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                             [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0]]> : tensor<2x10xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<9x10xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<9x10xf32>) -> tensor<9x10xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<9x2xf32>, tensor<2x10xf32>) outs(%init : tensor<9x10xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %f = math.fma %x, %y, %acc : f32
    linalg.yield %f : f32
  } -> tensor<9x10xf32>
  return %r : tensor<9x10xf32>
}

// -----

#lhs = affine_map<(m, k, n) -> (m, k)>
#rhsT = affine_map<(m, k, n) -> (n, k)>
#out = affine_map<(m, k, n) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#row = affine_map<(m, n) -> (n)>

// B stored transposed ([N, K]) is packed the same way. The bias + ReLU
// consumer is applied to each tile in registers: the bias is read as a
// vector along the columns, ReLU's zero is a splat, and the kernel writes
// the consumer's init.
// CHECK-LABEL: func @transposed_with_epilogue
// CHECK: arith.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00], [2.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00]]]> : tensor<1x2x4xf32>
// CHECK: vector.fma
// CHECK: %[[BIAS:.*]] = vector.transfer_read %{{.*}}[%c0], %{{.*}} : tensor<2xf32>, vector<4xf32>
// CHECK: %[[SUM:.*]] = arith.addf %{{.*}}, %[[BIAS]] : vector<4xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.*}} : vector<4xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @transposed_with_epilogue(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %bias = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<3x2xf32>) -> tensor<3x2xf32>
  %p = linalg.generic {indexing_maps = [#lhs, #rhsT, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<3x2xf32>
  %out = tensor.empty() : tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%p, %bias : tensor<3x2xf32>, tensor<2xf32>) outs(%out : tensor<3x2xf32>) {
  ^bb0(%x: f32, %c: f32, %o: f32):
    %s = arith.addf %x, %c : f32
    %z = arith.maximumf %s, %zero : f32
    linalg.yield %z : f32
  } -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

#lhs = affine_map<(m, k, n) -> (m, k)>
#rhs = affine_map<(m, k, n) -> (k, n)>
#out = affine_map<(m, k, n) -> (m, n)>

// PAR-LABEL: func @panels_in_parallel
// PAR: scf.forall (%[[P:.*]]) in (4) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<2x32xf32>)
// PAR:   %[[COL:.*]] = arith.muli %[[P]], %c8
// PAR:   tensor.extract_slice %[[O]][0, %[[COL]]] [2, 8] [1, 1]
// PAR:   vector.fma
// PAR:   scf.forall.in_parallel
// PAR:     tensor.parallel_insert_slice %{{.*}} into %[[O]][0, %[[COL]]] [2, 8] [1, 1]
// Serially, a loop over the panels. An init that is not a fill is read as
// the initial accumulators.
// CHECK-LABEL: func @panels_in_parallel
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(%[[O:.*]] = %{{.*}}) -> (tensor<2x32xf32>)
// CHECK:   %[[S:.*]] = tensor.extract_slice %[[O]]
// CHECK:   vector.transfer_read %[[S]][%c0, %c0], %{{.*}} {in_bounds = [true]} : tensor<2x8xf32>, vector<4xf32>
func.func @panels_in_parallel(%a: tensor<2x3xf32>, %c: tensor<2x32xf32>) -> tensor<2x32xf32> {
  %b = arith.constant dense<1.0> : tensor<3x32xf32>
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<2x3xf32>, tensor<3x32xf32>) outs(%c : tensor<2x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %f = math.fma %x, %y, %acc : f32
    linalg.yield %f : f32
  } -> tensor<2x32xf32>
  return %r : tensor<2x32xf32>
}

// -----

#lhs = affine_map<(m, k, n) -> (m, k)>
#rhs = affine_map<(m, k, n) -> (k, n)>
#out = affine_map<(m, k, n) -> (m, n)>

// Not kernels: a B that is not a constant, and f16.
// CHECK-LABEL: func @not_kernels
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.fma
func.func @not_kernels(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>,
                       %h: tensor<2x3xf16>, %hc: tensor<2x4xf16>) -> (tensor<2x4xf32>, tensor<2x4xf16>) {
  %r = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%c : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %f = math.fma %x, %y, %acc : f32
    linalg.yield %f : f32
  } -> tensor<2x4xf32>
  %hb = arith.constant dense<1.0> : tensor<3x4xf16>
  %s = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%h, %hb : tensor<2x3xf16>, tensor<3x4xf16>) outs(%hc : tensor<2x4xf16>) {
  ^bb0(%x: f16, %y: f16, %acc: f16):
    %f = math.fma %x, %y, %acc : f16
    linalg.yield %f : f16
  } -> tensor<2x4xf16>
  return %r, %s : tensor<2x4xf32>, tensor<2x4xf16>
}

// -----

#blhs = affine_map<(b, m, n, k) -> (b, m, k)>
#brhs = affine_map<(b, m, n, k) -> (b, k, n)>
#bout = affine_map<(b, m, n, k) -> (b, m, n)>

// A batch of 3 products [2, 5] x [5, 4] with a constant B each (Winograd's
// transformed domain): B packed per batch into [3, 1, 5, 4], the kernel run
// per (batch, panel), reading A and B at the batch's index.
// CHECK-LABEL: func @batched
// CHECK: %[[B:.*]] = arith.constant dense<{{.*}}> : tensor<3x1x5x4xf32>
// CHECK: scf.for %[[BATCH:.*]] = %c0 to %c3 step %c1 iter_args(%[[O:.*]] = %{{.*}}) -> (tensor<3x2x4xf32>)
// CHECK:   %[[S:.*]] = tensor.extract_slice %[[O]][%[[BATCH]], 0, 0] [1, 2, 4] [1, 1, 1]
// CHECK:   scf.for %[[K:.*]] = %c0 to %c5 step %c1
// CHECK:     vector.transfer_read %[[B]][%[[BATCH]], %c0, %[[K]], %c0]
// CHECK:     tensor.extract %{{.*}}[%[[BATCH]], %c0, %[[K]]]
// CHECK:     vector.fma
// CHECK:     tensor.extract %{{.*}}[%[[BATCH]], %c1, %[[K]]]
// CHECK:     vector.fma
// CHECK:   vector.transfer_write %{{.*}}, %[[S]][%c0, %c0, %c0]
// CHECK:   vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c1, %c0]
// CHECK:   tensor.insert_slice %{{.*}} into %[[O]][%[[BATCH]], 0, 0] [1, 2, 4]
// With threads, the (batch, panel) pairs are an scf.forall.
// PAR-LABEL: func @batched
// PAR: scf.forall (%{{.*}}) in (3)
func.func @batched(%a: tensor<3x2x5xf32>) -> tensor<3x2x4xf32> {
  %b = arith.constant dense<[[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]],
                             [[5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0], [5.0, 6.0, 7.0, 8.0]],
                             [[9.0, 1.0, 2.0, 3.0], [9.0, 1.0, 2.0, 3.0], [9.0, 1.0, 2.0, 3.0], [9.0, 1.0, 2.0, 3.0], [9.0, 1.0, 2.0, 3.0]]]> : tensor<3x5x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2x4xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  %r = linalg.generic {indexing_maps = [#blhs, #brhs, #bout], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<3x2x5xf32>, tensor<3x5x4xf32>) outs(%c : tensor<3x2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %f = math.fma %x, %y, %acc : f32
    linalg.yield %f : f32
  } -> tensor<3x2x4xf32>
  return %r : tensor<3x2x4xf32>
}
