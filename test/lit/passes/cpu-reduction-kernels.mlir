// RUN: kiln-opt %s --kiln-cpu-reduction-kernels="vector-width=8 threads=2 min-parallel-work=0" --canonicalize | FileCheck %s
// RUN: kiln-opt %s --kiln-cpu-reduction-kernels="vector-width=8" --canonicalize | FileCheck %s --check-prefix=SERIAL

#row = affine_map<(i, j, k) -> (i, j, k)>
#stat = affine_map<(i, j, k) -> (i, j, 0)>
#out = affine_map<(i, j, k) -> (i, j)>

// Softmax's sum: out[i, j] += exp(x[i, j, k] - max[i, j, 0]) over rows of
// 20. The output elements are an scf.forall; the row maximum is read once
// and broadcast; two full steps of 8 lanes evaluate exp(x - max) on
// vectors into one accumulator starting at 0; a masked step of the last 4
// lanes (the others contribute 0); one horizontal add, plus the init.
// CHECK-LABEL: func @softmax_sum
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x20xf32>, %[[M:.*]]: tensor<2x3x1xf32>, %[[INIT:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) in (2, 3) shared_outs(%[[O:.*]] = %[[INIT]])
// CHECK:   %[[TILE:.*]] = tensor.extract_slice %[[O]][%[[I]], %[[J]]] [1, 1] [1, 1]
// CHECK:   %[[MAX:.*]] = tensor.extract %[[M]][%[[I]], %[[J]], %c0]
// CHECK:   %[[MAXV:.*]] = vector.broadcast %[[MAX]] : f32 to vector<8xf32>
// CHECK:   %[[ACC:.*]] = scf.for %[[K:.*]] = %c0 to %c16 step %c8 iter_args(%[[A:.*]] = %[[ZEROS]])
// CHECK:     %[[V:.*]] = vector.transfer_read %[[X]][%[[I]], %[[J]], %[[K]]], %{{.*}} {in_bounds = [true]}
// CHECK:     %[[D:.*]] = arith.subf %[[V]], %[[MAXV]] : vector<8xf32>
// CHECK:     %[[E:.*]] = math.exp %[[D]] : vector<8xf32>
// CHECK:     %[[S:.*]] = arith.addf %[[A]], %[[E]] : vector<8xf32>
// CHECK:     scf.yield %[[S]]
// CHECK:   %[[T:.*]] = vector.transfer_read %[[X]][%[[I]], %[[J]], %c16], %{{.*}} : tensor<2x3x20xf32>, vector<8xf32>
// CHECK:   %[[TE:.*]] = math.exp
// CHECK:   %[[MASK:.*]] = vector.constant_mask [4] : vector<8xi1>
// CHECK:   %[[TM:.*]] = arith.select %[[MASK]], %[[TE]], %[[ZEROS]]
// CHECK:   %[[ALL:.*]] = arith.addf %[[ACC]], %[[TM]]
// CHECK:   %[[SUM:.*]] = vector.reduction <add>, %[[ALL]] : vector<8xf32> into f32
// CHECK:   %[[OLD:.*]] = tensor.extract %[[TILE]][%c0, %c0]
// CHECK:   %[[NEW:.*]] = arith.addf %[[OLD]], %[[SUM]] : f32
// CHECK:   tensor.insert %[[NEW]] into %[[TILE]][%c0, %c0]
// CHECK:   tensor.parallel_insert_slice
// SERIAL-LABEL: func @softmax_sum
// SERIAL-NOT: scf.forall
// SERIAL: vector.reduction <add>
func.func @softmax_sum(%x: tensor<2x3x20xf32>, %m: tensor<2x3x1xf32>, %init: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#row, #stat, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %m : tensor<2x3x20xf32>, tensor<2x3x1xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.subf %a, %b : f32
    %1 = math.exp %0 : f32
    %2 = arith.addf %o, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}



#row2 = affine_map<(i, k) -> (i, k)>
#out2 = affine_map<(i, k) -> (i)>
#col = affine_map<(k, i) -> (i, k)>
#out3 = affine_map<(k, i) -> (i)>

// A maximum: the identity -inf starts the accumulator, vector.reduction
// <maximumf>. Not rewritten: rows shorter than a vector, and a reduction
// that is not the innermost loop.
// CHECK-LABEL: func @others
// CHECK: arith.constant dense<0xFF800000> : vector<8xf32>
// CHECK: vector.reduction <maximumf>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4x5xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
func.func @others(%x: tensor<4x64xf32>, %short: tensor<4x5xf32>, %init: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = linalg.generic {indexing_maps = [#row2, #out2], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x64xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.maximumf %o, %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %b = linalg.generic {indexing_maps = [#row2, #out2], iterator_types = ["parallel", "reduction"]}
      ins(%short : tensor<4x5xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.addf %o, %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %c = linalg.generic {indexing_maps = [#col, #out3], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4x64xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.addf %o, %v : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %a, %b, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
