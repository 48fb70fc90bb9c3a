//===- StructuredBuilders.h - linalg building blocks ------------*- C++ -*-===//
//
// The few linalg/tensor constructions that several nn lowerings share.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_PASSES_NNTOLINALG_STRUCTUREDBUILDERS_H
#define KILN_PASSES_NNTOLINALG_STRUCTUREDBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace kiln {

using ScalarBodyFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// A linalg.generic computing `body` elementwise over `inputs`, which
/// broadcast (NumPy rules) to `resultType`.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange inputs, ScalarBodyFn body);

/// A tensor of `type` filled with `value`.
mlir::Value buildFilled(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type, mlir::Value value);

/// `value` reshaped to `type` (same element count), through collapse and
/// expand so that bufferization produces views, not copies.
mlir::Value buildReshape(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value value, mlir::RankedTensorType type);

/// The broadcasting indexing map of an operand of `shape` in a loop nest
/// over `resultShape`.
mlir::AffineMap broadcastMap(mlir::MLIRContext *context,
                             llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<int64_t> resultShape);

/// `value` padded with `padValue`: low[i] and high[i] elements before and
/// after axis i. Returns `value` when nothing is padded.
mlir::Value buildPadded(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value value, llvm::ArrayRef<int64_t> low,
                        llvm::ArrayRef<int64_t> high, mlir::Value padValue);

/// Reduces `input` over the sorted `axes` with `combine(acc, x)` from
/// `init`; the result drops the reduced axes.
mlir::Value buildReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
    llvm::ArrayRef<int64_t> axes, mlir::Value init,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value, mlir::Value)>
        combine);

/// The initial accumulator of a convolution, of `accType` [N, F, ...]: the
/// bias [F] broadcast over the other axes, or `zero` when there is no bias.
mlir::Value buildBiasInit(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value bias, mlir::RankedTensorType accType,
                          mlir::Value zero);

/// The initial accumulator of a grouped convolution, of `accType`
/// [N, G, F/G, ...]: the bias [F] broadcast over the other axes, or `zero`
/// when there is no bias.
mlir::Value buildGroupedBiasInit(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value bias,
                                 mlir::RankedTensorType accType,
                                 mlir::Value zero);

/// An index read from a tensor of indices (gather, scatter), made an
/// `index` in [0, extent): negative values count from the end; out-of-range
/// ones are clamped rather than read or written out of bounds.
mlir::Value normalizedIndex(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value raw, bool isUnsigned, int64_t extent);

/// The converted (signless) type of an nn tensor type.
mlir::RankedTensorType convertedType(const mlir::TypeConverter &converter,
                                     mlir::Type nnType);

} // namespace kiln

#endif // KILN_PASSES_NNTOLINALG_STRUCTUREDBUILDERS_H
