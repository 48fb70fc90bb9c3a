//===- Activation.cpp - Import of newer ONNX activations and bitwise ops --===//
//
// Gelu, Mish, Swish, SwiGLU, IsInf and the Bitwise ops decompose into
// existing elementwise nn ops, which the lowering fuses into one loop.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/ops/Compose.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {
namespace {

LogicalResult finish(NodeImporter &n, Composer &c, Value result) {
  if (!c.ok() || !result)
    return failure();
  n.setOutput(0, result);
  return success();
}

FailureOr<Value> floatInput(NodeImporter &n, size_t i, StringRef name) {
  auto input = n.requiredInput(i);
  if (failed(input))
    return failure();
  if (!isa<FloatType>(n.inputType(i).getElementType()))
    return static_cast<LogicalResult>(n.error(
        "input " + Twine(i) + " (" + name + ")",
        "must be a floating-point tensor"));
  return *input;
}

/// Gelu: 0.5 x (1 + erf(x / sqrt 2)), or with approximate = "tanh"
/// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
LogicalResult importGelu(NodeImporter &n) {
  auto x = floatInput(n, 0, "X");
  if (failed(x))
    return failure();
  std::string approximate = n.stringAttr("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return n.error("attribute 'approximate'",
                   "must be 'none' or 'tanh', got '" + approximate + "'");
  Composer c(n);
  Type t = Composer::elementTypeOf(*x);
  Value inner;
  if (approximate == "none") {
    inner = c.unary<ErfOp>(c.mul(*x, c.scalar(1.0 / std::sqrt(2.0), t)));
  } else {
    Value cube = c.mul(c.mul(*x, *x), *x);
    Value arg = c.mul(c.add(*x, c.mul(cube, c.scalar(0.044715, t))),
                      c.scalar(std::sqrt(2.0 / M_PI), t));
    inner = c.unary<TanhOp>(arg);
  }
  Value y = c.mul(c.mul(*x, c.scalar(0.5, t)), c.add(inner, c.scalar(1, t)));
  return finish(n, c, y);
}

/// Mish: x * tanh(softplus(x)).
LogicalResult importMish(NodeImporter &n) {
  auto x = floatInput(n, 0, "X");
  if (failed(x))
    return failure();
  Composer c(n);
  return finish(n, c,
                c.mul(*x, c.unary<TanhOp>(c.unary<SoftplusOp>(*x))));
}

/// x * sigmoid(alpha * x).
Value swish(Composer &c, Value x, double alpha) {
  Type t = Composer::elementTypeOf(x);
  Value scaled = alpha == 1.0 ? x : c.mul(x, c.scalar(alpha, t));
  return c.mul(x, c.unary<SigmoidOp>(scaled));
}

LogicalResult importSwish(NodeImporter &n) {
  auto x = floatInput(n, 0, "X");
  if (failed(x))
    return failure();
  Composer c(n);
  return finish(n, c, swish(c, *x, n.floatAttr("alpha", 1.0)));
}

/// SwiGLU: Swish_alpha(A) * B, A and B of one shape.
LogicalResult importSwiGLU(NodeImporter &n) {
  auto a = floatInput(n, 0, "A"), b = floatInput(n, 1, "B");
  if (failed(a) || failed(b))
    return failure();
  if (a->getType() != b->getType())
    return n.error("inputs 0, 1 (A, B)", "must have the same type and shape");
  Composer c(n);
  return finish(n, c, c.mul(swish(c, *a, n.floatAttr("alpha", 1.0)), *b));
}

/// IsInf: x == +inf (detect_positive) or x == -inf (detect_negative).
LogicalResult importIsInf(NodeImporter &n) {
  auto x = floatInput(n, 0, "X");
  if (failed(x))
    return failure();
  bool positive = n.intAttr("detect_positive", 1) != 0;
  bool negative = n.intAttr("detect_negative", 1) != 0;
  Composer c(n);
  Type t = Composer::elementTypeOf(*x);
  double inf = std::numeric_limits<double>::infinity();
  Value result;
  if (positive)
    result = c.eq(*x, c.scalar(inf, t));
  if (negative) {
    Value isNeg = c.eq(*x, c.scalar(-inf, t));
    result = result ? c.logicalOr(result, isNeg) : isNeg;
  }
  if (!result) {
    // Neither sign is detected: all false.
    auto type = n.inputType(0);
    result = n.constant(DenseElementsAttr::get(
        type.clone(n.builder().getI1Type()), false));
  }
  return finish(n, c, result);
}

FailureOr<Value> integerInput(NodeImporter &n, size_t i) {
  auto input = n.requiredInput(i);
  if (failed(input))
    return failure();
  auto type = n.inputType(i).getElementType();
  if (!isa<IntegerType>(type) || type.isInteger(1))
    return static_cast<LogicalResult>(
        n.error("input " + Twine(i), "must be an integer tensor"));
  return *input;
}

template <typename OpTy> LogicalResult importBitwise(NodeImporter &n) {
  auto a = integerInput(n, 0), b = integerInput(n, 1);
  if (failed(a) || failed(b))
    return failure();
  if (n.inputType(0).getElementType() != n.inputType(1).getElementType())
    return n.error("inputs 0, 1", "must have the same element type");
  Composer c(n);
  return finish(n, c, c.make<OpTy>(*a, *b));
}

/// BitwiseNot: x xor all-ones.
LogicalResult importBitwiseNot(NodeImporter &n) {
  auto x = integerInput(n, 0);
  if (failed(x))
    return failure();
  Composer c(n);
  Value ones = c.scalar(-1, n.inputType(0).getElementType());
  return finish(n, c, c.make<XorOp>(*x, ones));
}

} // namespace

void registerActivationImporters(OpImporterTable &t) {
  t["Gelu"] = importGelu;
  t["Mish"] = importMish;
  t["Swish"] = importSwish;
  t["SwiGLU"] = importSwiGLU;
  t["IsInf"] = importIsInf;
  t["BitwiseAnd"] = importBitwise<AndOp>;
  t["BitwiseOr"] = importBitwise<OrOp>;
  t["BitwiseXor"] = importBitwise<XorOp>;
  t["BitwiseNot"] = importBitwiseNot;
}

} // namespace kiln::onnx_frontend
