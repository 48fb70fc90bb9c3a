// Compiled casts to the sub-byte integers (ONNX INT4, UINT4, INT2, UINT2),
// read back as floats. From a float: truncated toward zero, and 0 where that
// is out of the type's range, NaN or infinite (ONNX leaves it undefined;
// onnx's reference, with the pinned ml_dtypes, gives 0). From an integer:
// the low bits, as ONNX defines (see docs/onnx-ops.md).
// REQUIRES: onnx
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save(r'%t/x.npy', np.array([-9, -8.9, -8, -2, -1.5, -0.5, 1.5, 2, 7.9, 8, 15, 16, np.nan, np.inf, -np.inf], np.float32)); np.save(r'%t/n.npy', np.array([-9, -8, 7, 8, 15, 16, 200, -200], np.int32))"
// RUN: kilnc %s -o %t/model.so
// RUN: kiln-run %t/model.so -i %t/x.npy -i %t/n.npy --print | FileCheck %s
// --print shows the first ten values; every value of every case agrees
// with onnx's reference implementation (ReferenceEvaluator):
// RUN: kiln-run %t/model.so -i %t/x.npy -i %t/n.npy -o %t/out
// RUN: %python %S/Inputs/check_subbyte_cast.py %t/x.npy %t/n.npy %t/out

// CHECK: output 0 'f_int4' float [15]: 0, -8, -8, -2, -1, 0, 1, 2, 7, 0, ... (15 values)
// CHECK: output 1 'f_uint4' float [15]: 0, 0, 0, 0, 0, 0, 1, 2, 7, 8, ... (15 values)
// CHECK: output 2 'f_int2' float [15]: 0, 0, 0, -2, -1, 0, 1, 0, 0, 0, ... (15 values)
// CHECK: output 3 'f_uint2' float [15]: 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, ... (15 values)
// CHECK: output 4 'n_int4' float [8]: 7, -8, 7, -8, -1, 0, -8, -8
// CHECK: output 5 'n_uint4' float [8]: 7, 8, 7, 8, 15, 0, 8, 8

func.func @main_graph(%x: tensor<15xf32> {kiln.name = "x"}, %n: tensor<8xi32> {kiln.name = "n"})
    -> (tensor<15xf32> {kiln.name = "f_int4"}, tensor<15xf32> {kiln.name = "f_uint4"},
        tensor<15xf32> {kiln.name = "f_int2"}, tensor<15xf32> {kiln.name = "f_uint2"},
        tensor<8xf32> {kiln.name = "n_int4"}, tensor<8xf32> {kiln.name = "n_uint4"}) {
  %a = nn.cast %x : (tensor<15xf32>) -> tensor<15xi4>
  %a1 = nn.cast %a : (tensor<15xi4>) -> tensor<15xf32>
  %b = nn.cast %x : (tensor<15xf32>) -> tensor<15xui4>
  %b1 = nn.cast %b : (tensor<15xui4>) -> tensor<15xf32>
  %c = nn.cast %x : (tensor<15xf32>) -> tensor<15xi2>
  %c1 = nn.cast %c : (tensor<15xi2>) -> tensor<15xf32>
  %d = nn.cast %x : (tensor<15xf32>) -> tensor<15xui2>
  %d1 = nn.cast %d : (tensor<15xui2>) -> tensor<15xf32>
  %e = nn.cast %n : (tensor<8xi32>) -> tensor<8xi4>
  %e1 = nn.cast %e : (tensor<8xi4>) -> tensor<8xf32>
  %f = nn.cast %n : (tensor<8xi32>) -> tensor<8xui4>
  %f1 = nn.cast %f : (tensor<8xui4>) -> tensor<8xf32>
  return %a1, %b1, %c1, %d1, %e1, %f1 : tensor<15xf32>, tensor<15xf32>, tensor<15xf32>, tensor<15xf32>, tensor<8xf32>, tensor<8xf32>
}
