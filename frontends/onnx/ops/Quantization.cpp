//===- Quantization.cpp - Import of ONNX quantization ops -----------------===//
//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger and
// QLinearMatMul decompose into casts, elementwise ops and matmuls, in the
// order and precision of the ONNX reference implementation: integer
// products in i32, requantization scales in f64 (NumPy promotes int32 times
// float32 to float64), rounding half to even.
//
//===----------------------------------------------------------------------===//
#include "frontends/onnx/ops/Compose.h"

using namespace mlir;
using namespace kiln::nn;

namespace kiln::onnx_frontend {

namespace {

bool isNarrowFloat(Type t) {
  return isa<FloatType>(t) && t.getIntOrFloatBitWidth() <= 8;
}

/// The [lo, hi] range of an integer quantized type.
std::pair<int64_t, int64_t> intRange(Type t) {
  unsigned w = t.getIntOrFloatBitWidth();
  if (t.isUnsignedInteger())
    return {0, (int64_t(1) << w) - 1};
  return {-(int64_t(1) << (w - 1)), (int64_t(1) << (w - 1)) - 1};
}

/// The normalized `axis` attribute (default 1), if in range.
std::optional<int64_t> quantAxis(NodeImporter &n, int64_t rank) {
  int64_t axis = n.intAttr("axis", 1);
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

/// A scale or zero point made broadcastable to `shape`: a scalar (or one
/// element) as is, a 1-D tensor along `axis`, a blocked one (the input's
/// rank, ceil(dim / block) along `axis`) repeated block times.
Value quantParameter(Composer &c, Value v, ArrayRef<int64_t> shape,
                     std::optional<int64_t> maybeAxis, int64_t blockSize,
                     StringRef field) {
  if (!c.ok())
    return {};
  auto type = Composer::typeOf(v);
  int64_t rank = shape.size();
  if (type.getNumElements() == 1)
    return c.reshape(v, {});
  if (!maybeAxis)
    return c.fail("attribute 'axis'",
                  "out of range for rank " + Twine(rank) + " (" + field +
                      " is per axis)");
  int64_t axis = *maybeAxis;
  if (blockSize <= 0) {
    if (type.getRank() != 1 || type.getDimSize(0) != shape[axis])
      return c.fail(field, "must be a scalar or hold one value per element "
                           "of axis " + Twine(axis));
    SmallVector<int64_t> s(rank, 1);
    s[axis] = shape[axis];
    return c.reshape(v, s);
  }
  if (type.getRank() != rank)
    return c.fail(field, "must have the input's rank for blocked "
                         "quantization");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t want = d == axis ? (shape[d] + blockSize - 1) / blockSize : shape[d];
    if (type.getDimSize(d) != want)
      return c.fail(field, "has dimension " + Twine(d) + " of " +
                               Twine(type.getDimSize(d)) + ", expected " +
                               Twine(want));
  }
  SmallVector<int64_t> idx;
  for (int64_t i = 0; i < shape[axis]; ++i)
    idx.push_back(i / blockSize);
  Value indices = c.ints(idx, {shape[axis]}, c.builder().getI64Type());
  return c.make<GatherOp>(v, indices, c.builder().getI64IntegerAttr(axis));
}

/// QuantizeLinear: saturate(round(x / scale) + zero_point) for integer
/// targets; a (saturating) cast of x / scale for the float8 ones.
LogicalResult importQuantizeLinear(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  auto xType = n.inputType(0);
  if (!isa<FloatType>(xType.getElementType()))
    return n.error("input 0 (x)", "must be a floating-point tensor");
  Value zp = n.input(2);
  Type target;
  if (int64_t dt = n.intAttr("output_dtype", 0)) {
    target = elementTypeOf(dt, n.context());
    if (!target)
      return n.error("attribute 'output_dtype'",
                     "unsupported data type " + Twine(dt));
    if (zp && cast<RankedTensorType>(zp.getType()).getElementType() != target)
      return n.error("attribute 'output_dtype'",
                     "differs from the zero point's type");
  } else {
    target = zp ? cast<RankedTensorType>(zp.getType()).getElementType()
                : IntegerType::get(n.context(), 8, IntegerType::Unsigned);
  }
  bool targetInt = target.isInteger() && !target.isInteger(1) &&
                   target.getIntOrFloatBitWidth() <= 16;
  if (!targetInt && !isNarrowFloat(target))
    return n.error("output", "quantized type must be an integer of at most 16 "
                             "bits or a narrow float");
  // The axis matters only for per-axis and blocked parameters.
  std::optional<int64_t> axis = quantAxis(n, xType.getRank());
  int64_t block = n.intAttr("block_size", 0);
  if (block < 0)
    return n.error("attribute 'block_size'", "must not be negative");
  Composer c(n);
  auto shape = xType.getShape();
  Value s = quantParameter(c, *scale, shape, axis, block, "input 1 (y_scale)");
  Value z = zp ? quantParameter(c, zp, shape, axis, block,
                                "input 2 (y_zero_point)")
               : Value();
  if (!c.ok())
    return failure();
  // The division's type: `precision`, else NumPy's promotion of x and scale.
  Type xt = xType.getElementType(), st = Composer::elementTypeOf(s);
  Type ct = xt.getIntOrFloatBitWidth() >= st.getIntOrFloatBitWidth() ? xt : st;
  if (int64_t p = n.intAttr("precision", 0)) {
    ct = elementTypeOf(p, n.context());
    if (!ct || !isa<FloatType>(ct))
      return n.error("attribute 'precision'", "must be a float data type");
  }
  Value scaled = c.div(c.cast(*x, ct), c.cast(s, ct));
  Value y;
  if (targetInt) {
    Type i32 = n.builder().getI32Type();
    Value q = c.cast(c.unary<RoundOp>(scaled), i32);
    if (z)
      q = c.add(q, c.cast(z, i32));
    auto [lo, hi] = intRange(target);
    q = c.min(c.max(q, c.scalar(lo, i32)), c.scalar(hi, i32));
    y = c.cast(q, target);
  } else {
    if (z && isa<Float4E2M1FNType>(target))
      scaled = c.add(scaled, c.cast(z, ct));
    Value r = c.cast(scaled, ct);
    y = c.makeTyped<CastOp>(Composer::typeOf(r).clone(target), r,
                            n.intAttr("saturate", 1) != 0, RoundMode::Up);
  }
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// DequantizeLinear: (x - zero_point) * scale in f32, cast to the scale's
/// type (or output_dtype).
LogicalResult importDequantizeLinear(NodeImporter &n) {
  auto x = n.requiredInput(0), scale = n.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  auto xType = n.inputType(0);
  Type xt = xType.getElementType();
  if (!(isa<IntegerType>(xt) && !xt.isInteger(1)) && !isNarrowFloat(xt))
    return n.error("input 0 (x)", "must be a quantized (integer or narrow "
                                  "float) tensor");
  // The axis matters only for per-axis and blocked parameters.
  std::optional<int64_t> axis = quantAxis(n, xType.getRank());
  int64_t block = n.intAttr("block_size", 0);
  Type out = n.inputType(1).getElementType();
  if (int64_t dt = n.intAttr("output_dtype", 0)) {
    out = elementTypeOf(dt, n.context());
    if (!out || !isa<FloatType>(out))
      return n.error("attribute 'output_dtype'", "must be a float data type");
  }
  Composer c(n);
  Type f32 = n.builder().getF32Type();
  auto shape = xType.getShape();
  Value dx = c.cast(*x, f32);
  if (Value zp = n.input(2); zp && !isNarrowFloat(xt)) {
    if (cast<RankedTensorType>(zp.getType()).getElementType() != xt)
      return n.error("input 2 (x_zero_point)", "must have the type of x");
    dx = c.sub(dx, c.cast(quantParameter(c, zp, shape, axis, block,
                                         "input 2 (x_zero_point)"),
                          f32));
  }
  Value s = quantParameter(c, *scale, shape, axis, block, "input 1 (x_scale)");
  Value y = c.cast(c.mul(dx, c.cast(s, f32)), out);
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

/// DynamicQuantizeLinear: uint8 quantization with the scale and zero point
/// of the input's range (including 0).
LogicalResult importDynamicQuantizeLinear(NodeImporter &n) {
  auto x = n.requiredInput(0);
  if (failed(x))
    return failure();
  auto type = n.inputType(0);
  if (!type.getElementType().isF32())
    return n.error("input 0 (x)", "must be a float32 tensor");
  Composer c(n);
  Type f32 = n.builder().getF32Type();
  Type u8 = IntegerType::get(n.context(), 8, IntegerType::Unsigned);
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  Value zero = c.scalar(0, f32);
  Value maxx = c.max(c.reduce(*x, ReduceKind::Max, all, false), zero);
  Value minx = c.min(c.reduce(*x, ReduceKind::Min, all, false), zero);
  Value range = c.sub(maxx, minx);
  Value same = c.eq(maxx, minx);
  Value scale = c.div(c.where(same, c.scalar(1, f32), range), c.scalar(255, f32));
  Value zp0 = c.sub(zero, c.div(minx, scale));
  Value zp = c.unary<RoundOp>(c.min(c.max(zp0, zero), c.scalar(255, f32)));
  Value y = c.add(c.unary<RoundOp>(c.div(*x, scale)), zp);
  y = c.min(c.max(y, zero), c.scalar(255, f32));
  Value yq = c.cast(y, u8);
  Value zq = c.cast(zp, u8);
  if (!c.ok())
    return failure();
  n.setOutput(0, yq);
  n.setOutput(1, scale);
  n.setOutput(2, zq);
  return success();
}

/// A MatMul of operands of rank >= 1 (ONNX's 1-D operands reshaped).
Value onnxMatMul(Composer &c, Value a, Value b) {
  if (!c.ok())
    return {};
  auto aShape = Composer::typeOf(a).getShape();
  auto bShape = Composer::typeOf(b).getShape();
  if (aShape.size() >= 2 && bShape.size() >= 2)
    return c.matmul(a, b);
  return c.fail("inputs", "1-D operands are not supported here");
}

LogicalResult importMatMulInteger(NodeImporter &n) {
  auto a = n.requiredInput(0), b = n.requiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  Composer c(n);
  Value y = onnxMatMul(c, minusZeroPoint(c, *a, n.input(2)),
                       minusZeroPoint(c, *b, n.input(3)));
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

} // namespace

/// rint(acc * (s1 * s2 / sy) + zy) clipped to the output type, in f64
/// (QLinearMatMul, QLinearConv).
Value requantize(Composer &c, Value acc, Value s1, Value s2, Value sy, Value zy,
                 Type out) {
  Type f64 = c.builder().getF64Type();
  Value factor = c.cast(c.div(c.mul(s1, s2), sy), f64);
  Value d = c.mul(c.cast(acc, f64), factor);
  if (zy)
    d = c.add(d, c.cast(zy, f64));
  auto [lo, hi] = intRange(out);
  d = c.unary<RoundOp>(c.min(c.max(d, c.scalar(lo, f64)), c.scalar(hi, f64)));
  return c.cast(d, out);
}

/// `v` - `zeroPoint` in i32 (the zero point broadcasting as given).
Value minusZeroPoint(Composer &c, Value v, Value zeroPoint) {
  Type i32 = c.builder().getI32Type();
  Value r = c.cast(v, i32);
  if (zeroPoint)
    r = c.sub(r, c.cast(zeroPoint, i32));
  return r;
}

namespace {

LogicalResult importQLinearMatMul(NodeImporter &n) {
  SmallVector<Value> in;
  for (size_t i = 0; i < 8; ++i) {
    auto v = n.requiredInput(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  Composer c(n);
  Value acc = onnxMatMul(c, minusZeroPoint(c, in[0], in[2]),
                         minusZeroPoint(c, in[3], in[5]));
  Type out = Composer::elementTypeOf(in[7]);
  Value y = requantize(c, acc, in[1], in[4], in[6], in[7], out);
  if (!c.ok())
    return failure();
  n.setOutput(0, y);
  return success();
}

} // namespace

void registerQuantizationImporters(OpImporterTable &t) {
  t["QuantizeLinear"] = importQuantizeLinear;
  t["DequantizeLinear"] = importDequantizeLinear;
  t["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  t["MatMulInteger"] = importMatMulInteger;
  t["QLinearMatMul"] = importQLinearMatMul;
}

} // namespace kiln::onnx_frontend
