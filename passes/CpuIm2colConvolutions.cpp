//===- CpuIm2colConvolutions.cpp - Convolutions as one matrix product -----===//
//
// im2col turns a convolution into one matrix product: each output pixel's
// receptive field, all taps of all input channels, becomes a row of a
// matrix (the "columns" of the image), and the filter the matrix that
// multiplies it:
//
//   Y[m, f] = sum_k col[m, k] * W[k, f]
//   m = (n, oh, ow), k = (c1, kh, kw, c0), f = (f1, f0)
//
// This pass lowers a channel-blocked 2-D convolution (BlockedConv.h) whose
// recorded algorithm is im2col (ConvAlgorithm.h) into:
//
// 1. the gather col [N, OH, OW, C1, KH, KW, c'] from the (padded) blocked
//    input, one vector of c' channels per (pixel, input block, tap), rows
//    of output pixels distributed over threads;
// 2. the product col [M, K] x W [K, F] as a linalg.generic with the filter
//    rearranged at compile time, which kiln-cpu-gemm-kernels lowers to its
//    register-tiled kernel (its B packed into panels there);
// 3. one elementwise generic from the product's [N, OH, OW, F1, c] view to
//    the blocked output [N, F1, OH, OW, c] that adds the convolution's init
//    (its bias) and into which the convolution's elementwise consumer
//    (activation, residual add) is fused.
//
// Any stride and dilation; no block groups (grouped and depthwise layers
// keep their own kernels). The cost is the gather's copy (KH * KW times the
// input) and the output's round trip through memory, against a product
// whose rows are pixels: it pays where the direct kernel's tiles would be
// poorly filled.
//
//===----------------------------------------------------------------------===//
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"
#include "passes/cpu-kernels/BlockedConv.h"
#include "passes/cpu-kernels/FloatConstants.h"
#include "passes/cpu-kernels/MultiplyAccumulate.h"
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_CPUIM2COLCONVOLUTIONS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A blocked 2-D convolution to compute by im2col.
struct Im2colConv {
  linalg::GenericOp op;
  DenseElementsAttr filter;
  // Input [N, C1, IH, IW, c'], filter [F1, C1, KH, KW, c', c], output
  // [N, F1, OH, OW, c].
  ArrayRef<int64_t> in, kernel, out;
  int64_t strides[2], dilations[2];
};

std::optional<Im2colConv> matchIm2colConv(linalg::GenericOp op) {
  auto params = op->getAttrOfType<DenseI64ArrayAttr>(kBlockedConvAttr);
  if (!params || params.size() != 4 ||
      getConvAlgorithm(op) != ConvAlgorithm::Im2col)
    return std::nullopt;
  std::optional<DenseElementsAttr> constantFilter = staticF32Filter(op);
  if (!constantFilter)
    return std::nullopt;
  Im2colConv conv;
  conv.op = op;
  conv.filter = *constantFilter;
  conv.in = cast<RankedTensorType>(op.getDpsInputs()[0].getType()).getShape();
  conv.out = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  conv.kernel = conv.filter.getType().getShape();
  ArrayRef<int64_t> p = params.asArrayRef();
  conv.strides[0] = p[0];
  conv.strides[1] = p[1];
  conv.dilations[0] = p[2];
  conv.dilations[1] = p[3];
  // One block group: the filter reads every input block.
  if (conv.in.size() != 5 || conv.kernel.size() != 6 ||
      conv.kernel[1] != conv.in[1] ||
      op.getIndexingMapsArray() !=
          blockedConvMaps(op.getContext(), 2, {p[0], p[1]}, {p[2], p[3]}))
    return std::nullopt;
  return conv;
}

/// The blocked filter [F1, C1, KH, KW, c', c] as the product's right-hand
/// side W [K = C1 * KH * KW * c', F = F1 * c]: W[(c1, kh, kw, c0), (f1, f0)]
/// = filter[f1, c1, kh, kw, c0, f0].
DenseElementsAttr productFilter(DenseElementsAttr filter) {
  ArrayRef<int64_t> s = filter.getType().getShape();
  int64_t f1s = s[0], k = s[1] * s[2] * s[3] * s[4], c = s[5];
  std::vector<float> source = floatValues(filter);
  std::vector<float> w(k * f1s * c);
  for (int64_t f1 = 0; f1 < f1s; ++f1)
    for (int64_t r = 0; r < k; ++r)
      for (int64_t f0 = 0; f0 < c; ++f0)
        w[r * f1s * c + f1 * c + f0] = source[(f1 * k + r) * c + f0];
  return floatsAttr(filter.getContext(), {k, f1s * c}, w);
}

class Im2colEmitter {
public:
  Im2colEmitter(Im2colConv conv, bool parallel)
      : conv(conv), parallel(parallel) {}

  void emit(RewriterBase &rewriter);

private:
  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(*rewriter, loc, v);
  }
  /// a * x + b * y.
  Value linear(Value x, int64_t a, Value y, int64_t b) {
    auto scaled = [&](Value v, int64_t k) -> Value {
      return k == 1 ? v : arith::MulIOp::create(*rewriter, loc, v, index(k));
    };
    return arith::AddIOp::create(*rewriter, loc, scaled(x, a), scaled(y, b));
  }

  /// col [N, OH, OW, C1, KH, KW, c'].
  Value emitGather();
  /// col x W: [M, F].
  Value emitProduct(Value col);
  /// The blocked output from the product, plus the init.
  linalg::GenericOp emitOutput(Value product);

  Im2colConv conv;
  bool parallel;
  RewriterBase *rewriter = nullptr;
  Location loc = UnknownLoc();
};

Value Im2colEmitter::emitGather() {
  int64_t n = conv.out[0], oh = conv.out[2], ow = conv.out[3];
  int64_t c1s = conv.in[1], kh = conv.kernel[2], kw = conv.kernel[3],
          lanes = conv.in[4];
  Type f32 = rewriter->getF32Type();
  Value input = conv.op.getDpsInputs()[0];
  Value dest = tensor::EmptyOp::create(
      *rewriter, loc, ArrayRef<int64_t>{n, oh, ow, c1s, kh, kw, lanes}, f32);
  VectorType vt = VectorType::get({lanes}, f32);
  Value zero = arith::ConstantOp::create(*rewriter, loc,
                                         rewriter->getF32FloatAttr(0));
  // Iterations: rows (image, output row), each writing [1, 1, OW, ...].
  return buildTileLoops(
      *rewriter, loc, {n, oh}, dest, parallel,
      [&](ValueRange ivs) {
        TileSlice slice;
        slice.offsets.assign(ivs.begin(), ivs.end());
        slice.offsets.append(5, rewriter->getIndexAttr(0));
        slice.sizes = {1, 1, ow, c1s, kh, kw, lanes};
        return slice;
      },
      [&](ValueRange ivs, Value tile) {
        // Loops ow, c1, kh, kw; one vector of c' channels each.
        SmallVector<Value> iv;
        std::function<Value(unsigned, Value)> nest = [&](unsigned depth,
                                                         Value acc) -> Value {
          int64_t bounds[] = {ow, c1s, kh, kw};
          if (depth == 4) {
            Value row = linear(ivs[1], conv.strides[0], iv[2],
                               conv.dilations[0]);
            Value column = linear(iv[0], conv.strides[1], iv[3],
                                  conv.dilations[1]);
            Value v = vector::TransferReadOp::create(
                *rewriter, loc, vt, input,
                ValueRange{ivs[0], iv[1], row, column, index(0)}, zero,
                ArrayRef<bool>{true});
            return vector::TransferWriteOp::create(
                       *rewriter, loc, v, acc,
                       ValueRange{index(0), index(0), iv[0], iv[1], iv[2],
                                  iv[3], index(0)},
                       ArrayRef<bool>{true})
                .getResult();
          }
          auto loop = scf::ForOp::create(*rewriter, loc, index(0),
                                         index(bounds[depth]), index(1),
                                         ValueRange{acc});
          OpBuilder::InsertionGuard guard(*rewriter);
          rewriter->setInsertionPointToStart(loop.getBody());
          iv.push_back(loop.getInductionVar());
          Value next = nest(depth + 1, loop.getRegionIterArgs()[0]);
          iv.pop_back();
          scf::YieldOp::create(*rewriter, loc, next);
          return loop.getResult(0);
        };
        return nest(0, tile);
      });
}

Value Im2colEmitter::emitProduct(Value col) {
  int64_t m = conv.out[0] * conv.out[2] * conv.out[3];
  int64_t k = conv.in[1] * conv.kernel[2] * conv.kernel[3] * conv.in[4];
  Value rows = tensor::CollapseShapeOp::create(
      *rewriter, loc, RankedTensorType::get({m, k}, rewriter->getF32Type()),
      col, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5, 6}});
  Value w = arith::ConstantOp::create(*rewriter, loc,
                                      productFilter(conv.filter));
  return buildMatrixProduct(*rewriter, loc, rows, w);
}

linalg::GenericOp Im2colEmitter::emitOutput(Value product) {
  MLIRContext *ctx = rewriter->getContext();
  int64_t n = conv.out[0], f1 = conv.out[1], oh = conv.out[2],
          ow = conv.out[3], c = conv.out[4];
  Type f32 = rewriter->getF32Type();
  Value pixels = tensor::ExpandShapeOp::create(
      *rewriter, loc, RankedTensorType::get({n, oh, ow, f1, c}, f32), product,
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4}});
  // Loops (n, f1, oh, ow, f0): the product read at (n, oh, ow, f1, f0),
  // the init and the result at (n, f1, oh, ow, f0).
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineMap identity = AffineMap::getMultiDimIdentityMap(5, ctx);
  SmallVector<AffineMap> maps{
      AffineMap::get(5, 0, {d(0), d(2), d(3), d(1), d(4)}, ctx), identity,
      identity};
  Value init = conv.op.getDpsInits()[0];
  Value empty = tensor::EmptyOp::create(
      *rewriter, loc, ArrayRef<int64_t>{n, f1, oh, ow, c}, f32);
  return linalg::GenericOp::create(
      *rewriter, loc, empty.getType(), ValueRange{pixels, init}, empty, maps,
      SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(
            b, l, arith::AddFOp::create(b, l, args[1], args[0]).getResult());
      });
}

void Im2colEmitter::emit(RewriterBase &r) {
  rewriter = &r;
  loc = conv.op.getLoc();
  // Everything is emitted just before the convolution's consumer, which
  // the output generic may fuse (its other operands are defined by then).
  Operation *consumer = conv.op->hasOneUse()
                            ? *conv.op->getUsers().begin()
                            : conv.op.getOperation();
  rewriter->setInsertionPoint(consumer);
  Value col = emitGather();
  Value product = emitProduct(col);
  linalg::GenericOp output = emitOutput(product);
  rewriter->replaceOp(conv.op, output.getResults());
  // The init's producer (a broadcast of the bias) is read where it is
  // added instead of being written out first.
  OpOperand &initOperand = output->getOpOperand(1);
  if (auto producer = initOperand.get().getDefiningOp<linalg::GenericOp>();
      producer && producer->hasOneUse() &&
      linalg::areElementwiseOpsFusable(&initOperand)) {
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(*rewriter, &initOperand);
    if (succeeded(fused)) {
      auto fusedOutput = cast<linalg::GenericOp>(fused->fusedOp);
      rewriter->replaceOp(output, fusedOutput->getResults());
      rewriter->eraseOp(producer);
      output = fusedOutput;
    }
  }
  // The elementwise consumer (activation, residual add) reads the output
  // as it is computed, instead of from memory.
  if (!output->hasOneUse())
    return;
  OpOperand &use = *output->getUses().begin();
  // Only an elementwise consumer: a reducing one (the next convolution,
  // which this pass may be about to rewrite) keeps reading the output.
  auto elementwise = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!elementwise ||
      elementwise.getNumParallelLoops() != elementwise.getNumLoops() ||
      !linalg::areElementwiseOpsFusable(&use))
    return;
  FailureOr<linalg::ElementwiseOpFusionResult> fused =
      linalg::fuseElementwiseOps(*rewriter, &use);
  if (failed(fused))
    return;
  for (auto [original, replacement] : fused->replacements)
    rewriter->replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
      return use.getOwner() != output;
    });
  rewriter->eraseOp(elementwise);
  if (output->use_empty())
    rewriter->eraseOp(output);
}

struct CpuIm2colConvolutionsPass
    : impl::CpuIm2colConvolutionsBase<CpuIm2colConvolutionsPass> {
  using CpuIm2colConvolutionsBase::CpuIm2colConvolutionsBase;

  void runOnOperation() override {
    SmallVector<Im2colConv> convs;
    getOperation().walk([&](linalg::GenericOp op) {
      if (auto conv = matchIm2colConv(op))
        convs.push_back(*conv);
    });
    IRRewriter rewriter(&getContext());
    for (Im2colConv &conv : convs) {
      int64_t macs = 1;
      for (int64_t d : conv.out)
        macs *= d;
      for (int64_t d : conv.kernel.drop_front().drop_back())
        macs *= d;
      Im2colEmitter emitter(conv, threads > 1 && macs >= minParallelWork);
      emitter.emit(rewriter);
    }
  }
};

} // namespace
} // namespace kiln
