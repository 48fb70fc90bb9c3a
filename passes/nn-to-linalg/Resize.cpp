//===- Resize.cpp - Lowering of nn.resize ---------------------------------===//
//
// Resize is separable: along each resized axis, output coordinate y reads
// a few input positions (taps) with weights that depend only on y. Shapes
// and scales are static, so the taps and weights of every axis are
// computed here, in double precision and exactly as the ONNX reference
// does (coordinate transformation, neighbour choice, clamping to the edge,
// exclude_outside, antialias), and become two constant tables per axis,
// [out, taps] of indices and of weights. Taps whose weight is zero at every
// position are dropped, so nearest needs one tap and no weights.
//
// The resize is then one linalg.generic over the output: each table is an
// operand read at (y, tap) for every tap; the body extracts the input at
// the tap positions (tensor.extract) and sums the products of the weights
// axis by axis. Axes the resize leaves as they are use the output index.
// tf_crop_and_resize adds a mask table per axis: outputs mapped outside the
// input are extrapolation_value.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"
#include "passes/nn-to-linalg/Patterns.h"
#include "passes/nn-to-linalg/ScalarArith.h"
#include "passes/nn-to-linalg/StructuredBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <functional>

using namespace mlir;
using namespace kiln::nn;

namespace kiln {
namespace {

/// The taps of one resized axis: for output y and tap j, the input index
/// index[y * taps + j] with weight weight[y * taps + j]; outside[y] marks
/// outputs that tf_crop_and_resize extrapolates.
struct AxisTable {
  int64_t taps = 0;
  std::vector<int64_t> index;
  std::vector<double> weight;
  std::vector<bool> outside;
  bool anyOutside = false;
};

struct ResizeParams {
  InterpolationMode mode;
  CoordinateMode coordinateMode;
  NearestMode nearestMode;
  double cubicA;
  bool excludeOutside, antialias;
};

bool isClose(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

/// The input coordinate of output y (the ONNX reference's x_ori), and
/// whether tf_crop_and_resize maps it outside the input.
double sourceCoordinate(const ResizeParams &p, int64_t y, double scale,
                        int64_t in, int64_t outInt, double roiStart,
                        double roiEnd, bool &outside) {
  double out = scale * in;
  double x = y;
  outside = false;
  switch (p.coordinateMode) {
  case CoordinateMode::AlignCorners:
    return out == 1 ? 0.0 : x * (in - 1) / (out - 1);
  case CoordinateMode::Asymmetric:
    return x / scale;
  case CoordinateMode::TfCropAndResize: {
    double r = out == 1 ? (roiEnd - roiStart) * (in - 1) / 2
                        : x * (roiEnd - roiStart) * (in - 1) / (out - 1);
    r += roiStart * (in - 1);
    outside = r < 0 || r > in - 1;
    return r;
  }
  case CoordinateMode::PytorchHalfPixel:
    return out == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  case CoordinateMode::HalfPixelSymmetric: {
    double adjustment = outInt / out;
    double center = in / 2.0;
    double offset = center * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  case CoordinateMode::TfHalfPixelForNN:
    return (x + 0.5) / scale;
  case CoordinateMode::HalfPixel:
    return (x + 0.5) / scale - 0.5;
  }
  llvm_unreachable("unknown coordinate mode");
}

/// Whether nearest-neighbour rounding takes the upper of two neighbours at
/// fractional position `ratio` (in (0, 1)).
bool roundsUp(NearestMode mode, double ratio, double scale) {
  switch (mode) {
  case NearestMode::RoundPreferFloor:
    return ratio > 0.5;
  case NearestMode::RoundPreferCeil:
    return ratio >= 0.5;
  case NearestMode::Floor:
    return false;
  case NearestMode::Ceil:
    return true;
  case NearestMode::Simple:
    return scale < 1;
  }
  llvm_unreachable("unknown nearest mode");
}

/// The weights of the taps around a coordinate whose fractional part is
/// `ratio` (in (0, 1], 1 for integral coordinates).
std::vector<double> coefficients(const ResizeParams &p, double ratio,
                                 double scale) {
  switch (p.mode) {
  case InterpolationMode::Nearest:
    if (ratio == 1)
      return {0, 1};
    return roundsUp(p.nearestMode, ratio, scale) ? std::vector<double>{0, 1}
                                                 : std::vector<double>{1, 0};
  case InterpolationMode::Linear: {
    if (!p.antialias)
      return {1 - ratio, ratio};
    double s = std::min(scale, 1.0);
    int64_t start = static_cast<int64_t>(std::floor(-1 / s)) + 1;
    int64_t footprint = 2 - 2 * start;
    std::vector<double> c;
    double sum = 0;
    for (int64_t i = start; i < start + footprint; ++i) {
      double v = std::clamp(1 - std::abs((i - ratio) * s), 0.0, 1.0);
      c.push_back(v);
      sum += v;
    }
    for (double &v : c)
      v /= sum;
    return c;
  }
  case InterpolationMode::Cubic:
    break; // Keys' cubic, below.
  }
  double a = p.cubicA;
  if (!p.antialias) {
    double r = ratio;
    return {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
            ((a + 2) * r - (a + 3)) * r * r + 1,
            ((a + 2) * (1 - r) - (a + 3)) * (1 - r) * (1 - r) + 1,
            ((a * ((1 - r) + 1) - 5 * a) * ((1 - r) + 1) + 8 * a) *
                    ((1 - r) + 1) -
                4 * a};
  }
  double s = std::min(scale, 1.0);
  auto coeff = [&](double x) {
    x = std::abs(x);
    double x2 = x * x, x3 = x * x2;
    if (x <= 1)
      return (a + 2) * x3 - (a + 3) * x2 + 1;
    if (x < 2)
      return a * x3 - 5 * a * x2 + 8 * a * x - 4 * a;
    return 0.0;
  };
  int64_t iStart = static_cast<int64_t>(std::floor(-2 / s)) + 1;
  int64_t iEnd = 2 - iStart;
  std::vector<double> c;
  double sum = 0;
  for (int64_t i = iStart; i < iEnd; ++i) {
    c.push_back(coeff(s * (i - ratio)));
    sum += c.back();
  }
  for (double &v : c)
    v /= sum;
  return c;
}

/// The taps of one axis, as the ONNX reference computes them
/// (_interpolate_1d_along_axis), with the taps that never weigh dropped.
AxisTable buildAxisTable(const ResizeParams &p, int64_t in, int64_t outInt,
                         double scale, double roiStart, double roiEnd) {
  std::vector<std::vector<int64_t>> indices(outInt);
  std::vector<std::vector<double>> weights(outInt);
  AxisTable table;
  table.outside.assign(outInt, false);
  for (int64_t y = 0; y < outInt; ++y) {
    bool outside;
    double x = sourceCoordinate(p, y, scale, in, outInt, roiStart, roiEnd,
                                outside);
    table.outside[y] = outside;
    table.anyOutside |= outside;
    double xFloor = std::floor(x);
    double ratio = x == xFloor ? 1.0 : x - xFloor;
    std::vector<double> c = coefficients(p, ratio, scale);
    int64_t n = c.size();
    // The n positions nearest to x, ties to the smaller, in the input
    // padded by ceil(n / 2) on each side.
    int64_t padWidth = (n + 1) / 2;
    double xPadded = x + padWidth;
    double pFloor = std::floor(xPadded);
    double frac = xPadded - pFloor;
    int64_t offset;
    if (n % 2 == 0)
      offset = frac == 0 ? -(n / 2) : -(n / 2) + 1;
    else
      offset = frac <= 0.5 ? -((n - 1) / 2) : -((n - 1) / 2) + 1;
    int64_t start = static_cast<int64_t>(pFloor) + offset - padWidth;
    if (p.excludeOutside) {
      double sum = 0;
      for (int64_t j = 0; j < n; ++j) {
        if (start + j < 0 || start + j >= in)
          c[j] = 0;
        sum += c[j];
      }
      if (sum == 0)
        sum = 1;
      for (double &v : c)
        v /= sum;
    }
    // Edge padding: the index is clamped. Taps at one clamped index merge.
    for (int64_t j = 0; j < n; ++j) {
      if (c[j] == 0)
        continue;
      int64_t i = std::clamp<int64_t>(start + j, 0, in - 1);
      auto it = llvm::find(indices[y], i);
      if (it != indices[y].end()) {
        weights[y][it - indices[y].begin()] += c[j];
        continue;
      }
      indices[y].push_back(i);
      weights[y].push_back(c[j]);
    }
    table.taps = std::max<int64_t>(table.taps, indices[y].size());
  }
  table.taps = std::max<int64_t>(table.taps, 1);
  for (int64_t y = 0; y < outInt; ++y) {
    indices[y].resize(table.taps, 0);
    weights[y].resize(table.taps, 0.0);
    llvm::append_range(table.index, indices[y]);
    llvm::append_range(table.weight, weights[y]);
  }
  return table;
}

Value floatConstant(OpBuilder &b, Location loc, RankedTensorType type,
                    ArrayRef<double> values) {
  auto floatType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> converted;
  for (double v : values) {
    APFloat f(v);
    bool losesInfo;
    f.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
              &losesInfo);
    converted.push_back(f);
  }
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, converted));
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type nnElementType = op.getType().getElementType();
    auto resultType = convertedType(*getTypeConverter(), op.getType());
    Type elementType = resultType.getElementType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = resultType.getRank();
    ResizeParams params{op.getMode(),          op.getCoordinateMode(),
                        op.getNearestMode(),   op.getCubicCoeffA().convertToDouble(),
                        op.getExcludeOutside(), op.getAntialias()};
    auto scales = op.getScales();
    std::optional<ArrayRef<double>> roi = op.getRoi();

    // The tables of the axes that change; the others are left as they are
    // (the reference's test: unit scale, same extent, the whole roi).
    SmallVector<int64_t> axes;
    SmallVector<AxisTable> tables;
    bool weighted = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t in = inputType.getDimSize(d), out = resultType.getDimSize(d);
      double roiStart = roi ? (*roi)[d] : 0.0, roiEnd = roi ? (*roi)[rank + d] : 1.0;
      if (isClose(scales[d], 1.0) && in == out &&
          (!roi || (std::abs(roiStart) <= 1e-9 && isClose(roiEnd, 1.0))))
        continue;
      AxisTable table = buildAxisTable(params, in, out, scales[d], roiStart,
                                       roiEnd);
      weighted |= table.taps > 1 ||
                  llvm::any_of(table.weight, [](double w) { return w != 1.0; });
      axes.push_back(d);
      tables.push_back(std::move(table));
    }
    if (weighted && !isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "weighted resize of non-floats");

    // Operands: per axis the index table (and the weight table) read once
    // per tap at (y, tap), and the mask; then the output.
    SmallVector<Value> operands;
    SmallVector<AffineMap> maps;
    struct AxisOperands {
      int64_t index = -1, weight = -1, mask = -1;
    };
    SmallVector<AxisOperands> axisOperands;
    for (auto [axis, table] : llvm::zip(axes, tables)) {
      int64_t out = resultType.getDimSize(axis);
      AxisOperands ops;
      auto tableType = [&](Type t) {
        return RankedTensorType::get({out, table.taps}, t);
      };
      Value index = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(tableType(rewriter.getI64Type()),
                                 ArrayRef<int64_t>(table.index)));
      ops.index = operands.size();
      for (int64_t j = 0; j < table.taps; ++j) {
        operands.push_back(index);
        maps.push_back(AffineMap::get(
            rank, 0,
            {getAffineDimExpr(axis, ctx), getAffineConstantExpr(j, ctx)}, ctx));
      }
      if (weighted) {
        Value weight = floatConstant(rewriter, loc, tableType(elementType),
                                     table.weight);
        ops.weight = operands.size();
        for (int64_t j = 0; j < table.taps; ++j) {
          operands.push_back(weight);
          maps.push_back(AffineMap::get(
              rank, 0,
              {getAffineDimExpr(axis, ctx), getAffineConstantExpr(j, ctx)},
              ctx));
        }
      }
      if (table.anyOutside) {
        SmallVector<bool> outside(table.outside.begin(), table.outside.end());
        ops.mask = operands.size();
        operands.push_back(arith::ConstantOp::create(
            rewriter, loc,
            DenseElementsAttr::get(
                RankedTensorType::get({out}, rewriter.getI1Type()),
                ArrayRef<bool>(outside))));
        maps.push_back(
            AffineMap::get(rank, 0, {getAffineDimExpr(axis, ctx)}, ctx));
      }
      axisOperands.push_back(ops);
    }
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    Value input = adaptor.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         elementType);
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, operands, init, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          ScalarArith ns(b, l, nnElementType);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d)
            coords.push_back(linalg::IndexOp::create(b, l, d));
          // Sum over the taps of axis k of weight * (the sum over the
          // later axes), with the coordinates of the earlier taps fixed.
          std::function<Value(size_t)> interpolate = [&](size_t k) -> Value {
            if (k == axes.size())
              return tensor::ExtractOp::create(b, l, input, coords);
            const AxisOperands &ops = axisOperands[k];
            Value sum;
            for (int64_t j = 0; j < tables[k].taps; ++j) {
              coords[axes[k]] = arith::IndexCastOp::create(
                  b, l, b.getIndexType(), args[ops.index + j]);
              Value v = interpolate(k + 1);
              if (!weighted) {
                sum = v;
                continue;
              }
              Value term = ns.mul(args[ops.weight + j], v);
              sum = sum ? ns.add(sum, term) : term;
            }
            return sum;
          };
          Value result = interpolate(0);
          for (const AxisOperands &ops : axisOperands)
            if (ops.mask >= 0)
              result = arith::SelectOp::create(b, l, args[ops.mask],
                                               ns.constant(extrapolation),
                                               result);
          linalg::YieldOp::create(b, l, result);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateResizeLowering(TypeConverter &converter,
                            RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}

} // namespace kiln
