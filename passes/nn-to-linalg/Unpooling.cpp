//===- Unpooling.cpp - Lowering of max pooling with indices and unpooling -===//
//
// nn.max_pool_with_indices is one linalg.generic over (n, c, out..., k...)
// with two outputs, the maximum and its flat index (computed from the loop
// indices), as arg-reductions are lowered.
//
// nn.max_unpool scatters: out.flat[indices[j]] = input[j] (flat in the
// indexed shape, placed at the start of the output). linalg cannot
// express a scatter, so it is an scf.for over the input elements that
// inserts into the (flattened) zero result, one element per iteration:
// O(input) work whatever the indices are. Indices outside the result go to
// one extra element past its end, which is dropped.
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

struct MaxPoolWithIndicesLowering : OpConversionPattern<MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getResult().getType().getElementType();
    ScalarArith s(rewriter, loc, nnElementType);
    auto valueType = convertedType(*getTypeConverter(), op.getResult().getType());
    auto indexType = convertedType(*getTypeConverter(), op.getIndices().getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t spatial = inputType.getRank() - 2;
    auto kernel = op.getKernelShape(), strides = op.getStrides(),
         pads = op.getPads(), dilations = op.getDilations();
    ArrayRef<int64_t> inShape = inputType.getShape();

    // Pad with the lowest value; ceil_mode windows may run past the end
    // padding.
    SmallVector<int64_t> low(2, 0), high(2, 0);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t needed = (valueType.getDimSize(i + 2) - 1) * strides[i] +
                       (kernel[i] - 1) * dilations[i] + 1;
      int64_t available = inShape[i + 2] + pads[i] + pads[i + spatial];
      low.push_back(pads[i]);
      high.push_back(pads[i + spatial] +
                     std::max<int64_t>(0, needed - available));
    }
    Value lowest = s.lowest();
    Value padded =
        buildPadded(rewriter, loc, adaptor.getInput(), low, high, lowest);
    Value window =
        tensor::EmptyOp::create(rewriter, loc, kernel, valueType.getElementType());
    Value values = buildFilled(rewriter, loc, valueType, lowest);
    Value indices = buildFilled(
        rewriter, loc, indexType,
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0)));

    int64_t numLoops = 2 + 2 * spatial;
    auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> inputExprs{dim(0), dim(1)}, windowExprs,
        outExprs{dim(0), dim(1)};
    for (int64_t i = 0; i < spatial; ++i) {
      AffineExpr o = dim(2 + i), k = dim(2 + spatial + i);
      inputExprs.push_back(o * strides[i] + k * dilations[i]);
      windowExprs.push_back(k);
      outExprs.push_back(o);
    }
    auto outMap = AffineMap::get(numLoops, 0, outExprs, ctx);
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                                AffineMap::get(numLoops, 0, windowExprs, ctx),
                                outMap, outMap};
    SmallVector<utils::IteratorType> iterators(2 + spatial,
                                               utils::IteratorType::parallel);
    iterators.append(spatial, utils::IteratorType::reduction);

    // Strides of the flat index: (n * C + c) * plane + spatial offset, the
    // offset row-major or (storage_order 1) column-major.
    int64_t plane = numElements(inShape.drop_front(2));
    SmallVector<int64_t> spatialStrides(spatial, 1);
    if (op.getStorageOrder() == 0) {
      for (int64_t i = spatial - 2; i >= 0; --i)
        spatialStrides[i] = spatialStrides[i + 1] * inShape[i + 3];
    } else {
      for (int64_t i = 1; i < spatial; ++i)
        spatialStrides[i] = spatialStrides[i - 1] * inShape[i + 1];
    }
    int64_t channels = inShape[1];
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType},
        ValueRange{padded, window}, ValueRange{values, indices}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith ns(b, l, nnElementType);
          auto idx = [&](int64_t d) -> Value {
            return linalg::IndexOp::create(b, l, d);
          };
          auto cst = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          auto mulAdd = [&](Value acc, Value x, int64_t factor) -> Value {
            return arith::AddIOp::create(
                b, l, acc, arith::MulIOp::create(b, l, x, cst(factor)));
          };
          Value flat = mulAdd(idx(1), idx(0), channels);
          flat = arith::MulIOp::create(b, l, flat, cst(plane));
          for (int64_t i = 0; i < spatial; ++i) {
            // The input position o * stride + k * dilation - pad.
            Value p = mulAdd(cst(-pads[i]), idx(2 + i), strides[i]);
            p = mulAdd(p, idx(2 + spatial + i), dilations[i]);
            flat = mulAdd(flat, p, spatialStrides[i]);
          }
          Value index =
              arith::IndexCastOp::create(b, l, b.getI64Type(), flat);
          // Strict: the first maximum in window order wins.
          Value better = ns.compare("gt", args[0], args[2]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{ns.select(better, args[0], args[2]),
                         arith::SelectOp::create(b, l, better, index, args[3])});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct MaxUnpoolLowering : OpConversionPattern<MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxUnpoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    ScalarArith s(rewriter, loc, nnElementType);
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = resultType.getElementType();
    int64_t spatial = inputType.getRank() - 2;
    auto kernel = op.getKernelShape(), strides = op.getStrides(),
         pads = op.getPads();
    bool unsignedIndices =
        op.getIndices().getType().getElementType().isUnsignedInteger();

    // The shape the indices address.
    SmallVector<int64_t> unpooled(inputType.getShape().take_front(2));
    if (auto indexed = op.getIndexedShape())
      unpooled.assign(indexed->begin(), indexed->end());
    else
      for (int64_t i = 0; i < spatial; ++i)
        unpooled.push_back((inputType.getDimSize(i + 2) - 1) * strides[i] +
                           kernel[i] - pads[i] - pads[i + spatial]);
    int64_t total = numElements(unpooled);
    int64_t count = inputType.getNumElements();
    Value values = buildReshape(
        rewriter, loc, adaptor.getInput(),
        RankedTensorType::get({count}, elementType));
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    Value indices = buildReshape(
        rewriter, loc, adaptor.getIndices(),
        RankedTensorType::get({count}, indicesType.getElementType()));
    // One more element than the result: where stray indices go.
    Value acc = buildFilled(
        rewriter, loc, RankedTensorType::get({total + 1}, elementType),
        s.constant(0));
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value end = arith::ConstantIndexOp::create(rewriter, loc, count);
    Value limit = arith::ConstantIndexOp::create(rewriter, loc, total);
    auto loop = scf::ForOp::create(
        rewriter, loc, zero, end, one, ValueRange{acc},
        [&](OpBuilder &b, Location l, Value j, ValueRange iterArgs) {
          Value v = tensor::ExtractOp::create(b, l, values, j);
          Value raw = tensor::ExtractOp::create(b, l, indices, j);
          Value index =
              unsignedIndices
                  ? (Value)arith::IndexCastUIOp::create(b, l, b.getIndexType(),
                                                        raw)
                  : (Value)arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                      raw);
          Value inside = arith::AndIOp::create(
              b, l,
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, index,
                                    zero),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, index,
                                    limit));
          index = arith::SelectOp::create(b, l, inside, index, limit);
          Value next = tensor::InsertOp::create(b, l, v, iterArgs[0], index);
          scf::YieldOp::create(b, l, next);
        });
    Value result = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({total}, elementType),
        loop.getResult(0), ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(total)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    result = buildReshape(rewriter, loc, result,
                          RankedTensorType::get(unpooled, elementType));
    // The unpooled tensor starts the (possibly larger) result.
    SmallVector<int64_t> low(unpooled.size(), 0), high;
    for (size_t d = 0; d < unpooled.size(); ++d)
      high.push_back(resultType.getDimSize(d) - unpooled[d]);
    rewriter.replaceOp(op,
                       buildPadded(rewriter, loc, result, low, high, s.constant(0)));
    return success();
  }
};

} // namespace

void populateUnpoolingLowering(TypeConverter &converter,
                               RewritePatternSet &patterns) {
  patterns.add<MaxPoolWithIndicesLowering, MaxUnpoolLowering>(
      converter, patterns.getContext());
}

} // namespace kiln
