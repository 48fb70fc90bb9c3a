//===- NNOps.td - nn dialect operations --------------------*- tablegen -*-===//
//
// Shape inference: every op implements InferTypeOpInterface (through
// InferTypeOpAdaptor), so builders need no result types and the verifier
// checks that stated result types match the inferred ones. Ops whose result
// shape is given by the caller (reshape) take the result type explicitly.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_NN_OPS
#define KILN_NN_OPS

include "compiler/ir/NNDialect.td"
include "compiler/ir/NNEnums.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Shape inference and the verifier's check of it, shared by the op classes.
class NN_InferredOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor]>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def NN_ConstantOp : NN_InferredOp<"constant", [ConstantLike]> {
  let summary = "A constant tensor (weights, folded shapes)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// Ops whose result element at each index is a function of the operands'
// elements at that index (after broadcasting) and of attributes alone. One
// pattern lowers them all to a linalg.generic; its scalar body is per op.
def NN_Elementwise : NativeOpTrait<"Elementwise"> {
  let cppNamespace = "::kiln::nn";
}

// Binary ops with NumPy (multidirectional) broadcasting.
class NN_BinaryOp<string mnemonic, string resultKind = "same">
    : NN_InferredOp<mnemonic, [NN_Elementwise]> {
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBroadcastType(loc, adaptor.getLhs().getType(),
                                adaptor.getRhs().getType(),
                                /*boolResult=*/}] # !if(!eq(resultKind, "bool"), "true", "false") # [{,
                                inferred);
    }
  }];
}

def NN_AddOp : NN_BinaryOp<"add"> { let summary = "lhs + rhs"; let hasFolder = 1; }
def NN_SubOp : NN_BinaryOp<"sub"> { let summary = "lhs - rhs"; let hasFolder = 1; }
def NN_MulOp : NN_BinaryOp<"mul"> { let summary = "lhs * rhs"; let hasFolder = 1; }
def NN_DivOp : NN_BinaryOp<"div"> {
  let summary = "lhs / rhs (integers: truncating)";
  let hasFolder = 1;
}
def NN_MaxOp : NN_BinaryOp<"max"> {
  let summary = "max(lhs, rhs), NaN-propagating";
  let hasFolder = 1;
}
def NN_MinOp : NN_BinaryOp<"min"> {
  let summary = "min(lhs, rhs), NaN-propagating";
  let hasFolder = 1;
}
def NN_PowOp : NN_BinaryOp<"pow"> { let summary = "lhs ^ rhs"; }
def NN_ModOp : NN_BinaryOp<"mod"> {
  let summary = "Remainder";
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let description = [{
    With fmod, the result has the sign of lhs (C fmod); otherwise the sign of
    rhs (Python %).
  }];
  let hasFolder = 1;
}
def NN_PReluOp : NN_BinaryOp<"prelu"> {
  let summary = "lhs < 0 ? lhs * rhs : lhs (rhs is the slope)";
}
def NN_BitShiftOp : NN_BinaryOp<"bit_shift"> {
  let summary = "lhs << rhs or lhs >> rhs on integers";
  let description = [{
    Right shifts are logical on unsigned and arithmetic on signed integers.
    A shift amount outside [0, bit width) gives 0 (-1 for a right shift of
    a negative signed value).
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       BoolAttr:$left);
}
def NN_EqualOp : NN_BinaryOp<"equal", "bool"> { let summary = "lhs == rhs"; let hasFolder = 1; }
def NN_LessOp : NN_BinaryOp<"less", "bool"> { let summary = "lhs < rhs"; let hasFolder = 1; }
def NN_LessEqualOp : NN_BinaryOp<"less_equal", "bool"> { let summary = "lhs <= rhs"; let hasFolder = 1; }
def NN_GreaterOp : NN_BinaryOp<"greater", "bool"> { let summary = "lhs > rhs"; let hasFolder = 1; }
def NN_GreaterEqualOp : NN_BinaryOp<"greater_equal", "bool"> { let summary = "lhs >= rhs"; let hasFolder = 1; }
def NN_AndOp : NN_BinaryOp<"and"> {
  let summary = "Bitwise and (logical and of bools)";
  let hasFolder = 1;
}
def NN_OrOp : NN_BinaryOp<"or"> {
  let summary = "Bitwise or (logical or of bools)";
  let hasFolder = 1;
}
def NN_XorOp : NN_BinaryOp<"xor"> {
  let summary = "Bitwise xor (logical xor of bools)";
  let hasFolder = 1;
}

def NN_WhereOp : NN_InferredOp<"where", [NN_Elementwise]> {
  let summary = "condition ? lhs : rhs, with broadcasting of all three";
  let hasFolder = 1;
  let arguments = (ins AnyRankedTensor:$condition, AnyRankedTensor:$lhs,
                       AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// Unary ops whose result has the operand's type.
class NN_UnaryOp<string mnemonic, list<Trait> traits = []>
    : NN_Op<mnemonic, traits # [Pure, SameOperandsAndResultType,
                                NN_Elementwise]> {
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def NN_NegOp : NN_UnaryOp<"neg"> { let summary = "-x"; let hasFolder = 1; }
def NN_AbsOp : NN_UnaryOp<"abs"> { let summary = "|x|"; }
def NN_SqrtOp : NN_UnaryOp<"sqrt"> { let summary = "sqrt(x)"; }
def NN_ExpOp : NN_UnaryOp<"exp"> { let summary = "e^x"; }
def NN_LogOp : NN_UnaryOp<"log"> { let summary = "ln(x)"; }
def NN_ReciprocalOp : NN_UnaryOp<"reciprocal"> { let summary = "1/x"; }
def NN_FloorOp : NN_UnaryOp<"floor"> { let summary = "floor(x)"; }
def NN_CeilOp : NN_UnaryOp<"ceil"> { let summary = "ceil(x)"; }
def NN_RoundOp : NN_UnaryOp<"round"> { let summary = "Round half to even"; }
def NN_SignOp : NN_UnaryOp<"sign"> { let summary = "-1, 0 or 1"; }
def NN_ErfOp : NN_UnaryOp<"erf"> { let summary = "The error function"; }
def NN_SinOp : NN_UnaryOp<"sin"> { let summary = "sin(x)"; }
def NN_CosOp : NN_UnaryOp<"cos"> { let summary = "cos(x)"; }
def NN_TanOp : NN_UnaryOp<"tan"> { let summary = "tan(x)"; }
def NN_AsinOp : NN_UnaryOp<"asin"> { let summary = "asin(x)"; }
def NN_AcosOp : NN_UnaryOp<"acos"> { let summary = "acos(x)"; }
def NN_AtanOp : NN_UnaryOp<"atan"> { let summary = "atan(x)"; }
def NN_SinhOp : NN_UnaryOp<"sinh"> { let summary = "sinh(x)"; }
def NN_CoshOp : NN_UnaryOp<"cosh"> { let summary = "cosh(x)"; }
def NN_AsinhOp : NN_UnaryOp<"asinh"> { let summary = "asinh(x)"; }
def NN_AcoshOp : NN_UnaryOp<"acosh"> { let summary = "acosh(x)"; }
def NN_AtanhOp : NN_UnaryOp<"atanh"> { let summary = "atanh(x)"; }
def NN_NotOp : NN_UnaryOp<"not"> {
  let summary = "Bitwise not (logical not of bools)";
  let hasFolder = 1;
}
def NN_ReluOp : NN_UnaryOp<"relu"> { let summary = "max(x, 0)"; }
def NN_SigmoidOp : NN_UnaryOp<"sigmoid"> { let summary = "1 / (1 + e^-x)"; }
def NN_TanhOp : NN_UnaryOp<"tanh"> { let summary = "tanh(x)"; }
def NN_SoftplusOp : NN_UnaryOp<"softplus"> { let summary = "ln(1 + e^x)"; }
def NN_SoftsignOp : NN_UnaryOp<"softsign"> { let summary = "x / (1 + |x|)"; }
def NN_IsNaNOp : NN_Op<"is_nan", [Pure, NN_Elementwise]> {
  let summary = "x != x";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def NN_LeakyReluOp : NN_UnaryOp<"leaky_relu"> {
  let summary = "x < 0 ? alpha * x : x";
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$alpha);
}
def NN_EluOp : NN_UnaryOp<"elu"> {
  let summary = "x < 0 ? alpha * (e^x - 1) : x";
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$alpha);
}
def NN_SeluOp : NN_UnaryOp<"selu"> {
  let summary = "gamma * (x <= 0 ? alpha * (e^x - 1) : x)";
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$alpha, F64Attr:$gamma);
}
def NN_HardSigmoidOp : NN_UnaryOp<"hard_sigmoid"> {
  let summary = "max(0, min(1, alpha * x + beta))";
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$alpha, F64Attr:$beta);
}
def NN_ThresholdedReluOp : NN_UnaryOp<"thresholded_relu"> {
  let summary = "x > alpha ? x : 0";
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$alpha);
}
def NN_ClipOp : NN_UnaryOp<"clip"> {
  let summary = "min(max(x, min), max); absent bounds do not clip";
  let arguments = (ins AnyRankedTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
}
def NN_BitcastOp : NN_Op<"bitcast", [Pure, NN_Elementwise]> {
  let summary = "Reinterprets each element's bits as another type of their width";
  let description = [{
    The result has the input's shape and an element type of the same bit
    width (a bool, stored as one byte, reads as 0 or 1).
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}
def NN_CastOp : NN_Op<"cast", [Pure, NN_Elementwise]> {
  let summary = "Converts the element type (float to int truncates)";
  let description = [{
    Conversions to the 8-bit floats round to nearest even and, with
    `saturate`, clamp to the largest finite value (else overflow gives
    infinity or NaN, as the format has); to float8e8m0 they round as
    `round_mode` says (up, down, nearest). To a sub-byte integer (i4, ui4,
    i2, ui2) an integer keeps its low bits; a float is truncated toward zero,
    and is 0 where that is out of range or NaN (ONNX leaves it undefined).
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$saturate,
                       DefaultValuedAttr<NN_RoundModeAttr,
                                         "::kiln::nn::RoundMode::Up">:$round_mode);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def NN_GemmOp : NN_InferredOp<"gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C, C broadcast to [M, N]";
  let hasCanonicalizer = 1;
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
                       Optional<AnyRankedTensor>:$c,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_MatMulOp : NN_InferredOp<"matmul"> {
  let summary = "Batched matrix product with broadcast batch dimensions";
  let description = [{
    Both operands have rank >= 2; the leading dimensions broadcast as in
    NumPy. (ONNX's 1-D operands are reshaped by the importer.)
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ConvOp : NN_InferredOp<"conv"> {
  let summary = "N-D grouped convolution, NC<spatial> input, OI<spatial> filter";
  let description = [{
    pads holds the begin paddings of every spatial axis, then the end
    paddings (ONNX order). auto_pad is resolved by the frontend.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$filter,
                       Optional<AnyRankedTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ConvTransposeOp : NN_InferredOp<"conv_transpose"> {
  let summary = "N-D grouped transposed convolution, NC<spatial> input, "
                "IO<spatial> filter";
  let description = [{
    The gradient of nn.conv with respect to its input (ONNX ConvTranspose).
    The filter is [C, M / group, kernel...] for C input and M output
    channels; bias has M values. Along each spatial axis the output extent is
    stride * (in - 1) + output_padding + dilation * (kernel - 1) + 1
    - pads[begin] - pads[end]. pads holds the begin paddings, then the end
    paddings; they crop the full result and may be negative (the result then
    extends past it with zeros, plus bias). auto_pad and output_shape are
    resolved by the frontend.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$filter,
                       Optional<AnyRankedTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

def NN_MaxPoolOp : NN_InferredOp<"max_pool"> {
  let summary = "N-D max pooling over the spatial axes of NC<spatial>";
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_MaxPoolWithIndicesOp : NN_InferredOp<"max_pool_with_indices"> {
  let summary = "Max pooling that also returns where each maximum is (i64)";
  let description = [{
    Like nn.max_pool; `indices` holds, for each output, the position of the
    (first) maximum of its window in the input flattened over all axes
    (ONNX MaxPool's Indices): (n * C + c) * prod(spatial) + offset, with the
    spatial offset row-major (storage_order 0) or column-major
    (storage_order 1). Padding is never selected.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<I64Attr, "0">:$storage_order);
  let results = (outs AnyRankedTensor:$result, AnyRankedTensor:$indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_MaxUnpoolOp : NN_InferredOp<"max_unpool"> {
  let summary = "Places values at flat indices of a zero tensor (MaxUnpool)";
  let description = [{
    The partial inverse of nn.max_pool_with_indices. The values are written
    into a zero tensor at their flat (row-major) indices, which is then
    placed at the start of a zero tensor of `output_shape` (which must be at
    least as large on every axis). The indices address `indexed_shape`
    (the shape of the pooled tensor, when the frontend knows it), by
    default the unpooled shape [N, C, (in - 1) * stride + kernel -
    pads[begin] - pads[end]...] (the ONNX reference's reading). Indices
    outside it are ignored.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$output_shape,
                       OptionalAttr<DenseI64ArrayAttr>:$indexed_shape);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_AvgPoolOp : NN_InferredOp<"avg_pool"> {
  let summary = "N-D average pooling over the spatial axes of NC<spatial>";
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_BatchNormOp : NN_InferredOp<"batch_norm"> {
  let summary = "Inference batch normalization over axis 1";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       AnyRankedTensor:$bias, AnyRankedTensor:$mean,
                       AnyRankedTensor:$variance,
                       DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_LRNOp : NN_InferredOp<"lrn"> {
  let summary = "Local response normalization across channels";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$size,
                       DefaultValuedAttr<F64Attr, "1e-4">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.75">:$beta,
                       DefaultValuedAttr<F64Attr, "1.0">:$bias);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_SoftmaxOp : NN_InferredOp<"softmax"> {
  let summary = "Softmax along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$log);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let description = [{ With log, computes log-softmax. }];
}

def NN_ReduceOp : NN_InferredOp<"reduce"> {
  let summary = "Reduction over a set of axes";
  let description = [{
    kind: sum, mean, max, min, prod, l1, l2, log_sum, log_sum_exp,
    sum_square. axes are sorted and non-negative.
  }];
  let arguments = (ins AnyRankedTensor:$input, NN_ReduceKindAttr:$kind,
                       DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_CumSumOp : NN_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative sum along an axis";
  let description = [{
    exclusive leaves out the element itself; reverse sums from the end.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_CumProdOp : NN_Op<"cumprod", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative product along an axis";
  let description = [{
    exclusive leaves out the element itself (the first product is 1);
    reverse multiplies from the end.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def NN_TopKOp : NN_InferredOp<"top_k"> {
  let summary = "The k largest (or smallest) elements along an axis, and where";
  let description = [{
    `values` holds the k largest elements along `axis` (the smallest when
    `largest` is false), in order from the most extreme, and `indices` (i64)
    their positions. Of equal elements the one at the lower index comes
    first, as ONNX requires. `sorted` false allows any order; the result is
    sorted regardless.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis, I64Attr:$k,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs AnyRankedTensor:$values, AnyRankedTensor:$indices);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_EinsumOp : NN_InferredOp<"einsum"> {
  let summary = "Einstein summation over an explicit equation";
  let description = [{
    `equation` is explicit ("ij,jk->ik"): one term of letters (a-z, A-Z) per
    operand, one letter per axis, and the output term after "->" (each
    letter at most once). Letters repeated within a term take the diagonal;
    letters missing from the output are summed over. An operand axis of
    extent 1 broadcasts against the letter's extent elsewhere (the frontend
    expands ONNX's ellipsis into such letters).
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, StrAttr:$equation);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_DetOp : NN_InferredOp<"det"> {
  let summary = "Determinants of the square matrices in the last two axes";
  let description = [{
    input [..., M, M] gives [...]: LU factorization with partial pivoting.
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ArgReduceOp : NN_InferredOp<"arg_reduce"> {
  let summary = "Index (i64) of the max or min along one axis";
  let arguments = (ins AnyRankedTensor:$input, NN_ArgReduceKindAttr:$kind,
                       I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def NN_ReshapeOp : NN_Op<"reshape", [Pure]> {
  let summary = "Reinterprets the shape; element count is kept";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NN_TransposeOp : NN_InferredOp<"transpose"> {
  let summary = "result[i...] = input[perm applied]; result dim k is input dim perm[k]";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_ConcatOp : NN_InferredOp<"concat"> {
  let summary = "Concatenation along an axis";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def NN_SliceOp : NN_InferredOp<"slice"> {
  let summary = "Strided slice on every axis: start + step * i for i < size";
  let description = [{
    starts, sizes and steps have one entry per axis; steps may be negative.
    Bounds are already clamped by the frontend.
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_PadOp : NN_InferredOp<"pad"> {
  let summary = "Pads every axis (begin paddings, then end paddings)";
  let description = [{ mode: constant, reflect or edge. Negative pads crop. }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<NN_PadModeAttr,
                                         "::kiln::nn::PadMode::Constant">:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_GatherOp : NN_InferredOp<"gather"> {
  let summary = "Takes slices of input along axis at the given indices";
  let description = [{ Negative indices count from the end of the axis. }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def NN_GatherElementsOp : NN_InferredOp<"gather_elements"> {
  let summary = "result[i...] = input[i... with axis index indices[i...]]";
  let description = [{ Negative indices count from the end of the axis. }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ScatterElementsOp : NN_InferredOp<"scatter_elements"> {
  let summary = "Copy of input with updates written at indices along axis";
  let description = [{
    result = input, then for every position i... of updates (in row-major
    order): result[i... with axis index indices[i...]] = updates[i...],
    combined with the old value by `reduction` (none, add, mul, max, min).
    Negative indices count from the end of the axis.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       AnyRankedTensor:$updates, I64Attr:$axis,
                       DefaultValuedAttr<NN_ScatterReductionAttr,
                                         "::kiln::nn::ScatterReduction::None">:$reduction);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_GatherNDOp : NN_InferredOp<"gather_nd"> {
  let summary = "Slices of input addressed by index tuples";
  let description = [{
    indices has shape [batch..., i..., k] (batch_dims leading axes shared
    with input); result[batch..., i..., rest...] =
    input[batch..., indices[batch..., i..., :], rest...]. Negative indices
    count from the end of their axis.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ScatterNDOp : NN_InferredOp<"scatter_nd"> {
  let summary = "Copy of input with slices of updates written at index tuples";
  let description = [{
    indices has shape [i..., k]; each tuple indices[i...] (k <= rank of
    input) addresses a slice input[t0, ..., tk-1, ...], which becomes
    updates[i..., ...] (updates has shape [i..., input dims k...]), combined
    with the old value by `reduction` (none, add, mul, max, min), in
    row-major order of i. Negative indices count from the end of their axis.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$indices,
                       AnyRankedTensor:$updates,
                       DefaultValuedAttr<NN_ScatterReductionAttr,
                                         "::kiln::nn::ScatterReduction::None">:$reduction);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_GridSampleOp : NN_InferredOp<"grid_sample"> {
  let summary = "Samples the input at the grid's normalized positions";
  let description = [{
    input [N, C, D1..Dk], grid [N, H1..Hk, k] (coordinates in [-1, 1], the
    last axis x first, i.e. reversed axis order) give [N, C, H1..Hk]. Each
    coordinate maps to ((g + 1) / 2) * (D - 1) with `align_corners`, else
    ((g + 1) * D - 1) / 2. `mode`: nearest (round half to even), linear or
    cubic (Keys, a = -0.75), separable over the axes. `padding_mode` says
    what positions outside the input read: zeros, border (clamped) or
    reflection (reflected at the border), as the ONNX reference does.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$grid,
                       DefaultValuedAttr<NN_InterpolationModeAttr,
                                         "::kiln::nn::InterpolationMode::Linear">:$mode,
                       DefaultValuedAttr<NN_GridPaddingModeAttr,
                                         "::kiln::nn::GridPaddingMode::Zeros">:$padding_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_RoiAlignOp : NN_InferredOp<"roi_align"> {
  let summary = "Pools bilinear samples of regions of interest (RoiAlign)";
  let description = [{
    input [N, C, H, W], rois [R, 4] (x1, y1, x2, y2, times `spatial_scale`),
    batch_indices [R] (integers) give [R, C, output_height, output_width].
    Each output bin averages (`mode` avg) or takes the largest weighted tap
    of (`mode` max) sampling_ratio x sampling_ratio bilinear samples, as
    the ONNX reference does; with `half_pixel` the roi corners shift by
    -0.5, else the roi is at least 1 x 1.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$rois,
                       AnyRankedTensor:$batch_indices,
                       I64Attr:$output_height, I64Attr:$output_width,
                       I64Attr:$sampling_ratio,
                       DefaultValuedAttr<F64Attr, "1.0">:$spatial_scale,
                       DefaultValuedAttr<NN_RoiAlignModeAttr,
                                         "::kiln::nn::RoiAlignMode::Avg">:$mode,
                       DefaultValuedAttr<BoolAttr, "true">:$half_pixel);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_ResizeOp : NN_InferredOp<"resize"> {
  let summary = "Resizes by interpolation (ONNX Resize and Upsample)";
  let description = [{
    The result has shape `sizes`. Along each axis, output coordinate y maps
    to an input coordinate x by `coordinate_mode` (half_pixel,
    half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric,
    tf_half_pixel_for_nn, tf_crop_and_resize) with that axis's `scales`
    entry (the scale the coordinates use: output / input when the frontend
    was given sizes) and, for tf_crop_and_resize, `roi` (starts of every
    axis, then ends, normalized). `mode` picks the interpolation: nearest
    (rounding by `nearest_mode`: round_prefer_floor, round_prefer_ceil,
    floor, ceil, or simple: floor when upsampling and ceil when
    downsampling, as ONNX Resize-10 and Upsample), linear or cubic
    (`cubic_coeff_a`), all of them separable over the axes, exactly as the
    ONNX reference: neighbours outside the input are clamped to its edge, or
    with `exclude_outside` left out and the weights renormalized;
    `antialias` widens linear and cubic filters when downsampling. Outputs
    that tf_crop_and_resize maps outside the input are
    `extrapolation_value`.
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$sizes,
                       DenseF64ArrayAttr:$scales,
                       DefaultValuedAttr<NN_InterpolationModeAttr,
                                         "::kiln::nn::InterpolationMode::Nearest">:$mode,
                       DefaultValuedAttr<NN_CoordinateModeAttr,
                                         "::kiln::nn::CoordinateMode::HalfPixel">:$coordinate_mode,
                       DefaultValuedAttr<NN_NearestModeAttr,
                                         "::kiln::nn::NearestMode::RoundPreferFloor">:$nearest_mode,
                       DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                       DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value,
                       DefaultValuedAttr<BoolAttr, "false">:$antialias,
                       OptionalAttr<DenseF64ArrayAttr>:$roi);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def NN_BroadcastOp : NN_Op<"broadcast", [Pure, NN_Elementwise]> {
  let summary = "NumPy broadcast of the input to the result's shape (Expand)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

#endif // KILN_NN_OPS
