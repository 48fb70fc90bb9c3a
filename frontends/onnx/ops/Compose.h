//===- Compose.h - Terse nn op building for decomposing importers -*- C++ -*-===//
//
// Importers that decompose an ONNX op into many nn ops (Attention,
// RotaryEmbedding, the normalizations, DFT, ...) build through a Composer:
// every method returns a Value, null once anything has failed (the failure
// is already reported by the NodeImporter, naming the node), so that a
// decomposition reads as straight-line code and checks ok() once at the end.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_ONNX_OPS_COMPOSE_H
#define KILN_FRONTENDS_ONNX_OPS_COMPOSE_H

#include "frontends/onnx/NodeImporter.h"

namespace kiln::onnx_frontend {

class Composer {
public:
  explicit Composer(NodeImporter &n) : n(n), b(n.builder()) {}

  bool ok() const { return !failedFlag; }
  NodeImporter &importer() { return n; }
  mlir::Builder &builder() { return b; }

  /// Marks the composition failed with an error on `field`.
  mlir::Value fail(const llvm::Twine &field, const llvm::Twine &message) {
    if (!failedFlag)
      (void)n.error(field, message);
    failedFlag = true;
    return {};
  }

  /// Any inferred nn op.
  template <typename OpTy, typename... Args>
  mlir::Value make(Args &&...args) {
    if (failedFlag)
      return {};
    auto r = n.create<OpTy>(std::forward<Args>(args)...);
    return take(r);
  }
  /// Any nn op with an explicit result type.
  template <typename OpTy, typename... Args>
  mlir::Value makeTyped(mlir::Type type, Args &&...args) {
    if (failedFlag)
      return {};
    auto r = n.createTyped<OpTy>(type, std::forward<Args>(args)...);
    return take(r);
  }
  /// A unary op of the operand's type.
  template <typename OpTy> mlir::Value unary(mlir::Value v) {
    if (failedFlag)
      return {};
    return makeTyped<OpTy>(v.getType(), v);
  }

  mlir::Value add(mlir::Value x, mlir::Value y) { return make<nn::AddOp>(x, y); }
  mlir::Value sub(mlir::Value x, mlir::Value y) { return make<nn::SubOp>(x, y); }
  mlir::Value mul(mlir::Value x, mlir::Value y) { return make<nn::MulOp>(x, y); }
  mlir::Value div(mlir::Value x, mlir::Value y) { return make<nn::DivOp>(x, y); }
  mlir::Value max(mlir::Value x, mlir::Value y) { return make<nn::MaxOp>(x, y); }
  mlir::Value min(mlir::Value x, mlir::Value y) { return make<nn::MinOp>(x, y); }
  mlir::Value pow(mlir::Value x, mlir::Value y) { return make<nn::PowOp>(x, y); }
  mlir::Value eq(mlir::Value x, mlir::Value y) { return make<nn::EqualOp>(x, y); }
  mlir::Value lt(mlir::Value x, mlir::Value y) { return make<nn::LessOp>(x, y); }
  mlir::Value le(mlir::Value x, mlir::Value y) {
    return make<nn::LessEqualOp>(x, y);
  }
  mlir::Value gt(mlir::Value x, mlir::Value y) { return make<nn::GreaterOp>(x, y); }
  mlir::Value ge(mlir::Value x, mlir::Value y) {
    return make<nn::GreaterEqualOp>(x, y);
  }
  mlir::Value logicalAnd(mlir::Value x, mlir::Value y) {
    return make<nn::AndOp>(x, y);
  }
  mlir::Value logicalOr(mlir::Value x, mlir::Value y) {
    return make<nn::OrOp>(x, y);
  }
  mlir::Value where(mlir::Value c, mlir::Value x, mlir::Value y) {
    return make<nn::WhereOp>(c, x, y);
  }

  mlir::Value cast(mlir::Value v, mlir::Type elementType) {
    if (failedFlag)
      return {};
    auto type = mlir::cast<mlir::RankedTensorType>(v.getType());
    if (type.getElementType() == elementType)
      return v;
    return makeTyped<nn::CastOp>(type.clone(elementType), v);
  }
  mlir::Value reshape(mlir::Value v, llvm::ArrayRef<int64_t> shape) {
    if (failedFlag)
      return {};
    auto r = n.reshape(v, shape);
    return take(r);
  }
  mlir::Value transpose(mlir::Value v, llvm::ArrayRef<int64_t> perm) {
    return make<nn::TransposeOp>(v, b.getDenseI64ArrayAttr(perm));
  }
  mlir::Value matmul(mlir::Value x, mlir::Value y) {
    return make<nn::MatMulOp>(x, y);
  }
  mlir::Value reduce(mlir::Value v, nn::ReduceKind kind,
                     llvm::ArrayRef<int64_t> axes, bool keepdims = true) {
    return make<nn::ReduceOp>(v, nn::ReduceKindAttr::get(b.getContext(), kind),
                              b.getDenseI64ArrayAttr(axes),
                              b.getBoolAttr(keepdims));
  }
  mlir::Value softmax(mlir::Value v, int64_t axis) {
    return make<nn::SoftmaxOp>(v, b.getI64IntegerAttr(axis),
                               b.getBoolAttr(false));
  }
  mlir::Value concat(mlir::ValueRange values, int64_t axis) {
    if (values.size() == 1)
      return values.front();
    return make<nn::ConcatOp>(values, b.getI64IntegerAttr(axis));
  }
  mlir::Value slice(mlir::Value v, llvm::ArrayRef<int64_t> starts,
                    llvm::ArrayRef<int64_t> sizes,
                    llvm::ArrayRef<int64_t> steps) {
    return make<nn::SliceOp>(v, b.getDenseI64ArrayAttr(starts),
                             b.getDenseI64ArrayAttr(sizes),
                             b.getDenseI64ArrayAttr(steps));
  }
  /// `size` elements from `start` (step `step`) along `axis`, all of the
  /// other axes.
  mlir::Value sliceAxis(mlir::Value v, int64_t axis, int64_t start,
                        int64_t size, int64_t step = 1) {
    if (failedFlag)
      return {};
    auto shape = mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
    llvm::SmallVector<int64_t> starts(shape.size(), 0), sizes(shape),
        steps(shape.size(), 1);
    starts[axis] = start;
    sizes[axis] = size;
    steps[axis] = step;
    return slice(v, starts, sizes, steps);
  }
  mlir::Value broadcast(mlir::Value v, llvm::ArrayRef<int64_t> shape) {
    if (failedFlag)
      return {};
    auto type = mlir::cast<mlir::RankedTensorType>(v.getType());
    if (type.getShape() == shape)
      return v;
    return makeTyped<nn::BroadcastOp>(type.clone(shape), v);
  }

  /// A rank-0 constant.
  mlir::Value scalar(double value, mlir::Type elementType) {
    return n.scalar(value, elementType);
  }
  /// A float constant of `elementType` and `shape`.
  mlir::Value floats(llvm::ArrayRef<double> values,
                     llvm::ArrayRef<int64_t> shape, mlir::Type elementType) {
    llvm::SmallVector<mlir::Attribute> attrs;
    for (double v : values)
      attrs.push_back(mlir::FloatAttr::get(elementType, v));
    return n.constant(mlir::DenseElementsAttr::get(
        mlir::RankedTensorType::get(shape, elementType), attrs));
  }
  mlir::Value ints(llvm::ArrayRef<int64_t> values,
                   llvm::ArrayRef<int64_t> shape, mlir::Type elementType) {
    return n.constantInts(values, shape, elementType);
  }
  /// 0, 1, ..., count - 1 (i64) laid along `axis` of a rank-`rank` shape of
  /// ones.
  mlir::Value iota(int64_t count, int64_t rank, int64_t axis) {
    llvm::SmallVector<int64_t> values, shape(rank, 1);
    for (int64_t i = 0; i < count; ++i)
      values.push_back(i);
    shape[axis] = count;
    return ints(values, shape, b.getI64Type());
  }

  static mlir::RankedTensorType typeOf(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType());
  }
  static mlir::Type elementTypeOf(mlir::Value v) {
    return typeOf(v).getElementType();
  }

private:
  mlir::Value take(mlir::FailureOr<mlir::Value> r) {
    if (mlir::failed(r)) {
      failedFlag = true;
      return {};
    }
    return *r;
  }

  NodeImporter &n;
  mlir::Builder &b;
  bool failedFlag = false;
};

// Shared by the quantized ops (Quantization.cpp, NN.cpp).
/// `v` - `zeroPoint` in i32 (the zero point broadcasting as given).
mlir::Value minusZeroPoint(Composer &c, mlir::Value v, mlir::Value zeroPoint);
/// rint(acc * (s1 * s2 / sy) + zy) clipped to the integer type `out`, with
/// the scale product in the scales' type and the rest in f64 (NumPy's
/// promotion of int32 times float).
mlir::Value requantize(Composer &c, mlir::Value acc, mlir::Value s1,
                       mlir::Value s2, mlir::Value sy, mlir::Value zy,
                       mlir::Type out);

} // namespace kiln::onnx_frontend

#endif // KILN_FRONTENDS_ONNX_OPS_COMPOSE_H
