//===- NNOps.cpp - nn dialect operations ----------------------------------===//
//
// Shape inference, verifiers and constant folders of the nn ops.
//
//===----------------------------------------------------------------------===//
#include "compiler/ir/NNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace kiln::nn;

#define GET_OP_CLASSES
#include "compiler/ir/NNOps.cpp.inc"

namespace {

RankedTensorType rankedType(Value value) {
  return dyn_cast<RankedTensorType>(value.getType());
}

LogicalResult inferAs(SmallVectorImpl<Type> &inferred, ArrayRef<int64_t> shape,
                      Type elementType) {
  inferred.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

/// Folding constants is worth it for the small shape tensors that exporters
/// compute; folding weights elementwise would only slow the importer.
constexpr int64_t kMaxFoldElements = 1 << 20;

DenseElementsAttr foldableConstant(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || (!dense.isSplat() && dense.getNumElements() > kMaxFoldElements))
    return {};
  return dense;
}

/// Row-major strides of a shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Index into `shape` (right-aligned, broadcast) of the element at
/// `resultIndex` of a tensor of shape `resultShape`.
int64_t broadcastSourceIndex(ArrayRef<int64_t> resultIndex,
                             ArrayRef<int64_t> shape) {
  int64_t offset = resultIndex.size() - shape.size();
  int64_t linear = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    linear = linear * shape[i] + (shape[i] == 1 ? 0 : resultIndex[offset + i]);
  return linear;
}

void delinearize(int64_t linear, ArrayRef<int64_t> shape,
                 SmallVectorImpl<int64_t> &index) {
  index.assign(shape.size(), 0);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    index[i] = linear % shape[i];
    linear /= shape[i];
  }
}

/// Folds a broadcasting binary op over two constant operands.
template <typename FloatFn, typename IntFn>
OpFoldResult foldBroadcastBinary(ArrayRef<Attribute> operands,
                                 RankedTensorType resultType, FloatFn floatFn,
                                 IntFn intFn) {
  auto lhs = foldableConstant(operands[0]);
  auto rhs = foldableConstant(operands[1]);
  if (!lhs || !rhs || resultType.getNumElements() > kMaxFoldElements)
    return {};
  Type elementType = resultType.getElementType();
  auto lhsShape = lhs.getType().getShape();
  auto rhsShape = rhs.getType().getShape();
  int64_t count = resultType.getNumElements();
  SmallVector<int64_t> index;
  if (auto floatType = dyn_cast<FloatType>(elementType)) {
    auto lhsValues = llvm::to_vector(lhs.getValues<APFloat>());
    auto rhsValues = llvm::to_vector(rhs.getValues<APFloat>());
    SmallVector<APFloat> result;
    result.reserve(count);
    for (int64_t i = 0; i < count; ++i) {
      delinearize(i, resultType.getShape(), index);
      result.push_back(floatFn(
          lhsValues[lhs.isSplat() ? 0 : broadcastSourceIndex(index, lhsShape)],
          rhsValues[rhs.isSplat() ? 0 : broadcastSourceIndex(index, rhsShape)]));
    }
    return DenseElementsAttr::get(resultType, result);
  }
  if (auto intType = dyn_cast<IntegerType>(elementType)) {
    auto lhsValues = llvm::to_vector(lhs.getValues<APInt>());
    auto rhsValues = llvm::to_vector(rhs.getValues<APInt>());
    SmallVector<APInt> result;
    result.reserve(count);
    for (int64_t i = 0; i < count; ++i) {
      delinearize(i, resultType.getShape(), index);
      std::optional<APInt> value = intFn(
          lhsValues[lhs.isSplat() ? 0 : broadcastSourceIndex(index, lhsShape)],
          rhsValues[rhs.isSplat() ? 0 : broadcastSourceIndex(index, rhsShape)],
          intType.isUnsigned());
      if (!value)
        return {};
      result.push_back(*value);
    }
    return DenseElementsAttr::get(resultType, result);
  }
  return {};
}

/// Gathers elements of a constant at the given linear source indices.
DenseElementsAttr gatherElements(DenseElementsAttr source,
                                 RankedTensorType resultType,
                                 ArrayRef<int64_t> sourceIndices) {
  if (source.isSplat())
    return DenseElementsAttr::get(resultType, source.getSplatValue<Attribute>());
  // Raw bytes keep this cheap for every element type, bools excepted.
  if (source.getElementType().isInteger(1)) {
    auto values = llvm::to_vector(source.getValues<bool>());
    SmallVector<bool> result;
    for (int64_t i : sourceIndices)
      result.push_back(values[i]);
    return DenseElementsAttr::get(resultType, result);
  }
  ArrayRef<char> raw = source.getRawData();
  size_t width = raw.size() / source.getNumElements();
  std::vector<char> bytes(sourceIndices.size() * width);
  for (size_t i = 0; i < sourceIndices.size(); ++i)
    std::memcpy(&bytes[i * width], &raw[sourceIndices[i] * width], width);
  return DenseElementsAttr::getFromRawBuffer(resultType, bytes);
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  inferred.push_back(adaptor.getValue().getType());
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) {
        a.add(b, APFloat::rmNearestTiesToEven);
        return a;
      },
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a + b;
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) {
        a.subtract(b, APFloat::rmNearestTiesToEven);
        return a;
      },
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a - b;
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) {
        a.multiply(b, APFloat::rmNearestTiesToEven);
        return a;
      },
      [](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return a * b;
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) {
        a.divide(b, APFloat::rmNearestTiesToEven);
        return a;
      },
      [](const APInt &a, const APInt &b,
         bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  auto input = foldableConstant(adaptor.getInput());
  if (!input)
    return {};
  auto type = cast<ShapedType>(getType());
  if (isa<FloatType>(type.getElementType()))
    return input.mapValues(type.getElementType(), [](const APFloat &v) {
      return (-v).bitcastToAPInt();
    });
  if (type.getElementType().isSignlessInteger())
    return input.mapValues(type.getElementType(),
                           [](const APInt &v) { return -v; });
  return {};
}

namespace {
/// Folds a broadcasting comparison over two constant operands into bools.
OpFoldResult foldBroadcastCompare(ArrayRef<Attribute> operands,
                                  RankedTensorType resultType,
                                  StringRef predicate) {
  auto lhs = foldableConstant(operands[0]);
  auto rhs = foldableConstant(operands[1]);
  if (!lhs || !rhs || resultType.getNumElements() > kMaxFoldElements)
    return {};
  Type elementType = lhs.getElementType();
  auto lhsShape = lhs.getType().getShape();
  auto rhsShape = rhs.getType().getShape();
  int64_t count = resultType.getNumElements();
  SmallVector<int64_t> index;
  SmallVector<bool> result;
  result.reserve(count);
  auto pick = [&](DenseElementsAttr a, ArrayRef<int64_t> shape) {
    return a.isSplat() ? 0 : broadcastSourceIndex(index, shape);
  };
  if (isa<FloatType>(elementType)) {
    auto lv = llvm::to_vector(lhs.getValues<APFloat>());
    auto rv = llvm::to_vector(rhs.getValues<APFloat>());
    for (int64_t i = 0; i < count; ++i) {
      delinearize(i, resultType.getShape(), index);
      APFloat::cmpResult c =
          lv[pick(lhs, lhsShape)].compare(rv[pick(rhs, rhsShape)]);
      bool v = predicate == "eq"   ? c == APFloat::cmpEqual
               : predicate == "lt" ? c == APFloat::cmpLessThan
               : predicate == "le"
                   ? (c == APFloat::cmpLessThan || c == APFloat::cmpEqual)
               : predicate == "gt"
                   ? c == APFloat::cmpGreaterThan
                   : (c == APFloat::cmpGreaterThan || c == APFloat::cmpEqual);
      result.push_back(v);
    }
  } else if (auto intType = dyn_cast<IntegerType>(elementType)) {
    bool isUnsigned = intType.isUnsigned() || intType.getWidth() == 1;
    auto lv = llvm::to_vector(lhs.getValues<APInt>());
    auto rv = llvm::to_vector(rhs.getValues<APInt>());
    for (int64_t i = 0; i < count; ++i) {
      delinearize(i, resultType.getShape(), index);
      const APInt &a = lv[pick(lhs, lhsShape)], &c = rv[pick(rhs, rhsShape)];
      bool v = predicate == "eq"   ? a == c
               : predicate == "lt" ? (isUnsigned ? a.ult(c) : a.slt(c))
               : predicate == "le" ? (isUnsigned ? a.ule(c) : a.sle(c))
               : predicate == "gt" ? (isUnsigned ? a.ugt(c) : a.sgt(c))
                                   : (isUnsigned ? a.uge(c) : a.sge(c));
      result.push_back(v);
    }
  } else {
    return {};
  }
  return DenseElementsAttr::get(resultType, result);
}

/// Folds a bitwise op over integer (or bool) constants.
template <typename Fn>
OpFoldResult foldBitwise(ArrayRef<Attribute> operands,
                         RankedTensorType resultType, Fn fn) {
  if (!isa<IntegerType>(resultType.getElementType()))
    return {};
  return foldBroadcastBinary(
      operands, resultType, [](APFloat a, const APFloat &) { return a; },
      [&](const APInt &a, const APInt &b, bool) -> std::optional<APInt> {
        return fn(a, b);
      });
}

/// NaN-propagating max/min of floats, signedness-aware for integers.
OpFoldResult foldExtremum(ArrayRef<Attribute> operands,
                          RankedTensorType resultType, bool isMax) {
  return foldBroadcastBinary(
      operands, resultType,
      [&](APFloat a, const APFloat &b) {
        if (a.isNaN())
          return a;
        if (b.isNaN())
          return b;
        APFloat::cmpResult c = a.compare(b);
        bool takeB = isMax ? c == APFloat::cmpLessThan
                           : c == APFloat::cmpGreaterThan;
        return takeB ? b : a;
      },
      [&](const APInt &a, const APInt &b,
          bool isUnsigned) -> std::optional<APInt> {
        bool less = isUnsigned ? a.ult(b) : a.slt(b);
        return (isMax ? less : !less) ? b : a;
      });
}
} // namespace

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastCompare(adaptor.getOperands(), getType(), "eq");
}
OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastCompare(adaptor.getOperands(), getType(), "lt");
}
OpFoldResult LessEqualOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastCompare(adaptor.getOperands(), getType(), "le");
}
OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastCompare(adaptor.getOperands(), getType(), "gt");
}
OpFoldResult GreaterEqualOp::fold(FoldAdaptor adaptor) {
  return foldBroadcastCompare(adaptor.getOperands(), getType(), "ge");
}
OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldBitwise(adaptor.getOperands(), getType(),
                     [](const APInt &a, const APInt &b) { return a & b; });
}
OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldBitwise(adaptor.getOperands(), getType(),
                     [](const APInt &a, const APInt &b) { return a | b; });
}
OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  return foldBitwise(adaptor.getOperands(), getType(),
                     [](const APInt &a, const APInt &b) { return a ^ b; });
}
OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldExtremum(adaptor.getOperands(), getType(), /*isMax=*/true);
}
OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldExtremum(adaptor.getOperands(), getType(), /*isMax=*/false);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  auto input = foldableConstant(adaptor.getInput());
  if (!input || !isa<IntegerType>(input.getElementType()))
    return {};
  return input.mapValues(input.getElementType(),
                         [](const APInt &v) { return ~v; });
}

OpFoldResult ModOp::fold(FoldAdaptor adaptor) {
  bool fmod = getFmod();
  return foldBroadcastBinary(
      adaptor.getOperands(), getType(),
      [&](APFloat a, const APFloat &b) {
        APFloat r = a;
        r.mod(b);
        // Python's %: the result takes the sign of the divisor.
        if (!fmod && !r.isZero() && !r.isNaN() && r.isNegative() != b.isNegative())
          r.add(b, APFloat::rmNearestTiesToEven);
        return r;
      },
      [&](const APInt &a, const APInt &b,
          bool isUnsigned) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (isUnsigned)
          return a.urem(b);
        APInt r = a.srem(b);
        if (!fmod && !r.isZero() && r.isNegative() != b.isNegative())
          r += b;
        return r;
      });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto cond = foldableConstant(adaptor.getCondition());
  if (cond && cond.isSplat()) {
    // A constant condition picks one side, if it already has the result type.
    Value picked = cond.getSplatValue<bool>() ? getLhs() : getRhs();
    if (picked.getType() == getType())
      return picked;
  }
  auto lhs = foldableConstant(adaptor.getLhs());
  auto rhs = foldableConstant(adaptor.getRhs());
  auto resultType = cast<RankedTensorType>(getType());
  if (!cond || !lhs || !rhs || resultType.getNumElements() > kMaxFoldElements)
    return {};
  auto lv = llvm::to_vector(lhs.getValues<Attribute>());
  auto rv = llvm::to_vector(rhs.getValues<Attribute>());
  auto cv = llvm::to_vector(cond.getValues<bool>());
  SmallVector<Attribute> values;
  SmallVector<int64_t> index;
  for (int64_t i = 0, e = resultType.getNumElements(); i < e; ++i) {
    delinearize(i, resultType.getShape(), index);
    auto at = [&](DenseElementsAttr a) {
      return a.isSplat() ? 0
                         : broadcastSourceIndex(index, a.getType().getShape());
    };
    values.push_back(cv[at(cond)] ? lv[at(lhs)] : rv[at(rhs)]);
  }
  return DenseElementsAttr::get(resultType, values);
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto cond = rankedType(adaptor.getCondition());
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  if (!cond || !lhs || !rhs)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (!cond.getElementType().isInteger(1))
    return emitOptionalError(loc, "condition must have i1 elements");
  if (lhs.getElementType() != rhs.getElementType())
    return emitOptionalError(loc, "lhs and rhs element types differ");
  auto shape = broadcastShapes(cond.getShape(), lhs.getShape());
  if (shape)
    shape = broadcastShapes(*shape, rhs.getShape());
  if (!shape)
    return emitOptionalError(loc, "operand shapes do not broadcast");
  return inferAs(inferred, *shape, lhs.getElementType());
}

LogicalResult IsNaNOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  if (input.getShape() != result.getShape() ||
      !result.getElementType().isInteger(1))
    return emitOpError("result must be an i1 tensor of the input's shape");
  if (!isa<FloatType>(input.getElementType()))
    return emitOpError("input must have a floating-point element type");
  return success();
}

LogicalResult BitcastOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  if (input.getShape() != result.getShape())
    return emitOpError("result shape ")
           << result << " differs from the input's " << input;
  auto width = [](Type t) {
    return t.isInteger(1) ? 8u : t.getIntOrFloatBitWidth();
  };
  Type from = input.getElementType(), to = result.getElementType();
  if (!from.isIntOrFloat() || !to.isIntOrFloat() || width(from) != width(to))
    return emitOpError("element types ")
           << from << " and " << to << " differ in bit width";
  return success();
}

LogicalResult CastOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  if (input.getShape() != result.getShape())
    return emitOpError("result shape ")
           << result << " differs from the input's " << input;
  return success();
}

/// Converts the elements of a constant to the element type of `resultType`
/// (float to int truncates; to bool tests against zero).
static DenseElementsAttr castElements(DenseElementsAttr input,
                                      RankedTensorType resultType) {
  Type from = input.getElementType(), to = resultType.getElementType();
  if (auto toInt = dyn_cast<IntegerType>(to)) {
    SmallVector<APInt> values;
    if (auto fromInt = dyn_cast<IntegerType>(from)) {
      for (APInt v : input.getValues<APInt>())
        values.push_back(toInt.getWidth() == 1
                             ? APInt(1, !v.isZero())
                             : (fromInt.isUnsigned() || fromInt.getWidth() == 1
                                    ? v.zextOrTrunc(toInt.getWidth())
                                    : v.sextOrTrunc(toInt.getWidth())));
    } else if (isa<FloatType>(from)) {
      for (APFloat v : input.getValues<APFloat>()) {
        if (toInt.getWidth() == 1) {
          values.push_back(APInt(1, !v.isZero()));
          continue;
        }
        APSInt result(toInt.getWidth(), toInt.isUnsigned());
        bool exact;
        v.convertToInteger(result, APFloat::rmTowardZero, &exact);
        values.push_back(result);
      }
    } else {
      return {};
    }
    return DenseElementsAttr::get(resultType, values);
  }
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    SmallVector<APFloat> values;
    bool losesInfo;
    if (auto fromInt = dyn_cast<IntegerType>(from)) {
      for (APInt v : input.getValues<APInt>()) {
        APFloat f(toFloat.getFloatSemantics());
        f.convertFromAPInt(v, !fromInt.isUnsigned() && fromInt.getWidth() > 1,
                           APFloat::rmNearestTiesToEven);
        values.push_back(f);
      }
    } else if (isa<FloatType>(from)) {
      for (APFloat v : input.getValues<APFloat>()) {
        v.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
        values.push_back(v);
      }
    } else {
      return {};
    }
    return DenseElementsAttr::get(resultType, values);
  }
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto input = foldableConstant(adaptor.getInput());
  if (!input)
    return {};
  // Narrow floats and sub-byte integers convert with saturation and
  // rounding rules of their own, in the lowering only.
  auto narrow = [](Type t) {
    return (isa<FloatType>(t) && t.getIntOrFloatBitWidth() <= 8) ||
           (t.isInteger() && !t.isInteger(1) && t.getIntOrFloatBitWidth() < 8);
  };
  if (narrow(input.getElementType()) ||
      narrow(cast<RankedTensorType>(getType()).getElementType()))
    return {};
  auto resultType = cast<RankedTensorType>(getType());
  // A splat converts one value, however large the tensor.
  if (input.isSplat()) {
    auto single = [](Type elementType) {
      return RankedTensorType::get({1}, elementType);
    };
    auto scalar = castElements(
        DenseElementsAttr::get(single(input.getElementType()),
                               input.getSplatValue<Attribute>()),
        single(resultType.getElementType()));
    if (!scalar)
      return {};
    return DenseElementsAttr::get(resultType, scalar.getSplatValue<Attribute>());
  }
  return castElements(input, resultType);
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

/// The operands of a contraction (matmul, gemm, convolution) share one
/// element type, as ONNX's type constraint T says; null operands (absent
/// optional ones) are skipped.
static LogicalResult verifySameElementType(std::optional<Location> loc,
                                           ArrayRef<Value> operands) {
  Type first;
  for (Value operand : operands) {
    if (!operand)
      continue;
    Type type = cast<ShapedType>(operand.getType()).getElementType();
    if (!first)
      first = type;
    else if (type != first)
      return emitOptionalError(loc, "operands differ in element type: ", first,
                               " and ", type);
  }
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto a = rankedType(adaptor.getA());
  auto b = rankedType(adaptor.getB());
  if (!a || !b || a.getRank() != 2 || b.getRank() != 2)
    return emitOptionalError(loc, "A and B must be 2-D tensors");
  if (failed(verifySameElementType(
          loc, {adaptor.getA(), adaptor.getB(), adaptor.getC()})))
    return failure();
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t ka = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t kb = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (ka != kb)
    return emitOptionalError(loc, "inner dimensions differ: ", ka, " vs ", kb);
  if (adaptor.getC()) {
    auto c = rankedType(adaptor.getC());
    auto shape = broadcastShapes(c.getShape(), {m, n});
    if (!shape || *shape != ArrayRef<int64_t>{m, n})
      return emitOptionalError(loc, "C of shape ", c,
                               " does not broadcast to [", m, ", ", n, "]");
  }
  return inferAs(inferred, {m, n}, a.getElementType());
}

namespace {
/// gemm(A, B^T) with a constant B becomes gemm(A, transpose(B)), the
/// transpose folding away: the weights of fully connected layers are stored
/// in the layout the kernel reads.
struct TransposeConstantGemmOperands : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    bool changed = false;
    Value a = op.getA(), b = op.getB();
    auto transposeIfConstant = [&](Value &v, bool transposed) {
      if (!transposed || !matchPattern(v, m_Constant()))
        return false;
      v = rewriter.createOrFold<TransposeOp>(
          op.getLoc(), v, rewriter.getDenseI64ArrayAttr({1, 0}));
      return true;
    };
    bool transA = op.getTransA(), transB = op.getTransB();
    if (transposeIfConstant(a, transA)) {
      transA = false;
      changed = true;
    }
    if (transposeIfConstant(b, transB)) {
      transB = false;
      changed = true;
    }
    if (!changed)
      return failure();
    rewriter.replaceOpWithNewOp<GemmOp>(op, op.getType(), a, b, op.getC(),
                                        op.getAlphaAttr(), op.getBetaAttr(),
                                        rewriter.getBoolAttr(transA),
                                        rewriter.getBoolAttr(transB));
    return success();
  }
};
} // namespace

void GemmOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<TransposeConstantGemmOperands>(context);
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto lhs = rankedType(adaptor.getLhs());
  auto rhs = rankedType(adaptor.getRhs());
  if (!lhs || !rhs || lhs.getRank() < 2 || rhs.getRank() < 2)
    return emitOptionalError(loc, "operands must have rank >= 2");
  if (failed(verifySameElementType(loc, {adaptor.getLhs(), adaptor.getRhs()})))
    return failure();
  auto ls = lhs.getShape(), rs = rhs.getShape();
  if (ls.back() != rs[rs.size() - 2])
    return emitOptionalError(loc, "inner dimensions differ: ", ls.back(),
                             " vs ", rs[rs.size() - 2]);
  auto batch = broadcastShapes(ls.drop_back(2), rs.drop_back(2));
  if (!batch)
    return emitOptionalError(loc, "batch dimensions do not broadcast");
  SmallVector<int64_t> shape = *batch;
  shape.push_back(ls[ls.size() - 2]);
  shape.push_back(rs.back());
  return inferAs(inferred, shape, lhs.getElementType());
}

namespace {
/// Checks the window attributes of a convolution or pooling over
/// `spatialRank` axes.
LogicalResult verifyWindow(std::optional<Location> loc, int64_t spatialRank,
                           ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations) {
  if (static_cast<int64_t>(strides.size()) != spatialRank ||
      static_cast<int64_t>(dilations.size()) != spatialRank ||
      static_cast<int64_t>(pads.size()) != 2 * spatialRank)
    return emitOptionalError(loc, "expected ", spatialRank,
                             " strides and dilations and ", 2 * spatialRank,
                             " pads");
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return emitOptionalError(loc, "strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "pads must not be negative");
  return success();
}

LogicalResult inferPool(std::optional<Location> loc, Value input,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                        bool ceilMode, SmallVectorImpl<Type> &inferred) {
  auto type = rankedType(input);
  if (!type || type.getRank() < 3)
    return emitOptionalError(loc, "input must have rank >= 3 (N, C, spatial)");
  int64_t spatial = type.getRank() - 2;
  if (static_cast<int64_t>(kernel.size()) != spatial)
    return emitOptionalError(loc, "expected ", spatial, " kernel dimensions");
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return emitOptionalError(loc, "kernel extents must be positive");
  if (failed(verifyWindow(loc, spatial, strides, pads, dilations)))
    return failure();
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = slidingWindowOutputSize(type.getDimSize(i + 2), kernel[i],
                                          strides[i], pads[i],
                                          pads[i + spatial], dilations[i],
                                          ceilMode);
    if (out < 1)
      return emitOptionalError(loc, "window larger than the padded input");
    shape.push_back(out);
  }
  return inferAs(inferred, shape, type.getElementType());
}

/// Checks a filter's spatial extents and a bias of one value per output
/// channel, shared by convolution and transposed convolution.
LogicalResult verifyFilterAndBias(std::optional<Location> loc,
                                  RankedTensorType filter, Value bias,
                                  int64_t outChannels) {
  if (llvm::any_of(filter.getShape().drop_front(2),
                   [](int64_t k) { return k < 1; }))
    return emitOptionalError(loc, "filter extents must be positive");
  if (!bias)
    return success();
  auto biasType = rankedType(bias);
  if (!biasType || biasType.getRank() != 1 ||
      biasType.getDimSize(0) != outChannels)
    return emitOptionalError(loc, "bias must have one value per output "
                                  "channel (", outChannels, ")");
  return success();
}
} // namespace

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (!input || !filter || input.getRank() < 3 ||
      filter.getRank() != input.getRank())
    return emitOptionalError(loc, "input and filter must have the same rank "
                                  ">= 3");
  if (failed(verifySameElementType(
          loc, {adaptor.getInput(), adaptor.getFilter(), adaptor.getBias()})))
    return failure();
  int64_t spatial = input.getRank() - 2;
  int64_t group = adaptor.getGroup();
  if (group < 1 || input.getDimSize(1) % group != 0 ||
      filter.getDimSize(0) % group != 0)
    return emitOptionalError(loc, "group ", group,
                             " does not divide the channel counts");
  if (filter.getDimSize(1) * group != input.getDimSize(1))
    return emitOptionalError(loc, "filter expects ",
                             filter.getDimSize(1) * group,
                             " input channels, input has ",
                             input.getDimSize(1));
  if (failed(verifyWindow(loc, spatial, adaptor.getStrides(), adaptor.getPads(),
                          adaptor.getDilations())) ||
      failed(verifyFilterAndBias(loc, filter, adaptor.getBias(),
                                 filter.getDimSize(0))))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), filter.getDimSize(0)};
  auto pads = adaptor.getPads();
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = slidingWindowOutputSize(
        input.getDimSize(i + 2), filter.getDimSize(i + 2),
        adaptor.getStrides()[i], pads[i], pads[i + spatial],
        adaptor.getDilations()[i], /*ceilMode=*/false);
    if (out < 1)
      return emitOptionalError(loc, "filter larger than the padded input");
    shape.push_back(out);
  }
  return inferAs(inferred, shape, input.getElementType());
}

LogicalResult ConvTransposeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto filter = rankedType(adaptor.getFilter());
  if (!input || !filter || input.getRank() < 3 ||
      filter.getRank() != input.getRank())
    return emitOptionalError(loc, "input and filter must have the same rank "
                                  ">= 3");
  if (failed(verifySameElementType(
          loc, {adaptor.getInput(), adaptor.getFilter(), adaptor.getBias()})))
    return failure();
  int64_t spatial = input.getRank() - 2;
  int64_t group = adaptor.getGroup();
  if (group < 1 || input.getDimSize(1) % group != 0)
    return emitOptionalError(loc, "group ", group,
                             " does not divide the input channels");
  if (filter.getDimSize(0) != input.getDimSize(1))
    return emitOptionalError(loc, "filter expects ", filter.getDimSize(0),
                             " input channels, input has ",
                             input.getDimSize(1));
  auto strides = adaptor.getStrides(), pads = adaptor.getPads(),
       dilations = adaptor.getDilations(),
       outputPadding = adaptor.getOutputPadding();
  // Unlike a convolution's, negative pads are valid: they grow the output.
  if (static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(dilations.size()) != spatial ||
      static_cast<int64_t>(outputPadding.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return emitOptionalError(loc, "expected ", spatial,
                             " strides, dilations and output_padding and ",
                             2 * spatial, " pads");
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return emitOptionalError(loc, "strides and dilations must be positive");
  if (llvm::any_of(outputPadding, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "output_padding must not be negative");
  int64_t outChannels = filter.getDimSize(1) * group;
  if (failed(verifyFilterAndBias(loc, filter, adaptor.getBias(), outChannels)))
    return failure();
  SmallVector<int64_t> shape{input.getDimSize(0), outChannels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t out = strides[i] * (input.getDimSize(i + 2) - 1) +
                  outputPadding[i] +
                  dilations[i] * (filter.getDimSize(i + 2) - 1) + 1 - pads[i] -
                  pads[i + spatial];
    if (out < 1)
      return emitOptionalError(loc, "output extent ", out, " on spatial axis ",
                               i, " is not positive");
    shape.push_back(out);
  }
  return inferAs(inferred, shape, input.getElementType());
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(),
                   adaptor.getDilations(), adaptor.getCeilMode(), inferred);
}

LogicalResult MaxPoolWithIndicesOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  if (adaptor.getStorageOrder() != 0 && adaptor.getStorageOrder() != 1)
    return emitOptionalError(loc, "storage_order must be 0 or 1");
  if (failed(inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                       adaptor.getStrides(), adaptor.getPads(),
                       adaptor.getDilations(), adaptor.getCeilMode(),
                       inferred)))
    return failure();
  auto values = cast<RankedTensorType>(inferred.front());
  return inferAs(inferred, values.getShape(), IntegerType::get(context, 64));
}

LogicalResult MaxUnpoolOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  if (!input || input.getRank() < 3)
    return emitOptionalError(loc, "input must have rank >= 3 (N, C, spatial)");
  if (!indices || indices.getShape() != input.getShape() ||
      !isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers of the input's "
                                  "shape");
  int64_t spatial = input.getRank() - 2;
  auto kernel = adaptor.getKernelShape(), strides = adaptor.getStrides(),
       pads = adaptor.getPads(), outputShape = adaptor.getOutputShape();
  if (static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return emitOptionalError(loc, "expected ", spatial,
                             " kernel extents and strides and ", 2 * spatial,
                             " pads");
  if (llvm::any_of(kernel, [](int64_t k) { return k < 1; }) ||
      llvm::any_of(strides, [](int64_t s) { return s < 1; }))
    return emitOptionalError(loc, "kernel extents and strides must be "
                                  "positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return emitOptionalError(loc, "pads must not be negative");
  if (static_cast<int64_t>(outputShape.size()) != input.getRank())
    return emitOptionalError(loc, "output_shape must have ", input.getRank(),
                             " entries");
  if (outputShape[0] != input.getDimSize(0) ||
      outputShape[1] != input.getDimSize(1))
    return emitOptionalError(loc, "output_shape must keep the batch and "
                                  "channel extents");
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t unpooled = (input.getDimSize(i + 2) - 1) * strides[i] + kernel[i] -
                       pads[i] - pads[i + spatial];
    if (unpooled < 1)
      return emitOptionalError(loc, "unpooled extent ", unpooled,
                               " on spatial axis ", i, " is not positive");
    if (!adaptor.getIndexedShape() && outputShape[i + 2] < unpooled)
      return emitOptionalError(loc, "output_shape extent ", outputShape[i + 2],
                               " on spatial axis ", i,
                               " is smaller than the unpooled extent ",
                               unpooled);
  }
  if (auto indexed = adaptor.getIndexedShape()) {
    if (indexed->size() != outputShape.size() ||
        (*indexed)[0] != outputShape[0] || (*indexed)[1] != outputShape[1])
      return emitOptionalError(loc, "indexed_shape must have the rank, batch "
                                    "and channels of output_shape");
    for (int64_t i = 0; i < spatial; ++i)
      if ((*indexed)[i + 2] < 1 || (*indexed)[i + 2] > outputShape[i + 2])
        return emitOptionalError(loc, "indexed_shape extent ",
                                 (*indexed)[i + 2], " on spatial axis ", i,
                                 " is not in [1, ", outputShape[i + 2], "]");
  }
  return inferAs(inferred, outputShape, input.getElementType());
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferPool(loc, adaptor.getInput(), adaptor.getKernelShape(),
                   adaptor.getStrides(), adaptor.getPads(),
                   adaptor.getDilations(), adaptor.getCeilMode(), inferred);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() < 2)
    return emitOptionalError(loc, "input must have rank >= 2");
  for (Value param : {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                      adaptor.getVariance()}) {
    auto type = rankedType(param);
    if (!type || type.getRank() != 1 ||
        type.getDimSize(0) != input.getDimSize(1))
      return emitOptionalError(loc, "scale, bias, mean and variance must have "
                                    "one value per channel");
  }
  inferred.push_back(input);
  return success();
}

LogicalResult LRNOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() < 2)
    return emitOptionalError(loc, "input must have rank >= 2");
  if (adaptor.getSize() < 1)
    return emitOptionalError(loc, "size must be positive");
  inferred.push_back(input);
  return success();
}

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (!input || input.getRank() < 1 || axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  inferred.push_back(input);
  return success();
}

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto axes = adaptor.getAxes();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] < 0 || axes[i] >= input.getRank() ||
        (i > 0 && axes[i] <= axes[i - 1]))
      return emitOptionalError(loc, "axes must be sorted, unique and in range");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      shape.push_back(input.getDimSize(d));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  return inferAs(inferred, shape, input.getElementType());
}

LogicalResult CumSumOp::verify() {
  int64_t rank = cast<RankedTensorType>(getType()).getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  return success();
}

LogicalResult CumProdOp::verify() {
  int64_t rank = cast<RankedTensorType>(getType()).getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " out of range for rank " << rank;
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *context,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() < 1)
    return emitOptionalError(loc, "input must have rank >= 1");
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  int64_t k = adaptor.getK();
  if (k < 0 || k > input.getDimSize(axis))
    return emitOptionalError(loc, "k = ", k, " is not in [0, ",
                             input.getDimSize(axis), "]");
  if (input.getElementType().isInteger(1))
    return emitOptionalError(loc, "input must be numeric, not bool");
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = k;
  if (failed(inferAs(inferred, shape, input.getElementType())))
    return failure();
  return inferAs(inferred, shape, IntegerType::get(context, 64));
}

namespace {
/// The parsed terms of an explicit einsum equation.
struct EinsumTerms {
  SmallVector<std::string> inputs;
  std::string output;
};

std::optional<EinsumTerms> parseEinsum(StringRef equation) {
  auto [lhs, rhs] = equation.split("->");
  if (lhs.size() == equation.size())
    return std::nullopt;
  EinsumTerms terms;
  SmallVector<StringRef> parts;
  lhs.split(parts, ',');
  auto valid = [](StringRef term) {
    return llvm::all_of(term, [](char ch) { return llvm::isAlpha(ch); });
  };
  for (StringRef part : parts) {
    if (!valid(part))
      return std::nullopt;
    terms.inputs.push_back(part.str());
  }
  if (!valid(rhs))
    return std::nullopt;
  terms.output = rhs.str();
  return terms;
}
} // namespace

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto terms = parseEinsum(adaptor.getEquation());
  if (!terms)
    return emitOptionalError(loc, "equation '", adaptor.getEquation(),
                             "' is not an explicit einsum of letters "
                             "(\"ab,bc->ac\")");
  auto inputs = adaptor.getInputs();
  if (inputs.empty() || terms->inputs.size() != inputs.size())
    return emitOptionalError(loc, "equation has ", terms->inputs.size(),
                             " terms for ", inputs.size(), " operands");
  Type elementType = rankedType(inputs.front()).getElementType();
  llvm::StringMap<int64_t> extents;
  for (auto [term, value] : llvm::zip(terms->inputs, inputs)) {
    auto type = rankedType(value);
    if (type.getElementType() != elementType)
      return emitOptionalError(loc, "operands differ in element type");
    if (static_cast<int64_t>(term.size()) != type.getRank())
      return emitOptionalError(loc, "term '", term, "' has ", term.size(),
                               " letters for an operand of rank ",
                               type.getRank());
    for (auto [i, ch] : llvm::enumerate(term)) {
      int64_t d = type.getDimSize(i);
      auto [it, inserted] = extents.try_emplace(StringRef(&ch, 1), d);
      if (inserted || it->second == d || d == 1)
        continue;
      if (it->second == 1) {
        it->second = d;
        continue;
      }
      return emitOptionalError(loc, "letter '", StringRef(&ch, 1),
                               "' has extents ", it->second, " and ", d);
    }
  }
  SmallVector<int64_t> shape;
  for (char ch : terms->output) {
    auto it = extents.find(StringRef(&ch, 1));
    if (it == extents.end())
      return emitOptionalError(loc, "output letter '", StringRef(&ch, 1),
                               "' is in no input term");
    if (llvm::count(terms->output, ch) > 1)
      return emitOptionalError(loc, "output letter '", StringRef(&ch, 1),
                               "' repeats");
    shape.push_back(it->second);
  }
  return inferAs(inferred, shape, elementType);
}

LogicalResult DetOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  if (!input || input.getRank() < 2 ||
      input.getDimSize(input.getRank() - 1) !=
          input.getDimSize(input.getRank() - 2))
    return emitOptionalError(loc, "input must be [..., M, M]");
  if (!isa<FloatType>(input.getElementType()))
    return emitOptionalError(loc, "input must have a floating-point type");
  return inferAs(inferred, input.getShape().drop_back(2),
                 input.getElementType());
}

LogicalResult ArgReduceOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    if (d != axis)
      shape.push_back(input.getDimSize(d));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  return inferAs(inferred, shape, IntegerType::get(context, 64));
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  if (!input.hasStaticShape() || !result.hasStaticShape())
    return emitOpError("shapes must be static");
  if (input.getNumElements() != result.getNumElements())
    return emitOpError("cannot reshape ")
           << input << " (" << input.getNumElements() << " elements) to "
           << result << " (" << result.getNumElements() << " elements)";
  if (input.getElementType() != result.getElementType())
    return emitOpError("element types differ");
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return input.reshape(cast<ShapedType>(getType()));
  // reshape(reshape(x)) folds to one reshape of x.
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto perm = adaptor.getPerm();
  if (static_cast<int64_t>(perm.size()) != input.getRank())
    return emitOptionalError(loc, "perm must have one entry per axis");
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= input.getRank() || seen[p])
      return emitOptionalError(loc, "perm is not a permutation");
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  return inferAs(inferred, shape, input.getElementType());
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  if (llvm::equal(getPerm(), llvm::seq<int64_t>(0, getPerm().size())))
    return getInput();
  auto input = foldableConstant(adaptor.getInput());
  if (!input)
    return {};
  auto resultType = cast<RankedTensorType>(getType());
  auto inputStrides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> sources, index;
  for (int64_t i = 0, e = resultType.getNumElements(); i < e; ++i) {
    delinearize(i, resultType.getShape(), index);
    int64_t src = 0;
    for (size_t k = 0; k < index.size(); ++k)
      src += index[k] * inputStrides[getPerm()[k]];
    sources.push_back(src);
  }
  return gatherElements(input, resultType, sources);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  if (adaptor.getInputs().empty())
    return emitOptionalError(loc, "expected at least one input");
  auto first = rankedType(adaptor.getInputs().front());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank())
    return emitOptionalError(loc, "axis out of range");
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value input : adaptor.getInputs()) {
    auto type = rankedType(input);
    if (type.getRank() != first.getRank() ||
        type.getElementType() != first.getElementType())
      return emitOptionalError(loc, "inputs differ in rank or element type");
    for (int64_t d = 0; d < first.getRank(); ++d)
      if (d != axis && type.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "inputs differ in dimension ", d, ": ",
                                 type, " vs ", first);
    shape[axis] += type.getDimSize(axis);
  }
  return inferAs(inferred, shape, first.getElementType());
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  SmallVector<DenseElementsAttr> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    auto dense = foldableConstant(attr);
    if (!dense || dense.getElementType().isInteger(1))
      return {};
    inputs.push_back(dense);
  }
  auto resultType = cast<RankedTensorType>(getType());
  int64_t axis = getAxis();
  int64_t outer = numElements(resultType.getShape().take_front(axis));
  int64_t inner = numElements(resultType.getShape().drop_front(axis + 1));
  SmallVector<Attribute> values;
  SmallVector<SmallVector<Attribute>> inputValues;
  for (auto input : inputs)
    inputValues.push_back(llvm::to_vector(input.getValues<Attribute>()));
  for (int64_t o = 0; o < outer; ++o)
    for (size_t k = 0; k < inputs.size(); ++k) {
      int64_t chunk = inputs[k].getType().getDimSize(axis) * inner;
      for (int64_t i = 0; i < chunk; ++i)
        values.push_back(
            inputValues[k][inputs[k].isSplat() ? 0 : o * chunk + i]);
    }
  return DenseElementsAttr::get(resultType, values);
}

namespace {
/// concat(a, b, ..., z) when concat(a, b, ...) along the same axis, a
/// prefix of it, is computed before: concat(concat(a, b, ...), ..., z).
/// A dense block concatenates all earlier features at every layer; nested,
/// each concatenation holds the one before it, which the targets then
/// compute in place instead of copying every part into every layer's.
struct ReusePrefixConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    OperandRange inputs = op.getInputs();
    if (inputs.size() < 3)
      return failure();
    ConcatOp longest;
    for (Operation *user : inputs.front().getUsers()) {
      auto prefix = dyn_cast<ConcatOp>(user);
      if (!prefix || prefix == op || prefix.getAxis() != op.getAxis() ||
          prefix->getBlock() != op->getBlock() ||
          !prefix->isBeforeInBlock(op))
        continue;
      OperandRange prefixInputs = prefix.getInputs();
      if (prefixInputs.size() < 2 || prefixInputs.size() >= inputs.size() ||
          !llvm::equal(prefixInputs, inputs.take_front(prefixInputs.size())))
        continue;
      if (!longest || prefixInputs.size() > longest.getInputs().size())
        longest = prefix;
    }
    if (!longest)
      return failure();
    SmallVector<Value> rest{longest.getResult()};
    llvm::append_range(rest, inputs.drop_front(longest.getInputs().size()));
    rewriter.replaceOpWithNewOp<ConcatOp>(op, op.getType(), rest,
                                          op.getAxisAttr());
    return success();
  }
};
} // namespace

void ConcatOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<ReusePrefixConcat>(context);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto starts = adaptor.getStarts(), sizes = adaptor.getSizes(),
       steps = adaptor.getSteps();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(steps.size()) != rank)
    return emitOptionalError(loc, "starts, sizes and steps need one entry per "
                                  "axis");
  for (int64_t d = 0; d < rank; ++d) {
    if (steps[d] == 0 || sizes[d] < 0)
      return emitOptionalError(loc, "invalid slice on axis ", d);
    if (sizes[d] == 0)
      continue;
    int64_t last = starts[d] + steps[d] * (sizes[d] - 1);
    if (starts[d] < 0 || starts[d] >= input.getDimSize(d) || last < 0 ||
        last >= input.getDimSize(d))
      return emitOptionalError(loc, "slice out of bounds on axis ", d);
  }
  return inferAs(inferred, sizes, input.getElementType());
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  auto input = foldableConstant(adaptor.getInput());
  if (!input)
    return {};
  auto resultType = cast<RankedTensorType>(getType());
  auto strides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> sources, index;
  for (int64_t i = 0, e = resultType.getNumElements(); i < e; ++i) {
    delinearize(i, resultType.getShape(), index);
    int64_t src = 0;
    for (size_t d = 0; d < index.size(); ++d)
      src += (getStarts()[d] + getSteps()[d] * index[d]) * strides[d];
    sources.push_back(src);
  }
  return gatherElements(input, resultType, sources);
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto pads = adaptor.getPads();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitOptionalError(loc, "expected ", 2 * rank, " pads");
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = input.getDimSize(d) + pads[d] + pads[d + rank];
    if (size < 0)
      return emitOptionalError(loc, "negative size on axis ", d);
    if (adaptor.getMode() == PadMode::Reflect &&
        (pads[d] >= input.getDimSize(d) ||
         pads[d + rank] >= input.getDimSize(d)))
      return emitOptionalError(loc, "reflect pads must be smaller than the "
                                    "axis");
    shape.push_back(size);
  }
  return inferAs(inferred, shape, input.getElementType());
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (input.getRank() < 1 || axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  if (!isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers");
  SmallVector<int64_t> shape(input.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, input.getShape().drop_front(axis + 1));
  return inferAs(inferred, shape, input.getElementType());
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto input = foldableConstant(adaptor.getInput());
  auto indices = foldableConstant(adaptor.getIndices());
  if (!input || !indices)
    return {};
  auto resultType = cast<RankedTensorType>(getType());
  auto inputShape = input.getType().getShape();
  int64_t axis = getAxis();
  int64_t outer = numElements(inputShape.take_front(axis));
  int64_t inner = numElements(inputShape.drop_front(axis + 1));
  int64_t extent = inputShape[axis];
  auto indexValues = llvm::to_vector(indices.getValues<APInt>());
  if (indices.isSplat())
    indexValues.assign(indices.getNumElements(), indexValues.front());
  SmallVector<int64_t> sources;
  for (int64_t o = 0; o < outer; ++o)
    for (const APInt &rawIndex : indexValues) {
      int64_t index = rawIndex.getSExtValue();
      if (index < 0)
        index += extent;
      if (index < 0 || index >= extent)
        return {};
      for (int64_t i = 0; i < inner; ++i)
        sources.push_back((o * extent + index) * inner + i);
    }
  return gatherElements(input, resultType, sources);
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (input.getRank() != indices.getRank())
    return emitOptionalError(loc, "indices must have the input's rank");
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  if (!isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers");
  for (int64_t d = 0; d < input.getRank(); ++d)
    if (d != axis && indices.getDimSize(d) > input.getDimSize(d))
      return emitOptionalError(loc, "indices dimension ", d,
                               " exceeds the input's");
  return inferAs(inferred, indices.getShape(), input.getElementType());
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  auto updates = rankedType(adaptor.getUpdates());
  int64_t axis = adaptor.getAxis();
  if (input.getRank() != indices.getRank())
    return emitOptionalError(loc, "indices must have the input's rank");
  if (indices.getShape() != updates.getShape())
    return emitOptionalError(loc, "updates must have the indices' shape");
  if (updates.getElementType() != input.getElementType())
    return emitOptionalError(loc, "updates must have the input's element type");
  if (axis < 0 || axis >= input.getRank())
    return emitOptionalError(loc, "axis out of range");
  if (!isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers");
  for (int64_t d = 0; d < input.getRank(); ++d)
    if (d != axis && indices.getDimSize(d) > input.getDimSize(d))
      return emitOptionalError(loc, "indices dimension ", d,
                               " exceeds the input's");
  return inferAs(inferred, input.getShape(), input.getElementType());
}

LogicalResult GatherNDOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  int64_t batch = adaptor.getBatchDims();
  if (!isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers");
  if (batch < 0 || batch >= indices.getRank() || batch >= input.getRank())
    return emitOptionalError(loc, "batch_dims out of range");
  int64_t k = indices.getShape().back();
  if (k < 1 || batch + k > input.getRank())
    return emitOptionalError(loc, "index tuples of length ", k,
                             " do not fit the input's rank");
  for (int64_t d = 0; d < batch; ++d)
    if (indices.getDimSize(d) != input.getDimSize(d))
      return emitOptionalError(loc, "batch dimension ", d,
                               " differs between input and indices");
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(shape, input.getShape().drop_front(batch + k));
  return inferAs(inferred, shape, input.getElementType());
}

LogicalResult ScatterNDOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto indices = rankedType(adaptor.getIndices());
  auto updates = rankedType(adaptor.getUpdates());
  if (!isa<IntegerType>(indices.getElementType()))
    return emitOptionalError(loc, "indices must be integers");
  if (indices.getRank() < 1)
    return emitOptionalError(loc, "indices must have rank 1 or more");
  int64_t k = indices.getShape().back();
  if (k < 1 || k > input.getRank())
    return emitOptionalError(loc, "index tuples of length ", k,
                             " do not fit the input's rank");
  SmallVector<int64_t> expected(indices.getShape().drop_back());
  llvm::append_range(expected, input.getShape().drop_front(k));
  if (updates.getShape() != ArrayRef<int64_t>(expected))
    return emitOptionalError(loc, "updates must have shape indices[:-1] + "
                                  "input[k:]");
  if (updates.getElementType() != input.getElementType())
    return emitOptionalError(loc, "updates must have the input's element type");
  return inferAs(inferred, input.getShape(), input.getElementType());
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto grid = rankedType(adaptor.getGrid());
  if (!input || !grid || input.getRank() < 3)
    return emitOptionalError(loc, "input must be [N, C, spatial...]");
  int64_t spatial = input.getRank() - 2;
  if (grid.getRank() != spatial + 2 || grid.getDimSize(0) != input.getDimSize(0) ||
      grid.getShape().back() != spatial)
    return emitOptionalError(loc, "grid must be [N, spatial..., ", spatial, "]");
  if (!isa<FloatType>(input.getElementType()) ||
      !isa<FloatType>(grid.getElementType()))
    return emitOptionalError(loc, "input and grid must be floating-point");
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  llvm::append_range(shape, grid.getShape().drop_front().drop_back());
  return inferAs(inferred, shape, input.getElementType());
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  auto rois = rankedType(adaptor.getRois());
  auto batch = rankedType(adaptor.getBatchIndices());
  if (!input || input.getRank() != 4 || !isa<FloatType>(input.getElementType()))
    return emitOptionalError(loc, "input must be a float [N, C, H, W]");
  if (!rois || rois.getRank() != 2 || rois.getDimSize(1) != 4 ||
      !isa<FloatType>(rois.getElementType()))
    return emitOptionalError(loc, "rois must be a float [R, 4]");
  if (!batch || batch.getRank() != 1 ||
      batch.getDimSize(0) != rois.getDimSize(0) ||
      !isa<IntegerType>(batch.getElementType()))
    return emitOptionalError(loc, "batch_indices must be integers, one per roi");
  int64_t outH = static_cast<int64_t>(adaptor.getOutputHeight());
  int64_t outW = static_cast<int64_t>(adaptor.getOutputWidth());
  if (outH < 1 || outW < 1)
    return emitOptionalError(loc, "output_height and output_width must be "
                                  "positive");
  if (static_cast<int64_t>(adaptor.getSamplingRatio()) < 1)
    return emitOptionalError(loc, "sampling_ratio must be positive");
  return inferAs(inferred,
                 {rois.getDimSize(0), input.getDimSize(1), outH, outW},
                 input.getElementType());
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  auto input = rankedType(adaptor.getInput());
  if (!input)
    return emitOptionalError(loc, "input must be a ranked tensor");
  int64_t rank = input.getRank();
  auto sizes = adaptor.getSizes();
  auto scales = adaptor.getScales();
  if (static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(scales.size()) != rank)
    return emitOptionalError(loc, "sizes and scales need one entry per axis");
  if (llvm::any_of(sizes, [](int64_t s) { return s < 1; }))
    return emitOptionalError(loc, "sizes must be positive");
  if (llvm::any_of(scales, [](double s) { return !(s > 0); }))
    return emitOptionalError(loc, "scales must be positive");
  InterpolationMode mode = adaptor.getMode();
  if (mode != InterpolationMode::Nearest &&
      !isa<FloatType>(input.getElementType()))
    return emitOptionalError(loc, stringifyInterpolationMode(mode),
                             " resize takes floating-point tensors");
  if (auto roi = adaptor.getRoi()) {
    if (static_cast<int64_t>(roi->size()) != 2 * rank)
      return emitOptionalError(loc, "roi needs ", 2 * rank, " entries");
  } else if (adaptor.getCoordinateMode() == CoordinateMode::TfCropAndResize) {
    return emitOptionalError(loc, "tf_crop_and_resize needs a roi");
  }
  return inferAs(inferred, sizes, input.getElementType());
}

LogicalResult BroadcastOp::verify() {
  auto input = cast<RankedTensorType>(getInput().getType());
  auto result = cast<RankedTensorType>(getType());
  auto shape = broadcastShapes(input.getShape(), result.getShape());
  if (!shape || *shape != result.getShape())
    return emitOpError("cannot broadcast ") << input << " to " << result;
  if (input.getElementType() != result.getElementType())
    return emitOpError("element types differ");
  return success();
}
