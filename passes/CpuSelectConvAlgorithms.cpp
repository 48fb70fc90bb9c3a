//===- CpuSelectConvAlgorithms.cpp - An algorithm for every convolution ---===//
//
// Records on each convolution with a constant filter the algorithm that
// computes it and its work (ConvAlgorithm.h), before the layout and kernel
// passes run:
//
// - `algorithm=auto` asks the CPU's cost model (below) per layer;
// - `algorithm=direct|winograd|im2col` forces that algorithm on every
//   layer that allows it (the others stay direct);
// - `overrides=NODE=ALGORITHM,...` sets single layers by ONNX node name,
//   and is an error when the node has no convolution or its convolution
//   does not allow the algorithm.
//
// The cost model compares time estimates in FMA-cycles of one vector lane:
// the direct kernel runs near the FMA peak; Winograd F(4x4, 3x3) replaces
// 144 multiply-adds per 16 outputs of a channel pair by 36 in a matrix
// product whose rows are the tiles (short ones run below peak), plus
// transforms that cost per tile and channel whatever the other channel
// count is, so Winograd pays off with enough channels on both sides; im2col
// does the direct kernel's work in a matrix product of the same efficiency
// plus its gather and output pass, so it is never estimated cheaper, as
// bench/conv_algorithms.py measured (bench/CONV_ALGORITHMS.md).
//
//===----------------------------------------------------------------------===//
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

#include <map>
#include <set>

namespace kiln {
#define GEN_PASS_DEF_CPUSELECTCONVALGORITHMS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The ONNX node a convolution came from: its location's first name (a
/// convolution with a folded batch norm is named after the convolution).
std::optional<std::string> nodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (auto name = nodeName(inner))
        return name;
  return std::nullopt;
}

/// A 2-D convolution's shape, as the cost model sees it.
struct ConvShape {
  int64_t batch = 1, channelsIn = 0, channelsOut = 0, height = 0, width = 0;
  int64_t kernelH = 0, kernelW = 0;
  bool unitStrides = false, unitDilations = false;
};

std::optional<ConvShape> convShape(linalg::LinalgOp op) {
  if (!isa<linalg::Conv2DNchwFchwOp>(op))
    return std::nullopt;
  auto input = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto filter = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  auto output = cast<RankedTensorType>(op->getResult(0).getType());
  ConvShape s;
  s.batch = input.getDimSize(0);
  s.channelsIn = input.getDimSize(1);
  s.channelsOut = filter.getDimSize(0);
  s.kernelH = filter.getDimSize(2);
  s.kernelW = filter.getDimSize(3);
  s.height = output.getDimSize(2);
  s.width = output.getDimSize(3);
  auto allOnes = [&](StringRef name) {
    auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
    return !attr || llvm::all_of(attr.getValues<int64_t>(),
                                 [](int64_t v) { return v == 1; });
  };
  s.unitStrides = allOnes("strides");
  s.unitDilations = allOnes("dilations");
  return s;
}

/// Why `algorithm` cannot compute this convolution, or "" if it can.
std::string obstacle(ConvAlgorithm algorithm, const std::optional<ConvShape> &s,
                     int64_t vectorWidth) {
  if (algorithm == ConvAlgorithm::Direct)
    return "";
  if (!s)
    return "it is not a dense 2-D convolution";
  if (algorithm == ConvAlgorithm::Im2col)
    return "";
  if (s->kernelH != 3 || s->kernelW != 3)
    return "its kernel is not 3x3";
  if (!s->unitStrides || !s->unitDilations)
    return "its strides or dilations are not 1";
  if (s->channelsIn < vectorWidth)
    return "it has fewer than " + std::to_string(vectorWidth) +
           " input channels";
  return "";
}

/// Estimated cost of computing `s` directly and by Winograd F(m x m, 3x3),
/// in FMA-cycles of one lane.
double directCost(const ConvShape &s) {
  return double(s.batch) * s.height * s.width * s.channelsIn *
         s.channelsOut * s.kernelH * s.kernelW;
}

double winogradCost(const ConvShape &s, int64_t vectorWidth) {
  const int64_t m = 4, alpha = m + 2;
  auto roundUp = [&](int64_t c) {
    return llvm::divideCeil(c, vectorWidth) * vectorWidth;
  };
  double tiles = double(s.batch) * llvm::divideCeil(s.height, m) *
                 llvm::divideCeil(s.width, m);
  double cin = roundUp(s.channelsIn), cout = roundUp(s.channelsOut);
  // The matrix product: tiles x cin x cout per alpha^2; its register tile
  // has 8 rows, so fewer tiles leave it partly idle.
  double rowUse = tiles / (8 * llvm::divideCeil(int64_t(tiles), int64_t(8)));
  double product = alpha * alpha * tiles * cin * cout / rowUse;
  // Transforms: per tile and channel, about 4 operations for each of the
  // alpha^2 values in, and as many out, and their trips through memory.
  double transforms = tiles * (cin + cout) * alpha * alpha * 8;
  // Three kernels instead of one: their parallel regions and the round
  // trips of V and M through memory cost about as much as 8M multiply-adds
  // of the direct kernel (bench/conv_algorithms.py: on 2 threads Winograd
  // lost on 32x28x28 and 64x14x14 layers, 7M multiply-adds each, and won
  // from 29M up).
  const double fixedCost = 8e6;
  return product + transforms + fixedCost;
}

/// im2col: the direct kernel's work as one matrix product (whose 8-row
/// register tiles are as efficient as the direct kernel's 14-pixel ones),
/// plus the gather (every input value copied once per tap) and the
/// output's extra trip through memory.
double im2colCost(const ConvShape &s, int64_t vectorWidth) {
  auto roundUp = [&](int64_t c) {
    return llvm::divideCeil(c, vectorWidth) * vectorWidth;
  };
  double pixels = double(s.batch) * s.height * s.width;
  double k = double(roundUp(s.channelsIn)) * s.kernelH * s.kernelW;
  return directCost(s) + pixels * k / 2 + pixels * roundUp(s.channelsOut);
}

struct CpuSelectConvAlgorithmsPass
    : impl::CpuSelectConvAlgorithmsBase<CpuSelectConvAlgorithmsPass> {
  using CpuSelectConvAlgorithmsBase::CpuSelectConvAlgorithmsBase;

  void runOnOperation() override {
    std::optional<ConvAlgorithm> forced;
    if (algorithm != "auto") {
      forced = parseConvAlgorithm(algorithm);
      if (!forced) {
        getOperation().emitError()
            << "unknown convolution algorithm '" << algorithm
            << "' (expected auto, direct, im2col or winograd)";
        return signalPassFailure();
      }
    }
    std::map<std::string, ConvAlgorithm> byNode;
    for (const std::string &entry : overrides) {
      auto [node, name] = StringRef(entry).rsplit('=');
      std::optional<ConvAlgorithm> a = parseConvAlgorithm(name);
      if (node.empty() || !a) {
        getOperation().emitError()
            << "convolution algorithm override '" << entry
            << "': expected NODE=ALGORITHM with ALGORITHM one of direct, "
               "im2col, winograd";
        return signalPassFailure();
      }
      byNode[node.str()] = *a;
    }
    std::set<std::string> seen;
    bool failed = false;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!isa<linalg::ConvolutionOpInterface>(op.getOperation()) ||
          !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
          !matchPattern(op.getDpsInputs()[1], m_Constant()))
        return;
      std::optional<ConvShape> shape = convShape(op);
      auto allows = [&](ConvAlgorithm a) {
        return obstacle(a, shape, vectorWidth).empty();
      };
      std::optional<std::string> node = nodeName(op.getLoc());
      ConvAlgorithm chosen = ConvAlgorithm::Direct;
      auto override = node ? byNode.find(*node) : byNode.end();
      if (override != byNode.end()) {
        seen.insert(*node);
        chosen = override->second;
        if (std::string why = obstacle(chosen, shape, vectorWidth);
            !why.empty()) {
          op->emitError() << "the " << stringifyConvAlgorithm(chosen)
                          << " algorithm asked for node '" << *node
                          << "' cannot compute it: " << why;
          failed = true;
          return;
        }
      } else if (forced) {
        if (allows(*forced))
          chosen = *forced;
      } else if (shape) {
        // The cheapest estimate among the algorithms the layer allows.
        double best = directCost(*shape);
        if (allows(ConvAlgorithm::Winograd))
          if (double cost = winogradCost(*shape, vectorWidth); cost < best) {
            best = cost;
            chosen = ConvAlgorithm::Winograd;
          }
        if (double cost = im2colCost(*shape, vectorWidth); cost < best) {
          best = cost;
          chosen = ConvAlgorithm::Im2col;
        }
      }
      setConvAlgorithm(op, chosen);
      int64_t flops = 2;
      for (int64_t range : op.getStaticLoopRanges())
        flops *= range;
      op->setAttr(kLayerFlopsAttr,
                  IntegerAttr::get(IntegerType::get(op.getContext(), 64), flops));
    });
    for (auto &[node, algorithm] : byNode)
      if (!seen.count(node)) {
        getOperation().emitError()
            << "convolution algorithm override for '" << node
            << "': the graph has no convolution of that name";
        failed = true;
      }
    if (failed)
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
