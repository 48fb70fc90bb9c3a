//===- PlanWorkspace.cpp - Place temporaries in one workspace -------------===//
//
// After bufferization every temporary of the graph is a memref.alloc. This
// pass computes each buffer's live range over the entry function's top-level
// operations (uses through view-like ops included), assigns offsets so that
// buffers alive at the same time never overlap (largest first, lowest free
// offset), and rewrites each alloc to a memref.view into one workspace
// argument that the caller (the runtime context) owns.
//
//===----------------------------------------------------------------------===//
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/IR/Builders.h"

namespace kiln {
#define GEN_PASS_DEF_PLANWORKSPACE
#include "passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes;
  int64_t firstUse;
  int64_t lastUse;
  int64_t offset = 0;
};

/// Index of the top-level op of `body` that contains `op`.
int64_t topLevelIndex(Operation *op, Block &body,
                      const DenseMap<Operation *, int64_t> &order) {
  Operation *ancestor = body.findAncestorOpInBlock(*op);
  return ancestor ? order.lookup(ancestor) : static_cast<int64_t>(order.size());
}

/// The last top-level position at which `value` or a view of it is used.
int64_t lastUseOf(Value value, Block &body,
                  const DenseMap<Operation *, int64_t> &order) {
  int64_t last = 0;
  SmallVector<Value> worklist{value};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      last = std::max(last, topLevelIndex(user, body, order));
      if (isa<func::ReturnOp>(user))
        last = order.size();
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          for (Value result : user->getResults())
            worklist.push_back(result);
    }
  }
  return last;
}

/// The largest temporary a parallel loop body may keep on a thread's stack.
constexpr int64_t kMaxThreadLocalBytes = 256 * 1024;

int64_t alignTo(int64_t value, int64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

struct PlanWorkspacePass : impl::PlanWorkspaceBase<PlanWorkspacePass> {
  using PlanWorkspaceBase::PlanWorkspaceBase;

  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(entry);
    if (!func) {
      getOperation().emitError("no function named '") << entry << "'";
      return signalPassFailure();
    }
    Block &body = func.getBody().front();
    DenseMap<Operation *, int64_t> order;
    for (Operation &op : body)
      order[&op] = order.size();

    SmallVector<Buffer> buffers;
    WalkResult walk = func.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      // Each thread of a parallel loop needs its own copy: small ones go on
      // the thread's stack; the workspace has one copy only.
      if (alloc->getParentOfType<scf::ForallOp>() ||
          alloc->getParentOfType<scf::ParallelOp>()) {
        if (!type.hasStaticShape() ||
            type.getNumElements() * type.getElementTypeBitWidth() / 8 >
                kMaxThreadLocalBytes) {
          alloc.emitError("a temporary of ")
              << type << " inside a parallel loop is too large for a "
              << "thread's stack";
          return WalkResult::interrupt();
        }
        OpBuilder builder(alloc);
        auto alloca = memref::AllocaOp::create(builder, alloc.getLoc(), type);
        for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
          if (isa<memref::DeallocOp>(user))
            user->erase();
        alloc.replaceAllUsesWith(alloca.getResult());
        alloc.erase();
        return WalkResult::skip();
      }
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat()) {
        alloc.emitError("cannot place a dynamically shaped or non-identity "
                        "buffer in the workspace");
        return WalkResult::interrupt();
      }
      int64_t elementBits = type.getElementTypeBitWidth();
      int64_t bytes = type.getNumElements() * ((elementBits + 7) / 8);
      buffers.push_back({alloc, alignTo(std::max<int64_t>(bytes, 1), alignment),
                         topLevelIndex(alloc, body, order),
                         lastUseOf(alloc.getResult(), body, order)});
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    int64_t workspaceSize = assignOffsets(buffers);

    // The workspace becomes the function's last argument.
    MLIRContext *ctx = &getContext();
    auto workspaceType =
        MemRefType::get({std::max<int64_t>(workspaceSize, 1)},
                        IntegerType::get(ctx, 8));
    if (failed(func.insertArgument(func.getNumArguments(), workspaceType,
                                   DictionaryAttr::get(ctx), func.getLoc())))
      return signalPassFailure();
    Value workspace = func.getArgument(func.getNumArguments() - 1);
    OpBuilder builder(ctx);
    for (Buffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Value offset =
          arith::ConstantIndexOp::create(builder, buffer.alloc.getLoc(),
                                         buffer.offset);
      Value view = memref::ViewOp::create(builder, buffer.alloc.getLoc(),
                                          buffer.alloc.getType(), workspace,
                                          offset, ValueRange{});
      for (Operation *user :
           llvm::make_early_inc_range(buffer.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    func->setAttr("kiln.workspace_size",
                  IntegerAttr::get(IntegerType::get(ctx, 64), workspaceSize));
    // What the buffers would take without sharing, for reports.
    int64_t buffersSize = 0;
    for (const Buffer &buffer : buffers)
      buffersSize += buffer.bytes;
    func->setAttr("kiln.buffers_size",
                  IntegerAttr::get(IntegerType::get(ctx, 64), buffersSize));
  }

  /// Greedy placement, largest buffers first, each at the lowest offset that
  /// overlaps no placed buffer with an intersecting live range.
  int64_t assignOffsets(SmallVectorImpl<Buffer> &buffers) {
    SmallVector<Buffer *> bySize;
    for (Buffer &buffer : buffers)
      bySize.push_back(&buffer);
    // Ties in program order (the buffers are in it), which keeps the plan
    // deterministic.
    llvm::sort(bySize, [](Buffer *a, Buffer *b) {
      return std::make_pair(-a->bytes, a) < std::make_pair(-b->bytes, b);
    });
    SmallVector<Buffer *> placed;
    int64_t size = 0;
    for (Buffer *buffer : bySize) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (Buffer *other : placed)
        if (other->firstUse <= buffer->lastUse &&
            buffer->firstUse <= other->lastUse)
          busy.push_back({other->offset, other->offset + other->bytes});
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [begin, end] : busy) {
        if (offset + buffer->bytes <= begin)
          break;
        offset = std::max(offset, end);
      }
      buffer->offset = offset;
      placed.push_back(buffer);
      size = std::max(size, offset + buffer->bytes);
    }
    return size;
  }
};

} // namespace
} // namespace kiln
