//===- CpuBlockConvolutions.cpp - Convolutions in channel-blocked layout --===//
//
// The CPU's convolution kernel (CpuConvKernels) computes in NCHWc: the
// output as [N, F/c, OH, OW, c] with c = the vector width, so that one
// vector register holds c output channels of one pixel, and the input as
// [N, C/c', H, W, c'] (c' = c, or C itself when C < c, as for an image's
// three colours); likewise in 1-D and 3-D, and for depthwise convolutions
// (input and output in blocks of c). This pass rewrites each f32
// linalg.conv_1d_ncw_fcw, conv_2d_nchw_fchw, conv_3d_ncdhw_fcdhw,
// conv_2d_ngchw_gfchw and depthwise_conv_{1d_ncw_cw,2d_nchw_chw,3d_ncdhw_cdhw}
// with a constant filter into that form:
//
//   unpack(blocked_conv(pad(pack(x)), packed filter, blocked init))
//
// - pack/unpack are linalg.pack/unpack on the channel dimension (zero
//   padding when the channels are not a multiple of the block); between two
//   convolutions, SinkUnpacks moves them through elementwise ops and
//   cancels the pairs, so activations stay blocked;
// - the spatial zero padding is applied after packing, on the blocked input;
// - the filter is rearranged at compile time to [F/c, C/c', K..., c', c]:
//   the c output channels of one tap are one contiguous vector;
// - a grouped convolution's groups are gathered into block groups of whole
//   blocks (BlockedConv.h), each computed densely: groups of 4 channels
//   cost 4 times their multiply-adds, still far less than the loops of the
//   named op; its [N, G, C/G, ...] views are taken flat;
// - the init (a fill, a broadcast of a constant bias, or anything else,
//   packed) is rebuilt in blocked layout;
// - blocked_conv is a linalg.generic over (n, f1, o..., f0, c1, k..., c0)
//   tagged `kiln.conv_nchwc` with its strides and dilations, which
//   CpuConvKernels lowers.
//
//===----------------------------------------------------------------------===//
#include "passes/ConvAlgorithm.h"
#include "passes/Passes.h"
#include "passes/cpu-kernels/BlockedConv.h"
#include "passes/cpu-kernels/FloatConstants.h"
#include "passes/cpu-kernels/MultiplyAccumulate.h"

#include "mlir/IR/Matchers.h"

#include <numeric>

namespace kiln {
#define GEN_PASS_DEF_CPUBLOCKCONVOLUTIONS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

using IteratorTypes = SmallVector<utils::IteratorType>;

bool isStaticF32(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32() &&
         type.getNumElements() > 0;
}

/// The input before its spatial zero padding, and that padding.
struct PaddedInput {
  Value source;
  SmallVector<int64_t> low, high;
};

PaddedInput unpad(Value input) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  PaddedInput result{input, SmallVector<int64_t>(rank, 0),
                     SmallVector<int64_t>(rank, 0)};
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!pad || pad.getNofold())
    return result;
  Value padding = pad.getConstantPaddingValue();
  if (!padding || !matchPattern(padding, m_AnyZeroFloat()))
    return result;
  SmallVector<int64_t> low(pad.getStaticLow()), high(pad.getStaticHigh());
  if (llvm::any_of(low, ShapedType::isDynamic) ||
      llvm::any_of(high, ShapedType::isDynamic) || low[0] || low[1] ||
      high[0] || high[1])
    return result;
  return PaddedInput{pad.getSource(), low, high};
}

/// The filter [F, C/G, K...] of a convolution with G groups as
/// [F1, C1/B, K..., inBlock, outBlock] for B block groups (BlockedConv.h):
/// dense within a block group, zero between an output channel and the
/// input channels outside its group, and past F and C.
DenseElementsAttr packedFilter(DenseElementsAttr filter, int64_t filters,
                               int64_t groups, int64_t blockGroups,
                               int64_t outBlock, int64_t inBlock) {
  auto shape = cast<RankedTensorType>(filter.getType()).getShape();
  ArrayRef<int64_t> kernel =
      shape.take_back(shape.size() - (groups > 1 ? 3 : 2));
  int64_t inPerGroup = shape[groups > 1 ? 2 : 1];
  int64_t outPerGroup = filters / groups, c = inPerGroup * groups;
  int64_t taps = 1;
  for (int64_t k : kernel)
    taps *= k;
  // Channels of one block group, and its blocks.
  int64_t groupOut = filters / blockGroups, groupIn = c / blockGroups;
  int64_t f1 = blockGroups * llvm::divideCeil(groupOut, outBlock);
  int64_t c1 = llvm::divideCeil(groupIn, inBlock);
  std::vector<float> source = floatValues(filter);
  std::vector<float> packed(f1 * c1 * taps * inBlock * outBlock, 0.0f);
  for (int64_t o = 0; o < filters; ++o)
    for (int64_t i = 0; i < inPerGroup; ++i)
      for (int64_t t = 0; t < taps; ++t) {
        // Input channel i of o's group, within o's block group.
        int64_t in =
            (o / outPerGroup) * inPerGroup + i - (o / groupOut) * groupIn;
        int64_t o1 = o / outBlock, o0 = o % outBlock;
        int64_t i1 = in / inBlock, i0 = in % inBlock;
        int64_t at =
            (((o1 * c1 + i1) * taps + t) * inBlock + i0) * outBlock + o0;
        packed[at] = source[(o * inPerGroup + i) * taps + t];
      }
  SmallVector<int64_t> packedShape{f1, c1};
  llvm::append_range(packedShape, kernel);
  packedShape.push_back(inBlock);
  packedShape.push_back(outBlock);
  return floatsAttr(filter.getContext(), packedShape, packed);
}

/// The block groups of a convolution with `groups` groups of `inPerGroup`
/// input and `outPerGroup` output channels: the fewest whole groups whose
/// channels fill whole blocks (each block group computing its k groups
/// densely, k times their multiply-adds), or else one dense convolution;
/// 0 when that would waste more than `block` times the work.
int64_t chooseBlockGroups(int64_t groups, int64_t inPerGroup,
                          int64_t outPerGroup, int64_t block) {
  int64_t k = std::lcm(block / std::gcd(block, inPerGroup),
                       block / std::gcd(block, outPerGroup));
  if (groups % k == 0)
    return groups / k;
  return groups <= block ? 1 : 0;
}

/// The reassociation of [N, G, X, ...] and [N, G * X, ...] of rank + 1 and
/// rank dimensions.
SmallVector<ReassociationIndices> groupedDims(int64_t rank) {
  SmallVector<ReassociationIndices> dims{{0}, {1, 2}};
  for (int64_t d = 3; d <= rank; ++d)
    dims.push_back({d});
  return dims;
}

/// `value` [N, G, X, ...] viewed as [N, G * X, ...].
Value ungrouped(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[1] *= shape[2];
  shape.erase(shape.begin() + 2);
  auto flatType = type.clone(shape);
  auto dims = groupedDims(flatType.getRank());
  if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
    Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
    return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty)
        .getResult(0);
  }
  if (auto expand = value.getDefiningOp<tensor::ExpandShapeOp>())
    if (expand.getSrcType() == flatType &&
        expand.getReassociationIndices() == dims)
      return expand.getSrc();
  return tensor::CollapseShapeOp::create(b, loc, flatType, value, dims);
}

/// The depthwise filter [C, K...] as [C1, K..., block], zero past C.
DenseElementsAttr packedDepthwiseFilter(DenseElementsAttr filter,
                                        int64_t block) {
  auto shape = cast<RankedTensorType>(filter.getType()).getShape();
  int64_t c = shape[0];
  int64_t taps = 1;
  for (int64_t k : shape.drop_front())
    taps *= k;
  int64_t c1 = llvm::divideCeil(c, block);
  std::vector<float> source = floatValues(filter);
  std::vector<float> packed(c1 * taps * block, 0.0f);
  for (int64_t i = 0; i < c; ++i)
    for (int64_t t = 0; t < taps; ++t)
      packed[((i / block) * taps + t) * block + i % block] =
          source[i * taps + t];
  SmallVector<int64_t> packedShape{c1};
  llvm::append_range(packedShape, shape.drop_front());
  packedShape.push_back(block);
  return floatsAttr(filter.getContext(), packedShape, packed);
}

Value packChannels(OpBuilder &b, Location loc, Value value, int64_t block) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  int64_t channels = shape[1];
  shape[1] = llvm::divideCeil(channels, block);
  shape.push_back(block);
  Value dest = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  std::optional<Value> padding;
  if (channels % block != 0)
    padding =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return linalg::PackOp::create(b, loc, value, dest, ArrayRef<int64_t>{1},
                                ArrayRef<OpFoldResult>{b.getIndexAttr(block)},
                                padding)
      .getResult();
}

/// The init in blocked layout [N, F1, O..., c].
Value blockedInit(OpBuilder &b, Location loc, Value init, int64_t block) {
  auto type = cast<RankedTensorType>(init.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape());
  int64_t channels = shape[1];
  shape[1] = llvm::divideCeil(channels, block);
  shape.push_back(block);
  Value empty = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return linalg::FillOp::create(b, loc, fill.getInputs()[0], empty)
        .getResult(0);
  // A broadcast of a constant bias [F]: the bias as [F1, c].
  if (auto generic = init.getDefiningOp<linalg::GenericOp>()) {
    DenseElementsAttr bias;
    MLIRContext *ctx = b.getContext();
    Block &body = generic.getRegion().front();
    if (generic.getNumDpsInputs() == 1 && body.getOperations().size() == 1 &&
        body.getTerminator()->getOperand(0) == body.getArgument(0) &&
        generic.getIndexingMapsArray()[0] ==
            AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx) &&
        generic.getIndexingMapsArray()[1].isIdentity() &&
        matchPattern(generic.getDpsInputs()[0], m_Constant(&bias)) &&
        bias.getElementType().isF32()) {
      std::vector<float> values(shape[1] * block, 0.0f);
      int64_t i = 0;
      for (float v : bias.getValues<float>())
        values[i++] = v;
      auto biasType = RankedTensorType::get({shape[1], block}, b.getF32Type());
      Value blockedBias = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(biasType, ArrayRef<float>(values)));
      auto biasMap = AffineMap::get(
          rank + 1, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(rank, ctx)},
          ctx);
      return linalg::GenericOp::create(
                 b, loc, empty.getType(), blockedBias, empty,
                 ArrayRef<AffineMap>{biasMap,
                                     b.getMultiDimIdentityMap(rank + 1)},
                 IteratorTypes(rank + 1, utils::IteratorType::parallel),
                 [](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(nb, l, args[0]);
                 })
          .getResult(0);
    }
  }
  return packChannels(b, loc, init, block);
}

struct CpuBlockConvolutionsPass
    : impl::CpuBlockConvolutionsBase<CpuBlockConvolutionsPass> {
  using CpuBlockConvolutionsBase::CpuBlockConvolutionsBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::Conv1DNcwFcwOp, linalg::Conv2DNchwFchwOp,
              linalg::Conv3DNcdhwFcdhwOp, linalg::Conv2DNgchwGfchwOp,
              linalg::DepthwiseConv1DNcwCwOp, linalg::DepthwiseConv2DNchwChwOp,
              linalg::DepthwiseConv3DNcdhwCdhwOp>(op) &&
          op.hasPureTensorSemantics() &&
          llvm::all_of(op->getOperands(), isStaticF32) &&
          matchPattern(op.getDpsInputs()[1], m_Constant()))
        convs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : convs)
      rewrite(rewriter, op);
  }

  void rewrite(RewriterBase &rewriter, linalg::LinalgOp op) {
    Location loc = op.getLoc();
    MLIRContext *ctx = &getContext();
    rewriter.setInsertionPoint(op);
    DenseElementsAttr filter;
    matchPattern(op.getDpsInputs()[1], m_Constant(&filter));
    ArrayRef<int64_t> filterShape = filter.getType().getShape();
    // A grouped convolution computes on [N, G, C/G, ...] views: blocking
    // takes the channels whole.
    bool grouped = isa<linalg::Conv2DNgchwGfchwOp>(op);
    int64_t groups = grouped ? filterShape[0] : 1;
    int64_t filters = grouped ? groups * filterShape[1] : filterShape[0];
    // Input channels ([N, G, C/G, ...] when grouped).
    auto opInputType = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
    int64_t channels =
        grouped ? opInputType.getDimSize(1) * opInputType.getDimSize(2)
                : opInputType.getDimSize(1);
    int64_t blockGroups = grouped
                              ? chooseBlockGroups(groups, channels / groups,
                                                  filters / groups, blockSize)
                              : 1;
    if (blockGroups == 0)
      return;
    Value inputValue = op.getDpsInputs()[0], initValue = op.getDpsInits()[0];
    if (grouped) {
      inputValue = ungrouped(rewriter, loc, inputValue);
      initValue = ungrouped(rewriter, loc, initValue);
    }
    PaddedInput input = unpad(inputValue);
    auto resultType = cast<RankedTensorType>(initValue.getType());
    int64_t rank = resultType.getRank(), spatial = rank - 2;
    bool depthwise =
        isa<linalg::DepthwiseConv1DNcwCwOp, linalg::DepthwiseConv2DNchwChwOp,
            linalg::DepthwiseConv3DNcdhwCdhwOp>(op);
    int64_t outBlock = blockSize;
    // A depthwise convolution reads each output channel's own input channel:
    // both in blocks of the output's.
    int64_t inBlock = channels < blockSize && !depthwise && blockGroups == 1
                          ? channels
                          : blockSize;

    // Input: blocked, then padded.
    Value x = packChannels(rewriter, loc, input.source, inBlock);
    if (llvm::any_of(input.low, [](int64_t v) { return v != 0; }) ||
        llvm::any_of(input.high, [](int64_t v) { return v != 0; })) {
      SmallVector<int64_t> low(input.low), high(input.high);
      low.push_back(0);
      high.push_back(0);
      auto xType = cast<RankedTensorType>(x.getType());
      SmallVector<int64_t> paddedShape(xType.getShape());
      for (int64_t d = 0; d <= rank; ++d)
        paddedShape[d] += low[d] + high[d];
      Value zero =
          arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0));
      x = tensor::PadOp::create(
          rewriter, loc,
          RankedTensorType::get(paddedShape, rewriter.getF32Type()), x,
          getAsIndexOpFoldResult(ctx, low), getAsIndexOpFoldResult(ctx, high),
          zero);
    }
    Value w = arith::ConstantOp::create(
        rewriter, loc,
        depthwise ? packedDepthwiseFilter(filter, outBlock)
                  : packedFilter(filter, filters, groups, blockGroups, outBlock,
                                 inBlock));
    Value init = blockedInit(rewriter, loc, initValue, outBlock);

    // Named convolutions default to unit strides and dilations.
    auto attrOrOnes = [&](StringRef name) {
      auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
      return attr ? SmallVector<int64_t>(attr.getValues<int64_t>())
                  : SmallVector<int64_t>(spatial, 1);
    };
    SmallVector<int64_t> strides = attrOrOnes("strides");
    SmallVector<int64_t> dilations = attrOrOnes("dilations");
    // Loops: n, f1, o..., f0, then the reduction: (c1,) k..., (c0,).
    SmallVector<AffineMap> maps =
        depthwise ? blockedDepthwiseMaps(ctx, spatial, strides, dilations)
                  : blockedConvMaps(
                        ctx, spatial, strides, dilations, blockGroups,
                        cast<RankedTensorType>(init.getType()).getDimSize(1) /
                            blockGroups,
                        cast<RankedTensorType>(w.getType()).getDimSize(1));
    IteratorTypes iterators(3 + spatial, utils::IteratorType::parallel);
    iterators.append(depthwise ? spatial : 2 + spatial,
                     utils::IteratorType::reduction);
    linalg::GenericOp conv = buildMultiplyAccumulate(
        rewriter, loc, ValueRange{x, w}, init, maps, iterators);
    SmallVector<int64_t> params(strides);
    llvm::append_range(params, dilations);
    conv->setAttr(depthwise ? kBlockedDepthwiseAttr : kBlockedConvAttr,
                  rewriter.getDenseI64ArrayAttr(params));
    for (StringRef name : {kConvAlgorithmAttr, kLayerFlopsAttr})
      if (Attribute attr = op->getAttr(name))
        conv->setAttr(name, attr);

    Value dest = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType());
    Value result =
        linalg::UnPackOp::create(
            rewriter, loc, conv.getResult(0), dest, ArrayRef<int64_t>{1},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(outBlock)})
            .getResult();
    if (grouped) {
      // The grouped view's users that view it flat again take the result.
      auto dims = groupedDims(rank);
      for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
        if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(user))
          if (collapse.getResultType() == resultType &&
              collapse.getReassociationIndices() == dims)
            rewriter.replaceOp(collapse, result);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, op->getResultTypes()[0], result, dims);
    }
    rewriter.replaceOp(op, result);
  }
};

} // namespace
} // namespace kiln
