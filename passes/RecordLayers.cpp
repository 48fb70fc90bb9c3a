//===- RecordLayers.cpp - What each layer became, for kilnc --report -----===//
//
// Run once the layout is settled and before the kernels replace the
// structured ops, this pass describes the compute layers (convolutions and
// matrix products) as the kernels will run them, in graph order, in the
// module attribute `kiln.layers`: an array of dictionaries
//   {node, op, algorithm, layout, flops, fused}
// (node: the ONNX node name; fused: the names of the nodes folded into the
// layer or fused into its epilogue), and the number of layout reorders left
// in the graph (linalg.pack/unpack of non-constant tensors) in
// `kiln.reorders`. The driver turns them into the report.
//
//===----------------------------------------------------------------------===//
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"
#include "passes/cpu-kernels/BlockedConv.h"
#include "passes/cpu-kernels/TileFusion.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_RECORDLAYERS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The node names in `loc`, in order, without repeats.
void collectNames(Location loc, SmallVectorImpl<std::string> &names) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    std::string text = name.getName().str();
    if (!llvm::is_contained(names, text))
      names.push_back(text);
    return;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      collectNames(inner, names);
}

/// "NCHW16c" and the like for a blocked activation of `rank` dimensions
/// with `lanes` channels per block; "NCHW" for a plain one.
std::string layoutName(int64_t spatial, int64_t lanes) {
  static const char *dims[] = {"W", "HW", "DHW"};
  std::string name = "NC";
  name += spatial >= 1 && spatial <= 3 ? dims[spatial - 1] : "...";
  if (lanes > 0)
    name += std::to_string(lanes) + "c";
  return name;
}

int64_t staticFlops(linalg::LinalgOp op) {
  if (auto attr = op->getAttrOfType<IntegerAttr>(kLayerFlopsAttr))
    return attr.getInt();
  int64_t flops = 2;
  for (int64_t range : op.getStaticLoopRanges())
    flops *= ShapedType::isDynamic(range) ? 1 : range;
  return flops;
}

/// Whether the body of `op` accumulates products: yield(acc + a * b) or
/// yield(fma(a, b, acc)) (pooling windows and plain reductions do not).
bool multipliesAndAccumulates(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  Value yielded = body->getTerminator()->getOperand(0);
  Operation *def = yielded.getDefiningOp();
  if (isa_and_nonnull<math::FmaOp>(def))
    return true;
  if (!isa_and_nonnull<arith::AddFOp>(def))
    return false;
  return llvm::any_of(def->getOperands(), [](Value v) {
    return isa_and_nonnull<arith::MulFOp>(v.getDefiningOp());
  });
}

/// A compute layer as its kernel will run it.
struct Layer {
  Operation *op;
  StringRef kind, algorithm;
  std::string layout;
  /// The order in which the kernel passes emit (Winograd, then direct
  /// convolutions, then the rest): when two layers feed one elementwise
  /// op (a residual add), the first to be emitted fuses it.
  int emitOrder;
  std::optional<Epilogue> epilogue;
};

std::optional<Layer> describe(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics() ||
      linalgOp.getNumReductionLoops() == 0 ||
      !isa<RankedTensorType>(op->getResult(0).getType()))
    return std::nullopt;
  auto outputType = cast<RankedTensorType>(op->getResult(0).getType());
  Layer layer{op, {}, {}, {}, 2, std::nullopt};
  if (isa<linalg::GenericOp>(op) && (op->hasAttr(kBlockedConvAttr) ||
                                     op->hasAttr(kBlockedDepthwiseAttr))) {
    bool depthwise = op->hasAttr(kBlockedDepthwiseAttr);
    auto inputType =
        cast<RankedTensorType>(linalgOp.getDpsInputs()[0].getType());
    auto filterType =
        cast<RankedTensorType>(linalgOp.getDpsInputs()[1].getType());
    bool grouped =
        !depthwise && filterType.getDimSize(1) != inputType.getDimSize(1);
    layer.kind = depthwise ? "DepthwiseConv" : grouped ? "GroupConv" : "Conv";
    ConvAlgorithm algorithm = getConvAlgorithm(op);
    layer.algorithm = stringifyConvAlgorithm(algorithm);
    layer.emitOrder = algorithm == ConvAlgorithm::Winograd ? 0 : 1;
    layer.layout =
        layoutName(outputType.getRank() - 3, outputType.getShape().back());
  } else if (isa<linalg::ConvolutionOpInterface>(op) &&
             op->getName().getStringRef().contains("conv")) {
    layer.kind = "Conv";
    layer.algorithm = "loops";
    layer.layout = layoutName(outputType.getRank() - 2, 0);
  } else if (linalgOp.getNumDpsInputs() == 2 &&
             succeeded(linalg::inferContractionDims(linalgOp)) &&
             multipliesAndAccumulates(linalgOp)) {
    // By its indexing maps and body: a product whose body is one math.fma
    // is not a contraction to linalg's interface, which wants mulf+addf.
    layer.kind = "MatMul";
    layer.algorithm = "gemm";
    layer.layout = "row-major";
  } else {
    return std::nullopt;
  }
  return layer;
}

struct RecordLayersPass : impl::RecordLayersBase<RecordLayersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    Builder b(&getContext());
    SmallVector<Layer> layers;
    int64_t reorders = 0;
    module.walk([&](Operation *op) {
      if (isa<linalg::PackOp, linalg::UnPackOp>(op))
        reorders += !matchPattern(op->getOperand(0), m_Constant());
      else if (std::optional<Layer> layer = describe(op))
        layers.push_back(*layer);
    });
    // Each elementwise consumer goes to the layer whose kernel fuses it.
    SmallVector<Layer *> byEmitOrder;
    for (Layer &layer : layers)
      byEmitOrder.push_back(&layer);
    llvm::sort(byEmitOrder, [](const Layer *x, const Layer *y) {
      return std::make_pair(x->emitOrder, x) < std::make_pair(y->emitOrder, y);
    });
    DenseSet<Operation *> claimed;
    for (Layer *layer : byEmitOrder) {
      layer->epilogue = findFusableEpilogue(layer->op->getResult(0));
      if (layer->epilogue && !claimed.insert(layer->epilogue->op).second)
        layer->epilogue.reset();
    }

    SmallVector<Attribute> records;
    for (Layer &layer : layers) {
      SmallVector<std::string> names;
      collectNames(layer.op->getLoc(), names);
      if (layer.epilogue)
        collectNames(layer.epilogue->op.getLoc(), names);
      std::string node = names.empty() ? std::string() : names.front();
      SmallVector<Attribute> fused;
      for (const std::string &name :
           ArrayRef(names).drop_front(names.empty() ? 0 : 1))
        fused.push_back(b.getStringAttr(name));
      records.push_back(b.getDictionaryAttr({
          b.getNamedAttr("node", b.getStringAttr(node)),
          b.getNamedAttr("op", b.getStringAttr(layer.kind)),
          b.getNamedAttr("algorithm", b.getStringAttr(layer.algorithm)),
          b.getNamedAttr("layout", b.getStringAttr(layer.layout)),
          b.getNamedAttr("flops", b.getI64IntegerAttr(staticFlops(
                                      cast<linalg::LinalgOp>(layer.op)))),
          b.getNamedAttr("fused", b.getArrayAttr(fused)),
      }));
    }
    module->setAttr("kiln.layers", b.getArrayAttr(records));
    module->setAttr("kiln.reorders", b.getI64IntegerAttr(reorders));
  }
};

} // namespace
} // namespace kiln
