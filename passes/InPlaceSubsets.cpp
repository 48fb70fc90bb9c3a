//===- InPlaceSubsets.cpp - Producers write into the tensors they feed ---===//
//
// A concatenation is a chain of tensor.insert_slice into a tensor.empty,
// and a zero padding becomes one into a filled tensor; bufferized as they
// are, each part is computed into a buffer of its own and then copied into
// the whole (GoogLeNet copied 23 MB per inference). This pass makes the
// producers write their results where the whole keeps them:
//
//   %a = kernel(... outs(%empty_a))          %base = tensor.empty / fill
//   %b = kernel(... outs(%empty_b))    =>    %a = kernel(... outs(slice(%base, A)))
//   %x = insert_slice %a into %base [A]      %b = kernel(... outs(slice(%base, B)))
//   %y = insert_slice %b into %x [B]         %x = insert_slice %a into %base [A]
//                                             %y = insert_slice %b into %x [B]
//
// after which one-shot bufferization finds each insert_slice writing a
// buffer onto itself and emits no copy. A part's producer is found by
// following destinations back from the inserted value (linalg and other
// destination-style ops, scf.for and scf.forall results, inserts) to the
// tensor.empty they start from; its content is never read, so replacing it
// with a slice of the base changes no value. Parts that are concatenations
// themselves (DenseNet's growing blocks) nest: their base becomes a slice
// of the outer base. Each base (an empty, or a fill of one) moves up to
// just before its first use, so that its buffer's live range, which the
// workspace plan shares, starts no earlier than it must.
//
// Static shapes, unit strides, no rank change; anything else is left to
// bufferization, which also stays the judge of whether a write in place is
// safe (it copies where it is not).
//
//===----------------------------------------------------------------------===//
#include "passes/Destinations.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_INPLACESUBSETS
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

bool isStatic(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape();
}

/// A constant padding of static shapes as an insert_slice into a fill, the
/// form whose source's producer can write into the padded tensor.
void padsAsInserts(func::FuncOp func, RewriterBase &rewriter) {
  SmallVector<tensor::PadOp> pads;
  func.walk([&](tensor::PadOp pad) {
    if (isStatic(pad.getResult()) && isStatic(pad.getSource()) &&
        !pad.getNofold() && pad.getConstantPaddingValue() &&
        llvm::none_of(pad.getStaticLow(), ShapedType::isDynamic))
      pads.push_back(pad);
  });
  for (tensor::PadOp pad : pads) {
    rewriter.setInsertionPoint(pad);
    Location loc = pad.getLoc();
    auto type = cast<RankedTensorType>(pad.getResult().getType());
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    Value filled =
        linalg::FillOp::create(rewriter, loc, pad.getConstantPaddingValue(),
                               empty)
            .getResult(0);
    auto sourceType = cast<RankedTensorType>(pad.getSource().getType());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (auto [low, size] :
         llvm::zip_equal(pad.getStaticLow(), sourceType.getShape())) {
      offsets.push_back(rewriter.getIndexAttr(low));
      sizes.push_back(rewriter.getIndexAttr(size));
      strides.push_back(rewriter.getIndexAttr(1));
    }
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        pad, pad.getSource(), filled, offsets, sizes, strides);
  }
}

/// The tensor.empty whose (unread) content `value` is computed in, if every
/// step from it to `value` writes its destination and has no other reader.
tensor::EmptyOp producingEmpty(Value value) {
  Value v = value;
  while (true) {
    Operation *def = v.getDefiningOp();
    if (!def)
      return {};
    if (auto empty = dyn_cast<tensor::EmptyOp>(def))
      return empty;
    OpOperand *tied = tiedDestination(cast<OpResult>(v));
    if (!tied)
      return {};
    v = tied->get();
    // The destination's state before this step must have no other reader
    // (an extract_slice made by this pass only names a place).
    if (!llvm::all_of(v.getUsers(), [&](Operation *user) {
          return user == def || isa<tensor::ExtractSliceOp>(user);
        }))
      return {};
  }
}

/// The start of the insert chain that `insert` is part of: an empty, or a
/// fill of one.
Value chainBase(tensor::InsertSliceOp insert) {
  Value dest = insert.getDest();
  while (auto inner = dest.getDefiningOp<tensor::InsertSliceOp>())
    dest = inner.getDest();
  Operation *def = dest.getDefiningOp();
  if (isa_and_nonnull<tensor::EmptyOp>(def))
    return dest;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(def))
    if (fill.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>() &&
        matchPattern(fill.getDpsInputs()[0], m_Constant()))
      return dest;
  return {};
}

/// Makes `value` defined before `point` (in the same block) by moving up
/// the ops that may move: those without effects on memory whose operands
/// can be made available in turn (empties, constants, fills of them, the
/// earlier inserts of a chain and slices). False if it cannot.
bool makeAvailableBefore(Value value, Operation *point) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return cast<BlockArgument>(value).getOwner() == point->getBlock();
  if (def->getBlock() != point->getBlock())
    return false;
  if (def->isBeforeInBlock(point))
    return true;
  if (!isa<tensor::EmptyOp, arith::ConstantOp, linalg::FillOp,
           tensor::InsertSliceOp, tensor::ExtractSliceOp>(def))
    return false;
  for (Value operand : def->getOperands())
    if (!makeAvailableBefore(operand, point))
      return false;
  def->moveBefore(point);
  return true;
}

/// Moves `op`, which has no operands, just before its first user.
void sinkToFirstUse(Operation *op) {
  Block *block = op->getBlock();
  Operation *first = nullptr;
  for (Operation *user : op->getUsers()) {
    Operation *ancestor = block->findAncestorOpInBlock(*user);
    if (ancestor && (!first || ancestor->isBeforeInBlock(first)))
      first = ancestor;
  }
  if (first && first != op->getNextNode())
    op->moveBefore(first);
}

struct InPlaceSubsetsPass : impl::InPlaceSubsetsBase<InPlaceSubsetsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation().walk([&](func::FuncOp func) {
      padsAsInserts(func, rewriter);
      SmallVector<tensor::InsertSliceOp> inserts;
      for (auto insert : func.getBody().front().getOps<tensor::InsertSliceOp>())
        inserts.push_back(insert);
      SmallVector<tensor::InsertSliceOp> inPlace;
      for (tensor::InsertSliceOp insert : inserts) {
        if (!chainBase(insert) || !isStatic(insert.getSource()) ||
            !insert.hasUnitStride() ||
            insert.getSourceType().getRank() !=
                insert.getDestType().getRank() ||
            llvm::any_of(insert.getStaticOffsets(), ShapedType::isDynamic))
          continue;
        tensor::EmptyOp empty = producingEmpty(insert.getSource());
        if (!empty || empty.getType() != insert.getSourceType() ||
            empty->getParentOp() != func)
          continue;
        // The part is computed in a slice of the insert's destination, the
        // whole as it stands before this part: taken where the part's
        // computation starts, the destination moved above it (its earlier
        // parts' inserts, the chain's empty or fill), which fails when an
        // earlier part is computed after this one starts.
        sinkToFirstUse(empty);
        if (!makeAvailableBefore(insert.getDest(), empty))
          continue;
        rewriter.setInsertionPoint(empty);
        rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
            empty, insert.getSourceType(), insert.getDest(),
            insert.getMixedOffsets(), insert.getMixedSizes(),
            insert.getMixedStrides());
        inPlace.push_back(insert);
      }
      // A part read after its insert (an inner concatenation that a dense
      // block's next layer reads) is read from the whole: the same values,
      // and no read of an older version of memory the whole now owns,
      // which bufferization would resolve by copying.
      for (tensor::InsertSliceOp insert : inPlace) {
        Value part = insert.getSource();
        // The insert right after the part, so that all its readers follow.
        if (Operation *def = part.getDefiningOp();
            def && def->getBlock() == insert->getBlock() &&
            def->getNextNode() != insert.getOperation() &&
            makeAvailableBefore(insert.getDest(), def->getNextNode()))
          insert->moveBefore(def->getNextNode());
        SmallVector<OpOperand *> later;
        for (OpOperand &use : part.getUses()) {
          Operation *user =
              insert->getBlock()->findAncestorOpInBlock(*use.getOwner());
          if (user && user != insert && insert->isBeforeInBlock(user))
            later.push_back(&use);
        }
        if (later.empty())
          continue;
        rewriter.setInsertionPointAfter(insert);
        Value fromWhole = tensor::ExtractSliceOp::create(
            rewriter, insert.getLoc(), insert.getSourceType(),
            insert.getResult(), insert.getMixedOffsets(),
            insert.getMixedSizes(), insert.getMixedStrides());
        for (OpOperand *use : later)
          rewriter.modifyOpInPlace(use->getOwner(),
                                   [&] { use->set(fromWhole); });
      }
    });
  }
};

} // namespace
} // namespace kiln
