//===- FlattenConstantGlobals.cpp - Weights as one-dimensional globals ----===//
//
// A constant memref.global of shape [64, 3, 7, 7] becomes an LLVM global of
// nested arrays, which LLVM builds row by row: one uniqued
// ConstantDataArray per innermost row (millions for a ResNet-50), costing
// most of kilnc's time and memory. Flattened to [9408] it is a single
// ConstantDataArray; each memref.get_global is followed by a
// memref.expand_shape back to the original shape, a view that costs
// nothing at run time.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace kiln {
#define GEN_PASS_DEF_FLATTENCONSTANTGLOBALS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// Whether `global` is a constant with dense contents and an identity
/// layout of rank > 1.
bool isFlattenable(memref::GlobalOp global) {
  MemRefType type = global.getType();
  return global.getConstant() && type.getRank() > 1 &&
         type.getLayout().isIdentity() && type.hasStaticShape() &&
         isa_and_nonnull<DenseElementsAttr>(global.getInitialValueAttr());
}

struct FlattenConstantGlobalsPass
    : impl::FlattenConstantGlobalsBase<FlattenConstantGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::DenseMap<StringAttr, MemRefType> flattened; // name -> old type
    for (auto global : module.getOps<memref::GlobalOp>()) {
      if (!isFlattenable(global))
        continue;
      MemRefType type = global.getType();
      auto flatType = MemRefType::get({type.getNumElements()},
                                      type.getElementType(), AffineMap(),
                                      type.getMemorySpace());
      auto value = cast<DenseElementsAttr>(global.getInitialValueAttr());
      global.setInitialValueAttr(value.reshape(RankedTensorType::get(
          {type.getNumElements()}, type.getElementType())));
      global.setType(flatType);
      flattened[global.getSymNameAttr()] = type;
    }
    if (flattened.empty())
      return;
    module.walk([&](memref::GetGlobalOp get) {
      auto it = flattened.find(get.getNameAttr().getAttr());
      if (it == flattened.end())
        return;
      MemRefType shaped = it->second;
      OpBuilder b(get);
      auto flatType = MemRefType::get({shaped.getNumElements()},
                                      shaped.getElementType(), AffineMap(),
                                      shaped.getMemorySpace());
      auto flat = memref::GetGlobalOp::create(b, get.getLoc(), flatType,
                                              get.getName());
      SmallVector<ReassociationIndices> all(1);
      for (int64_t d = 0; d < shaped.getRank(); ++d)
        all[0].push_back(d);
      auto view = memref::ExpandShapeOp::create(b, get.getLoc(), shaped, flat,
                                                all);
      get.replaceAllUsesWith(view.getResult());
      get.erase();
    });
  }
};

} // namespace
} // namespace kiln
