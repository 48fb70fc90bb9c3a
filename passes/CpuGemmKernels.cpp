//===- CpuGemmKernels.cpp - Matrix products as register-tiled kernels -----===//
//
// C[M, N] = A[M, K] * B[K, N] with B a constant (the weights of MatMul,
// Gemm and fully connected layers) becomes a vector kernel:
//
// - B is packed at compile time into panels [ceil(N / W)][K][W] of
//   W = vectors * vector-width columns, zero-padded past N, so that each
//   step of the reduction reads one panel row as `vectors` contiguous
//   vector loads.
// - A tile of `rows` x W outputs lives in `rows * vectors` vector
//   accumulators for the whole reduction: per k, the panel row's vectors are
//   loaded once, A[m, k] is broadcast for each of the tile's rows, and each
//   accumulator takes one FMA. An 8 x 32 tile (16 accumulators, 2 loads and
//   8 broadcasts per 16 FMAs) covers the FMA latency and keeps loads below
//   the FMA rate.
// - The initial accumulators are the fill value of the product's init (or
//   the init tile itself), and a fusable elementwise consumer
//   (TileFusion.h) is applied to the tile before it is stored.
// - Panels are independent; with more than one thread they are the
//   iterations of an scf.forall (an OpenMP loop after bufferization).
//
// Tail rows get a smaller tile of the same form; a tail panel stores with
// masks. A batch of products with a constant B each (C[b] = A[b] * B[b],
// as in Winograd's transformed domain) is the same kernel per batch, the
// (batch, panel) pairs being the independent iterations. Everything is emitted on tensors (tensor.extract,
// vector.transfer_read/write, scf loops with tensor iter_args), so that
// bufferization places it.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"
#include "passes/cpu-kernels/FloatConstants.h"
#include "passes/cpu-kernels/TileFusion.h"
#include "passes/cpu-kernels/TileLoops.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_CPUGEMMKERNELS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A product the kernel computes. Operands are read from `op` when the
/// kernel is emitted: emitting an earlier kernel replaces values (its
/// epilogue's result may be this product's A).
struct GemmProblem {
  linalg::GenericOp op;
  bool lhsTransposed = false; // A stored as [K, M]
  DenseElementsAttr rhs;
  bool rhsTransposed = false; // B stored as [N, K]
  int64_t m = 0, n = 0, k = 0;
  /// Products of a batch (the leading dimension of A, B and C); 0 when
  /// there is no batch dimension.
  int64_t batch = 0;
};

/// Whether the body is acc + a * b, as one FMA or a multiply and an add.
bool isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Value a = body.getArgument(0), b = body.getArgument(1),
        acc = body.getArgument(2);
  auto isProduct = [&](Value x, Value y) {
    return (x == a && y == b) || (x == b && y == a);
  };
  Operation *last = yield.getOperand(0).getDefiningOp();
  if (auto fma = dyn_cast_or_null<math::FmaOp>(last))
    return fma.getC() == acc && isProduct(fma.getA(), fma.getB()) &&
           body.getOperations().size() == 2;
  auto add = dyn_cast_or_null<arith::AddFOp>(last);
  if (!add || body.getOperations().size() != 3)
    return false;
  Value other = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = other.getDefiningOp<arith::MulFOp>();
  return (add.getLhs() == acc || add.getRhs() == acc) && mul &&
         isProduct(mul.getLhs(), mul.getRhs());
}

std::optional<GemmProblem> matchGemm(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() < 3 || op.getNumLoops() > 4 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  for (Value v : op->getOperands()) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !type.hasStaticShape() || !type.getElementType().isF32() ||
        type.getNumElements() == 0)
      return std::nullopt;
  }
  if (!isMultiplyAccumulate(op))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(maps);
  bool batched = op.getNumLoops() == 4;
  if (failed(dims) || dims->batch.size() != (batched ? 1u : 0u) ||
      dims->m.size() != 1 ||
      dims->n.size() != 1 || dims->k.size() != 1)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr m = getAffineDimExpr(dims->m[0], ctx),
             n = getAffineDimExpr(dims->n[0], ctx),
             k = getAffineDimExpr(dims->k[0], ctx);
  // A batch dimension leads every operand.
  unsigned lead = batched ? 1 : 0;
  AffineExpr batch =
      batched ? getAffineDimExpr(dims->batch[0], ctx) : AffineExpr();
  auto is = [&](AffineMap map, AffineExpr first, AffineExpr second) {
    return map.getNumResults() == 2 + lead &&
           (!batched || map.getResult(0) == batch) &&
           map.getResult(lead) == first && map.getResult(lead + 1) == second;
  };
  GemmProblem p;
  p.op = op;
  if (!is(maps[2], m, n) || !(is(maps[0], m, k) || is(maps[0], k, m)) ||
      !(is(maps[1], k, n) || is(maps[1], n, k)))
    return std::nullopt;
  p.lhsTransposed = is(maps[0], k, m);
  p.rhsTransposed = is(maps[1], n, k);
  if (!matchPattern(op.getDpsInputs()[1], m_Constant(&p.rhs)))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  p.m = ranges[dims->m[0]];
  p.n = ranges[dims->n[0]];
  p.k = ranges[dims->k[0]];
  p.batch = batched ? ranges[dims->batch[0]] : 0;
  return p;
}

/// B as panels [ceil(N / width)][K][width], zero past column N (each B of
/// a batch: [batch][ceil(N / width)][K][width]).
DenseElementsAttr packPanels(GemmProblem &p, int64_t width) {
  int64_t panels = llvm::divideCeil(p.n, width);
  int64_t batches = std::max<int64_t>(p.batch, 1);
  std::vector<float> packed(batches * panels * p.k * width, 0.0f);
  std::vector<float> source = floatValues(p.rhs);
  for (int64_t b = 0; b < batches; ++b) {
    const float *rhs = source.data() + b * p.k * p.n;
    float *out = packed.data() + b * panels * p.k * width;
    for (int64_t panel = 0; panel < panels; ++panel)
      for (int64_t k = 0; k < p.k; ++k)
        for (int64_t j = 0; j < width && panel * width + j < p.n; ++j) {
          int64_t n = panel * width + j;
          out[(panel * p.k + k) * width + j] =
              p.rhsTransposed ? rhs[n * p.k + k] : rhs[k * p.n + n];
        }
  }
  SmallVector<int64_t> shape{panels, p.k, width};
  if (p.batch)
    shape.insert(shape.begin(), p.batch);
  return floatsAttr(p.op.getContext(), shape, packed);
}

/// Emits the kernel of one product.
class GemmEmitter {
public:
  GemmEmitter(GemmProblem p, std::optional<Epilogue> epilogue,
              int64_t vectorWidth, int64_t vectors, int64_t rows, bool parallel)
      : p(p), init(p.op.getDpsInits()[0]), epilogue(epilogue),
        vectorWidth(vectorWidth), vectors(vectors), rows(rows),
        parallel(parallel) {}

  /// Replaces the product (and its epilogue) with the kernel.
  void emit(RewriterBase &rewriter);

private:
  int64_t panelWidth() const { return vectors * vectorWidth; }
  VectorType vectorType() const {
    return VectorType::get({vectorWidth}, rewriter->getF32Type());
  }
  Value index(int64_t v) {
    return arith::ConstantIndexOp::create(*rewriter, loc, v);
  }
  /// `indices` of a matrix, preceded by `batchIndex` when batched.
  SmallVector<Value> at(Value batchIndex, ValueRange indices) {
    SmallVector<Value> all;
    if (p.batch)
      all.push_back(batchIndex);
    llvm::append_range(all, indices);
    return all;
  }

  /// Computes columns [column, column + width) of every row into `dest`
  /// ([M, width]): `panel` is the panel index.
  Value emitPanel(Value dest, Value panel, Value column, int64_t width);
  /// One tile of `tileRows` rows from row `row`.
  Value emitTile(Value dest, Value panel, Value column, Value row,
                 int64_t tileRows, int64_t width);

  GemmProblem p;
  AccumulatorInit init;
  std::optional<Epilogue> epilogue;
  int64_t vectorWidth, vectors, rows;
  bool parallel;
  RewriterBase *rewriter = nullptr;
  Location loc = UnknownLoc();
  Value packed;
  /// The product of the batch being emitted.
  Value batchIv;
};

void GemmEmitter::emit(RewriterBase &r) {
  rewriter = &r;
  loc = p.op.getLoc();
  Operation *last = epilogue ? epilogue->op.getOperation() : p.op;
  rewriter->setInsertionPoint(last);
  packed =
      arith::ConstantOp::create(*rewriter, loc, packPanels(p, panelWidth()));
  // The kernel writes the epilogue's destination, or the product's.
  Value dest = epilogue ? epilogue->destination() : init.destination();

  int64_t width = panelWidth();
  int64_t fullPanels = p.n / width, tail = p.n % width;
  // Iterations: (batch,) panel.
  auto panelLoops = [&](Value dest, int64_t count, int64_t first,
                        int64_t columns) {
    SmallVector<int64_t> counts{count};
    if (p.batch)
      counts.insert(counts.begin(), p.batch);
    return buildTileLoops(
        *rewriter, loc, counts, dest, parallel,
        [&](ValueRange ivs) {
          Value panel =
              arith::AddIOp::create(*rewriter, loc, ivs.back(), index(first));
          Value column =
              arith::MulIOp::create(*rewriter, loc, panel, index(width));
          TileSlice slice{{rewriter->getIndexAttr(0), column}, {p.m, columns}};
          if (p.batch) {
            slice.offsets.insert(slice.offsets.begin(), ivs[0]);
            slice.sizes.insert(slice.sizes.begin(), 1);
          }
          return slice;
        },
        [&](ValueRange ivs, Value tile) {
          Value panel =
              arith::AddIOp::create(*rewriter, loc, ivs.back(), index(first));
          Value column =
              arith::MulIOp::create(*rewriter, loc, panel, index(width));
          batchIv = p.batch ? ivs[0] : Value();
          return emitPanel(tile, panel, column, columns);
        });
  };
  Value result = dest;
  if (fullPanels > 0)
    result = panelLoops(result, fullPanels, 0, width);
  if (tail > 0)
    result = panelLoops(result, 1, fullPanels, tail);
  rewriter->replaceOp(last, result);
  if (epilogue)
    rewriter->eraseOp(p.op);
}

Value GemmEmitter::emitPanel(Value dest, Value panel, Value column,
                             int64_t width) {
  int64_t fullTiles = p.m / rows, tailRows = p.m % rows;
  if (fullTiles > 0) {
    auto loop =
        scf::ForOp::create(*rewriter, loc, index(0), index(fullTiles * rows),
                           index(rows), ValueRange{dest});
    OpBuilder::InsertionGuard guard(*rewriter);
    rewriter->setInsertionPointToStart(loop.getBody());
    Value tile = emitTile(loop.getRegionIterArgs()[0], panel, column,
                          loop.getInductionVar(), rows, width);
    scf::YieldOp::create(*rewriter, loc, tile);
    dest = loop.getResult(0);
  }
  if (tailRows > 0)
    dest =
        emitTile(dest, panel, column, index(fullTiles * rows), tailRows, width);
  return dest;
}

Value GemmEmitter::emitTile(Value dest, Value panel, Value column, Value row,
                            int64_t tileRows, int64_t width) {
  VectorType vt = vectorType();
  int64_t tileVectors = llvm::divideCeil(width, vectorWidth);
  auto inBounds = [&](int64_t v) { return (v + 1) * vectorWidth <= width; };
  auto rowIndex = [&](int64_t r) -> Value {
    return r == 0 ? row : arith::AddIOp::create(*rewriter, loc, row, index(r));
  };
  Value zero =
      arith::ConstantOp::create(*rewriter, loc, rewriter->getF32FloatAttr(0));

  // Initial accumulators. Read from the init, they come from the slice
  // being written, or from the init itself when an epilogue writes
  // elsewhere.
  SmallVector<Value> initial;
  for (int64_t r = 0; r < tileRows; ++r)
    for (int64_t v = 0; v < tileVectors; ++v) {
      Value local = index(v * vectorWidth);
      Value outColumn = arith::AddIOp::create(*rewriter, loc, column, local);
      SmallVector<Value> outIndex = at(batchIv, {rowIndex(r), outColumn});
      SmallVector<Value> tileIndex = at(index(0), {rowIndex(r), local});
      bool fromInit = epilogue && init.readsInit();
      initial.push_back(init.emit(
          *rewriter, loc, outIndex, vectorWidth, inBounds(v),
          fromInit ? p.op.getDpsInits()[0] : dest,
          fromInit ? ValueRange(outIndex) : ValueRange(tileIndex)));
    }

  // The reduction, accumulators in registers.
  auto loop = scf::ForOp::create(*rewriter, loc, index(0), index(p.k), index(1),
                                 initial);
  {
    OpBuilder::InsertionGuard guard(*rewriter);
    rewriter->setInsertionPointToStart(loop.getBody());
    Value k = loop.getInductionVar();
    SmallVector<Value> b;
    for (int64_t v = 0; v < tileVectors; ++v)
      b.push_back(vector::TransferReadOp::create(
          *rewriter, loc, vt, packed,
          at(batchIv, {panel, k, index(v * vectorWidth)}), zero,
          ArrayRef<bool>{true}));
    SmallVector<Value> acc(loop.getRegionIterArgs());
    for (int64_t r = 0; r < tileRows; ++r) {
      Value m = rowIndex(r);
      Value a = tensor::ExtractOp::create(
          *rewriter, loc, p.op.getDpsInputs()[0],
          at(batchIv, p.lhsTransposed ? ValueRange{k, m} : ValueRange{m, k}));
      Value broadcast = vector::BroadcastOp::create(*rewriter, loc, vt, a);
      for (int64_t v = 0; v < tileVectors; ++v) {
        Value &slot = acc[r * tileVectors + v];
        slot = vector::FMAOp::create(*rewriter, loc, broadcast, b[v], slot);
      }
    }
    scf::YieldOp::create(*rewriter, loc, acc);
  }

  // Epilogue and stores.
  for (int64_t r = 0; r < tileRows; ++r)
    for (int64_t v = 0; v < tileVectors; ++v) {
      Value value = loop.getResult(r * tileVectors + v);
      Value localColumn = index(v * vectorWidth);
      if (epilogue) {
        Value outColumn =
            arith::AddIOp::create(*rewriter, loc, column, localColumn);
        value = epilogue->emit(*rewriter, loc, value,
                               at(batchIv, {rowIndex(r), outColumn}),
                               vectorWidth, inBounds(v));
      }
      dest = vector::TransferWriteOp::create(
                 *rewriter, loc, value, dest,
                 at(index(0), {rowIndex(r), localColumn}),
                 ArrayRef<bool>{inBounds(v)})
                 .getResult();
    }
  return dest;
}

struct CpuGemmKernelsPass : impl::CpuGemmKernelsBase<CpuGemmKernelsPass> {
  using CpuGemmKernelsBase::CpuGemmKernelsBase;

  void runOnOperation() override {
    SmallVector<GemmProblem> problems;
    getOperation().walk([&](linalg::GenericOp op) {
      if (auto problem = matchGemm(op))
        problems.push_back(*problem);
    });
    IRRewriter rewriter(&getContext());
    for (GemmProblem &problem : problems) {
      // Narrow products use one vector per row and taller tiles.
      // 8 x 2 and 14 x 1 vectors fill AVX-512's 32 registers with room for
      // the B vectors, a broadcast and addresses; AVX2 has 16.
      int64_t vectors = problem.n > vectorWidth ? 2 : 1;
      bool wide = vectorWidth >= 16;
      int64_t rows = std::min<int64_t>(
          problem.m, vectors == 2 ? (wide ? 8 : 5) : (wide ? 14 : 11));
      bool parallel = threads > 1 && std::max<int64_t>(problem.batch, 1) *
                                             problem.m * problem.n *
                                             problem.k >=
                                         minParallelWork;
      GemmEmitter emitter(problem,
                          findFusableEpilogue(problem.op->getResult(0)),
                          vectorWidth, vectors, rows, parallel);
      emitter.emit(rewriter);
    }
  }
};

} // namespace
} // namespace kiln
