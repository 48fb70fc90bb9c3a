// Errors of --kiln-plan-workspace.
// RUN: kiln-opt %s --kiln-plan-workspace -split-input-file -verify-diagnostics

// A buffer whose size is only known at run time cannot be planned.
func.func @main_graph(%in: memref<?xf32>, %n: index) {
  // expected-error @+1 {{cannot place a dynamically shaped or non-identity buffer in the workspace}}
  %a = memref.alloc(%n) : memref<?xf32>
  linalg.copy ins(%in : memref<?xf32>) outs(%a : memref<?xf32>)
  return
}

// -----

func.func @main_graph(%in: memref<4x4xf32>) {
  // expected-error @+1 {{cannot place a dynamically shaped or non-identity buffer in the workspace}}
  %a = memref.alloc() : memref<4x4xf32, strided<[8, 1]>>
  return
}

// -----

// expected-error @below {{no function named 'main_graph'}}
module {
  func.func @forward(%x: memref<4xf32>) {
    return
  }
}
