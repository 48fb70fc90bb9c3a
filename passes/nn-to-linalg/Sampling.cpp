//===- Sampling.cpp - Lowering of nn.grid_sample and nn.roi_align ---------===//
//
// nn.grid_sample and nn.roi_align are each one linalg.generic over the result [N, C, out...]; its
// body reads the grid coordinates and the input taps with tensor.extract
// (positions are data-dependent), in f32, following the ONNX reference
// (onnx/reference/ops/op_grid_sample.py): denormalize, round (nearest),
// move positions outside the borders in (border, reflection), then sum the
// separable taps (1, 2 or 4 per axis), each read with the padding mode.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// f32 scalar helpers for the sampling body.
struct F32 {
  OpBuilder &b;
  Location loc;
  Value c(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value gt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
  }
  Value sel(Value cnd, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cnd, x, y);
  }
  Value floor(Value x) { return math::FloorOp::create(b, loc, x); }
  Value toInt(Value x) {
    return arith::FPToSIOp::create(b, loc, b.getI32Type(), x);
  }
  Value toFloat(Value i) {
    return arith::SIToFPOp::create(b, loc, b.getF32Type(), i);
  }
  Value clamp(Value x, Value lo, Value hi) {
    return sel(lt(x, lo), lo, sel(gt(x, hi), hi, x));
  }
  /// Reflects x into [lo, hi] by the near border until inside.
  Value reflect(Value x, Value lo, Value hi) {
    Value range = sub(hi, lo);
    Value zeroRange = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                            range, c(0));
    Value safeRange = sel(zeroRange, c(1), range);
    auto fold = [&](Value dx, Value nearEdge, Value farEdge, bool below) {
      Value n = toInt(div(dx, safeRange));
      Value r = sub(dx, mul(toFloat(n), safeRange));
      Value even = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq,
          arith::AndIOp::create(
              b, loc, n,
              arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(1))),
          arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0)));
      (void)below;
      return below ? sel(even, add(nearEdge, r), sub(farEdge, r))
                   : sel(even, sub(nearEdge, r), add(farEdge, r));
    };
    Value belowV = fold(sub(lo, x), lo, hi, true);
    Value aboveV = fold(sub(x, hi), hi, lo, false);
    Value result = sel(lt(x, lo), belowV, sel(gt(x, hi), aboveV, x));
    return sel(zeroRange, lo, result);
  }
};

/// Keys' cubic convolution weights (a = -0.75) of the 4 taps around t.
SmallVector<Value> cubicWeights(F32 &f, Value t) {
  double a = -0.75;
  Value x1 = f.add(t, f.c(1));           // |t + 1|
  Value x2 = f.sub(f.c(1), t);           // |1 - t|
  Value x3 = f.sub(f.c(2), t);           // |2 - t|
  auto outer = [&](Value x) {
    // ((a x - 5a) x + 8a) x - 4a
    return f.sub(f.mul(f.add(f.mul(f.sub(f.mul(f.c(a), x), f.c(5 * a)), x),
                             f.c(8 * a)),
                       x),
                 f.c(4 * a));
  };
  auto inner = [&](Value x) {
    // ((a + 2) x - (a + 3)) x x + 1
    return f.add(f.mul(f.mul(f.sub(f.mul(f.c(a + 2), x), f.c(a + 3)), x), x),
                 f.c(1));
  };
  return {outer(x1), inner(t), inner(x2), outer(x3)};
}

struct GridSampleLowering : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput(), grid = adaptor.getGrid();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type inNN = op.getInput().getType().getElementType();
    Type gridNN = op.getGrid().getType().getElementType();
    int64_t rank = resultType.getRank(), spatial = rank - 2;
    SmallVector<int64_t> dims(inputType.getShape().drop_front(2));
    InterpolationMode mode = op.getMode();
    GridPaddingMode padding = op.getPaddingMode();
    bool align = op.getAlignCorners();
    Type f32 = rewriter.getF32Type();

    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{}, init,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location l, ValueRange) {
          F32 f{b, l};
          ScalarArith toF32(b, l, f32);
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          Value n = linalg::IndexOp::create(b, l, 0);
          Value ch = linalg::IndexOp::create(b, l, 1);
          SmallVector<Value> gridAt{n};
          for (int64_t i = 0; i < spatial; ++i)
            gridAt.push_back(linalg::IndexOp::create(b, l, 2 + i));
          gridAt.push_back(Value());
          // Per axis: the taps' indices (i32) and weights.
          SmallVector<SmallVector<Value>> tapIndex(spatial), tapWeight(spatial);
          SmallVector<Value> lo(spatial), hi(spatial);
          for (int64_t i = 0; i < spatial; ++i) {
            double d = dims[i];
            gridAt.back() = index(spatial - 1 - i);
            Value g = toF32.castFrom(
                tensor::ExtractOp::create(b, l, grid, gridAt), gridNN);
            Value x = align ? f.mul(f.div(f.add(g, f.c(1)), f.c(2)), f.c(d - 1))
                            : f.div(f.sub(f.mul(f.add(g, f.c(1)), f.c(d)),
                                          f.c(1)),
                                    f.c(2));
            if (mode == InterpolationMode::Nearest)
              x = math::RoundEvenOp::create(b, l, x);
            lo[i] = f.c(align ? 0.0 : -0.5);
            hi[i] = f.c(align ? d - 1 : d - 0.5);
            Value outside = arith::OrIOp::create(b, l, f.lt(x, lo[i]),
                                                 f.gt(x, hi[i]));
            switch (padding) {
            case GridPaddingMode::Zeros:
              break; // The read below gives 0 outside.
            case GridPaddingMode::Border:
              x = f.sel(outside, f.clamp(x, f.c(0), f.c(d - 1)), x);
              break;
            case GridPaddingMode::Reflection:
              x = f.sel(outside, f.reflect(x, lo[i], hi[i]), x);
              break;
            }
            // Linear and cubic taps lie around i0 = floor(x), weighted by
            // the fraction t = x - i0.
            Value t, i0;
            auto split = [&] {
              Value x0 = f.floor(x);
              t = f.sub(x, x0);
              i0 = f.toInt(x0);
            };
            auto offset = [&](int64_t k) -> Value {
              return arith::AddIOp::create(
                  b, l, i0,
                  arith::ConstantOp::create(b, l, b.getI32IntegerAttr(k)));
            };
            switch (mode) {
            case InterpolationMode::Nearest:
              tapIndex[i] = {f.toInt(x)};
              tapWeight[i] = {f.c(1)};
              break;
            case InterpolationMode::Linear:
              split();
              tapIndex[i] = {i0, offset(1)};
              tapWeight[i] = {f.sub(f.c(1), t), t};
              break;
            case InterpolationMode::Cubic:
              split();
              tapIndex[i] = {offset(-1), i0, offset(1), offset(2)};
              tapWeight[i] = cubicWeights(f, t);
              break;
            }
          }
          // Reads input[n, c, idx...] with the padding mode.
          auto pixel = [&](ArrayRef<Value> idx) -> Value {
            SmallVector<Value> at{n, ch};
            Value valid;
            for (int64_t i = 0; i < spatial; ++i) {
              Value v = idx[i];
              Value zero = arith::ConstantOp::create(b, l, b.getI32IntegerAttr(0));
              Value last =
                  arith::ConstantOp::create(b, l, b.getI32IntegerAttr(dims[i] - 1));
              switch (padding) {
              case GridPaddingMode::Zeros: {
                Value in = arith::AndIOp::create(
                    b, l,
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, v,
                                          zero),
                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, v,
                                          last));
                valid = valid ? arith::AndIOp::create(b, l, valid, in) : in;
                break;
              }
              case GridPaddingMode::Border:
                break; // Clamped below.
              case GridPaddingMode::Reflection:
                v = f.toInt(f.reflect(f.toFloat(v), lo[i], hi[i]));
                break;
              }
              v = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, v, zero),
                                         last);
              at.push_back(
                  arith::IndexCastOp::create(b, l, b.getIndexType(), v));
            }
            Value p = toF32.castFrom(tensor::ExtractOp::create(b, l, input, at),
                                     inNN);
            return valid ? f.sel(valid, p, f.c(0)) : p;
          };
          // Sum over the product of the taps.
          Value sum = f.c(0);
          SmallVector<int64_t> pos(spatial, 0);
          while (true) {
            SmallVector<Value> idx;
            Value w;
            for (int64_t i = 0; i < spatial; ++i) {
              idx.push_back(tapIndex[i][pos[i]]);
              w = w ? f.mul(w, tapWeight[i][pos[i]]) : tapWeight[i][pos[i]];
            }
            sum = f.add(sum, f.mul(w, pixel(idx)));
            int64_t d = spatial - 1;
            while (d >= 0 && ++pos[d] == static_cast<int64_t>(tapIndex[d].size()))
              pos[d--] = 0;
            if (d < 0)
              break;
          }
          ScalarArith out(b, l, inNN);
          linalg::YieldOp::create(b, l, out.castFrom(sum, f32));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// nn.roi_align: a generic over [R, C, oh, ow] whose body reads the roi,
/// its batch index and the bilinear taps of each sample with tensor.extract,
/// in f32, in the order of the ONNX reference.
struct RoiAlignLowering : OpConversionPattern<RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Value input = adaptor.getInput(), rois = adaptor.getRois(),
          batchIndices = adaptor.getBatchIndices();
    Type inNN = op.getInput().getType().getElementType();
    Type roiNN = op.getRois().getType().getElementType();
    Type batchNN = op.getBatchIndices().getType().getElementType();
    auto inShape = cast<RankedTensorType>(input.getType()).getShape();
    int64_t height = inShape[2], width = inShape[3];
    int64_t grid = op.getSamplingRatio();
    int64_t outH = op.getOutputHeight(), outW = op.getOutputWidth();
    double scale = op.getSpatialScale().convertToDouble();
    bool halfPixel = op.getHalfPixel(), isMax;
    switch (op.getMode()) {
    case RoiAlignMode::Avg:
      isMax = false;
      break;
    case RoiAlignMode::Max:
      isMax = true;
      break;
    }
    Type f32 = rewriter.getF32Type();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{}, init,
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          F32 f{b, l};
          ScalarArith toF32(b, l, f32);
          Value r = linalg::IndexOp::create(b, l, 0);
          Value ch = linalg::IndexOp::create(b, l, 1);
          Value ph = f.toFloat(arith::IndexCastOp::create(
              b, l, b.getI32Type(), linalg::IndexOp::create(b, l, 2)));
          Value pw = f.toFloat(arith::IndexCastOp::create(
              b, l, b.getI32Type(), linalg::IndexOp::create(b, l, 3)));
          auto roi = [&](int64_t k) {
            Value v = tensor::ExtractOp::create(
                b, l, rois,
                ValueRange{r, arith::ConstantIndexOp::create(b, l, k)});
            return f.sub(f.mul(toF32.castFrom(v, roiNN), f.c(scale)),
                         f.c(halfPixel ? 0.5 : 0.0));
          };
          Value startW = roi(0), startH = roi(1), endW = roi(2), endH = roi(3);
          Value roiW = f.sub(endW, startW), roiH = f.sub(endH, startH);
          if (!halfPixel) {
            roiW = f.sel(f.lt(roiW, f.c(1)), f.c(1), roiW);
            roiH = f.sel(f.lt(roiH, f.c(1)), f.c(1), roiH);
          }
          Value binH = f.div(roiH, f.c(outH)), binW = f.div(roiW, f.c(outW));
          Value rawBatch =
              tensor::ExtractOp::create(b, l, batchIndices, ValueRange{r});
          Value batch = normalizedIndex(b, l, rawBatch,
                                        batchNN.isUnsignedInteger(), inShape[0]);
          auto pixel = [&](Value y, Value x) {
            Value v = tensor::ExtractOp::create(
                b, l, input,
                ValueRange{batch, ch,
                           arith::IndexCastOp::create(b, l, b.getIndexType(), y),
                           arith::IndexCastOp::create(b, l, b.getIndexType(), x)});
            return toF32.castFrom(v, inNN);
          };
          auto i32 = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(b, l, b.getI32IntegerAttr(v));
          };
          Value acc;
          for (int64_t iy = 0; iy < grid; ++iy)
            for (int64_t ix = 0; ix < grid; ++ix) {
              Value y = f.add(f.add(startH, f.mul(ph, binH)),
                              f.div(f.mul(f.c(iy + 0.5), binH), f.c(grid)));
              Value x = f.add(f.add(startW, f.mul(pw, binW)),
                              f.div(f.mul(f.c(ix + 0.5), binW), f.c(grid)));
              Value outside = arith::OrIOp::create(
                  b, l,
                  arith::OrIOp::create(b, l, f.lt(y, f.c(-1.0)),
                                       f.gt(y, f.c(height))),
                  arith::OrIOp::create(b, l, f.lt(x, f.c(-1.0)),
                                       f.gt(x, f.c(width))));
              y = f.sel(f.lt(y, f.c(0)), f.c(0), y);
              x = f.sel(f.lt(x, f.c(0)), f.c(0), x);
              auto corner = [&](Value &v, int64_t extent, Value &low,
                                Value &high) {
                low = f.toInt(v);
                Value atEdge = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::sge, low, i32(extent - 1));
                low = arith::SelectOp::create(b, l, atEdge, i32(extent - 1), low);
                high = arith::SelectOp::create(
                    b, l, atEdge, low, arith::AddIOp::create(b, l, low, i32(1)));
                v = f.sel(atEdge, f.toFloat(low), v);
              };
              Value yl, yh, xl, xh;
              corner(y, height, yl, yh);
              corner(x, width, xl, xh);
              Value ly = f.sub(y, f.toFloat(yl)), lx = f.sub(x, f.toFloat(xl));
              Value hy = f.sub(f.c(1), ly), hx = f.sub(f.c(1), lx);
              Value zero = f.c(0);
              Value w1 = f.sel(outside, zero, f.mul(hy, hx));
              Value w2 = f.sel(outside, zero, f.mul(hy, lx));
              Value w3 = f.sel(outside, zero, f.mul(ly, hx));
              Value w4 = f.sel(outside, zero, f.mul(ly, lx));
              // Outside samples read position 0 (with zero weights).
              Value z = i32(0);
              yl = arith::SelectOp::create(b, l, outside, z, yl);
              yh = arith::SelectOp::create(b, l, outside, z, yh);
              xl = arith::SelectOp::create(b, l, outside, z, xl);
              xh = arith::SelectOp::create(b, l, outside, z, xh);
              Value t1 = f.mul(w1, pixel(yl, xl)), t2 = f.mul(w2, pixel(yl, xh)),
                    t3 = f.mul(w3, pixel(yh, xl)), t4 = f.mul(w4, pixel(yh, xh));
              Value sample;
              if (isMax) {
                auto mx = [&](Value a, Value c) {
                  return arith::MaximumFOp::create(b, l, a, c).getResult();
                };
                sample = mx(mx(mx(t1, t2), t3), t4);
                acc = acc ? mx(acc, sample) : sample;
              } else {
                sample = f.add(f.add(f.add(t1, t2), t3), t4);
                acc = acc ? f.add(acc, sample) : f.add(f.c(0), sample);
              }
            }
          if (!isMax)
            acc = f.div(acc, f.c(std::max<int64_t>(grid * grid, 1)));
          linalg::YieldOp::create(b, l,
                                  ScalarArith(b, l, inNN).castFrom(acc, f32));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateSamplingLowering(TypeConverter &converter,
                              RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering, RoiAlignLowering>(converter,
                                                     patterns.getContext());
}

} // namespace kiln
