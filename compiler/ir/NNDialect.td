//===- NNDialect.td - The nn dialect -----------------------*- tablegen -*-===//
//
// The nn dialect: a static-shape tensor graph that both frontends (ONNX, the
// C++ builder) produce and every graph pass consumes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_NN_DIALECT
#define KILN_NN_DIALECT

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::kiln::nn";
  let summary = "Neural-network graph operations on statically shaped tensors";
  let description = [{
    Every op takes and returns ranked tensors of static shape. Attributes carry
    what ONNX passes as constant inputs (shapes, pads, slice bounds), so the
    graph is fully static by the time it reaches the passes. Signedness of
    integers is kept in the element type (ui8 is unsigned, i8 signed).
  }];
  let hasConstantMaterializer = 1;
  // The enum attributes of NNEnums.td print as #nn.mnemonic<case>.
  let useDefaultAttributePrinterParser = 1;
}

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic, traits>;

#endif // KILN_NN_DIALECT
