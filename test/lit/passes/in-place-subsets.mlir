// RUN: kiln-opt %s --kiln-in-place-subsets --split-input-file | FileCheck %s
// After bufferization, no part is copied into the whole:
// RUN: kiln-opt %s --kiln-in-place-subsets --split-input-file --one-shot-bufferize=bufferize-function-boundaries --cse --canonicalize | FileCheck %s --check-prefix=BUF

// A concatenation of two computed parts: each part's producer writes into
// its slice of the concatenation's tensor as it stands before that part
// (the tensor moves up to where the first part starts, the first part's
// insert up to where the second starts).
// CHECK-LABEL: func @concat
// CHECK: %[[BASE:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[A0:.*]] = tensor.extract_slice %[[BASE]][0, 0] [2, 3] [1, 1]
// CHECK: %[[A:.*]] = linalg.generic {{.*}} outs(%[[A0]] : tensor<2x3xf32>)
// CHECK: %[[X:.*]] = tensor.insert_slice %[[A]] into %[[BASE]][0, 0] [2, 3] [1, 1]
// CHECK: %[[B0:.*]] = tensor.extract_slice %[[X]][0, 3] [2, 5] [1, 1]
// CHECK: %[[B:.*]] = linalg.generic {{.*}} outs(%[[B0]] : tensor<2x5xf32>)
// CHECK: tensor.insert_slice %[[B]] into %[[X]][0, 3] [2, 5] [1, 1]
// BUF-LABEL: func @concat
// BUF-NOT: memref.copy
// BUF-NOT: linalg.copy
// BUF: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @concat(%x: tensor<2x3xf32>, %y: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %ea = tensor.empty() : tensor<2x3xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%ea : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x3xf32>
  %eb = tensor.empty() : tensor<2x5xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<2x5xf32>) outs(%eb : tensor<2x5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x5xf32>
  %e = tensor.empty() : tensor<2x8xf32>
  %c0 = tensor.insert_slice %a into %e[0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x8xf32>
  %c1 = tensor.insert_slice %b into %c0[0, 3] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<2x8xf32>
  return %c1 : tensor<2x8xf32>
}

// -----

// A zero padding of a computed tensor: the fill of the padded tensor comes
// first, the producer writes its interior, through a loop that carries
// its destination (as the CPU kernels do).
// CHECK-LABEL: func @pad
// CHECK: %[[E:.*]] = tensor.empty() : tensor<6x6xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<6x6xf32>)
// CHECK: %[[INNER:.*]] = tensor.extract_slice %[[FILL]][1, 1] [4, 4] [1, 1]
// CHECK: %[[LOOP:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INNER]])
// CHECK: tensor.insert_slice %[[LOOP]] into %[[FILL]][1, 1] [4, 4] [1, 1]
// CHECK-NOT: tensor.pad
// BUF-LABEL: func @pad
// BUF-NOT: memref.copy {{.*}} : memref<4x4xf32
// BUF: return
func.func @pad(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%t = %e) -> (tensor<4x4xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 4] [1, 1] : tensor<4x4xf32> to tensor<1x4xf32>
    %n = tensor.insert_slice %row into %t[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<4x4xf32>
    scf.yield %n : tensor<4x4xf32>
  }
  %p = tensor.pad %r low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<4x4xf32> to tensor<6x6xf32>
  return %p : tensor<6x6xf32>
}

// -----

// Nested concatenations (a dense block: the inner one is also read, by
// the layer that computes the part the outer one adds): the inner one's
// tensor becomes a slice of the outer one's, so each part is written once,
// in place; the inner one's insert moves up to just after it, and its
// reader reads it from the outer one.
// CHECK-LABEL: func @nested
// CHECK: %[[OUTER:.*]] = tensor.empty() : tensor<2x9xf32>
// CHECK: %[[INNER:.*]] = tensor.extract_slice %[[OUTER]][0, 0] [2, 6] [1, 1]
// CHECK: %[[A0:.*]] = tensor.extract_slice %[[INNER]][0, 0] [2, 3] [1, 1]
// CHECK: %[[A:.*]] = linalg.generic {{.*}} outs(%[[A0]] : tensor<2x3xf32>)
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[A]] into %[[INNER]][0, 0] [2, 3] [1, 1]
// CHECK: %[[B0:.*]] = tensor.extract_slice %[[I0]][0, 3] [2, 3] [1, 1]
// CHECK: %[[B:.*]] = linalg.generic {{.*}} outs(%[[B0]] : tensor<2x3xf32>)
// CHECK: %[[I1:.*]] = tensor.insert_slice %[[B]] into %[[I0]][0, 3] [2, 3] [1, 1]
// CHECK: %[[O0:.*]] = tensor.insert_slice %[[I1]] into %[[OUTER]][0, 0] [2, 6] [1, 1]
// CHECK: %[[READ:.*]] = tensor.extract_slice %[[O0]][0, 0] [2, 6] [1, 1]
// CHECK: tensor.extract_slice %[[READ]][0, 1] [2, 3] [1, 1]
// CHECK: %[[C0:.*]] = tensor.extract_slice %[[O0]][0, 6] [2, 3] [1, 1]
// CHECK: %[[C:.*]] = linalg.generic {{.*}} outs(%[[C0]] : tensor<2x3xf32>)
// CHECK: tensor.insert_slice %[[C]] into %[[O0]][0, 6] [2, 3] [1, 1]
// BUF-LABEL: func @nested
// BUF-NOT: memref.copy
// BUF-NOT: linalg.copy
// BUF: return
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @nested(%x: tensor<2x3xf32>) -> tensor<2x9xf32> {
  %ea = tensor.empty() : tensor<2x3xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%ea : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x3xf32>
  %eb = tensor.empty() : tensor<2x3xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<2x3xf32>) outs(%eb : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.log %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x3xf32>
  %e1 = tensor.empty() : tensor<2x6xf32>
  %i0 = tensor.insert_slice %a into %e1[0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x6xf32>
  %i1 = tensor.insert_slice %b into %i0[0, 3] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x6xf32>
  %et = tensor.empty() : tensor<2x3xf32>
  %s = tensor.extract_slice %i1[0, 1] [2, 3] [1, 1] : tensor<2x6xf32> to tensor<2x3xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<2x3xf32>) outs(%et : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.exp %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x3xf32>
  %ec = tensor.empty() : tensor<2x3xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<2x3xf32>) outs(%ec : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = math.sqrt %v : f32
    linalg.yield %0 : f32
  } -> tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<2x9xf32>
  %o0 = tensor.insert_slice %i1 into %e2[0, 0] [2, 6] [1, 1] : tensor<2x6xf32> into tensor<2x9xf32>
  %o1 = tensor.insert_slice %c into %o0[0, 6] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x9xf32>
  return %o1 : tensor<2x9xf32>
}
