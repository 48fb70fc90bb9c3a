//===- Pooling.cpp - Lowering of max and average pooling ------------------===//
//
// A pooling op becomes a linalg.generic over (n, c, out..., k...) reading
// the padded input at out * stride + k * dilation; the window is a shape-only
// operand. Average pooling divides by a divisor table computed at compile
// time, which handles count_include_pad and ceil_mode in one place.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

struct Window {
  ArrayRef<int64_t> kernel, strides, pads, dilations;
};

/// Pools `input` (already converted) into `resultType` with `combine`.
Value buildPool(OpBuilder &b, Location loc, Value input,
                RankedTensorType resultType, const Window &window,
                Value padValue, Value initValue,
                llvm::function_ref<Value(OpBuilder &, Location, Value, Value)>
                    combine) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t spatial = inputType.getRank() - 2;
  SmallVector<int64_t> low(2, 0), high(2, 0);
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = resultType.getDimSize(i + 2);
    int64_t needed = (out - 1) * window.strides[i] +
                     (window.kernel[i] - 1) * window.dilations[i] + 1;
    int64_t available =
        inputType.getDimSize(i + 2) + window.pads[i] + window.pads[i + spatial];
    low.push_back(window.pads[i]);
    // ceil_mode windows may run past the end padding.
    high.push_back(window.pads[i + spatial] + std::max<int64_t>(0, needed - available));
  }
  Value padded = buildPadded(b, loc, input, low, high, padValue);
  Value windowShape = tensor::EmptyOp::create(b, loc, window.kernel,
                                              resultType.getElementType());
  Value acc = buildFilled(b, loc, resultType, initValue);

  int64_t numLoops = 2 + 2 * spatial;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inputExprs{dim(0), dim(1)}, windowExprs,
      outExprs{dim(0), dim(1)};
  for (int64_t i = 0; i < spatial; ++i) {
    AffineExpr o = dim(2 + i), k = dim(2 + spatial + i);
    inputExprs.push_back(o * window.strides[i] + k * window.dilations[i]);
    windowExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, inputExprs, ctx),
                              AffineMap::get(numLoops, 0, windowExprs, ctx),
                              AffineMap::get(numLoops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(2 + spatial,
                                             utils::IteratorType::parallel);
  iterators.append(spatial, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, resultType, ValueRange{padded, windowShape}, acc, maps,
             iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[2], args[0]));
             })
      .getResult(0);
}

struct MaxPoolLowering : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type nnElementType = op.getType().getElementType();
    ScalarArith s(rewriter, op.getLoc(), nnElementType);
    Window window{op.getKernelShape(), op.getStrides(), op.getPads(),
                  op.getDilations()};
    Value lowest = s.lowest();
    rewriter.replaceOp(
        op, buildPool(rewriter, op.getLoc(), adaptor.getInput(),
                      convertedType(*getTypeConverter(), op.getType()), window,
                      lowest, lowest,
                      [&](OpBuilder &b, Location l, Value acc, Value x) {
                        return ScalarArith(b, l, nnElementType).max(acc, x);
                      }));
    return success();
  }
};

struct AvgPoolLowering : OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type nnElementType = op.getType().getElementType();
    if (!isa<FloatType>(nnElementType))
      return rewriter.notifyMatchFailure(op, "average of non-floats");
    ScalarArith s(rewriter, loc, nnElementType);
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    auto inputShape = op.getInput().getType().getShape();
    Window window{op.getKernelShape(), op.getStrides(), op.getPads(),
                  op.getDilations()};
    Value zero = s.constant(0);
    Value sum = buildPool(rewriter, loc, adaptor.getInput(), resultType, window,
                          zero, zero,
                          [&](OpBuilder &b, Location l, Value acc, Value x) {
                            return ScalarArith(b, l, nnElementType).add(acc, x);
                          });

    // Divisor of every output position: the window positions inside the
    // input (or inside the padded input, with count_include_pad).
    int64_t spatial = resultType.getRank() - 2;
    SmallVector<SmallVector<int64_t>> perAxis(spatial);
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t begin = op.getCountIncludePad() ? -window.pads[i] : 0;
      int64_t end = inputShape[i + 2] +
                    (op.getCountIncludePad() ? window.pads[i + spatial] : 0);
      for (int64_t o = 0; o < resultType.getDimSize(i + 2); ++o) {
        int64_t count = 0;
        for (int64_t k = 0; k < window.kernel[i]; ++k) {
          int64_t p = o * window.strides[i] + k * window.dilations[i] -
                      window.pads[i];
          count += p >= begin && p < end;
        }
        perAxis[i].push_back(count);
      }
    }
    auto divisorShape = resultType.getShape().drop_front(2);
    SmallVector<double> divisors;
    SmallVector<int64_t> index(spatial, 0);
    for (int64_t linear = 0, e = numElements(divisorShape); linear < e;
         ++linear) {
      int64_t rest = linear;
      double d = 1;
      for (int64_t i = spatial - 1; i >= 0; --i) {
        d *= perAxis[i][rest % divisorShape[i]];
        rest /= divisorShape[i];
      }
      divisors.push_back(d);
    }
    auto divisorType =
        RankedTensorType::get(divisorShape, resultType.getElementType());
    auto floatType = cast<FloatType>(resultType.getElementType());
    SmallVector<APFloat> divisorValues;
    for (double d : divisors) {
      APFloat v(d);
      bool losesInfo;
      v.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &losesInfo);
      divisorValues.push_back(v);
    }
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisorValues));
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, resultType, {sum, divisor},
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return ScalarArith(b, l, nnElementType)
                                   .div(args[0], args[1]);
                             }));
    return success();
  }
};

} // namespace

void populatePoolingLowering(TypeConverter &converter,
                             RewritePatternSet &patterns) {
  patterns.add<MaxPoolLowering, AvgPoolLowering>(converter,
                                                 patterns.getContext());
}

} // namespace kiln
