//===- TileFusion.cpp - What a kernel's tile starts from and ends with ---===//
#include "passes/cpu-kernels/TileFusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace kiln {
namespace {

/// How an epilogue input is read at a run of positions along the last
/// output dimension.
enum class Access { Contiguous, Broadcast, Unsupported };

Access classify(AffineMap map) {
  unsigned last = map.getNumDims() - 1;
  int64_t uses = 0;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e)) {
      uses += d.getPosition() == last;
      continue;
    }
    auto c = dyn_cast<AffineConstantExpr>(e);
    if (!c || c.getValue() != 0)
      return Access::Unsupported;
  }
  if (uses == 0)
    return Access::Broadcast;
  auto lastResult = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (uses == 1 && lastResult && lastResult.getPosition() == last)
    return Access::Contiguous;
  return Access::Unsupported;
}

bool isScalar(Type type) { return type.isIntOrIndexOrFloat(); }

SmallVector<Value> operandIndices(OpBuilder &b, Location loc, AffineMap map,
                                  ValueRange index) {
  SmallVector<Value> indices;
  for (AffineExpr e : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(e))
      indices.push_back(index[d.getPosition()]);
    else
      indices.push_back(arith::ConstantIndexOp::create(b, loc, 0));
  }
  return indices;
}

/// Reads `tensor` at the positions `index` (run along the last loop
/// dimension) through `map`: a vector where the map keeps the last
/// dimension last, a broadcast scalar where it drops it.
Value readThroughMap(OpBuilder &b, Location loc, Value tensor, AffineMap map,
                     ValueRange index, int64_t width, bool inBounds) {
  Type elementType = getElementTypeOrSelf(tensor.getType());
  auto vectorType = VectorType::get({width}, elementType);
  SmallVector<Value> indices = operandIndices(b, loc, map, index);
  if (classify(map) == Access::Broadcast)
    return vector::BroadcastOp::create(
        b, loc, vectorType, tensor::ExtractOp::create(b, loc, tensor, indices));
  // A vector that reaches past the end of the last dimension (a tail)
  // reads masked.
  Value padding = arith::ConstantOp::create(b, loc, b.getZeroAttr(elementType));
  return vector::TransferReadOp::create(b, loc, vectorType, tensor, indices,
                                        padding, ArrayRef<bool>{inBounds});
}

} // namespace

AccumulatorInit::AccumulatorInit(Value init) : dest(init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    Attribute value;
    if (matchPattern(fill.getInputs()[0], m_Constant(&value))) {
      kind = Kind::Splat;
      splat = cast<TypedAttr>(value);
      dest = fill.getOutputs()[0];
    }
    return;
  }
  // A broadcast: one input, a body that yields it, an identity output map.
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 1 ||
      body.getTerminator()->getOperand(0) != body.getArgument(0) ||
      !generic.getIndexingMapsArray().back().isIdentity())
    return;
  AffineMap map = generic.getIndexingMapsArray().front();
  if (!isa<RankedTensorType>(generic.getDpsInputs()[0].getType()) ||
      classify(map) == Access::Unsupported)
    return;
  kind = Kind::Broadcast;
  source = generic.getDpsInputs()[0];
  sourceMap = map;
  dest = generic.getDpsInits()[0];
}

Value AccumulatorInit::emit(OpBuilder &b, Location loc, ValueRange index,
                            int64_t width, bool inBounds, Value initSlice,
                            ValueRange sliceIndex) const {
  switch (kind) {
  case Kind::Splat: {
    auto type = VectorType::get({width}, splat.getType());
    return arith::ConstantOp::create(b, loc, type,
                                     SplatElementsAttr::get(type, splat));
  }
  case Kind::Broadcast:
    return readThroughMap(b, loc, source, sourceMap, index, width, inBounds);
  case Kind::Elements: {
    AffineMap identity = b.getMultiDimIdentityMap(sliceIndex.size());
    return readThroughMap(b, loc, initSlice, identity, sliceIndex, width,
                          inBounds);
  }
  }
  llvm_unreachable("unknown accumulator init");
}

std::optional<Epilogue> findFusableEpilogue(Value result) {
  if (!result.hasOneUse())
    return std::nullopt;
  OpOperand &use = *result.getUses().begin();
  auto op = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!op || op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || !op.isDpsInput(&use) ||
      op.getNumLoops() == 0)
    return std::nullopt;
  if (!op.getMatchingIndexingMap(&use).isIdentity() ||
      !op.getIndexingMapMatchingResult(op->getResult(0)).isIdentity() ||
      cast<ShapedType>(result.getType()).getShape() !=
          cast<ShapedType>(op->getResult(0).getType()).getShape())
    return std::nullopt;
  if (!isScalar(getElementTypeOrSelf(op->getResult(0).getType())))
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input == &use)
      continue;
    // Tensors only: a scalar operand would need no read at all, but the
    // emitter reads every other input from memory.
    if (!isa<RankedTensorType>(input->get().getType()) ||
        !isScalar(getElementTypeOrSelf(input->get().getType())) ||
        classify(op.getMatchingIndexingMap(input)) == Access::Unsupported)
      return std::nullopt;
  }
  Block &body = op.getRegion().front();
  if (!body.getArguments().back().use_empty())
    return std::nullopt;
  for (Operation &inner : body.without_terminator()) {
    if (!isa<arith::ConstantOp>(inner) &&
        !OpTrait::hasElementwiseMappableTraits(&inner))
      return std::nullopt;
    for (Value operand : inner.getOperands())
      if (!isScalar(operand.getType()))
        return std::nullopt;
  }
  return Epilogue{op, use.getOperandNumber()};
}

Value Epilogue::emit(OpBuilder &b, Location loc, Value kernelValue,
                     ValueRange index, int64_t width, bool inBounds) {
  auto vectorOf = [&](Type t) { return VectorType::get({width}, t); };
  auto broadcast = [&](Value scalar) -> Value {
    return vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()),
                                       scalar);
  };
  Block &body = op.getRegion().front();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    if (input->getOperandNumber() == kernelInput) {
      mapping.map(arg, kernelValue);
      continue;
    }
    mapping.map(arg, readThroughMap(b, loc, input->get(),
                                    op.getMatchingIndexingMap(input), index,
                                    width, inBounds));
  }
  auto lookup = [&](Value v) -> Value {
    if (Value mapped = mapping.lookupOrNull(v))
      return mapped;
    // A scalar defined outside the body: the same for every lane.
    return broadcast(v);
  };
  for (Operation &inner : body.without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(inner)) {
      auto type = vectorOf(constant.getType());
      mapping.map(
          constant.getResult(),
          arith::ConstantOp::create(
              b, loc, type, SplatElementsAttr::get(type, constant.getValue())));
      continue;
    }
    OperationState state(loc, inner.getName());
    for (Value operand : inner.getOperands())
      state.addOperands(lookup(operand));
    for (Type t : inner.getResultTypes())
      state.addTypes(vectorOf(t));
    state.addAttributes(inner.getAttrs());
    Operation *vectorized = b.create(state);
    mapping.map(inner.getResults(), vectorized->getResults());
  }
  return lookup(body.getTerminator()->getOperand(0));
}

} // namespace kiln
