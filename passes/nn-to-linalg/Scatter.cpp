//===- Scatter.cpp - Lowering of scatter ops ------------------------------===//
//
// nn.scatter_elements copies the input, then walks the updates with an
// scf.for nest (row-major, serial) and writes each one with
// tensor.extract / tensor.insert, combined with the old value by the
// reduction. Serial order makes repeated indices well defined: the last
// write wins (reduction none), or all of them are combined in order.
// Negative indices count from the end; out-of-range ones are clamped
// rather than written out of bounds. nn.scatter_nd is the same loop nest
// over its updates, the first coordinates read from the index tuple.
// nn.gather_nd is a linalg.generic over the result that reads the tuple
// and the input with tensor.extract.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// `old` combined with `update` by the reduction (none: the update).
Value combine(ScalarArith &s, ScatterReduction reduction, Value old,
              Value update) {
  switch (reduction) {
  case ScatterReduction::None:
    return update;
  case ScatterReduction::Add:
    return s.add(old, update);
  case ScatterReduction::Mul:
    return s.mul(old, update);
  case ScatterReduction::Max:
    return s.max(old, update);
  case ScatterReduction::Min:
    return s.min(old, update);
  }
  llvm_unreachable("unknown scatter reduction");
}

/// The scatter shared by ScatterElements and ScatterND: a copy of `input`,
/// then a serial loop nest over `updates` (so repeated indices apply in
/// order) writing each update, combined by `reduction`, at the coordinates
/// `coordinatesOf(ivs)` computes.
Value buildScatter(
    OpBuilder &rewriter, Location loc, Value input, Value updates,
    RankedTensorType resultType, Type nnElementType, ScatterReduction reduction,
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>
        coordinatesOf) {
  Value empty = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                        resultType.getElementType());
  Value init = linalg::CopyOp::create(rewriter, loc, input, empty).getResult(0);
  auto updatesType = cast<RankedTensorType>(updates.getType());
  if (updatesType.getNumElements() == 0)
    return init;
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
  for (int64_t d : updatesType.getShape()) {
    lbs.push_back(zero);
    ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, d));
    steps.push_back(one);
  }
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{init},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange iterArgs) -> scf::ValueVector {
        ScalarArith s(b, l, nnElementType);
        Value update = tensor::ExtractOp::create(b, l, updates, ivs);
        SmallVector<Value> coords = coordinatesOf(b, l, ivs);
        Value acc = iterArgs[0];
        Value value = update;
        if (reduction != ScatterReduction::None) {
          Value old = tensor::ExtractOp::create(b, l, acc, coords);
          value = combine(s, reduction, old, update);
        }
        return {tensor::InsertOp::create(b, l, value, acc, coords).getResult()};
      });
  return nest.results.front();
}

struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    int64_t axis = op.getAxis();
    int64_t extent = resultType.getDimSize(axis);
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();
    ScatterReduction reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();

    rewriter.replaceOp(
        op, buildScatter(rewriter, loc, adaptor.getInput(), updates, resultType,
                         nnElementType, reduction,
                         [&](OpBuilder &b, Location l, ValueRange ivs) {
                           Value raw = tensor::ExtractOp::create(b, l, indices,
                                                                 ivs);
                           SmallVector<Value> coords(ivs.begin(), ivs.end());
                           coords[axis] = normalizedIndex(
                               b, l, raw, unsignedIndices, extent);
                           return coords;
                         }));
    return success();
  }
};

struct ScatterNDLowering : OpConversionPattern<ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t k = indicesType.getShape().back();
    int64_t batch = indicesType.getRank() - 1;
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();
    ScatterReduction reduction = op.getReduction();
    Value indices = adaptor.getIndices(), updates = adaptor.getUpdates();

    rewriter.replaceOp(
        op, buildScatter(
                rewriter, loc, adaptor.getInput(), updates, resultType,
                nnElementType, reduction,
                [&](OpBuilder &b, Location l, ValueRange ivs) {
                  // The tuple indices[i..., :] gives the first k coordinates.
                  SmallVector<Value> coords;
                  SmallVector<Value> at(ivs.begin(), ivs.begin() + batch);
                  at.push_back(Value());
                  for (int64_t j = 0; j < k; ++j) {
                    at.back() = arith::ConstantIndexOp::create(b, l, j);
                    Value raw = tensor::ExtractOp::create(b, l, indices, at);
                    coords.push_back(normalizedIndex(
                        b, l, raw, unsignedIndices, resultType.getDimSize(j)));
                  }
                  coords.append(ivs.begin() + batch, ivs.end());
                  return coords;
                }));
    return success();
  }
};

/// nn.gather_nd: one linalg.generic over the result that reads the index
/// tuple and the input with tensor.extract.
struct GatherNDLowering : OpConversionPattern<GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = resultType.getRank();
    int64_t k = indicesType.getShape().back();
    int64_t prefix = indicesType.getRank() - 1;
    int64_t batch = op.getBatchDims();
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();
    Value input = adaptor.getInput(), indices = adaptor.getIndices();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{}, init,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> at, coords;
          for (int64_t d = 0; d < prefix; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          for (int64_t d = 0; d < batch; ++d)
            coords.push_back(at[d]);
          at.push_back(Value());
          for (int64_t j = 0; j < k; ++j) {
            at.back() = arith::ConstantIndexOp::create(b, l, j);
            Value raw = tensor::ExtractOp::create(b, l, indices, at);
            coords.push_back(normalizedIndex(b, l, raw, unsignedIndices,
                                          inputType.getDimSize(batch + j)));
          }
          for (int64_t d = prefix; d < rank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(
              b, l, tensor::ExtractOp::create(b, l, input, coords).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateScatterLowering(TypeConverter &converter,
                             RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering, ScatterNDLowering, GatherNDLowering>(converter, patterns.getContext());
}

} // namespace kiln
