// nn.top_k, nn.einsum, nn.det, nn.cumprod, nn.bitcast, nn.grid_sample,
// nn.roi_align and nn.cast's saturate / round_mode parse, print, and parse again to the same
// thing, in the custom and in the generic form; inferred result types verify.
// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s -mlir-print-op-generic | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @selection_and_algebra
func.func @selection_and_algebra(%x: tensor<3x4xf32>, %m: tensor<2x3x3xf32>, %a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // The defaults (largest, sorted) are not printed.
  // CHECK: %{{.*}}, %{{.*}} = nn.top_k %{{.*}} {axis = 1 : i64, k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  %0:2 = nn.top_k %x {axis = 1 : i64, k = 2 : i64, largest = true} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  // CHECK: nn.top_k %{{.*}} {axis = 0 : i64, k = 1 : i64, largest = false, sorted = false} : (tensor<3x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xi64>)
  %1:2 = nn.top_k %x {axis = 0 : i64, k = 1 : i64, largest = false, sorted = false} : (tensor<3x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xi64>)
  // CHECK: nn.einsum %{{.*}}, %{{.*}} {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %2 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  // A repeated letter takes the diagonal; an axis of extent 1 broadcasts.
  // CHECK: nn.einsum %{{.*}} {equation = "bii->bi"} : (tensor<2x3x3xf32>) -> tensor<2x3xf32>
  %3 = nn.einsum %m {equation = "bii->bi"} : (tensor<2x3x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.einsum %{{.*}}, %{{.*}} {equation = "Aij,Ajk->Aik"} : (tensor<1x2x3xf32>, tensor<4x3x4xf32>) -> tensor<4x2x4xf32>
  %a1 = nn.reshape %a : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %b4 = nn.constant dense<1.0> : tensor<4x3x4xf32>
  %4 = nn.einsum %a1, %b4 {equation = "Aij,Ajk->Aik"} : (tensor<1x2x3xf32>, tensor<4x3x4xf32>) -> tensor<4x2x4xf32>
  // CHECK: nn.det %{{.*}} : (tensor<2x3x3xf32>) -> tensor<2xf32>
  %5 = nn.det %m : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return
}

// CHECK-LABEL: func.func @elementwise_and_sampling
func.func @elementwise_and_sampling(%x: tensor<3x4xf32>, %i: tensor<4xi32>, %img: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) {
  // CHECK: nn.cumprod %{{.*}} {axis = 0 : i64, exclusive = true} : tensor<4xi32>
  %0 = nn.cumprod %i {axis = 0 : i64, exclusive = true} : tensor<4xi32>
  // CHECK: nn.bitcast %{{.*}} : (tensor<4xi32>) -> tensor<4xf32>
  %1 = nn.bitcast %i : (tensor<4xi32>) -> tensor<4xf32>
  // CHECK: nn.grid_sample %{{.*}}, %{{.*}} {align_corners = true, mode = #nn.interpolation<cubic>, padding_mode = #nn.grid_padding<reflection>} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  %2 = nn.grid_sample %img, %g {mode = #nn.interpolation<cubic>, padding_mode = #nn.grid_padding<reflection>, align_corners = true} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  // CHECK: nn.grid_sample %{{.*}}, %{{.*}} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  %3 = nn.grid_sample %img, %g : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  // The narrow float and sub-byte integer types; saturate and round_mode
  // print only when not the default.
  // CHECK: nn.cast %{{.*}} {saturate = false} : (tensor<3x4xf32>) -> tensor<3x4xf8E4M3FN>
  %4 = nn.cast %x {saturate = false} : (tensor<3x4xf32>) -> tensor<3x4xf8E4M3FN>
  // CHECK: nn.cast %{{.*}} {round_mode = #nn.round_mode<nearest>} : (tensor<3x4xf32>) -> tensor<3x4xf8E8M0FNU>
  %5 = nn.cast %x {round_mode = #nn.round_mode<nearest>, saturate = true} : (tensor<3x4xf32>) -> tensor<3x4xf8E8M0FNU>
  // CHECK: nn.cast %{{.*}} : (tensor<3x4xf32>) -> tensor<3x4xi4>
  %6 = nn.cast %x : (tensor<3x4xf32>) -> tensor<3x4xi4>
  // CHECK: nn.cast %{{.*}} : (tensor<3x4xf32>) -> tensor<3x4xf4E2M1FN>
  %7 = nn.cast %x : (tensor<3x4xf32>) -> tensor<3x4xf4E2M1FN>
  return
}

// CHECK-LABEL: func.func @roi_align
func.func @roi_align(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>) {
  // CHECK: nn.roi_align %{{.*}}, %{{.*}}, %{{.*}} {mode = #nn.roi_align_mode<max>, output_height = 2 : i64, output_width = 3 : i64, sampling_ratio = 2 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x3xf32>
  %0 = nn.roi_align %x, %rois, %b {mode = #nn.roi_align_mode<max>, output_height = 2 : i64, output_width = 3 : i64, sampling_ratio = 2 : i64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x3xf32>
  // CHECK: nn.roi_align %{{.*}}, %{{.*}}, %{{.*}} {half_pixel = false, output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 1 : i64, spatial_scale = 5.000000e-01 : f64}
  %1 = nn.roi_align %x, %rois, %b {half_pixel = false, output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 1 : i64, spatial_scale = 0.5 : f64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return
}
