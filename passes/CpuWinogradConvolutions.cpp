//===- CpuWinogradConvolutions.cpp - 3x3 convolutions by Winograd ---------===//
//
// Winograd's minimal filtering F(m x m, 3 x 3) computes an m x m tile of a
// 3x3, stride-1 convolution's output from an (m + 2) x (m + 2) tile of its
// input with (m + 2)^2 multiplies per input and output channel pair,
// instead of 9 m^2 (Lavin and Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016):
//
//   Y = A^T [ (G g G^T) . (B^T d B) ] A     (. the elementwise product)
//
// summed over input channels, which turns the elementwise products of all
// channels into (m + 2)^2 independent matrix products. This pass lowers a
// channel-blocked convolution (BlockedConv.h) whose recorded algorithm is
// winograd (ConvAlgorithm.h) into:
//
// 1. the filter transform U = G g G^T, at compile time, as the constant
//    [(m + 2)^2, C, F];
// 2. the input transform V = B^T d B of every tile, vectorized over the 16
//    channels of an input block, into [(m + 2)^2, tiles, C];
// 3. (m + 2)^2 matrix products M = V x U, one batched linalg.generic that
//    kiln-cpu-gemm-kernels lowers to its register-tiled kernel;
// 4. the output transform A^T M A, vectorized over an output block, added
//    to the convolution's init (its bias), with its elementwise consumer
//    (activation, residual add) fused before the store, and partial tiles
//    at the right and bottom edges stored in part.
//
// The input is zero-padded to whole tiles. The transforms are emitted with
// their constant coefficients folded (zeros skipped, ones as additions).
// m = 4 by default: 36 multiplies per 16 outputs instead of 144, with
// transforms whose rounding error stays near 1e-6 relative in f32; m = 2
// (16 per 4) is the more accurate choice.
//
//===----------------------------------------------------------------------===//
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"
#include "passes/cpu-kernels/BlockedConv.h"
#include "passes/cpu-kernels/FloatConstants.h"
#include "passes/cpu-kernels/MultiplyAccumulate.h"
#include "passes/cpu-kernels/TileFusion.h"
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_CPUWINOGRADCONVOLUTIONS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The matrices of F(m x m, 3 x 3), row-major: B^T (alpha x alpha), G
/// (alpha x 3) and A^T (m x alpha), alpha = m + 2.
struct WinogradMatrices {
  int64_t m, alpha;
  std::vector<double> bt, g, at;
};

WinogradMatrices winogradMatrices(int64_t m) {
  if (m == 2)
    return {2,
            4,
            {1, 0, -1, 0, //
             0, 1, 1, 0,  //
             0, -1, 1, 0, //
             0, 1, 0, -1},
            {1, 0, 0,         //
             0.5, 0.5, 0.5,   //
             0.5, -0.5, 0.5,  //
             0, 0, 1},
            {1, 1, 1, 0, //
             0, 1, -1, -1}};
  assert(m == 4 && "F(m x m, 3 x 3) is provided for m = 2 and 4");
  return {4,
          6,
          {4, 0, -5, 0, 1, 0,   //
           0, -4, -4, 1, 1, 0,  //
           0, 4, -4, -1, 1, 0,  //
           0, -2, -1, 2, 1, 0,  //
           0, 2, -1, -2, 1, 0,  //
           0, 4, 0, -5, 0, 1},
          {1.0 / 4, 0, 0,                  //
           -1.0 / 6, -1.0 / 6, -1.0 / 6,   //
           -1.0 / 6, 1.0 / 6, -1.0 / 6,    //
           1.0 / 24, 1.0 / 12, 1.0 / 6,    //
           1.0 / 24, -1.0 / 12, 1.0 / 6,   //
           0, 0, 1},
          {1, 1, 1, 1, 1, 0,   //
           0, 1, -1, 2, -2, 0, //
           0, 1, 1, 4, 4, 0,   //
           0, 1, -1, 8, -8, 1}};
}

/// A blocked 3x3 stride-1 convolution to compute by Winograd.
struct WinogradConv {
  linalg::GenericOp op;
  DenseElementsAttr filter;
  // Input [N, C1, H + 2, W + 2, c] (padded), output [N, F1, H, W, c].
  ArrayRef<int64_t> in, out;
};

std::optional<WinogradConv> matchWinogradConv(linalg::GenericOp op,
                                              int64_t vectorWidth) {
  auto params = op->getAttrOfType<DenseI64ArrayAttr>(kBlockedConvAttr);
  if (!params || getConvAlgorithm(op) != ConvAlgorithm::Winograd ||
      params.asArrayRef() != ArrayRef<int64_t>{1, 1, 1, 1})
    return std::nullopt;
  std::optional<DenseElementsAttr> constantFilter = staticF32Filter(op);
  if (!constantFilter)
    return std::nullopt;
  WinogradConv conv;
  conv.op = op;
  conv.filter = *constantFilter;
  conv.in = cast<RankedTensorType>(op.getDpsInputs()[0].getType()).getShape();
  conv.out = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  ArrayRef<int64_t> filter = conv.filter.getType().getShape();
  // One block group, 3x3 taps, whole vectors of input and output channels.
  if (conv.out.size() != 5 || filter.size() != 6 || filter[1] != conv.in[1] ||
      filter[2] != 3 || filter[3] != 3 || filter[4] != vectorWidth ||
      filter[5] != vectorWidth || conv.out[4] != vectorWidth ||
      conv.in[2] != conv.out[2] + 2 || conv.in[3] != conv.out[3] + 2)
    return std::nullopt;
  if (op.getIndexingMapsArray() !=
      blockedConvMaps(op.getContext(), 2, {1, 1}, {1, 1}))
    return std::nullopt;
  return conv;
}

/// U = G g G^T of every (input, output) channel pair of the blocked filter
/// [F1, C1, 3, 3, c, c], as [alpha^2, C1 * c, F1 * c].
DenseElementsAttr transformedFilter(const WinogradMatrices &w,
                                    DenseElementsAttr filter) {
  ArrayRef<int64_t> shape = filter.getType().getShape();
  int64_t f1s = shape[0], c1s = shape[1], c = shape[5];
  int64_t channelsIn = c1s * c, channelsOut = f1s * c;
  int64_t alpha = w.alpha;
  std::vector<float> source = floatValues(filter);
  std::vector<float> u(alpha * alpha * channelsIn * channelsOut);
  for (int64_t f1 = 0; f1 < f1s; ++f1)
    for (int64_t c1 = 0; c1 < c1s; ++c1)
      for (int64_t c0 = 0; c0 < c; ++c0)
        for (int64_t f0 = 0; f0 < c; ++f0) {
          double g[3][3], gg[6][3];
          for (int64_t kh = 0; kh < 3; ++kh)
            for (int64_t kw = 0; kw < 3; ++kw)
              g[kh][kw] = source[((((f1 * c1s + c1) * 3 + kh) * 3 + kw) * c +
                                  c0) * c + f0];
          for (int64_t a = 0; a < alpha; ++a)
            for (int64_t k = 0; k < 3; ++k)
              gg[a][k] = w.g[a * 3] * g[0][k] + w.g[a * 3 + 1] * g[1][k] +
                         w.g[a * 3 + 2] * g[2][k];
          int64_t ci = c1 * c + c0, fo = f1 * c + f0;
          for (int64_t a = 0; a < alpha; ++a)
            for (int64_t b = 0; b < alpha; ++b) {
              double v = gg[a][0] * w.g[b * 3] + gg[a][1] * w.g[b * 3 + 1] +
                         gg[a][2] * w.g[b * 3 + 2];
              u[((a * alpha + b) * channelsIn + ci) * channelsOut + fo] =
                  static_cast<float>(v);
            }
        }
  return floatsAttr(filter.getContext(),
                    {alpha * alpha, channelsIn, channelsOut}, u);
}

class WinogradEmitter {
public:
  WinogradEmitter(WinogradConv conv, std::optional<Epilogue> epilogue,
                  int64_t tile, bool parallel)
      : conv(conv), w(winogradMatrices(tile)),
        init(conv.op.getDpsInits()[0]), epilogue(epilogue),
        parallel(parallel) {
    c = conv.out[4];
    tilesH = llvm::divideCeil(conv.out[2], w.m);
    tilesW = llvm::divideCeil(conv.out[3], w.m);
    tiles = conv.out[0] * tilesH * tilesW;
  }

  void emit(RewriterBase &rewriter);

private:
  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(*rewriter, loc, v);
  }
  Value add(Value a, int64_t b) {
    return b == 0 ? a : arith::AddIOp::create(*rewriter, loc, a, index(b));
  }
  Value mul(Value a, int64_t b) {
    return b == 1 ? a : arith::MulIOp::create(*rewriter, loc, a, index(b));
  }
  VectorType vectorType() {
    return VectorType::get({c}, rewriter->getF32Type());
  }

  /// sum_k coefficients[k] * values[k], constant coefficients folded.
  Value combine(ArrayRef<double> coefficients, ArrayRef<Value> values);
  /// T X T^T for X alpha x alpha (row-major) and T rows of `alpha`
  /// coefficients: its first `rows` x `cols` entries, row-major. Both
  /// transforms have this form (B^T d B and A^T M A).
  SmallVector<Value> sandwich(ArrayRef<double> t, ArrayRef<Value> x,
                              int64_t rows, int64_t cols);

  /// The input zero-padded at the bottom and right to whole tiles.
  Value paddedInput();
  /// V = B^T d B of every tile and input block: [alpha^2, tiles, C1 * c].
  Value emitInputTransform(Value input);
  /// The batched product M = V x U: [alpha^2, tiles, F1 * c].
  Value emitProduct(Value v);
  /// The output tile at (th, tw) of image n, output block f1, from M:
  /// `rows` x `cols` of its m x m pixels (fewer at the edges), stored into
  /// `dest` (the [1, 1, H, W, c] slice of the output being written).
  Value emitOutputTile(Value dest, Value product, Value n, Value f1, Value th,
                       Value tw, int64_t rows, int64_t cols);
  /// The output transform of every tile, with the init and the epilogue.
  Value emitOutputTransform(Value dest, Value product);

  WinogradConv conv;
  WinogradMatrices w;
  AccumulatorInit init;
  std::optional<Epilogue> epilogue;
  bool parallel;
  int64_t c, tilesH, tilesW, tiles;
  RewriterBase *rewriter = nullptr;
  Location loc = UnknownLoc();
};

Value WinogradEmitter::combine(ArrayRef<double> coefficients,
                               ArrayRef<Value> values) {
  Value sum;
  for (auto [k, value] : llvm::zip_equal(coefficients, values)) {
    if (k == 0)
      continue;
    if (!sum) {
      if (k == 1)
        sum = value;
      else if (k == -1)
        sum = arith::NegFOp::create(*rewriter, loc, value);
      else
        sum = arith::MulFOp::create(
            *rewriter, loc, value,
            arith::ConstantOp::create(
                *rewriter, loc,
                DenseElementsAttr::get(vectorType(), static_cast<float>(k))));
      continue;
    }
    if (k == 1)
      sum = arith::AddFOp::create(*rewriter, loc, sum, value);
    else if (k == -1)
      sum = arith::SubFOp::create(*rewriter, loc, sum, value);
    else
      sum = vector::FMAOp::create(
          *rewriter, loc, value,
          arith::ConstantOp::create(
              *rewriter, loc,
              DenseElementsAttr::get(vectorType(), static_cast<float>(k))),
          sum);
  }
  if (!sum)
    sum = arith::ConstantOp::create(
        *rewriter, loc, DenseElementsAttr::get(vectorType(), 0.0f));
  return sum;
}

SmallVector<Value> WinogradEmitter::sandwich(ArrayRef<double> t,
                                             ArrayRef<Value> x, int64_t rows,
                                             int64_t cols) {
  int64_t alpha = w.alpha;
  auto coefficients = [&](int64_t r) { return t.slice(r * alpha, alpha); };
  // x T^T: xt[i][q] = sum_j T[q][j] x[i][j]; then T (x T^T).
  SmallVector<Value> xt(alpha * cols);
  for (int64_t i = 0; i < alpha; ++i)
    for (int64_t q = 0; q < cols; ++q)
      xt[i * cols + q] = combine(coefficients(q), x.slice(i * alpha, alpha));
  SmallVector<Value> y;
  for (int64_t p = 0; p < rows; ++p)
    for (int64_t q = 0; q < cols; ++q) {
      SmallVector<Value> column;
      for (int64_t i = 0; i < alpha; ++i)
        column.push_back(xt[i * cols + q]);
      y.push_back(combine(coefficients(p), column));
    }
  return y;
}

Value WinogradEmitter::paddedInput() {
  Value input = conv.op.getDpsInputs()[0];
  int64_t extraH = tilesH * w.m + 2 - conv.in[2];
  int64_t extraW = tilesW * w.m + 2 - conv.in[3];
  if (extraH == 0 && extraW == 0)
    return input;
  SmallVector<int64_t> shape(conv.in);
  shape[2] += extraH;
  shape[3] += extraW;
  SmallVector<OpFoldResult> low(5, rewriter->getIndexAttr(0));
  SmallVector<OpFoldResult> high(low);
  high[2] = rewriter->getIndexAttr(extraH);
  high[3] = rewriter->getIndexAttr(extraW);
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));
  return tensor::PadOp::create(
      *rewriter, loc, RankedTensorType::get(shape, rewriter->getF32Type()),
      input, low, high, zero);
}

Value WinogradEmitter::emitInputTransform(Value input) {
  int64_t alpha = w.alpha, blocks = conv.in[1];
  Value dest = tensor::EmptyOp::create(
      *rewriter, loc, ArrayRef<int64_t>{alpha * alpha, tiles, blocks * c},
      rewriter->getF32Type());
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));
  // Iterations: image, tile row, input block; each writes the row's tiles
  // of that block: [alpha^2, tilesW, c].
  auto firstTile = [&](ValueRange ivs) {
    return mul(arith::AddIOp::create(*rewriter, loc, mul(ivs[0], tilesH),
                                     ivs[1]),
               tilesW);
  };
  return buildTileLoops(
      *rewriter, loc, {conv.out[0], tilesH, blocks}, dest, parallel,
      [&](ValueRange ivs) {
        return TileSlice{{rewriter->getIndexAttr(0), firstTile(ivs),
                          mul(ivs[2], c)},
                         {alpha * alpha, tilesW, c}};
      },
      [&](ValueRange ivs, Value tile) {
        auto loop = scf::ForOp::create(*rewriter, loc, index(0),
                                       index(tilesW), index(1),
                                       ValueRange{tile});
        OpBuilder::InsertionGuard guard(*rewriter);
        rewriter->setInsertionPointToStart(loop.getBody());
        Value tw = loop.getInductionVar();
        Value row = mul(ivs[1], w.m), column = mul(tw, w.m);
        // The tile d [alpha][alpha] of 16-channel vectors, then B^T d B.
        SmallVector<Value> d;
        for (int64_t i = 0; i < alpha; ++i)
          for (int64_t j = 0; j < alpha; ++j)
            d.push_back(vector::TransferReadOp::create(
                *rewriter, loc, vectorType(), input,
                ValueRange{ivs[0], ivs[2], add(row, i), add(column, j),
                           index(0)},
                zero, ArrayRef<bool>{true}));
        SmallVector<Value> v = sandwich(w.bt, d, alpha, alpha);
        Value out = loop.getRegionIterArgs()[0];
        for (int64_t ab = 0; ab < alpha * alpha; ++ab)
          out = vector::TransferWriteOp::create(
                    *rewriter, loc, v[ab], out,
                    ValueRange{index(ab), tw, index(0)}, ArrayRef<bool>{true})
                    .getResult();
        scf::YieldOp::create(*rewriter, loc, out);
        return loop.getResult(0);
      });
}

Value WinogradEmitter::emitProduct(Value v) {
  Value u = arith::ConstantOp::create(*rewriter, loc,
                                      transformedFilter(w, conv.filter));
  return buildMatrixProduct(*rewriter, loc, v, u);
}

Value WinogradEmitter::emitOutputTile(Value dest, Value product, Value n,
                                      Value f1, Value th, Value tw,
                                      int64_t rows, int64_t cols) {
  int64_t alpha = w.alpha;
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));
  Value tile = arith::AddIOp::create(
      *rewriter, loc,
      mul(arith::AddIOp::create(*rewriter, loc, mul(n, tilesH), th), tilesW),
      tw);
  Value channel = mul(f1, c);
  // The tile's M [alpha][alpha], then A^T M A (its `rows` x `cols` part).
  SmallVector<Value> m;
  for (int64_t ab = 0; ab < alpha * alpha; ++ab)
    m.push_back(vector::TransferReadOp::create(
        *rewriter, loc, vectorType(), product,
        ValueRange{index(ab), tile, channel}, zero, ArrayRef<bool>{true}));
  SmallVector<Value> ys = sandwich(w.at, m, rows, cols);
  Value row = mul(th, w.m), column = mul(tw, w.m);
  bool fromInit = epilogue && init.readsInit();
  for (int64_t p = 0; p < rows; ++p)
    for (int64_t q = 0; q < cols; ++q) {
      Value y = ys[p * cols + q];
      SmallVector<Value> outIndex{n, f1, add(row, p), add(column, q),
                                  index(0)};
      SmallVector<Value> tileIndex{index(0), index(0), add(row, p),
                                   add(column, q), index(0)};
      Value initial =
          init.emit(*rewriter, loc, outIndex, c, /*inBounds=*/true,
                    fromInit ? conv.op.getDpsInits()[0] : dest,
                    fromInit ? ValueRange(outIndex) : ValueRange(tileIndex));
      Value value = arith::AddFOp::create(*rewriter, loc, initial, y);
      if (epilogue)
        value = epilogue->emit(*rewriter, loc, value, outIndex, c,
                               /*inBounds=*/true);
      dest = vector::TransferWriteOp::create(*rewriter, loc, value, dest,
                                             tileIndex, ArrayRef<bool>{true})
                 .getResult();
    }
  return dest;
}

Value WinogradEmitter::emitOutputTransform(Value dest, Value product) {
  int64_t height = conv.out[2], width = conv.out[3];
  return buildTileLoops(
      *rewriter, loc, {conv.out[0], conv.out[1]}, dest, parallel,
      [&](ValueRange ivs) {
        TileSlice slice;
        slice.offsets = {ivs[0], ivs[1], rewriter->getIndexAttr(0),
                         rewriter->getIndexAttr(0), rewriter->getIndexAttr(0)};
        slice.sizes = {1, 1, height, width, c};
        return slice;
      },
      [&](ValueRange ivs, Value out) {
        Value n = ivs[0], f1 = ivs[1];
        // Along one dimension of `extent` pixels: the whole tiles in a
        // loop, then the partial one; `body(out, tile index, pixels)`.
        auto wholeThenPartial =
            [&](Value out, int64_t extent,
                function_ref<Value(Value, Value, int64_t)> body) {
              int64_t whole = extent / w.m, partial = extent % w.m;
              if (whole > 0) {
                auto loop = scf::ForOp::create(*rewriter, loc, index(0),
                                               index(whole), index(1),
                                               ValueRange{out});
                OpBuilder::InsertionGuard guard(*rewriter);
                rewriter->setInsertionPointToStart(loop.getBody());
                scf::YieldOp::create(*rewriter, loc,
                                     body(loop.getRegionIterArgs()[0],
                                          loop.getInductionVar(), w.m));
                out = loop.getResult(0);
              }
              if (partial > 0)
                out = body(out, index(whole), partial);
              return out;
            };
        return wholeThenPartial(
            out, conv.out[2], [&](Value out, Value th, int64_t rows) {
              return wholeThenPartial(
                  out, conv.out[3], [&](Value out, Value tw, int64_t cols) {
                    return emitOutputTile(out, product, n, f1, th, tw, rows,
                                          cols);
                  });
            });
      });
}

void WinogradEmitter::emit(RewriterBase &r) {
  rewriter = &r;
  loc = conv.op.getLoc();
  Operation *last = epilogue ? epilogue->op.getOperation() : conv.op;
  rewriter->setInsertionPoint(last);
  Value dest = epilogue ? epilogue->destination() : init.destination();
  Value v = emitInputTransform(paddedInput());
  Value product = emitProduct(v);
  Value result = emitOutputTransform(dest, product);
  rewriter->replaceOp(last, result);
  if (epilogue)
    rewriter->eraseOp(conv.op);
}

struct CpuWinogradConvolutionsPass
    : impl::CpuWinogradConvolutionsBase<CpuWinogradConvolutionsPass> {
  using CpuWinogradConvolutionsBase::CpuWinogradConvolutionsBase;

  void runOnOperation() override {
    if (tileSize != 2 && tileSize != 4) {
      getOperation().emitError("kiln-cpu-winograd-convolutions: tile-size "
                               "must be 2 or 4, not ")
          << static_cast<int64_t>(tileSize);
      return signalPassFailure();
    }
    SmallVector<WinogradConv> convs;
    getOperation().walk([&](linalg::GenericOp op) {
      if (auto conv = matchWinogradConv(op, vectorWidth))
        convs.push_back(*conv);
    });
    IRRewriter rewriter(&getContext());
    for (WinogradConv &conv : convs) {
      int64_t macs = 1;
      for (int64_t d : conv.out)
        macs *= d;
      macs *= conv.in[1] * 9 * vectorWidth;
      WinogradEmitter emitter(conv, findFusableEpilogue(conv.op->getResult(0)),
                              tileSize, threads > 1 && macs >= minParallelWork);
      emitter.emit(rewriter);
    }
  }
};

} // namespace
} // namespace kiln
