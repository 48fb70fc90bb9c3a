//===- Elementwise.cpp - Import of ONNX elementwise ops -------------------===//
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

template <typename OpTy>
LogicalResult importBinary(NodeImporter &n) {
  auto lhs = n.requiredInput(0), rhs = n.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  // Before opset 7, broadcasting along an explicit axis was an attribute.
  if (n.opsetVersion() < 7 && n.intAttr("broadcast", 0) != 0 &&
      n.hasAttribute("axis"))
    return n.error("attribute 'axis'",
                   "legacy (opset < 7) axis broadcasting is not supported");
  auto result = n.create<OpTy>(*lhs, *rhs);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Max, Min, Sum: a left fold of the binary op over all inputs.
template <typename OpTy>
LogicalResult importVariadic(NodeImporter &n) {
  auto acc = n.requiredInput(0);
  if (failed(acc))
    return failure();
  Value value = *acc;
  for (size_t i = 1; i < n.numInputs(); ++i) {
    auto operand = n.requiredInput(i);
    if (failed(operand))
      return failure();
    auto next = n.create<OpTy>(value, *operand);
    if (failed(next))
      return failure();
    value = *next;
  }
  n.setOutput(0, value);
  return success();
}

LogicalResult importMean(NodeImporter &n) {
  auto first = n.requiredInput(0);
  if (failed(first))
    return failure();
  if (!isa<FloatType>(n.inputType(0).getElementType()))
    return n.error("input 0", "Mean takes floating-point tensors");
  if (failed(importVariadic<AddOp>(n)))
    return failure();
  Value sum = n.outputs()[0];
  auto type = cast<RankedTensorType>(sum.getType());
  auto countType = RankedTensorType::get({}, type.getElementType());
  auto count = n.constant(DenseElementsAttr::get(
      countType, FloatAttr::get(type.getElementType(), n.numInputs())));
  auto mean = n.create<DivOp>(sum, count);
  if (failed(mean))
    return failure();
  n.setOutput(0, *mean);
  return success();
}

template <typename OpTy>
LogicalResult importUnary(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto result = n.createTyped<OpTy>(input->getType(), *input);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Unary ops with float attributes, given as (name, default) pairs.
template <typename OpTy, typename... Attrs>
LogicalResult importUnaryWith(NodeImporter &n, Attrs... attrs) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto result = n.createTyped<OpTy>(
      input->getType(), *input,
      n.builder().getF64FloatAttr(n.floatAttr(attrs.first, attrs.second))...);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Clip's bound `i` (1: min, 2: max) when it is a value computed at run time:
/// a one-element tensor of the input's element type, as a rank-0 tensor.
static FailureOr<Value> runtimeClipBound(NodeImporter &n, size_t i) {
  RankedTensorType type = n.inputType(i);
  StringRef what = i == 1 ? "min" : "max";
  if (type.getElementType() != n.inputType(0).getElementType())
    return n.error("input " + Twine(i) + " (" + what + ")",
                   "element type differs from the input's");
  if (!type.hasStaticShape() || type.getNumElements() != 1)
    return n.error("input " + Twine(i) + " (" + what + ")",
                   "must be a scalar (one element)");
  if (type.getRank() == 0)
    return n.input(i);
  return n.reshape(n.input(i), {});
}

LogicalResult importClip(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.builder();
  if (n.opsetVersion() < 11) {
    FloatAttr lo, hi;
    if (n.hasAttribute("min"))
      lo = b.getF64FloatAttr(n.floatAttr("min", 0));
    if (n.hasAttribute("max"))
      hi = b.getF64FloatAttr(n.floatAttr("max", 0));
    auto result = n.createTyped<ClipOp>(input->getType(), *input, lo, hi);
    if (failed(result))
      return failure();
    n.setOutput(0, *result);
    return success();
  }
  // From opset 11 the bounds are inputs. Constant ones become attributes
  // (so that fusion sees ReLU6 and the like); run-time ones clip with max
  // and min, the lower bound first, as ONNX orders them (min > max gives
  // max everywhere).
  FloatAttr constantBound[3];
  bool runtime = false;
  for (size_t i : {1, 2}) {
    if (!n.input(i))
      continue;
    if (!n.constantInput(i)) {
      runtime = true;
      continue;
    }
    auto bound = n.constantScalar(i, i == 1 ? "min" : "max");
    if (failed(bound))
      return failure();
    constantBound[i] = b.getF64FloatAttr(*bound);
  }
  Value value = *input;
  auto applyBound = [&](size_t i) -> LogicalResult {
    FailureOr<Value> next;
    if (constantBound[i]) {
      next = n.createTyped<ClipOp>(value.getType(), value,
                                   i == 1 ? constantBound[1] : FloatAttr(),
                                   i == 2 ? constantBound[2] : FloatAttr());
    } else if (n.input(i)) {
      auto bound = runtimeClipBound(n, i);
      if (failed(bound))
        return failure();
      next = i == 1 ? n.create<MaxOp>(value, *bound)
                    : n.create<MinOp>(value, *bound);
    } else {
      return success();
    }
    if (failed(next))
      return failure();
    value = *next;
    return success();
  };
  if (!runtime) {
    auto result = n.createTyped<ClipOp>(input->getType(), *input,
                                        constantBound[1], constantBound[2]);
    if (failed(result))
      return failure();
    value = *result;
  } else if (failed(applyBound(1)) || failed(applyBound(2))) {
    return failure();
  }
  n.setOutput(0, value);
  return success();
}

LogicalResult importCastTo(NodeImporter &n, Type elementType) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  // saturate (opset 19) for the float8 targets; round_mode (opset 24) for
  // float8e8m0.
  bool saturate = n.intAttr("saturate", 1) != 0;
  std::string roundModeName = n.stringAttr("round_mode", "up");
  std::optional<RoundMode> roundMode = symbolizeRoundMode(roundModeName);
  if (!roundMode)
    return n.error("attribute 'round_mode'", "must be 'up', 'down' or "
                                             "'nearest', got '" +
                                                 roundModeName + "'");
  auto result = n.createTyped<CastOp>(type.clone(elementType), *input, saturate,
                                      *roundMode);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importCast(NodeImporter &n) {
  Type to = elementTypeOf(n.intAttr("to", 0), n.context());
  if (!to)
    return n.error("attribute 'to'",
                   "unsupported data type " + Twine(n.intAttr("to", 0)));
  return importCastTo(n, to);
}

/// BitCast: the same bits read as `to` (of the same width).
LogicalResult importBitCast(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  Type to = elementTypeOf(n.intAttr("to", 0), n.context());
  if (!to)
    return n.error("attribute 'to'",
                   "unsupported data type " + Twine(n.intAttr("to", 0)));
  auto type = n.inputType(0);
  auto width = [](Type t) {
    return t.isInteger(1) ? 8u : t.getIntOrFloatBitWidth();
  };
  if (width(type.getElementType()) != width(to))
    return n.error("attribute 'to'", "has another bit width than the input");
  auto result = n.createTyped<BitcastOp>(type.clone(to), *input);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importCastLike(NodeImporter &n) {
  auto like = n.requiredInput(1);
  if (failed(like))
    return failure();
  return importCastTo(n, cast<RankedTensorType>(like->getType()).getElementType());
}

LogicalResult importWhere(NodeImporter &n) {
  auto c = n.requiredInput(0), x = n.requiredInput(1), y = n.requiredInput(2);
  if (failed(c) || failed(x) || failed(y))
    return failure();
  auto result = n.create<WhereOp>(*c, *x, *y);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importMod(NodeImporter &n) {
  auto lhs = n.requiredInput(0), rhs = n.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  bool fmod = n.intAttr("fmod", 0) != 0;
  auto result = n.create<ModOp>(*lhs, *rhs, fmod);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// x * HardSigmoid(x) with alpha 1/6 and beta 1/2.
LogicalResult importHardSwish(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  Builder &b = n.builder();
  auto gate = n.createTyped<HardSigmoidOp>(input->getType(), *input,
                                           b.getF64FloatAttr(1.0 / 6),
                                           b.getF64FloatAttr(0.5));
  if (failed(gate))
    return failure();
  auto result = n.create<MulOp>(*input, *gate);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Celu(x) = alpha * Elu(x / alpha) with Elu's alpha 1.
LogicalResult importCelu(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  double alpha = n.floatAttr("alpha", 1.0);
  Type elementType = cast<RankedTensorType>(input->getType()).getElementType();
  auto scaled = n.create<DivOp>(*input, n.scalar(alpha, elementType));
  if (failed(scaled))
    return failure();
  auto elu = n.createTyped<EluOp>(scaled->getType(), *scaled,
                                  n.builder().getF64FloatAttr(1.0));
  if (failed(elu))
    return failure();
  auto result = n.create<MulOp>(*elu, n.scalar(alpha, elementType));
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Shrink: x < -lambd ? x + bias : (x > lambd ? x - bias : 0).
LogicalResult importShrink(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  double lambd = n.floatAttr("lambd", 0.5), bias = n.floatAttr("bias", 0.0);
  Type t = cast<RankedTensorType>(input->getType()).getElementType();
  auto below = n.create<LessOp>(*input, n.scalar(-lambd, t));
  auto above = n.create<GreaterOp>(*input, n.scalar(lambd, t));
  auto plus = n.create<AddOp>(*input, n.scalar(bias, t));
  auto minus = n.create<SubOp>(*input, n.scalar(bias, t));
  if (failed(below) || failed(above) || failed(plus) || failed(minus))
    return failure();
  auto upper = n.create<WhereOp>(*above, *minus, n.scalar(0, t));
  if (failed(upper))
    return failure();
  auto result = n.create<WhereOp>(*below, *plus, *upper);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

LogicalResult importBitShift(NodeImporter &n) {
  auto lhs = n.requiredInput(0), rhs = n.requiredInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  Type elementType = n.inputType(0).getElementType();
  if (!isa<IntegerType>(elementType) || elementType.isInteger(1))
    return n.error("input 0 (X)", "BitShift takes integers");
  if (n.inputType(1).getElementType() != elementType)
    return n.error("input 1 (Y)", "must have the element type of X");
  std::string direction = n.stringAttr("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return n.error("attribute 'direction'", "must be LEFT or RIGHT");
  auto result = n.create<BitShiftOp>(*lhs, *rhs, direction == "LEFT");
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// OneHot: where(indices[..., None at axis] == iota(depth), on, off).
LogicalResult importOneHot(NodeImporter &n) {
  auto indices = n.requiredInput(0);
  if (failed(indices))
    return failure();
  auto depth = n.constantScalar(1, "depth");
  if (failed(depth))
    return failure();
  DenseElementsAttr values = n.constantInput(2);
  if (!values || values.getNumElements() != 2)
    return n.error("input 2 (values)", "must be a constant [off, on] pair");
  auto indexType = n.inputType(0);
  int64_t rank = indexType.getRank() + 1;
  auto axis = n.normalizeAxis(n.intAttr("axis", -1), rank, "attribute 'axis'");
  if (failed(axis))
    return failure();
  Builder &b = n.builder();
  Type i64 = b.getI64Type();
  auto asI64 = n.createTyped<CastOp>(indexType.clone(i64), *indices);
  if (failed(asI64))
    return failure();
  // Negative indices count from depth.
  int64_t d = static_cast<int64_t>(*depth);
  auto negative = n.create<LessOp>(*asI64, n.scalar(0, i64));
  auto wrapped = n.create<AddOp>(*asI64, n.scalar(d, i64));
  if (failed(negative) || failed(wrapped))
    return failure();
  auto normalized = n.create<WhereOp>(*negative, *wrapped, *asI64);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape(indexType.getShape());
  shape.insert(shape.begin() + *axis, 1);
  auto expanded = n.reshape(*normalized, shape);
  if (failed(expanded))
    return failure();
  SmallVector<int64_t> iotaShape(rank, 1), iota;
  iotaShape[*axis] = d;
  for (int64_t i = 0; i < d; ++i)
    iota.push_back(i);
  auto hit = n.create<EqualOp>(*expanded, n.constantInts(iota, iotaShape, i64));
  if (failed(hit))
    return failure();
  auto scalarType = RankedTensorType::get({}, values.getElementType());
  auto valueList = llvm::to_vector(values.getValues<Attribute>());
  Value off = n.constant(DenseElementsAttr::get(scalarType, valueList[0]));
  Value on = n.constant(DenseElementsAttr::get(scalarType, valueList[1]));
  auto result = n.create<WhereOp>(*hit, on, off);
  if (failed(result))
    return failure();
  n.setOutput(0, *result);
  return success();
}

/// Identity, and Dropout at inference (its mask is all true).
LogicalResult importIdentity(NodeImporter &n) {
  auto input = n.requiredInput(0);
  if (failed(input))
    return failure();
  if (n.proto().op_type() == "Dropout") {
    if (n.input(2)) {
      DenseElementsAttr training = n.constantInput(2);
      if (!training)
        return n.error("input 2 (training_mode)",
                       "must be a constant false: kiln compiles inference");
      if (training.getSplatValue<bool>()) {
        // Training mode drops nothing only with a ratio of 0.
        if (!n.input(1))
          return n.error("input 2 (training_mode)",
                         "training-mode dropout (ratio 0.5) is random: kiln "
                         "compiles inference");
        auto ratio = n.constantScalar(1, "ratio");
        if (failed(ratio))
          return failure();
        if (*ratio != 0)
          return n.error("input 2 (training_mode)",
                         "training-mode dropout with a ratio above 0 is "
                         "random: kiln compiles inference");
      }
    }
    if (n.wantsOutput(1)) {
      auto type = cast<RankedTensorType>(input->getType());
      n.setOutput(1, n.constant(DenseElementsAttr::get(
                         type.clone(n.builder().getI1Type()), true)));
    }
  }
  n.setOutput(0, *input);
  return success();
}

} // namespace

void registerElementwiseImporters(OpImporterTable &t) {
  t["Add"] = importBinary<AddOp>;
  t["Sub"] = importBinary<SubOp>;
  t["Mul"] = importBinary<MulOp>;
  t["Div"] = importBinary<DivOp>;
  t["Pow"] = importBinary<PowOp>;
  t["PRelu"] = importBinary<PReluOp>;
  t["Equal"] = importBinary<EqualOp>;
  t["Less"] = importBinary<LessOp>;
  t["LessOrEqual"] = importBinary<LessEqualOp>;
  t["Greater"] = importBinary<GreaterOp>;
  t["GreaterOrEqual"] = importBinary<GreaterEqualOp>;
  t["And"] = importBinary<AndOp>;
  t["Or"] = importBinary<OrOp>;
  t["Xor"] = importBinary<XorOp>;
  t["Max"] = importVariadic<MaxOp>;
  t["Min"] = importVariadic<MinOp>;
  t["Sum"] = importVariadic<AddOp>;
  t["Mean"] = importMean;
  t["Mod"] = importMod;
  t["Where"] = importWhere;
  t["Neg"] = importUnary<NegOp>;
  t["Abs"] = importUnary<AbsOp>;
  t["Sqrt"] = importUnary<SqrtOp>;
  t["Exp"] = importUnary<ExpOp>;
  t["Log"] = importUnary<LogOp>;
  t["Reciprocal"] = importUnary<ReciprocalOp>;
  t["Floor"] = importUnary<FloorOp>;
  t["Ceil"] = importUnary<CeilOp>;
  t["Round"] = importUnary<RoundOp>;
  t["Sign"] = importUnary<SignOp>;
  t["Erf"] = importUnary<ErfOp>;
  t["Sin"] = importUnary<SinOp>;
  t["Cos"] = importUnary<CosOp>;
  t["Tan"] = importUnary<TanOp>;
  t["Asin"] = importUnary<AsinOp>;
  t["Acos"] = importUnary<AcosOp>;
  t["Atan"] = importUnary<AtanOp>;
  t["Sinh"] = importUnary<SinhOp>;
  t["Cosh"] = importUnary<CoshOp>;
  t["Asinh"] = importUnary<AsinhOp>;
  t["Acosh"] = importUnary<AcoshOp>;
  t["Atanh"] = importUnary<AtanhOp>;
  t["Not"] = importUnary<NotOp>;
  t["Relu"] = importUnary<ReluOp>;
  t["Sigmoid"] = importUnary<SigmoidOp>;
  t["Tanh"] = importUnary<TanhOp>;
  t["Softplus"] = importUnary<SoftplusOp>;
  t["Softsign"] = importUnary<SoftsignOp>;
  t["IsNaN"] = [](NodeImporter &n) -> LogicalResult {
    auto input = n.requiredInput(0);
    if (failed(input))
      return failure();
    auto type = cast<RankedTensorType>(input->getType());
    auto result =
        n.createTyped<IsNaNOp>(type.clone(n.builder().getI1Type()), *input);
    if (failed(result))
      return failure();
    n.setOutput(0, *result);
    return success();
  };
  t["LeakyRelu"] = [](NodeImporter &n) {
    return importUnaryWith<LeakyReluOp>(n, std::pair{"alpha", 0.01});
  };
  t["Elu"] = [](NodeImporter &n) {
    return importUnaryWith<EluOp>(n, std::pair{"alpha", 1.0});
  };
  t["Selu"] = [](NodeImporter &n) {
    return importUnaryWith<SeluOp>(n, std::pair{"alpha", 1.67326319217681884765625},
                                   std::pair{"gamma", 1.05070102214813232421875});
  };
  t["HardSigmoid"] = [](NodeImporter &n) {
    return importUnaryWith<HardSigmoidOp>(n, std::pair{"alpha", 0.2},
                                          std::pair{"beta", 0.5});
  };
  t["ThresholdedRelu"] = [](NodeImporter &n) {
    return importUnaryWith<ThresholdedReluOp>(n, std::pair{"alpha", 1.0});
  };
  t["HardSwish"] = importHardSwish;
  t["Celu"] = importCelu;
  t["BitShift"] = importBitShift;
  t["OneHot"] = importOneHot;
  t["Shrink"] = importShrink;
  t["Clip"] = importClip;
  t["Cast"] = importCast;
  t["CastLike"] = importCastLike;
  t["BitCast"] = importBitCast;
  t["Identity"] = importIdentity;
  t["Dropout"] = importIdentity;
}

} // namespace kiln::onnx_frontend
